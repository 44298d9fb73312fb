"""Story grouping's per-article features made in forked workers equal those made here."""
import wiretrace.stories.group as grp
from wiretrace.model import Article


def test_all_features_in_workers_equal_in_process(monkeypatch):
    arts = [Article(id=f"a{k}", text=f"Mayor Ann Lee{k} said on Monday the {k} bridges of Leeds would close. "
                    f"Officials in Hull disagreed with the Lee{k % 3} plan.", title=f"Bridges {k % 5} close",
                    published=f"2021-03-0{1 + k % 9}")
            for k in range(40)]
    here = list(grp.all_features(arts, workers=1))
    monkeypatch.setattr(grp, "FEATURES_PARALLEL_MIN", 10)
    monkeypatch.setattr(grp, "FEATURES_CHUNK", 7)
    there = list(grp.all_features(arts, workers=2))
    assert there == here
    assert [list(c) for c, _, _, _ in there] == [list(c) for c, _, _, _ in here]   # term order kept
    assert len(here) == 40 and here[0][1]
