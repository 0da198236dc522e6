"""Benchmark of the language stages on real data in ../shared/data.

    .venv/bin/python bench/language.py [--quick]

Language id by language (ours vs the Kazakh-letter heuristic vs lingua {ru, kk, en}), NER
precision/recall/F1 per type on factRuEval-2016 dev (ours vs plain natasha, same script) and on
KazNERD valid (Kazakh), the Kazakh stemmer comparison, gazetteer recall against Tengrinews
editors' place tags, and analyzer speed. Prints Markdown and writes docs/bench/language.md.
"""

from __future__ import annotations

import os
import platform
import subprocess
import sys
import time
import warnings
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
warnings.simplefilter("ignore")

import kkstem  # noqa: E402
import nereval  # noqa: E402
from langdata import language_sets, read_jsonl  # noqa: E402
from newsdesk import analyze, entities, gazetteer, lang  # noqa: E402
from newsdesk.acronyms import AcronymIndex  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(os.environ.get("NEWSDESK_SHARED", ROOT.parent / "shared")) / "data"
QUICK = "--quick" in sys.argv


def machine() -> str:
    with open("/proc/cpuinfo") as info:
        cpu = next((line.split(":", 1)[1].strip() for line in info if "model name" in line), "?")
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT)
    return (
        f"- command: `.venv/bin/python bench/language.py{' --quick' if QUICK else ''}`\n"
        f"- machine: {os.cpu_count()} cores, {cpu}, Python {platform.python_version()}, load average at start "
        f"{os.getloadavg()[0]:.1f} (other developers share the machine: speeds vary 2-4x between runs)\n"
        f"- date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, commit {commit.stdout.strip() or '?'}\n"
    )


# ---------------------------------------------------------------- language id
def letter_heuristic(text: str) -> str:
    """The heuristic DEPENDENCIES.md measured: any Kazakh letter → kk, else more Cyrillic → ru."""
    if any(ch in "әғқңөұүһіӘҒҚҢӨҰҮҺІ" for ch in text):
        return "kk"
    cyr = sum(1 for ch in text if "а" <= ch.lower() <= "я" or ch in "ёЁ")
    lat = sum(1 for ch in text if ch.isascii() and ch.isalpha())
    if not cyr and not lat:
        return "other"
    return "ru" if cyr >= lat else "en"


def lingua_rke() -> Callable[[str], str]:
    detector = lang._ru_kk_detector()
    codes = {"RUSSIAN": "ru", "KAZAKH": "kk", "ENGLISH": "en"}

    def detect(text: str) -> str:
        found = detector.detect_language_of(text)
        return codes.get(getattr(found, "name", ""), "other")

    return detect


def language_id() -> str:
    sets = language_sets(DATA)
    detectors = {"ours": lang.detect, "kk-letter heuristic": letter_heuristic, "lingua {ru,kk,en}": lingua_rke()}
    lines = ["| set | n | " + " | ".join(detectors) + " | our errors |", "|---|---|" + "---|" * len(detectors) + "---|"]
    for name, rows in sets.items():
        cells = []
        for detect in detectors.values():
            got = [detect(text) for text, _ in rows]
            cells.append(f"{sum(g == e for g, (_, e) in zip(got, rows, strict=True)) / len(rows):.3f}")
        errors = Counter(g for g, (_, e) in zip(map(lang.detect, (t for t, _ in rows)), rows, strict=True) if g != e)
        lines.append(f"| {name} | {len(rows)} | " + " | ".join(cells) + f" | {dict(errors) or ''} |")
    return "\n".join(lines) + "\n\n" + _langid_speed(sets, detectors)


def _langid_speed(sets: dict, detectors: dict) -> str:
    headlines = [
        t for name in ("ru headlines (tengri, ria, tgcontest)", "kk KazNERD, first 5 words") for t, _ in sets[name]
    ]
    headlines += [t for t, _ in sets["en tgcontest titles (English sites)"]]
    out = []
    for name, detect in detectors.items():
        start = time.perf_counter()
        for text in headlines:
            detect(text)
        out.append(f"{name}: {len(headlines) / (time.perf_counter() - start):,.0f} headlines/s")
    return f"Speed on {len(headlines):,} real ru/kk/en headlines, one core: " + "; ".join(out) + ".\n"


