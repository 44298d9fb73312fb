"""The typed model reads back the analysis.json it writes: same keys, same order,
same null and absent values; and a run served from the store writes what a fresh
run wrote, key order included."""
import json
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES
from wiretrace.language import skipped_signals
from wiretrace.model import (ActorChange, Analysis, Article, Dateline, Derivation, Evidence, OutletSource, Problem,
                             SharedSibling, Signals, Story, StoryEvidence, TermChoice)
from wiretrace.pipeline import Options, analyze

DATASETS = Path(__file__).resolve().parents[2] / "shared" / "datasets"


def ordered(d) -> str:
    """The JSON text with the keys in their order (what a reader of analysis.json sees)."""
    return json.dumps(d, ensure_ascii=False)


@pytest.fixture(scope="module")
def two_runs(tmp_path_factory):
    db = tmp_path_factory.mktemp("model") / "w.db"
    fresh = analyze([EXAMPLES], db=db, options=Options(workers=1)).to_dict()
    cached = analyze([EXAMPLES], db=db, options=Options(workers=1)).to_dict()
    return fresh, cached


def test_the_example_analysis_round_trips_with_its_key_order(two_runs):
    fresh, _ = two_runs
    assert fresh["quote_groups"] and fresh["framing"] and fresh["storylines"] and fresh["derivations"]
    back = Analysis.from_dict(json.loads(ordered(fresh)))
    assert ordered(back.to_dict()) == ordered(fresh)
    # typed all the way down
    assert isinstance(back.derivations[0].evidence, Evidence)
    assert isinstance(back.stories[0].evidence, StoryEvidence)
    assert isinstance(back.articles[0].signals, Signals)
    assert back.articles[0].signals.patchwork_evidence.sources.count >= 0
    assert all(isinstance(t, TermChoice) for f in back.framing for t in f.terms)


def test_a_run_from_the_store_writes_what_the_fresh_run_wrote(two_runs):
    fresh, cached = two_runs
    assert ordered(cached) == ordered(fresh)


def test_absent_and_null_keys_keep_their_shapes():
    assert Signals().to_dict() == {"patchwork": 0.0, "orphan_references": []}
    assert list(skipped_signals("fr").to_dict()) == ["patchwork", "orphan_references", "skipped"]
    assert StoryEvidence(None).to_dict() == {"origin_by": None}
    assert list(StoryEvidence("earliest", dated_articles=2, order_open=["a", "b"]).to_dict()) == [
        "origin_by", "dated_articles", "order_open"]
    assert Derivation("a", "b", "wholly", False, 0.5).to_dict()["evidence"] == {}
    assert Story("s1", ["a"]).to_dict()["evidence"] == {}
    assert TermChoice("c", "t", 2).to_dict() == {"concept": "c", "term": "t", "count": 2}
    assert TermChoice("c", "t", 2, loaded=True, learned=True).to_dict()["learned"] is True
    assert "source_article" not in ActorChange("a", "b", 0, 1, 2, 3).to_dict()
    assert OutletSource("given", False).to_dict() == {"how": "given", "inferred": False}
    assert OutletSource("url", False, "example.com").to_dict() == {"from": "example.com", "how": "url",
                                                                   "inferred": False}
    dl = OutletSource("dateline", True, "dateline (AP)", 0, 12).to_dict()
    assert list(dl) == ["end", "from", "how", "inferred", "start"]
    assert Problem("f.txt", None, "empty").to_dict() == {"path": "f.txt", "line": None, "reason": "empty"}


def test_open_ended_evidence_keeps_extension_keys_after_its_core():
    d = {"direction": "credit", "source_cover": 0.5, "sentences": 3, "nonquote_tokens": 40,
         "credit_cue": "according to AFP", "siblings": [{"article": "x", "shared_in_source": 0.9}],
         "reviewer_note": {"by": "desk"}}
    ev = Evidence.from_dict(d)
    assert ev.siblings == [SharedSibling("x", 0.9)] and ev.extra == {"reviewer_note": {"by": "desk"}}
    assert ordered(ev.to_dict()) == ordered(d)
    s = {"patchwork": 0.0, "orphan_references": [], "tone": "calm"}
    assert ordered(Signals.from_dict(s).to_dict()) == ordered(s)
    st = {"origin_by": "derivations", "out_edges": 2, "derivations_in_story": 3, "method": "manual"}
    assert ordered(StoryEvidence.from_dict(st).to_dict()) == ordered(st)


def test_article_round_trip_keeps_metadata_and_input_fields():
    a = Article(id="a1", text="WASHINGTON (Reuters) - Hello.", outlet="Reuters",
                dateline=Dateline("WASHINGTON", "Reuters", "Reuters", 0, 22),
                fields={"section": "world", "title": "given twice", "x": 1})
    d = a.to_dict()
    assert d["dateline"] == {"agency": "Reuters", "agency_as_written": "Reuters", "end": 22, "place": "WASHINGTON",
                             "start": 0}
    assert d["input_fields"] == {"title": "given twice"} and d["section"] == "world"
    back = Article.from_dict(json.loads(ordered(d)))
    assert back.dateline == a.dateline and back.fields == {"section": "world", "x": 1, "title": "given twice"}
    assert ordered(back.to_dict()) == ordered(d)


@pytest.mark.slow
@pytest.mark.skipif(not DATASETS.is_dir(), reason="../shared/datasets is absent (a user's clone)")
def test_a_dev_set_analysis_round_trips(tmp_path):
    fresh = analyze([DATASETS / "wire-dev" / "corpus.jsonl"], db=tmp_path / "w.db",
                    options=Options(workers=1)).to_dict()
    assert fresh["siblings"] and fresh["wire_lineages"]
    assert ordered(Analysis.from_dict(json.loads(ordered(fresh))).to_dict()) == ordered(fresh)
