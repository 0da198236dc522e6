"""Search at scale: our lemma index (SQLite FTS5) against PostgreSQL's ``russian`` configuration.

    .venv/bin/python bench/search.py --sizes 100000 1000000

1. Analysis: every distinct real item of ``ru_news_scale_mix`` (47,480) is lemmatised ONCE; the
   replicas that make up 100,000 / 1,000,000 articles (same texts, new ids ``rep<k>-<id>``) reuse
   those terms.  Build rates are given with that reuse and as projected without it.
2. Per size: the articles are stored in a real SQLite archive, then indexed (FTS5); PostgreSQL's own
   ``to_tsvector('russian', title || ' ' || body)`` + GIN is built on the same texts in a temporary
   database; optionally our PostgreSQL backend (``--ours-pg-max``) and tantivy over our terms.
3. Latency of ~50 hand-written 1-, 2- and 3-word queries (bench/search_sets.py), each run
   ``--repeat`` times after a warm-up: p50 / p95 per query length.
4. Inflection recall on hand-written pairs (query form vs a document with only other forms), ours
   vs PostgreSQL ``russian``, and false matches on words sharing a stem.

``--filtered URL`` runs only the filtered-query section (bench/search_filtered.py) on an existing
archive and prints it; ``--queries URL`` times only the hand-written queries of step 3 on an existing
archive, SQLite or PostgreSQL (``sqlite:///path.db`` or a ``postgresql://`` URL).  Both print and write
no report; with ``--dump FILE`` they also write every query's hits and totals, so the code before and
after a change can be compared for identical results.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sqlite3
import statistics
import sys
import time
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import text

import search_filtered
from common import ROOT, header, real_items, timings, write_report
from newsdesk import lang as language
from newsdesk.records import Article
from newsdesk.search import Filters, engine, parse, search
from newsdesk.search.fastindex import FastIndex
from newsdesk.search.filters import condition
from newsdesk.search.plan import CAP, Plan
from newsdesk.search.terms import IndexedDoc, analyze_fields
from newsdesk.store import open_archive
from search_alt import PgRussian, TempDatabase
from search_sets import NEGATIVES, PAIRS, QUERIES

BATCH = 2000
PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
ARTICLE_SQL = (
    "INSERT INTO articles (id, kind, title, lead, body, published_at, source, lang, rubric, "
    "content_hash, revision) VALUES (?, 'article', ?, '', ?, ?, ?, 'ru', ?, '', 1)"
)


@dataclass
class Corpus:
    items: list[dict]
    docs: list[IndexedDoc]
    seconds: float
    tokens: int

    def rows(self, n: int):  # noqa: ANN201 - iterator of (index, id, item, doc)
        for i in range(n):
            k, j = divmod(i, len(self.items))
            item_id = self.items[j]["id"] if k == 0 else f"rep{k}-{self.items[j]['id']}"
            yield i, item_id, self.items[j], self.docs[j]


@dataclass
class Size:
    n: int
    figures: dict[str, float | int | str] = field(default_factory=dict)
    latency: dict[str, dict[int, list[float]]] = field(default_factory=dict)


def body(item: dict) -> str:
    return "\n\n".join(p for p in (item.get("text") or "").split("\n") if p.strip())


def published(item: dict) -> datetime | None:
    value = item.get("published_at")
    return datetime.fromisoformat(value).astimezone(UTC) if value else None


def analyse(items: list[dict]) -> Corpus:
    started = time.perf_counter()
    docs = [analyze_fields(it["id"], it.get("title") or "", "", body(it), "ru", published(it)) for it in items]
    seconds = time.perf_counter() - started
    return Corpus(items, docs, seconds, sum(len(d.title.split()) + len(d.body.split()) for d in docs))


def log(message: str) -> None:
    print(f"[{datetime.now():%H:%M:%S}] {message}", file=sys.stderr, flush=True)


# --- ours: SQLite FTS5 -------------------------------------------------------------------------------


def sqlite_archive(path: Path, corpus: Corpus, n: int) -> float:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    open_archive(str(path)).dispose()
    started = time.perf_counter()
    db = sqlite3.connect(path)
    db.execute("PRAGMA synchronous=OFF")
    rows = (
        (aid, it.get("title") or "", body(it), _sqlite_date(published(it)), it.get("source"), it.get("rubric"))
        for _, aid, it, _ in corpus.rows(n)
    )
    with db:
        db.executemany(ARTICLE_SQL, rows)
    db.close()
    return time.perf_counter() - started


def _sqlite_date(moment: datetime | None) -> str | None:
    return moment.replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds") if moment else None


def file_bytes(path: Path) -> int:
    db = sqlite3.connect(path)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    pages, size = db.execute("PRAGMA page_count").fetchone()[0], db.execute("PRAGMA page_size").fetchone()[0]
    db.close()
    return pages * size


def build_ours(url: str, corpus: Corpus, n: int) -> float:
    archive = open_archive(url)
    started = time.perf_counter()
    batch: list[IndexedDoc] = []
    for _, aid, _, doc in corpus.rows(n):
        batch.append(replace(doc, article_id=aid))
        if len(batch) == BATCH:
            with archive.engine.begin() as conn:
                engine.write(conn, batch)
            batch = []
    with archive.engine.begin() as conn:
        engine.write(conn, batch)
    seconds = time.perf_counter() - started
    archive.dispose()
    return seconds


def time_ours(url: str, repeat: int, uncapped: bool = False, index: FastIndex | None = None
              ) -> dict[str, dict[int, list[float]]]:
    """Latency of ranked top-20 ids alone ('rank'), of the full search() with count and snippets, and
    (``uncapped``) of ranking every match instead of the newest CAP.  'totals' holds match counts."""
    archive = open_archive(url)
    out: dict[str, dict[int, list[float]]] = {"rank": {}, "search": {}, "uncapped": {}, "totals": {}}
    with archive.engine.connect() as conn:
        backend = engine.backend(conn)
        for words, queries in QUERIES.items():
            for q in queries:
                plan = Plan(parse(q), condition(Filters()))
                rank = ((lambda p=plan: index.ranked(p, Filters())) if index is not None
                        else (lambda p=plan: backend.ranked(conn, p)))
                out["rank"].setdefault(words, []).extend(timings(rank, repeat))
                out["search"].setdefault(words, []).extend(timings(lambda q=q: search(conn, q, index=index), repeat))
                out["totals"].setdefault(words, []).append(search(conn, q, index=index).total)
                if uncapped:
                    every = replace(plan, cap=10**9)
                    out["uncapped"].setdefault(words, []).extend(
                        timings(lambda p=every: backend.ranked(conn, p), repeat))
    archive.dispose()
    return out



# --- PostgreSQL: russian baseline and our backend --------------------------------------------------


def run_pg_russian(db: TempDatabase, corpus: Corpus, size: Size, repeat: int) -> None:
    pg = PgRussian(db)
    load = pg.load((i, it.get("title") or "", body(it)) for i, _, it, _ in corpus.rows(size.n))
    log(f"pg russian: texts copied in {load:.0f} s; building tsvector + GIN")
    seconds, added = pg.build()
    size.figures.update(pg_load_s=load, pg_build_s=seconds, pg_bytes=added)
    log(f"pg russian: built in {seconds:.0f} s, {added / 1e9:.2f} GB")
    size.latency["pg russian ranked"] = _time_queries(pg.ranked, repeat)
    size.latency["pg russian unranked"] = _time_queries(pg.unranked, repeat)
    pg.conn.execute("DROP TABLE ru_docs")
    pg.close()


def _time_queries(fn, repeat: int) -> dict[int, list[float]]:  # noqa: ANN001
    return {words: [t for q in qs for t in timings(lambda q=q: fn(q), repeat)] for words, qs in QUERIES.items()}


def run_ours_pg(db: TempDatabase, corpus: Corpus, size: Size, repeat: int) -> None:
    archive = open_archive(db.url)
    with archive.engine.begin() as conn:
        conn.exec_driver_sql("TRUNCATE articles CASCADE; TRUNCATE search_docs")
    raw = archive.engine.raw_connection()
    with (
        raw.cursor() as cur,
        cur.copy(
            "COPY articles (id, kind, title, lead, body, published_at, source, lang, "
            "rubric, content_hash, revision) FROM STDIN"
        ) as copy,
    ):
        for _, aid, it, _ in corpus.rows(size.n):
            copy.write_row(
                (
                    aid,
                    "article",
                    it.get("title") or "",
                    "",
                    body(it),
                    published(it),
                    it.get("source"),
                    "ru",
                    it.get("rubric"),
                    "",
                    1,
                )
            )
    raw.commit()
    raw.close()
    archive.dispose()
    seconds = build_ours(db.url, corpus, size.n)
    with db.connect() as conn:
        conn.execute("VACUUM ANALYZE search_docs")
        added = conn.execute("SELECT pg_total_relation_size('search_docs')").fetchone()[0]
    size.figures.update(ours_pg_build_s=seconds, ours_pg_bytes=added)
    log(f"ours on PostgreSQL: built in {seconds:.0f} s, {added / 1e9:.2f} GB")
    timings = time_ours(db.url, repeat)
    size.latency["ours PostgreSQL rank"] = timings["rank"]
    size.latency["ours PostgreSQL search()"] = timings["search"]


# --- tantivy over our terms --------------------------------------------------------------------------


def run_tantivy(archive_path: Path, size: Size, repeat: int) -> None:
    """The product's tantivy engine: rebuilt from the archive's search_docs, then searched via search()."""
    index = FastIndex(Path(f"{archive_path}.search"))
    archive = open_archive(str(archive_path))
    started = time.perf_counter()
    with archive.engine.connect() as conn:
        index.rebuild(conn)
    seconds = time.perf_counter() - started
    archive.dispose()
    folder = sum(f.stat().st_size for f in index.path.rglob("*") if f.is_file())
    size.figures.update(tantivy_build_s=seconds, tantivy_bytes=folder)
    log(f"tantivy engine: rebuilt from the database in {seconds:.0f} s, {folder / 1e9:.2f} GB; timing queries")
    timings = time_ours(str(archive_path), repeat, index=index)
    size.latency["ours tantivy engine rank"] = timings["rank"]
    size.latency["ours tantivy engine search()"] = timings["search"]


# --- one size ----------------------------------------------------------------------------------------


def run_size(n: int, corpus: Corpus, args: argparse.Namespace, db: TempDatabase | None) -> Size:
    size = Size(n)
    path = args.workdir / f"search_{n}.db"
    log(f"{n:,}: storing articles in {path}")
    size.figures["store_s"] = sqlite_archive(path, corpus, n)
    before = file_bytes(path)
    log(f"{n:,}: indexing (FTS5)")
    size.figures["fts_build_s"] = build_ours(str(path), corpus, n)
    size.figures["fts_bytes"] = file_bytes(path) - before
    log(f"{n:,}: FTS5 built in {size.figures['fts_build_s']:.0f} s; timing queries")
    _time_fts5(path, size, args)
    if args.tantivy:
        run_tantivy(path, size, args.repeat)
    if db is not None:
        run_pg_russian(db, corpus, size, args.repeat)
        if n <= args.ours_pg_max:
            run_ours_pg(db, corpus, size, args.repeat)
    if not args.keep:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        shutil.rmtree(f"{path}.search", ignore_errors=True)
    return size


def _time_fts5(path: Path, size: Size, args: argparse.Namespace) -> None:
    """Query latencies of our FTS5 search on the archive at ``path``, into ``size``."""
    timings = time_ours(str(path), args.repeat, uncapped=args.uncapped)
    size.latency["ours FTS5 rank"] = timings["rank"]
    size.latency["ours FTS5 search()"] = timings["search"]
    if args.uncapped:
        size.latency["ours FTS5 rank, every match scored (no cap)"] = timings["uncapped"]
    _over_cap(size, timings)


def queries_only(url: str, args: argparse.Namespace) -> str:
    """--queries: p50 / p95 of the hand-written queries on an existing archive (any database)."""
    timed = time_ours(url, args.repeat)
    if args.dump:
        args.dump.write_text(json.dumps(results(url), ensure_ascii=False, indent=1), encoding="utf-8")
    lines = [header("python bench/search.py " + " ".join(sys.argv[1:])),
             "| archive | what | 1 word | 2 words | 3 words |", "|---|---|---|---|---|"]
    for name in ("rank", "search"):
        cells = [f"{pct(timed[name][w], 50):.1f} / {pct(timed[name][w], 95):.1f}" for w in sorted(timed[name])]
        lines.append(f"| {url.split(':', 1)[0]} | {name} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def results(url: str) -> dict[str, dict]:
    """Every hand-written query's ranked top 20 (ids, scores), its first page of search() and its totals."""
    archive = open_archive(url)
    out = {}
    with archive.engine.connect() as conn:
        backend = engine.backend(conn)
        for q in (q for qs in QUERIES.values() for q in qs):
            found = search(conn, q, limit=20)
            hits = [[h.id, h.score, [c[0] for c in h.copies]] for h in found.items]
            out[q] = {"rank": backend.ranked(conn, Plan(parse(q), condition(Filters()))), "total": found.total,
                      "matches": found.matches, "hits": hits}
    archive.dispose()
    return out