# ---------------------------------------------------------------- NER
def ner() -> str:
    docs = nereval.factru_docs(DATA)
    start = time.perf_counter()
    entities.load()
    load_s = time.perf_counter() - start
    results, speed = {}, {}
    index = AcronymIndex()
    systems = {
        "plain natasha": lambda t: [(m.type, m.start, m.end) for m in entities.natasha_mentions(t)],
        "newsdesk.entities": lambda t: [(m.type, m.start, m.end) for m in entities.mentions(t, "ru", index)],
    }
    for text, _ in docs[:5]:  # warm both up (lazy imports, caches) before timing
        systems["plain natasha"](text)
    for name, predict in systems.items():
        start = time.perf_counter()
        results[name] = nereval.score(docs, predict)
        speed[name] = len(docs) / (time.perf_counter() - start)
    table = _ner_table(results)
    learnt = len(index.expansions) - len(AcronymIndex().expansions)
    notes = (
        f"factRuEval-2016 dev: {len(docs)} documents, {results['plain natasha']['all']['n_gold']} gold mentions. "
        f"natasha load {load_s:.2f} s. Speed (documents of ~{_mean_len(docs):,.0f} characters): "
        + "; ".join(f"{k} {v:.1f} docs/s" for k, v in speed.items())
        + f". Acronyms learnt from the dev texts on the way: {learnt}.\n"
    )
    return table + "\n" + notes + "\n" + kazakh_ner()


def _mean_len(docs: list) -> float:
    return sum(len(t) for t, _ in docs) / len(docs)


def _ner_table(results: dict) -> str:
    lines = ["| system | type | P | R | F1 | exact-span F1 | gold | predicted |", "|---|---|---|---|---|---|---|---|"]
    for name, by_type in results.items():
        for t in (*nereval.TYPES, "all"):
            r = by_type[t]
            lines.append(
                f"| {name} | {t} | {r['p']:.3f} | {r['r']:.3f} | {r['f1']:.3f} | {r['exact_f1']:.3f} "
                f"| {r['n_gold']} | {r['n_pred']} |"
            )
    return "\n".join(lines) + "\n"


def kazakh_ner() -> str:
    docs = nereval.kaznerd_docs(DATA, limit=2000 if QUICK else None)
    systems = {
        "plain natasha (Russian model on Kazakh)": lambda t: [
            (m.type, m.start, m.end) for m in entities.natasha_mentions(t)
        ],
        "newsdesk.entities lang=kk": lambda t: [(m.type, m.start, m.end) for m in entities.mentions(t, "kk")],
    }
    results = {name: nereval.score(docs, predict) for name, predict in systems.items()}
    return (f"KazNERD valid, {len(docs):,} sentences (PERSON→PER, ORGANISATION→ORG, GPE+LOCATION→LOC; "
            "`kk_entities`' rules were checked against this split, so it is a development figure; KazNERD's test "
            "split is not used):\n\n" + _ner_table(results))


