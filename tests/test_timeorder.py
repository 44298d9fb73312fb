from wiretrace.timeorder import DAY, MINUTE, SECOND, compare, earlier, parse, sort_key


def test_precision_as_written():
    assert parse("2000-03-01").precision == DAY
    assert parse("2000-03-01T11:29").precision == MINUTE
    assert parse("2000-03-01T11:29:05Z").precision == SECOND
    assert parse("2000-03-01T11:29:05.123+01:00").precision == SECOND
    assert parse("") is None and parse(None) is None and parse("yesterday") is None
    assert parse("2000-13-01") is None


def test_same_day_date_and_timestamp_leave_the_order_open():
    assert compare("2000-03-01", "2000-03-01T11:29") == 0
    assert compare("2000-03-01T00:00:00Z", "2000-03-01") == 0     # midnight is not "the day"
    assert not earlier("2000-03-01", "2000-03-01T11:29")
    assert compare("2000-03-01T11:29", "2000-03-02") == -1
    assert compare("2000-03-02", "2000-03-01T23:59") == 1


def test_zones_normalised_and_coarser_precision():
    assert compare("2000-03-01T23:30-05:00", "2000-03-02T04:00Z") == 1    # 04:30Z vs 04:00Z
    assert compare("2000-03-01T23:30-05:00", "2000-03-02T04:30:40Z") == 0  # same minute
    assert compare("2000-03-01T10:00:01Z", "2000-03-01T10:00:02Z") == -1
    assert compare("2000-03-01T10:00+01:00", "2000-03-01T09:00Z") == 0
    # a day against a timestamp: each day as written
    assert compare("2000-03-01", "2000-03-01T23:30-05:00") == 0
    assert compare("2000-03", "2000-03-17T10:00Z") == 0
    assert compare("2000-02", "2000-03-17") == -1


def test_unknown_and_sort_key():
    assert compare(None, "2000-03-01") is None and compare("x", "2000-03-01") is None
    xs = [None, "2000-03-02", "2000-03-01", "2000-03-01T11:29Z"]
    assert sorted(xs, key=sort_key) == ["2000-03-01", "2000-03-01T11:29Z", "2000-03-02", None]


def test_day_of():
    from datetime import date
    from wiretrace.timeorder import day_of
    assert day_of("2000-03-01") == day_of("2000-03-01T23:59") == date(2000, 3, 1)
    assert day_of("1999-09-27T18:02") != day_of("1999-09-28T02:51")
    assert day_of("2000-03-01T23:30-05:00") == date(2000, 3, 1)      # the day as written, in its zone
    assert day_of(" 2000-03-01 ") == date(2000, 3, 1)
    assert day_of("2000-03") is None and day_of("2000") is None       # not known to the day
    assert day_of(None) is None and day_of("") is None and day_of("soon") is None


def test_listing_key_puts_a_day_after_its_own_timestamps():
    from wiretrace.timeorder import listing_key
    xs = [None, "2000-03-02", "2000-03-01T23:59:59Z", "2000-03-01", "2000-03-02T00:00Z", "2000-03",
          "2000-03-01T11:29Z", "2000-03-31T23:00Z"]
    assert sorted(xs, key=listing_key) == ["2000-03-01T11:29Z", "2000-03-01T23:59:59Z", "2000-03-01",
                                           "2000-03-02T00:00Z", "2000-03-02", "2000-03-31T23:00Z", "2000-03",
                                           None]


def test_listing_lets_derivations_order_what_the_times_leave_open():
    from wiretrace.timeorder import listing
    items = [("paper", "2024-05-14"), ("pa-late", "2024-05-14T18:00"), ("pa-early", "2024-05-14T09:00"),
             ("rewrite", "2024-05-14"), ("next", "2024-05-15T08:00"), ("u1", None), ("u2", None)]
    # the paper (a day) after its timed source; the rewrite after the paper; two undated
    # texts by their derivation
    before = [("pa-late", "paper"), ("paper", "rewrite"), ("u2", "u1")]
    assert listing(items, before) == ["pa-early", "pa-late", "paper", "rewrite", "next", "u2", "u1"]
    # a derivation against a known order (the next day's copy as the source of a text of the
    # day before) does not move it; a dated source of an undated text leaves it last
    assert listing(items, [("next", "pa-early"), ("pa-late", "u1")]) == \
        ["pa-early", "pa-late", "paper", "rewrite", "next", "u1", "u2"]
    # an undated source of a dated text (a wire copy whose date the crawl lost) is
    # listed just before the earliest text it is the source of, through undated ones too
    assert listing(items, [("u1", "paper"), ("u1", "next")]) == \
        ["pa-early", "pa-late", "u1", "paper", "rewrite", "next", "u2"]
    assert listing(items, [("u2", "u1"), ("u1", "next")]) == \
        ["pa-early", "pa-late", "paper", "rewrite", "u2", "u1", "next"]
    # without derivations the day's texts follow its timestamps
    assert listing(items) == ["pa-early", "pa-late", "paper", "rewrite", "next", "u1", "u2"]


def test_topo_order_breaks_a_cycle_at_its_smallest_key():
    from wiretrace.timeorder import topo_order
    assert topo_order(["c", "b", "a", "d"], [("a", "b"), ("b", "c"), ("c", "a"), ("d", "a")], key=str) == \
        ["d", "a", "b", "c"]
    assert topo_order(["b", "a"], [("a", "b"), ("b", "a")], key=str) == ["a", "b"]
    assert topo_order(["x", "y"], [("x", "x"), ("y", "nowhere")], key=str) == ["x", "y"]