def rerun(path: Path, args: argparse.Namespace) -> Size:
    """Timings only, on an archive an earlier run kept (--keep): FTS5 again, and the tantivy engine."""
    archive = open_archive(str(path))
    with archive.engine.connect() as conn:
        n = int(conn.execute(text("SELECT count(*) FROM search_docs")).scalar() or 0)
    archive.dispose()
    size = Size(n)
    log(f"{n:,}: timing queries on {path}")
    _time_fts5(path, size, args)
    run_tantivy(path, size, args.repeat)
    return size


def _over_cap(size: Size, timings: dict[str, dict[int, list[float]]]) -> None:
    totals = [t for ts in timings["totals"].values() for t in ts]
    size.figures["over_cap"] = f"{sum(t > CAP for t in totals)} of {len(totals)}"
    size.figures["max_total"] = max(totals)


# --- inflection recall -------------------------------------------------------------------------------


def recall(db: TempDatabase | None, workdir: Path) -> dict[str, dict[str, tuple[int, int]]]:
    """engine → category → (found, asked); category 'negatives' counts false matches."""
    cases = [(cat, q, d) for cat, pairs in PAIRS.items() for q, d in pairs] + [
        ("negatives", q, d) for q, d in NEGATIVES
    ]
    articles = [
        Article(id=f"case{i}", title="", paragraphs=[d], lang=language.detect(d)) for i, (_, _, d) in enumerate(cases)
    ]
    out = {"ours (SQLite)": _recall_ours(str(workdir / "recall.db"), articles, cases)}
    if db is not None:
        out["ours (PostgreSQL)"] = _recall_ours(db.url, articles, cases)
        out["PostgreSQL russian"] = _recall_pg(db, articles, cases)
    (workdir / "recall.db").unlink(missing_ok=True)
    return out