# ---------------------------------------------------------------- Kazakh stemmer
def kazakh_stemmer() -> str:
    names = kkstem.kaznerd_names(DATA)
    words = kkstem.kaznerd_words(DATA)
    lines = [
        "| stemmer | paradigm collapse | over-merged pairs | KazNERD names: all / inflected exact | over-stripped "
        "| KazNERD vocabulary reduction | news nouns: forms sharing the nominative's stem | words/s |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for name, stem in kkstem.stemmers().items():
        par, nam, voc = kkstem.paradigm_scores(stem), kkstem.name_scores(names, stem), kkstem.vocabulary(words, stem)
        speed, nouns = _stem_speed(stem, words), kkstem.news_noun_scores(stem)
        lines.append(
            f"| {name} | {par['collapse']:.3f} | {par['over_merge_pairs']} | {nam['accuracy']:.3f} / "
            f"{nam['inflected_accuracy']:.3f} | {nam['over_stripped']:.3f} | {voc['reduction']:.3f} "
            f"({voc['types']:,} → {voc['stems']:,}) | {nouns['share']} of {nouns['forms']} | {speed:,.0f} |"
        )
    par = kkstem.paradigm_scores(str.lower)
    return (
        "\n".join(lines)
        + f"\n\nParadigm table: {par['forms']} forms of {len(kkstem.GROUPS)} words (bench/kkstem.py). KazNERD names: "
        f"{len(names):,} surname-shaped PERSON and -стан/-ия GPE tokens, "
        f"{sum(1 for t, g in names if t.lower() != g):,} of them inflected. News nouns: "
        f"{len(kkstem.news_nouns())} common nouns × 4 forms (bench/kkstem.py). kazstem (its FST resources download "
        "at run time) and qaznltk (no stemmer) do not work offline; PyStemmer has no Kazakh.\n"
    )


def _stem_speed(stem: Callable[[str], str], words: list[str]) -> float:
    if hasattr(stem, "cache_clear"):
        stem.cache_clear()
    start = time.perf_counter()
    for w in words:
        stem(w)
    return len(words) / (time.perf_counter() - start)


# ---------------------------------------------------------------- gazetteer
def places() -> str:
    rows = list(read_jsonl(DATA / "ru_news_tengrinews_2024/articles.jsonl.gz"))
    ours = {p.ru.lower(): p for p in gazetteer.load_places()}
    gold = found = hits = 0
    start = time.perf_counter()
    for row in rows:
        tagged = {t.lower() for t in row.get("tags") or []} & set(ours)
        matched = {p.ru.lower() for p in gazetteer.match(row["title"] + "\n" + row["text"], "ru")}
        gold, found, hits = gold + len(tagged), found + len(matched), hits + len(tagged & matched)
    rate = len(rows) / (time.perf_counter() - start)
    return (
        f"Tengrinews 2024, {len(rows)} articles: editors tagged {gold} gazetteer places; `gazetteer.match` found "
        f"{hits} of them (recall {hits / max(1, gold):.3f}), and {found} places in all ({found / len(rows):.1f} per "
        f"article: editors tag only the main ones, so this is not a precision). {rate:.0f} articles/s.\n"
    )


# ---------------------------------------------------------------- analyzer speed
def analyzer_speed() -> str:
    ru = [r["title"] + "\n" + r["text"] for r in read_jsonl(DATA / "ru_news_tengrinews_2024/articles.jsonl.gz")]
    kk = [" ".join(r["tokens"]) for r in read_jsonl(DATA / "kk_ner_kaznerd/valid.jsonl.gz")]
    kk = [" ".join(kk[i : i + 20]) for i in range(0, len(kk), 20)]
    lines = ["| what | tokens | tokens/s |", "|---|---|---|"]
    for label, texts, lang_, fn in (
        ("ru `lemmas`, cold cache", ru, "ru", analyze.lemmas),
        ("ru `lemmas`, cached", ru, "ru", analyze.lemmas),
        ("ru `tokens`, cached", ru, "ru", analyze.tokens),
        ("kk `lemmas`, cold cache", kk, "kk", analyze.lemmas),
        ("kk `lemmas`, cached", kk, "kk", analyze.lemmas),
        ("ru `lemmas`, lang=None (detects), cached", ru, None, analyze.lemmas),
    ):
        if "cold" in label:
            analyze.clear_caches()
        else:
            for t in texts:  # fill the caches first: this row measures the cached path
                fn(t, lang_)
        start = time.perf_counter()
        n = sum(len(fn(t, lang_)) for t in texts)
        lines.append(f"| {label} | {n:,} | {n / (time.perf_counter() - start):,.0f} |")
    return "\n".join(lines) + "\n\n" + _tokenizers(ru)


def _tokenizers(texts: list[str]) -> str:
    import razdel

    start = time.perf_counter()
    ours = [[(t.start, t.end) for t in analyze.tokens(x, "ru")] for x in texts]
    ours_s = time.perf_counter() - start
    start = time.perf_counter()
    theirs = [[(t.start, t.stop) for t in razdel.tokenize(x) if any(c.isalnum() for c in t.text)] for x in texts]
    razdel_s = time.perf_counter() - start
    same = sum(len(set(a) & set(b)) for a, b in zip(ours, theirs, strict=True))
    total = sum(len(b) for b in theirs)
    return (
        f"Tokenizer on {len(texts)} Russian articles: our regex + lemmas (cached) {sum(map(len, ours)) / ours_s:,.0f} "
        f"tokens/s; razdel alone {total / razdel_s:,.0f} tokens/s; {same / total:.3f} of razdel's word tokens have "
        "exactly the same span in ours.\n"
    )


def latin_kazakh(n: int = 300, seed: int = 5) -> str:
    """Entities in Kazakh written in the 2021 Latin alphabet (Kazinform's qz.inform.kz): per article, by type,
    with the Cyrillic rules applied to the Latin text as it is (before) and through its Cyrillic copy (now).
    No labels exist for this text, so these are counts, not accuracy."""
    import gzip
    import json
    import random

    from newsdesk import kk_entities

    with gzip.open(DATA / "kk_news_kazinform_latin/articles.jsonl.gz", "rt", encoding="utf-8") as lines:
        rows = [json.loads(line) for line in lines]
    sample = random.Random(seed).sample(rows, min(n, len(rows)))

    def counts() -> tuple[Counter, float]:
        found, start = Counter(), time.process_time()
        for row in sample:
            found.update(e.type for e in entities.extract(row["text"], "kk"))
        return found, (time.process_time() - start) / len(sample) * 1000

    now, ms = counts()
    detect = kk_entities.lang.detect_script
    kk_entities.lang.detect_script = lambda text: "Cyrl"  # type: ignore[assignment]  # the rules on Latin as is
    try:
        before, _ = counts()
    finally:
        kk_entities.lang.detect_script = detect
    lines = ["| reading | PER | ORG | LOC | entities per article |", "|---|---|---|---|---|"]
    for name, c in (("Cyrillic rules on the Latin text (before)", before), ("through a Cyrillic copy (now)", now)):
        lines.append(f"| {name} | {c['PER']:,} | {c['ORG']:,} | {c['LOC']:,} | {sum(c.values()) / len(sample):.1f} |")
    return (f"{len(sample)} random articles of {len(rows)} (Kazinform, Latin script), each whole text; "
            f"{ms:.1f} ms CPU per article now.\n\n" + "\n".join(lines) + "\n")


def people_across_archive() -> str:
    """People in one outlet's archive read in time order, as the entities stage reads it: each text alone, and
    with the archive's `PeopleIndex` (a lone surname is the full name the archive knows); the outlet's own
    name dropped.  No labels: counts of what a reader sees on entity pages."""
    import gzip
    import json

    from newsdesk import names
    from newsdesk.surnames import PeopleIndex

    with gzip.open(DATA / "ru_news_tengrinews_2024/articles.jsonl.gz", "rt", encoding="utf-8") as lines:
        rows = sorted((json.loads(line) for line in lines), key=lambda r: r.get("published_at") or "")
    texts = ["\n\n".join(p for p in (r.get("title"), r.get("summary"), r.get("text")) if p) for r in rows]

    entities.load()

    def read(people: PeopleIndex | None, own: bool) -> tuple[list[list], float]:
        start, found = time.process_time(), []
        for row, text in zip(rows, texts, strict=True):
            got = entities.extract(text, "ru", AcronymIndex(), people)
            found.append(entities.not_the_outlet(got, row.get("source"), row.get("url")) if own else got)
        return found, (time.process_time() - start) / len(rows) * 1000

    lines = ["| reading | people (distinct) | of them a lone surname of a full name also found | a woman named as a "
             "man (articles) | articles naming their own outlet | ms CPU per article |", "|---|---|---|---|---|---|"]
    for name, people, own in (("each text alone", None, False), ("with the archive's people index, outlet "
                                                                 "dropped (the entities stage)", PeopleIndex(), True)):
        found, ms = read(people, own)
        persons = {e.name for article in found for e in article if e.type == "PER"}
        surnames = {n.split()[-1] for n in persons if " " in n}
        lone = {n for n in persons if " " not in n and n in surnames}
        outlet = sum(any(e.type == "ORG" and e.name.lower().startswith("tengrinews") for e in a) for a in found)
        man = sum(any(e.type == "PER" and e.name.endswith(names.MASCULINE_NAMES) and (
            e.name.split()[-1] + "ой" in text or e.name + "а" in persons)  # «Нукенов» beside «Нукеновой» or «Нукенова»
            for e in a) for a, text in zip(found, texts, strict=True))
        lines.append(f"| {name} | {len(persons):,} | {len(lone):,} | {man:,} | {outlet:,} | {ms:.1f} |")
    return (f"Tengrinews 2024, {len(rows)} articles in publication order (title, lead and text). A lone surname "
            "such as «Токаев» beside «Касым-Жомарт Токаев» is one person on two entity pages.\n\n"
            + "\n".join(lines) + "\n\n" + surnames_in_headlines())


def surnames_in_headlines(n: int = 3000) -> str:
    """Feed items (a headline and a line or two) name people by surname alone, which natasha often misses
    there: the people the archive's index finds in them (`entities.archive_surnames`)."""
    import gzip
    import json

    from newsdesk.surnames import PeopleIndex

    with gzip.open(DATA / "ru_rss_feeds/feed_items_history.jsonl.gz", "rt", encoding="utf-8") as lines:
        rows = sorted((json.loads(line) for line in lines), key=lambda r: r.get("published_at") or "")[-n:]
    texts = ["\n\n".join(p for p in (r.get("title"), r.get("text")) if p) for r in rows]

    def read(archive: bool) -> list[set[tuple[str, tuple[int, int]]]]:
        people, kept = PeopleIndex(), entities.archive_surnames
        if not archive:
            entities.archive_surnames = lambda text, lang, found, index: found  # type: ignore[assignment]
        try:
            return [{(e.slug, s) for e in entities.extract(t, "ru", AcronymIndex(), people) if e.type == "PER"
                     for s in e.spans} for t in texts]
        finally:
            entities.archive_surnames = kept

    before, after = read(False), read(True)
    added = [(t, sorted(a - b)) for t, a, b in zip(texts, after, before, strict=True) if a - b]
    shown = "; ".join(f"«{t[s[0]:s[1]]}» → {slug}" for t, spans in added[:6] for slug, s in spans[:1])
    return (f"Surnames alone in feed items ({len(texts):,} newest items of `ru_rss_feeds`, headline and text, "
            f"in time order with one people index): {sum(len(s) for _, s in added)} person mentions natasha "
            f"missed found in {len(added)} items ({shown}, …).\n")


def main() -> None:
    if not DATA.is_dir():
        sys.exit(f"real data not found at {DATA}")
    sections = [
        ("Language identification (accuracy)", language_id),
        ("Entities: factRuEval-2016 dev, ours vs plain natasha (overlap match, same type)", ner),
        ("Kazakh in the Latin alphabet: entities found", latin_kazakh),
        ("People across an archive: one person, one entity", people_across_archive),
        ("Kazakh stemmer", kazakh_stemmer),
        ("Gazetteer", places),
        ("Analyzer speed (one core)", analyzer_speed),
    ]
    only = sys.argv[sys.argv.index("--only") + 1] if "--only" in sys.argv else None  # a title's words; no report
    out = ["## Language stages (bench/language.py)\n", machine()]
    for title, fn in sections:
        if only and only.lower() not in title.lower():
            continue
        start = time.perf_counter()
        body = fn()
        out.append(f"\n### {title}\n\n{body}")
        print(f"\n### {title} ({time.perf_counter() - start:.0f} s)\n\n{body}", flush=True)
    if only:
        return
    out.append("\n" + nereval.__doc__.split("\n\n", 1)[1])
    target = ROOT / "docs/bench/language.md"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text("".join(out), encoding="utf-8")
    print(f"\nwritten {target.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
