"""Languages: identified per article; reuse and stories work on French and German;
the English-only stages are skipped for them, with one problem entry each."""
import json

from wiretrace import language
from wiretrace.language import detect_language, english_only_skipped, plainly_english
from wiretrace.pipeline import Options, analyze

FR = ("Le conseil municipal de Lyon a adopté lundi soir un plan de rénovation des ponts de la ville. "
      "Les travaux commenceront au printemps et dureront près de trois ans, selon la mairie. "
      "« Nous allons reconstruire chaque pont de cette ville avant la fin du mandat », a déclaré le maire Paul Girard. "
      "Le coût total est estimé à quarante millions d'euros, financés en partie par la région. "
      "Les commerçants du centre craignent une baisse de leur chiffre d'affaires pendant les fermetures. "
      "L'opposition a dénoncé un calendrier trop ambitieux et réclame une étude indépendante. "
      "Le premier chantier concernera la passerelle du Collège, fermée depuis l'hiver dernier.")
FR_COPY = ("Selon nos informations, la décision était attendue depuis plusieurs mois. " + FR +
           " Une réunion publique est prévue le mois prochain à l'hôtel de ville.")
DE = ("Der Stadtrat von Köln hat am Montagabend einen Plan zur Sanierung der Rheinbrücken beschlossen. "
      "Die Arbeiten sollen im Frühjahr beginnen und fast drei Jahre dauern, teilte die Stadtverwaltung mit. "
      "„Wir werden jede Brücke dieser Stadt vor dem Ende der Amtszeit erneuern“, sagte Oberbürgermeisterin Anna Berg. "
      "Die Gesamtkosten werden auf vierzig Millionen Euro geschätzt und teilweise vom Land getragen. "
      "Händler in der Innenstadt befürchten Umsatzeinbußen während der Sperrungen. "
      "Die Opposition kritisierte den Zeitplan als zu ehrgeizig und fordert ein unabhängiges Gutachten. "
      "Als erstes wird die Deutzer Brücke saniert, die seit dem vergangenen Winter gesperrt ist.")
DE_COPY = ("Nach Informationen unserer Zeitung war die Entscheidung seit Monaten erwartet worden. " + DE +
           " Eine Bürgerversammlung ist für den kommenden Monat im Rathaus geplant.")
EN = ("The city council of Leeds approved a plan on Monday to repair the town's bridges. "
      "\u201cWe will rebuild every bridge in this city before the end of the term,\u201d said Mayor John Hale. "
      "Work starts in spring and will take almost three years, officials said. "
      "Shop owners in the centre fear falling trade while the crossings are closed.")


def test_detect_language():
    assert detect_language(FR) == "fr" and detect_language(DE) == "de" and detect_language(EN) == "en"
    assert detect_language("") is None and detect_language("OK 12 34") is None     # too little to tell
    assert english_only_skipped("fr") and not english_only_skipped("en") and not english_only_skipped(None)


FR_QUOTING_EN = ("Le président a réagi mardi soir sur les réseaux sociaux. « This is the best deal that we have "
                 "ever made for the people of this country and it is a great day for the workers of the world », "
                 "a-t-il écrit, quelques heures après la signature de l'accord. Les syndicats ont accueilli la "
                 "nouvelle avec prudence. Selon plusieurs économistes, les effets sur l'emploi ne seront pas "
                 "visibles avant deux ans. Le texte doit encore être ratifié par le Congrès.")


def test_plainly_english_shortcut_agrees_with_the_model(monkeypatch):
    long_en = EN + " " + EN
    assert plainly_english(long_en)
    # other languages, and English quoted inside them, go to the model
    for text in (FR, DE, FR_COPY, DE_COPY, FR_QUOTING_EN):
        assert not plainly_english(text)
    assert not plainly_english(EN[:150])            # too few words to tell this way
    assert detect_language(FR_QUOTING_EN) == "fr"
    # the shortcut decides alone: with the model broken, the plainly English text is still "en"
    monkeypatch.setattr(language, "_ident", lambda: (_ for _ in ()).throw(AssertionError("model used")))
    assert detect_language(long_en) == "en"


def test_french_and_german_copies_are_found_and_english_only_stages_skipped(tmp_path):
    rows = [{"id": "fr1", "text": FR, "outlet": "Le Progrès", "published": "2021-03-01T08:00:00Z"},
            {"id": "fr2", "text": FR_COPY, "outlet": "Lyon Matin", "published": "2021-03-01T12:00:00Z"},
            {"id": "de1", "text": DE, "outlet": "Kölner Blatt", "published": "2021-03-01T08:00:00Z"},
            {"id": "de2", "text": DE_COPY, "outlet": "Rhein-Post", "published": "2021-03-01T12:00:00Z"},
            {"id": "en1", "text": EN, "outlet": "Leeds Post", "published": "2021-03-01T09:00:00Z"}]
    p = tmp_path / "c.jsonl"
    p.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    doc = analyze([p], db=tmp_path / "w.db", options=Options(workers=1)).to_dict()
    arts = {a["id"]: a for a in doc["articles"]}
    assert {k: a["language"] for k, a in arts.items()} == {"fr1": "fr", "fr2": "fr", "de1": "de", "de2": "de",
                                                           "en1": "en"}
    # reuse and stories work on any Latin-script text
    pairs = {(d["source"], d["target"]) for d in doc["derivations"]}
    assert ("fr1", "fr2") in pairs and ("de1", "de2") in pairs
    assert arts["fr1"]["story"] == arts["fr2"]["story"] and arts["de1"]["story"] == arts["de2"]["story"]
    assert arts["fr1"]["story"] != arts["de1"]["story"]
    # the English-only stages: skipped and said so, one problem per article, naming file and line
    probs = [q for q in doc["problems"] if q["reason"].startswith("language ")]
    assert [(q["path"], q["line"], q["reason"].split(":")[0]) for q in probs] == [
        (str(p), 1, "language fr"), (str(p), 2, "language fr"), (str(p), 3, "language de"),
        (str(p), 4, "language de")]
    assert all("quote speakers, framing terms and signals are English-only and were skipped" in q["reason"]
               for q in probs)
    for k in ("fr1", "fr2", "de1", "de2"):
        assert all(q["speaker"] is None and q["cue"] is None for q in arts[k]["quotes"])
        assert arts[k]["signals"]["patchwork"] == 0.0 and arts[k]["signals"]["orphan_references"] == []
        assert "English-only" in arts[k]["signals"]["skipped"]
    assert arts["de1"]["quotes"]          # „...“ quotes are still found, only their speakers are not guessed
    for f in doc["framing"]:
        if f["article"] != "en1":
            assert f["terms"] == [] and f["actor_changes"] == []
    # English is untouched
    assert arts["en1"]["quotes"][0]["speaker"] == "John Hale"
    assert "skipped" not in arts["en1"]["signals"]
