"""Score direct-quote extraction (quotes-dev) as its README describes.

Per article, system and gold quote texts are lowercased, punctuation removed
and split into tokens; a pair matches when token-set Jaccard >= 0.6.  Pairing
is one-to-one and greedy, best overlap first.  Precision = matched system /
all system quotes, recall = matched gold / all gold quotes (an article missing
from the analysis misses all its gold quotes).  Speaker accuracy is taken over
matched pairs whose gold speaker is given and is not a pronoun: the system
speaker is right when it shares a content word with the gold speaker, ignoring
case, function words and honorifics, and, when both contain a name, role words.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

THRESHOLD = 0.6
_TOK = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")

PRONOUNS = frozenset("""he she they it i we you his her him them their its who whom
whose me my our us your yours hers theirs one someone this that these those""".split())
FUNCTION = frozenset("""a an the of and or for to in on at by with from as s 's his her
their its our my your this that these those who which according also some other
said says""".split())
HONORIFICS = frozenset("""mr mrs ms miss dr sir madam mx prof rev hon""".split())
ROLES = frozenset("""president presidential senator sen rep representative congressman
congresswoman governor gov spokesman spokeswoman spokesperson campaign chairman chairwoman
chair manager secretary director leader candidate nominee former vice speaker mayor
minister general gen maj major colonel col lt lieutenant captain capt adviser advisor
aide aides official officials press state states us u democratic republican democrat
gop party committee house senate white chief executive commander deputy attorney
justice judge sheriff ambassador strategist pollster analyst professor chairman's
staff staffer member members team presumptive first lady""".split())


def tokens(text: str | None) -> list[str]:
    return _TOK.findall((text or "").lower().replace("’", "'"))


def jaccard(a: set, b: set) -> float:
    if not a and not b:
        return 0.0
    return len(a & b) / len(a | b)


def pair(system: list[str], gold: list[str], threshold: float = THRESHOLD) -> list[tuple[int, int, float]]:
    """Greedy best-first one-to-one pairing of system and gold texts (indices, overlap)."""
    st = [set(tokens(t)) for t in system]
    gt = [set(tokens(t)) for t in gold]
    cands = []
    for i, s in enumerate(st):
        for j, g in enumerate(gt):
            if s & g:
                j_ = jaccard(s, g)
                if j_ >= threshold:
                    cands.append((-j_, i, j))
    cands.sort()
    used_s, used_g, out = set(), set(), []
    for nj, i, j in cands:
        if i in used_s or j in used_g:
            continue
        used_s.add(i)
        used_g.add(j)
        out.append((i, j, -nj))
    return out


def _content(speaker: str) -> tuple[set, bool]:
    """Content words of a speaker and whether one of them is a name (capitalised, no role)."""
    words, has_name = set(), False
    for raw in _TOK.findall((speaker or "").replace("’", "'")):
        w = raw.lower()
        if w.endswith("'s"):
            w, raw = w[:-2], raw[:-2]
        if not w or w in FUNCTION or w in HONORIFICS:
            continue
        words.add(w)
        if w not in ROLES and raw[:1].isupper():
            has_name = True
    return words, has_name


def is_pronoun(speaker: str | None) -> bool:
    toks = tokens(speaker)
    return bool(toks) and all(t in PRONOUNS for t in toks)


def speaker_right(system: str | None, gold: str) -> bool:
    if not system:
        return False
    s, s_name = _content(system)
    g, g_name = _content(gold)
    shared = s & g
    if s_name and g_name:
        shared = shared - ROLES
    return bool(shared)


def _load_jsonl(path) -> list[dict]:
    return [json.loads(ln) for ln in open(path, encoding="utf-8") if ln.strip()]


def score_docs(gold: dict[str, list[dict]], system: dict[str, list[dict]]) -> dict:
    n_sys = n_gold = matched = sp_n = sp_ok = 0
    per_article = {}
    for aid, gq in gold.items():
        sq = system.get(aid, [])
        n_gold += len(gq)
        n_sys += len(sq)
        pairs = pair([q.get("text") or "" for q in sq], [q.get("text") or "" for q in gq])
        matched += len(pairs)
        a_sp = []
        for i, j, _ in pairs:
            gs = gq[j].get("speaker")
            if not gs or is_pronoun(gs):
                continue
            ok = speaker_right(sq[i].get("speaker"), gs)
            sp_n += 1
            sp_ok += ok
            a_sp.append(ok)
        per_article[aid] = {"gold": len(gq), "system": len(sq), "matched": len(pairs),
                            "speaker_ok": sum(a_sp), "speaker_n": len(a_sp)}
    # system articles absent from gold are ignored: they are not in the set
    p = matched / n_sys if n_sys else 0.0
    r = matched / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": p, "recall": r, "f1": f, "matched": matched, "system": n_sys,
            "gold": n_gold, "speaker_accuracy": sp_ok / sp_n if sp_n else 0.0,
            "speaker_n": sp_n, "speaker_ok": sp_ok, "articles": per_article}


def score(gold_path, analysis_path) -> dict:
    gold = {d["id"]: d.get("quotes", []) for d in _load_jsonl(gold_path)}
    analysis = json.loads(Path(analysis_path).read_text(encoding="utf-8"))
    system = {a["id"]: a.get("quotes", []) for a in analysis.get("articles", [])}
    return score_docs(gold, system)


def summary(s: dict) -> str:
    return (f"quotes F1={s['f1']:.4f} P={s['precision']:.4f} R={s['recall']:.4f} "
            f"speakerAcc={s['speaker_accuracy']:.4f} n={s['gold']}")
