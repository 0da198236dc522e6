"""NER scoring for bench/language.py: factRuEval-2016 dev (Russian) and KazNERD valid (Kazakh).

Matching rule (stated in the report): a predicted mention matches a gold mention of the SAME TYPE
whose character span OVERLAPS it; each gold and each prediction is used at most once (greedy, by
the largest overlap first). «exact» additionally requires identical spans after trimming outer
quotes and spaces. factRuEval types: Person → PER, Org → ORG, Location and LocOrg → LOC (Project,
Facility dropped). KazNERD types: PERSON → PER, ORGANISATION → ORG, GPE and LOCATION → LOC.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path

from langdata import read_jsonl

FACTRU_TYPES = {"Person": "PER", "Org": "ORG", "Location": "LOC", "LocOrg": "LOC"}
KAZNERD_TYPES = {"PERSON": "PER", "ORGANISATION": "ORG", "GPE": "LOC", "LOCATION": "LOC"}
TYPES = ("PER", "ORG", "LOC")
Span = tuple[str, int, int]  # type, start, end


def factru_docs(data: Path) -> list[tuple[str, list[Span]]]:
    docs = []
    for row in read_jsonl(data / "ru_ner_factrueval2016/dev.jsonl"):
        gold = [(FACTRU_TYPES[e["type"]], e["start"], e["end"]) for e in row["entities"] if e["type"] in FACTRU_TYPES]
        docs.append((row["text"], gold))
    return docs


def kaznerd_docs(data: Path, limit: int | None = None) -> list[tuple[str, list[Span]]]:
    """KazNERD sentences re-joined with single spaces (so token offsets are known exactly)."""
    docs = []
    for row in read_jsonl(data / "kk_ner_kaznerd/valid.jsonl.gz"):
        starts, pos = [], 0
        for tok in row["tokens"]:
            starts.append(pos)
            pos += len(tok) + 1
        text = " ".join(row["tokens"])
        ends = [start + len(tok) for start, tok in zip(starts, row["tokens"], strict=True)]
        gold = [
            (KAZNERD_TYPES[e["type"]], starts[e["token_start"]], ends[e["token_end"] - 1])
            for e in row["entities"]
            if e["type"] in KAZNERD_TYPES
        ]
        docs.append((text, gold))
        if limit and len(docs) >= limit:
            break
    return docs


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in " «»\"'()":
        start += 1
    while end > start and text[end - 1] in " «»\"'().,":
        end -= 1
    return start, end


def score(docs: Iterable[tuple[str, list[Span]]], predict: Callable[[str], list[Span]]) -> dict[str, dict[str, float]]:
    """Per type and overall: precision, recall, F1 under overlap matching, and exact-span F1."""
    tp, fp, fn, exact = Counter(), Counter(), Counter(), Counter()
    for text, gold in docs:
        pred = predict(text)
        matched = _match(pred, gold)
        for t in TYPES:
            hits = [(p, g) for p, g in matched if p[0] == t]
            tp[t] += len(hits)
            fp[t] += sum(1 for p in pred if p[0] == t) - len(hits)
            fn[t] += sum(1 for g in gold if g[0] == t) - len(hits)
            exact[t] += sum(1 for p, g in hits if _trim(text, p[1], p[2]) == _trim(text, g[1], g[2]))
    out = {t: _prf(tp[t], fp[t], fn[t], exact[t]) for t in TYPES}
    out["all"] = _prf(sum(tp.values()), sum(fp.values()), sum(fn.values()), sum(exact.values()))
    return out


def _match(pred: list[Span], gold: list[Span]) -> list[tuple[Span, Span]]:
    pairs = []
    for i, p in enumerate(pred):
        for j, g in enumerate(gold):
            overlap = min(p[2], g[2]) - max(p[1], g[1])
            if p[0] == g[0] and overlap > 0:
                pairs.append((overlap, i, j))
    used_p, used_g, matched = set(), set(), []
    for _, i, j in sorted(pairs, reverse=True):
        if i not in used_p and j not in used_g:
            used_p.add(i)
            used_g.add(j)
            matched.append((pred[i], gold[j]))
    return matched


def _prf(tp: int, fp: int, fn: int, exact: int) -> dict[str, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    ep = exact / (tp + fp) if tp + fp else 0.0
    er = exact / (tp + fn) if tp + fn else 0.0
    ef = 2 * ep * er / (ep + er) if ep + er else 0.0
    return {"p": p, "r": r, "f1": f, "exact_f1": ef, "n_gold": tp + fn, "n_pred": tp + fp}