def _recall_ours(url: str, articles: list[Article], cases: list) -> dict[str, tuple[int, int]]:  # noqa: ANN001
    if not url.startswith("postgresql"):
        Path(url).unlink(missing_ok=True)
    archive = open_archive(url)
    with archive.engine.begin() as conn:
        conn.exec_driver_sql("DELETE FROM articles")
    with archive.engine.begin() as conn:
        engine.remove(conn, list(conn.scalars(text("SELECT article_id FROM search_docs"))))
    from newsdesk.ingest import ingest
    from newsdesk.pipeline import Pipeline
    from newsdesk.search import SearchStage

    ingest(archive, [replace(a, nlp_version=None) for a in articles], Pipeline([SearchStage()]))
    with archive.engine.connect() as conn:
        found = [f"case{i}" in {h.id for h in search(conn, q, limit=100).items} for i, (_, q, _) in enumerate(cases)]
    archive.dispose()
    return _tally(cases, found)


def _recall_pg(db: TempDatabase, articles: list[Article], cases: list) -> dict[str, tuple[int, int]]:  # noqa: ANN001
    with db.connect() as conn:
        conn.execute(
            "CREATE TABLE cases (id text PRIMARY KEY, body text, tsv tsvector GENERATED ALWAYS AS "
            "(to_tsvector('russian', body)) STORED)"
        )
        for a in articles:
            conn.execute("INSERT INTO cases (id, body) VALUES (%s, %s)", (a.id, a.body))
        found = [
            bool(
                conn.execute(
                    "SELECT 1 FROM cases WHERE id = %s AND tsv @@ plainto_tsquery('russian', %s)", (f"case{i}", q)
                ).fetchone()
            )
            for i, (_, q, _) in enumerate(cases)
        ]
        conn.execute("DROP TABLE cases")
    return _tally(cases, found)


