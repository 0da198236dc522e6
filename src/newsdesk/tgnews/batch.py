"""The contest's batch modes: one directory of pages in, one JSON document out.

    languages   [{"lang_code": "en", "articles": ["a.html", …]}, …]      every page, ``other`` included
    news        {"articles": [...]}                                      news in en, ru, kk
    categories  [{"category": "society", "articles": [...]}, …]          the seven categories, news only
    threads     [{"title": "…", "articles": [...]}, …]                   news only, by language, ranked

Article entries are bare file names.  Nothing is kept between runs: every call reads, analyses and
groups the pages afresh.  Large directories are analysed by one process per core (forked after the
models are loaded, so they share them); each language is then threaded in its own process.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from multiprocessing import get_context
from pathlib import Path
from typing import Any

from newsdesk.errors import InputError
from newsdesk.records import Article
from newsdesk.similarity import TextLemmas, analyse
from newsdesk.sources.decode import decode
from newsdesk.tgnews import analysis
from newsdesk.tgnews.page import parse
from newsdesk.tgnews.stories import Story, stories
from newsdesk.threads import published

log = logging.getLogger(__name__)

MODES = ("languages", "news", "categories", "threads")
CHUNK = 250  # pages per task of a worker process
PARALLEL_FROM = 2 * CHUNK  # fewer pages are analysed in this process


@dataclass(frozen=True, slots=True)
class Options:
    rubric: bool = True  # run the rubric stage (news and categories)
    lemmas: bool = False  # analyse news for threading


@dataclass(frozen=True, slots=True)
class Page:
    """What the modes need of one analysed page: a slim article (no body) and, for threads, its lemmas."""

    article: Article
    lemmas: TextLemmas | None = None


def run(mode: str, root: Path, workers: int | None = None) -> Any:
    """The JSON document of ``mode`` for the pages under ``root``."""
    if mode not in MODES:
        raise ValueError(f"unknown mode {mode!r}; choose one of {', '.join(MODES)}")
    paths = page_files(root)
    options = Options(rubric=mode != "languages", lemmas=mode == "threads")
    workers = _workers(workers, len(paths))
    chunks = [paths[i:i + CHUNK] for i in range(0, len(paths), CHUNK)]  # a pipeline (and its caches) each
    if workers == 1:
        return _MODES[mode]([page for chunk in chunks for page in analyse_pages(chunk, options)], None)
    analysis.warm(options.rubric, options.lemmas)  # loaded once, then shared by the forked workers
    with ProcessPoolExecutor(workers, mp_context=get_context("fork")) as pool:
        pages = [page for done in pool.map(analyse_pages, chunks, [options] * len(chunks)) for page in done]
        log.info("%s: %d pages analysed by %d processes", root, len(pages), workers)
        return _MODES[mode](pages, pool)


def page_files(root: Path) -> list[Path]:
    """Every ``*.html`` under ``root``, sorted; a file name seen twice keeps its first file."""
    found: dict[str, Path] = {}
    for path in _html_files(root):
        if path.name in found:
            log.warning("%s: a page named %s was already read; skipped", path, path.name)
        else:
            found[path.name] = path
    return list(found.values())


def _html_files(root: Path) -> Iterator[Path]:
    if root.is_file():
        yield root
        return
    yield from sorted(p for p in root.rglob("*") if p.suffix.lower() == ".html" and p.is_file())


def _workers(wanted: int | None, pages: int) -> int:
    if pages < PARALLEL_FROM:
        return 1
    return max(1, wanted if wanted is not None else (os.cpu_count() or 1))


def analyse_pages(paths: Sequence[Path], options: Options) -> list[Page]:
    """Read, run the protocol's stages on, and (for threads) analyse each page."""
    enrich = analysis.pipeline(options.rubric).enrich
    return [_analysed(path, enrich, options) for path in paths]


def _analysed(path: Path, enrich: Callable[[Article], None], options: Options) -> Page:
    try:
        page = decode(path.read_bytes(), path)
    except InputError as exc:  # a binary file: still a page, of no language
        log.warning("%s", exc)
        page = ""
    article = parse(page, path.name)
    if article.published_at is None:
        article.fetched_at = datetime.fromtimestamp(path.stat().st_mtime, UTC)
    enrich(article)
    lemmas = analyse(article) if options.lemmas and analysis.is_news(article) else None
    slim = Article(id=article.id, title=article.title, source=article.source, published_at=article.published_at,
                   fetched_at=article.fetched_at, lang=article.lang, rubric=article.rubric)
    return Page(slim, lemmas)


# the modes


def languages(pages: list[Page], _pool: Executor | None) -> list[dict[str, Any]]:
    groups: dict[str, list[str]] = {code: [] for code in analysis.LANG_ORDER}
    for page in pages:
        groups[analysis.lang_code(page.article)].append(_name(page))
    return [{"lang_code": code, "articles": names} for code, names in groups.items() if names]


def news(pages: list[Page], _pool: Executor | None) -> dict[str, Any]:
    return {"articles": [_name(p) for p in pages if analysis.is_news(p.article)]}


def categories(pages: list[Page], _pool: Executor | None) -> list[dict[str, Any]]:
    groups: dict[str, list[str]] = {c: [] for c in analysis.CATEGORIES}
    for page in pages:
        if analysis.is_news(page.article):
            groups[analysis.category(page.article)].append(_name(page))
    return [{"category": c, "articles": names} for c, names in groups.items()]


def threads(pages: list[Page], pool: Executor | None) -> list[dict[str, Any]]:
    chosen = [p for p in pages if analysis.is_news(p.article)]
    if not chosen:
        return []
    clock = max(published(p.article, None) for p in chosen)  # one ranking clock for every language
    groups = [[p for p in chosen if p.article.lang == code] for code in analysis.CONTEST_LANGS]
    groups = sorted((g for g in groups if g), key=len, reverse=True)
    found = [s for done in (pool.map if pool else map)(_stories, groups, [clock] * len(groups)) for s in done]
    found.sort(key=lambda s: -s.score)
    return [{"title": s.title, "articles": list(s.article_ids)} for s in found]


def _stories(group: list[Page], clock: datetime) -> list[Story]:
    lemmas = {p.article.id or "": p.lemmas for p in group if p.lemmas is not None}
    return stories([p.article for p in group], lemmas, now=clock)


def _name(page: Page) -> str:
    return page.article.id or ""


_MODES: dict[str, Callable[[list[Page], Executor | None], Any]] = {
    "languages": languages, "news": news, "categories": categories, "threads": threads,
}
