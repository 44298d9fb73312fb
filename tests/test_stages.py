"""The stage registry: one list both engines walk, keys that follow what a stage reads."""
from __future__ import annotations

import dataclasses

from tests.conftest import EXAMPLES
from wiretrace import stages
from wiretrace.pipeline import Options, analyze


def test_every_stage_needs_only_what_comes_before_it_and_resolves():
    seen = {"articles", "prior state"}
    for st in stages.CORPUS:
        assert set(st.needs) <= seen, (st.name, st.needs)
        assert callable(stages._resolve(st.local)) and st.spark and st.spark.split(":")[1]
        seen.add(st.name)
    assert [s.name for s in stages.CORPUS] == ["derivations", "quote groups", "stories", "framing", "signals"]


def test_a_stage_key_follows_its_version_options_and_inputs():
    st = next(s for s in stages.CORPUS if s.name == "stories")
    keys = {"articles": "a", "derivations": "d", "prior state": None}
    base = stages.stage_key(st, Options(), keys)
    assert stages.stage_key(st, Options(), dict(keys)) == base
    assert stages.stage_key(dataclasses.replace(st, version=st.version + 1), Options(), keys) != base
    assert stages.stage_key(st, Options(embeddings=True), keys) != base
    assert stages.stage_key(st, Options(), {**keys, "derivations": "d2"}) != base
    assert stages.stage_key(st, Options(workers=7, sentences="syntok"), keys) == base   # not read by it


def test_a_new_stage_version_recomputes_that_stage_alone(tmp_path, monkeypatch):
    db = tmp_path / "w.db"
    first = analyze([EXAMPLES], db=db, options=Options(workers=1)).to_dict()
    computed: list[str] = []
    real = stages.Stage.run_local

    def counting(self, run):
        computed.append(self.name)
        return real(self, run)

    monkeypatch.setattr(stages.Stage, "run_local", counting)
    again = analyze([EXAMPLES], db=db, options=Options(workers=1)).to_dict()
    assert computed == [] and again == first
    bumped = tuple(dataclasses.replace(s, version=s.version + 1) if s.name == "framing" else s
                   for s in stages.CORPUS)
    monkeypatch.setattr(stages, "CORPUS", bumped)
    third = analyze([EXAMPLES], db=db, options=Options(workers=1)).to_dict()
    assert computed == ["framing"] and third == first
