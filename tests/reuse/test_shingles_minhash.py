import numpy as np
import pytest

from wiretrace.reuse.minhash import exact_jaccard, jaccard_estimate, signature, signatures
from wiretrace.reuse.shingles import shingle_hashes, text_shingle_hashes, tokenize

TEXT = ("The harbour “Authority’s” board — meeting on 12 March — said it\u2009would spend "
        "3.5 million on São Tomé's well-known pier. Don't worry, it added.")


def test_tokenize_offsets_round_trip():
    tokens, spans = tokenize(TEXT)
    assert len(tokens) == len(spans) > 10
    for tok, (s, e) in zip(tokens, spans):
        assert TEXT[s:e].lower() == tok
    assert spans == sorted(spans)
    assert "são" in tokens and "tomé" in tokens and "12" in tokens and "3" in tokens
    assert tokens[:3] == ["the", "harbour", "authority"]


def test_tokenize_folds_quotes_dashes_and_case():
    a, _ = tokenize("“Well-known” STATE’s ‘rule’ — 2020")
    b, _ = tokenize('"well known" state\'s \'rule\' - 2020')
    assert a == b
    assert tokenize("") == ([], [])
    assert tokenize("  ... ,, ") == ([], [])


def test_shingle_hashes_equal_for_equal_ngrams():
    t1, _ = tokenize("alpha beta gamma delta epsilon zeta eta theta")
    t2, _ = tokenize("one two alpha beta gamma delta epsilon nine")
    h1, h2 = shingle_hashes(t1, 5), shingle_hashes(t2, 5)
    assert h1.dtype == np.uint64 and len(h1) == len(t1) - 4
    assert h1[0] == h2[2]                     # same 5-gram, different documents and positions
    assert len(set(h1.tolist())) == len(h1)   # different 5-grams differ
    assert h1[1] != h2[2]
    # the text path gives the same hashes as tokenize + shingle_hashes
    assert np.array_equal(text_shingle_hashes(TEXT, 5), shingle_hashes(tokenize(TEXT)[0], 5))
    # order of the words matters
    assert shingle_hashes(["a", "b"], 2)[0] != shingle_hashes(["b", "a"], 2)[0]
    # token boundaries matter ("ab c" vs "a bc")
    assert shingle_hashes(["ab", "c"], 2)[0] != shingle_hashes(["a", "bc"], 2)[0]


def test_short_and_empty_token_lists():
    assert len(shingle_hashes([], 5)) == 0
    assert len(shingle_hashes(["only", "three", "words"], 5)) == 1
    with pytest.raises(ValueError):
        shingle_hashes(["a"], 0)


@pytest.mark.parametrize("target", [0.1, 0.3, 0.5, 0.8])
def test_minhash_estimate_close_to_true_jaccard(target):
    rng = np.random.default_rng(int(target * 100))
    universe = rng.integers(0, 2**63, size=6000, dtype=np.uint64) * np.uint64(2) + np.uint64(1)
    # |A ∩ B| / |A ∪ B| = target with |A| = |B| = 1000
    inter = int(round(2000 * target / (1 + target)))
    a = universe[:1000]
    b = np.concatenate([universe[:inter], universe[1000:2000 - inter]])
    true = exact_jaccard(a, b)
    assert abs(true - target) < 0.01
    est = jaccard_estimate(signature(a, 256), signature(b, 256))
    # standard error sqrt(J(1-J)/256) <= 0.031; allow ~3.5 sigma
    assert abs(est - true) < 0.11


def test_minhash_batched_equals_single_and_is_deterministic():
    rng = np.random.default_rng(7)
    docs = [rng.integers(0, 2**63, size=int(n), dtype=np.uint64) for n in rng.integers(1, 5000, size=12)]
    docs.insert(3, np.zeros(0, dtype=np.uint64))
    sig = signatures(docs, 64)
    assert sig.shape == (13, 64) and sig.dtype == np.uint32
    for i, d in enumerate(docs):
        if len(d):
            assert np.array_equal(sig[i], signature(d, 64))
    assert np.array_equal(sig, signatures(docs, 64))
    # duplicates and order of shingles do not change a signature
    d = docs[0]
    assert np.array_equal(signature(d, 64), signature(np.concatenate([d[::-1], d]), 64))
