"""Names that speak without being people: countries, capitals used for their
governments, institutions.  "Russia said" or "the Pentagon said" needs no
introduction, so these are never orphan surnames.  General knowledge, compiled
for this project."""

NON_PERSON_SPEAKERS = frozenset("""
Afghanistan Albania Algeria Angola Argentina Armenia Australia Austria Azerbaijan Bahrain Bangladesh
Belarus Belgium Bolivia Bosnia Brazil Britain Bulgaria Cambodia Cameroon Canada Chad Chile China Colombia
Congo Croatia Cuba Cyprus Czechia Denmark Ecuador Egypt Eritrea Estonia Ethiopia Europe Finland France
Georgia Germany Ghana Greece Guatemala Haiti Honduras Hungary Iceland India Indonesia Iran Iraq Ireland
Israel Italy Japan Jordan Kazakhstan Kenya Korea Kosovo Kuwait Kyrgyzstan Laos Latvia Lebanon Libya
Lithuania Luxembourg Malaysia Mali Malta Mexico Moldova Mongolia Montenegro Morocco Mozambique Myanmar
Namibia Nepal Netherlands Nicaragua Niger Nigeria Norway Oman Pakistan Palestine Panama Paraguay Peru
Philippines Poland Portugal Qatar Romania Russia Rwanda Scotland Senegal Serbia Singapore Slovakia
Slovenia Somalia Spain Sudan Sweden Switzerland Syria Taiwan Tajikistan Tanzania Thailand Tunisia Turkey
Turkmenistan Uganda Ukraine Uruguay Uzbekistan Venezuela Vietnam Wales Yemen Zambia Zimbabwe America
Washington Moscow Beijing London Paris Berlin Tehran Ankara Damascus Baghdad Kabul Kyiv Kiev Jerusalem
Cairo Riyadh Tokyo Seoul Pyongyang Brussels Rome Madrid Delhi Islamabad Ottawa Canberra Caracas Havana
Minsk Warsaw Vienna Athens Doha Beirut Amman Tripoli Khartoum Nairobi Pretoria Abuja Brasilia Mexico
Kremlin Pentagon Congress Parliament Senate House Downing Whitehall Elysee Vatican Nato NATO Opec OPEC
Police Officials Authorities Government Ministry Court Reuters Xinhua Interfax Tass TASS Bloomberg
Google Apple Amazon Facebook Microsoft Twitter Meta Tesla Boeing Airbus
He She It They We This That These Those There Here Who What Everyone Nobody Someone Both Each Many Some
Others Witnesses Residents Analysts Experts Critics Activists Sources Observers Investigators Prosecutors
Doctors Researchers Monday Tuesday Wednesday Thursday Friday Saturday Sunday
January February March April May June July August September October November December Today Yesterday
 Scientists Economists Lawmakers Democrat Republican Democrats Republicans Independent Conservatives Labour Tories
""".split())
