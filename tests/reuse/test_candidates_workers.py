"""Candidate pairs made in forked workers are the pairs made in one process."""
import random

import wiretrace.reuse.candidates as cand


def _texts(n: int, seed: int = 3) -> list[str]:
    rng = random.Random(seed)
    vocab = [f"w{k}" for k in range(3000)]
    texts = [" ".join(rng.choice(vocab) for _ in range(rng.randint(0, 120))) for _ in range(n)]
    for k in range(0, n - 1, 7):                 # planted copies, whole and in part
        words = texts[k].split()
        texts[k + 1] = " ".join(words[: max(1, len(words) // (1 + k % 3))]) + " " + texts[k + 1]
    texts[5] = ""                                 # no shingles at all
    return texts


def test_workers_give_the_same_pairs(monkeypatch):
    texts = _texts(300)
    one = cand.candidate_pairs(texts, n=5, sample_mod=2, min_shared=2, workers=1)
    monkeypatch.setattr(cand, "PARALLEL_MIN_DOCS", 10)
    two = cand.candidate_pairs(texts, n=5, sample_mod=2, min_shared=2, workers=2)
    assert one == two
    assert len(one) >= 30                         # the planted copies are there