def _tally(cases: list, found: list[bool]) -> dict[str, tuple[int, int]]:  # noqa: ANN001
    out: dict[str, tuple[int, int]] = {}
    for (cat, _, _), hit in zip(cases, found, strict=True):
        got, asked = out.get(cat, (0, 0))
        out[cat] = (got + hit, asked + 1)
    return out


# --- report ------------------------------------------------------------------------------------------


def pct(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1] if len(values) > 1 else values[0]


def report(corpus: Corpus, sizes: list[Size], recalls: dict, command: str) -> str:
    lines = [
        "## Search",
        "",
        header(command),
        f"Texts: {len(corpus.items):,} real items of `ru_news_scale_mix` (Russian news articles, Telegram posts, "
        "feed leads), replicated with new ids (`rep<k>-<id>`) to reach each size. Each distinct text is "
        f"lemmatised once ({corpus.seconds:.0f} s, {len(corpus.items) / corpus.seconds:,.0f} docs/s, "
        f"{corpus.tokens / corpus.seconds:,.0f} tokens/s) and its terms reused for the replicas.",
        "",
        "### Build",
        "",
        "| articles | engine | build s | docs/s (with reuse) | docs/s (if every doc were lemmatised) | size GB |",
        "|---:|---|---:|---:|---:|---:|",
    ]
    lemma_rate = len(corpus.items) / corpus.seconds
    if not corpus.items:  # --rerun: nothing was lemmatised, the index is read back from the archive
        lines[3] = "Timings on an archive kept by an earlier run; builds below read stored terms (no analysis)."
    for s in sizes:
        f = s.figures
        for name, key, size_key, analysed in (
            ("ours, SQLite FTS5", "fts_build_s", "fts_bytes", True),
            ("ours, PostgreSQL tsvector", "ours_pg_build_s", "ours_pg_bytes", True),
            ("ours, tantivy engine (rebuilt from the stored terms)", "tantivy_build_s", "tantivy_bytes", False),
            ("PostgreSQL russian", "pg_build_s", "pg_bytes", False),
        ):
            if key not in f:
                continue
            analysed = analysed and bool(corpus.items)
            secs = float(f[key]) + (corpus.seconds if analysed else 0)
            full = (float(f[key]) + s.n / lemma_rate) if analysed else secs
            lines.append(
                f"| {s.n:,} | {name} | {secs:.0f} | {s.n / secs:,.0f} | {s.n / full:,.0f} | "
                f"{int(f[size_key]) / 1e9:.2f} |"
            )
    lines += [
        "",
        "### Query latency, ms (p50 / p95 over all queries × repeats; 1-, 2-, 3-word queries)",
        "",
        "| articles | engine | 1 word | 2 words | 3 words |",
        "|---:|---|---|---|---|",
    ]
    for s in sizes:
        for name, by_words in s.latency.items():
            cells = [f"{pct(by_words[w], 50):.1f} / {pct(by_words[w], 95):.1f}" for w in sorted(by_words)]
            lines.append(f"| {s.n:,} | {name} | " + " | ".join(cells) + " |")
    for s in sizes:
        if "over_cap" in s.figures:
            lines.append(f"\nAt {s.n:,} articles, {s.figures['over_cap']} queries match more than {CAP:,} articles "
                         f"(most: {int(s.figures['max_total']):,}); FTS5 ranks the newest {CAP:,} matches of those.")
    if not recalls:
        return "\n".join(lines)
    lines += [
        "",
        "### Inflection recall (query form vs a document containing only other forms)",
        "",
        "| engine | " + " | ".join(recalls[next(iter(recalls))]) + " |",
        "|---|" + "---:|" * len(recalls[next(iter(recalls))]),
    ]
    for name, cats in recalls.items():
        lines.append(f"| {name} | " + " | ".join(f"{g}/{a}" for g, a in cats.values()) + " |")
    lines += ["", "(`negatives` = false matches on a different word sharing the stem: lower is better.)", ""]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--repeat", type=int, default=5, help="timed runs of each query after a warm-up")
    parser.add_argument("--workdir", type=Path, default=ROOT / "bench" / "out" / "search")
    parser.add_argument("--pg", default=PG_ADMIN, help="admin URL of the local PostgreSQL ('' to skip)")
    parser.add_argument("--ours-pg-max", type=int, default=100_000, help="largest size for our PostgreSQL backend")
    parser.add_argument("--tantivy", action=argparse.BooleanOptionalAction, default=True)
    parser.add_argument("--keep", action="store_true", help="keep the SQLite archives")
    parser.add_argument("--uncapped", action=argparse.BooleanOptionalAction, default=True,
                        help="also time FTS5 ranking every match (what the candidate cap avoids)")
    parser.add_argument("--items", type=int, default=0, help="use only the first N real items (quick trials)")
    parser.add_argument("--rerun", type=Path, help="only time queries on an archive kept by an earlier --keep run")
    parser.add_argument("--filtered", metavar="URL", help="only time queries × filters on this archive "
                        "(bench/search_filtered.py; prints, writes no report)")
    parser.add_argument("--queries", metavar="URL", help="only time the hand-written queries on this archive, "
                        "SQLite or PostgreSQL (prints, writes no report)")
    parser.add_argument("--dump", type=Path, help="with --filtered or --queries: write every query's hits and "
                        "totals here (JSON), to compare two runs")
    args = parser.parse_args()
    if args.filtered:
        dump = ["--dump", str(args.dump)] if args.dump else []
        search_filtered.main([args.filtered, "--repeat", str(args.repeat), *dump])
        return
    if args.queries:
        print(queries_only(args.queries, args))
        return
    args.workdir.mkdir(parents=True, exist_ok=True)
    command = "python bench/search.py " + " ".join(sys.argv[1:])
    if args.rerun:
        text_ = report(Corpus([], [], 1.0, 0), [rerun(args.rerun, args)], {}, command)
        print(text_)
        return
    log("lemmatising the distinct texts")
    corpus = analyse(real_items()[: args.items or None])
    log(f"{len(corpus.items):,} texts in {corpus.seconds:.0f} s")
    db = TempDatabase(args.pg) if args.pg else None
    try:
        sizes = [run_size(n, corpus, args, db) for n in args.sizes]
        recalls = recall(db, args.workdir)
    finally:
        if db is not None:
            db.drop()
    text = report(corpus, sizes, recalls, command)
    print(text)
    log(f"written to {write_report('search', text)}")


if __name__ == "__main__":
    main()
