"""Search over our lemmas: the same hits on SQLite FTS5 and PostgreSQL, Russian and Kazakh word forms,
phrases, filters, highlighted snippets, malformed queries, reindexing after an analyzer change."""

from __future__ import annotations

import dataclasses
import json
import os
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Connection, TextClause, bindparam, text
from typer.testing import CliRunner

from newsdesk import analyze
from newsdesk.errors import QueryError
from newsdesk.ingest import ingest
from newsdesk.pipeline import Pipeline
from newsdesk.records import Article
from newsdesk.search import Filters, SearchStage, parse, postgres, reindex, remove, search, stale
from newsdesk.search.fastindex import FastIndex, for_settings
from newsdesk.search.filters import condition
from newsdesk.search.plan import Plan
from newsdesk.search.snippets import snippet
from newsdesk.store import Archive, open_archive

PG_ADMIN = os.environ.get("NEWSDESK_TEST_PG", "postgresql://postgres@127.0.0.1:5432/postgres")


def day(d: int) -> datetime:
    return datetime(2024, 4, d, 9, 0, tzinfo=UTC)


ARTICLES = [
    Article(id="ru-pension", title="Пенсионные взносы вырастут с 2025 года", lead="Размер пенсии пересчитают.",
            paragraphs=["ЕНПФ сообщил о новых правилах.", "Получатели довольны пенсией и индексацией."],
            source="tengrinews", published_at=day(12), lang="ru", rubric="economy", editor_tags=["Пенсии"]),
    Article(id="ru-pensioner", title="Пенсионер из Караганды выиграл турнир", lead="",
            paragraphs=["Пенсионер стал чемпионом области по шахматам."],
            source="kazinform", published_at=day(13), lang="ru", rubric="sports"),
    Article(id="ru-employers", title="Работодатели области перечислили взносы",
            lead="О пенсионных взносах работодателей рассказали в министерстве труда.",
            paragraphs=["Сотни человек пришли на встречу. Люди задавали вопросы."],
            source="tengrinews", published_at=day(10), lang="ru", rubric="economy"),
    Article(id="ru-scattered", title="Взносы и пенсионные накопления",
            paragraphs=["Пенсионные фонды отчитались. Взносы выросли."],
            source="zakon", published_at=day(11), lang="ru", rubric="economy"),
    Article(id="kk-almaty", title="Алматыда жаңа мектеп ашылды",
            paragraphs=["Алматының әкімі мектепке барып, ұстаздармен кездесті."],
            source="kazinform", published_at=day(14), lang="kk", rubric="society", editor_tags=["Алматы"]),
    Article(id="kk-astana", title="Астанада форум өтті",
            paragraphs=["Қазақстанның экономикасы туралы баяндама жасалды."],
            source="kazinform", published_at=day(9), lang="kk", rubric="economy"),
    Article(id="ru-html", title="Налоги & <b>сборы</b>",
            paragraphs=["Компания <b>«Рога & копыта»</b> заплатила налоги за 2023 год."],
            source="zakon", published_at=day(8), lang="ru", rubric="economy"),
]


def _fresh(article: Article) -> Article:
    return Article(**{f: getattr(article, f) for f in article.__slots__})  # type: ignore[attr-defined]


def _load(archive: Archive) -> Archive:
    ingest(archive, [_fresh(a) for a in ARTICLES], Pipeline([SearchStage()]))
    return archive


@pytest.fixture(scope="module")
def pg_database() -> Iterator[str]:
    psycopg = pytest.importorskip("psycopg")
    name = f"newsdesk_test_search_{uuid.uuid4().hex[:8]}"
    try:
        with psycopg.connect(PG_ADMIN, autocommit=True, connect_timeout=3) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
    except psycopg.OperationalError as exc:
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL is not reachable at {PG_ADMIN}: {exc}")
        pytest.skip(f"PostgreSQL is not reachable at {PG_ADMIN}")
    yield PG_ADMIN.rsplit("/", 1)[0] + "/" + name
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="module")
def sqlite_archive(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Archive]:
    archive = _load(open_archive(str(tmp_path_factory.mktemp("search") / "archive.db")))
    yield archive
    archive.dispose()


@pytest.fixture(scope="module")
def pg_archive(pg_database: str) -> Iterator[Archive]:
    archive = _load(open_archive(pg_database))
    yield archive
    archive.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def loaded(request: pytest.FixtureRequest) -> Archive:
    return request.getfixturevalue(f"{'pg' if request.param == 'postgresql' else 'sqlite'}_archive")


def ids(archive: Archive, query: str, filters: Filters | None = None, **kw: object) -> list[str]:
    with archive.engine.connect() as conn:
        return [h.id for h in search(conn, query, filters, limit=100, **kw).items]  # type: ignore[arg-type]


# --- word forms ---------------------------------------------------------------------------------------

@pytest.mark.parametrize(("query", "found", "not_found"), [
    ("пенсия", {"ru-pension"}, {"ru-pensioner"}),  # пенсии, пенсией — not пенсионер
    ("пенсией", {"ru-pension"}, {"ru-pensioner"}),
    ("пенсионер", {"ru-pensioner"}, {"ru-pension"}),
    ("люди", {"ru-employers"}, set()),  # «человек» and «люди» are one lemma
    ("человека", {"ru-employers"}, set()),
    ("работодатель", {"ru-employers"}, set()),
    ("Алматы", {"kk-almaty"}, set()),  # Алматыда, Алматының
    ("Алматыда", {"kk-almaty"}, set()),
    ("Қазақстан", {"kk-astana"}, set()),
    ("Қазақстанның", {"kk-astana"}, set()),
    ("налог", {"ru-html"}, set()),
    ("2023", {"ru-html"}, set()),
])
def test_any_form_finds_the_others(loaded: Archive, query: str, found: set[str], not_found: set[str]) -> None:
    hits = set(ids(loaded, query))
    assert found <= hits
    assert not (not_found & hits)


def test_all_words_must_match(loaded: Archive) -> None:
    assert ids(loaded, "пенсионные взносы работодателей") == ["ru-employers"]
    assert ids(loaded, "пенсия шахматы") == []


# --- operators: OR, -word, -"phrase", NOT word ------------------------------------------------------------

@pytest.mark.parametrize(("query", "expected"), [
    ("взносы", {"ru-pension", "ru-employers", "ru-scattered"}),
    ("взносы -фонд", {"ru-pension", "ru-employers"}),  # ru-scattered: «Пенсионные фонды отчитались»
    ("взносы -фондов", {"ru-pension", "ru-employers"}),  # an excluded word in any form
    ("взносы NOT фонд", {"ru-pension", "ru-employers"}),
    ('взносы -"пенсионные фонды"', {"ru-pension", "ru-employers"}),
    ('взносы -«пенсионных взносов»', {"ru-scattered"}),  # a phrase in any inflection
    ('взносы NOT "пенсионные взносы"', {"ru-scattered"}),
    ("взносы -фонд -пенсия", {"ru-employers"}),
    ("пенсия OR налог", {"ru-pension", "ru-html"}),
    ("пенсия OR налог OR шахматы", {"ru-pension", "ru-html", "ru-pensioner"}),
    ('"пенсионные взносы" OR налоги', {"ru-pension", "ru-employers", "ru-html"}),
    ("пенсия OR налог -2023", {"ru-pension"}),
    ("взносы OR налоги области", {"ru-employers"}),  # (взносы OR налоги) AND области
    ("пенсия или налог", set()),  # lower-case «или», «or» are words, not OR
    ("пенсия or налог", set()),
    ("Алма-Ата", set()),  # a hyphen inside a word excludes nothing
    ("Алматы OR Астана", {"kk-almaty", "kk-astana"}),
    ("Қазақстанның OR мектепке", {"kk-almaty", "kk-astana"}),
    ("мектеп -Алматыда", set()),
    ("мектеп NOT Астана", {"kk-almaty"}),
    ("OR пенсия OR", {"ru-pension"}),  # OR with nothing on a side is ignored
    ("пенсия - фонд", set()),  # a lone minus is not an operator: «фонд» must match
])
def test_operators(loaded: Archive, query: str, expected: set[str]) -> None:
    assert set(ids(loaded, query)) == expected
    with loaded.engine.connect() as conn:
        assert search(conn, query).total == len(expected)


@pytest.mark.parametrize("query", ["-фонд", "NOT пенсия", '-"пенсионные взносы"', "-пенсия NOT налог",
                                   "-Алматы", " ".join(f"слово{i}" for i in range(13)),
                                   "пенсия " + " OR ".join(f"налог{i}" for i in range(12)),
                                   '"' + " ".join(f"слово{i}" for i in range(17)) + '"'])
def test_queries_that_cannot_be_searched_as_asked_are_refused(loaded: Archive, query: str) -> None:
    with loaded.engine.connect() as conn, pytest.raises(QueryError) as refused:
        search(conn, query)
    assert refused.value.field == "q" and any(says in refused.value.reason for says in (
        "only excludes", "at most 12 can be searched together", "17 words; at most 16 can be matched as a phrase"))


def test_the_clause_limit_counts_what_is_searched() -> None:
    assert parse(" ".join(f"слово{i}" for i in range(12))).problem is None
    assert parse("в и на " + " ".join(f"слово{i}" for i in range(12))).problem is None  # function words dropped
    assert parse("пенсия " * 100).size == 1  # repeats count once
    assert parse('"' + " ".join(f"слово{i}" for i in range(12)) + '" налог').size == 2  # a phrase counts once
    assert "13 words and phrases" in (parse(" ".join(f"слово{i}" for i in range(13))).problem or "")
    assert parse('"' + " ".join(f"слово{i}" for i in range(16)) + '"').problem is None


def test_excluded_words_are_never_highlighted() -> None:
    query = parse("пенсия -фонд")
    assert query.terms == {"пенсия"} and query.excluded
    assert snippet(["Пенсионные фонды и пенсия."], "ru", query.terms) == "Пенсионные фонды и <mark>пенсия</mark>."
    assert parse("пенсия OR фонд").terms >= {"пенсия", "фонд"}


@pytest.mark.parametrize(("query", "fts5", "tsquery"), [
    ("пенсия -фонд", '("пенсия") NOT ("фонд")', "'пенсия' & !'фонд'"),
    ("пенсия OR налог", '("пенсия" OR "налог")', "('пенсия' | 'налог')"),
    ('пенсия NOT "пенсионный фонд"', '("пенсия") NOT ("пенсионный фонд")', "'пенсия' & !(('пенсионный' <-> 'фонд'))"),
])
def test_operator_expressions(query: str, fts5: str, tsquery: str) -> None:
    assert (parse(query).fts5(), parse(query).tsquery()) == (fts5, tsquery)


@pytest.mark.parametrize("query", ['"пенсионные взносы"', "«пенсионных взносов»", '"пенсионным взносам"'])
def test_phrase_in_any_inflection(loaded: Archive, query: str) -> None:
    assert set(ids(loaded, query)) == {"ru-pension", "ru-employers"}  # not the scattered words


def test_phrase_never_spans_title_and_lead(loaded: Archive) -> None:
    assert ids(loaded, '"года размер"') == []  # title ends «…2025 года», lead starts «Размер…»
    assert ids(loaded, '"размер пенсии"') == ["ru-pension"]


def test_title_match_ranks_first(loaded: Archive) -> None:
    assert ids(loaded, "область") == ["ru-employers", "ru-pensioner"]  # in a title, in a body


def test_recency_favours_the_newer(loaded: Archive) -> None:
    with loaded.engine.connect() as conn:
        plain = search(conn, "экономика")
        recent = search(conn, "экономика", recency=True)
    assert [h.id for h in plain.items] == [h.id for h in recent.items] == ["kk-astana"]
    assert 0 < recent.items[0].score < plain.items[0].score


def test_newest_first_orders_by_publication_time(loaded: Archive) -> None:
    best = ids(loaded, "взносы")
    assert ids(loaded, "взносы", newest=True) == ["ru-pension", "ru-scattered", "ru-employers"]  # 12, 11, 10 April
    assert sorted(best) == sorted(ids(loaded, "взносы", newest=True))


def test_newest_first_puts_the_undated_last_and_folds_copies(archive: Archive) -> None:
    undated = Article(id="ru-undated", title="Взносы без даты", paragraphs=["Взносы."], lang="ru", source="x")
    ingest(archive, [_fresh(a) for a in [*ARTICLES, undated]], Pipeline([SearchStage()]))
    assert ids(archive, "взносы", newest=True) == ["ru-pension", "ru-scattered", "ru-employers", "ru-undated"]
    mark_copy(archive, "ru-pension", "ru-employers")  # a newer reprint: the story stands where its copy does
    one, totals = walk(archive, "взносы", 1, newest=True)
    assert [i for i, _ in one] == ["ru-employers", "ru-scattered", "ru-undated"] and totals == {3}
    assert walk(archive, "взносы", 100, newest=True)[0] == one


# --- filters --------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("filters", "expected"), [
    (Filters(source="tengrinews"), {"ru-pension", "ru-employers"}),
    (Filters(rubric="sports"), set()),
    (Filters(lang="ru"), {"ru-pension", "ru-employers", "ru-scattered"}),
    (Filters(lang="kk"), set()),
    (Filters(tag="Пенсии"), {"ru-pension"}),
    (Filters(tag="pensii"), {"ru-pension"}),
    (Filters(since=day(11)), {"ru-pension", "ru-scattered"}),
    (Filters(until=day(11)), {"ru-employers"}),
    (Filters(since=day(10), until=day(12), source="tengrinews"), {"ru-employers"}),
])
def test_filters(loaded: Archive, filters: Filters, expected: set[str]) -> None:
    assert set(ids(loaded, "взносы", filters)) == expected


def test_total_and_paging(loaded: Archive) -> None:
    with loaded.engine.connect() as conn:
        first, second = search(conn, "взносы", limit=2), search(conn, "взносы", limit=2, offset=2)
    assert first.total == second.total == 3
    assert len(first.items) == 2 and len(second.items) == 1
    assert not {h.id for h in first.items} & {h.id for h in second.items}


# --- both backends, the same hits ---------------------------------------------------------------------

PARITY = ["пенсия", "взносы", '"пенсионные взносы"', "Алматы", "люди", "экономика", "налоги 2023",
          "мектеп", "пенсия OR взносы", "года", "Қазақстанның экономикасы", "взносы -фонд",
          'взносы -"пенсионные фонды"', "пенсия OR налог -2023", "Алматы OR Астана", "мектеп NOT Астана"]


@pytest.mark.postgres
def test_sqlite_and_postgresql_give_the_same_hits(sqlite_archive: Archive, pg_archive: Archive) -> None:
    for query in PARITY:
        with sqlite_archive.engine.connect() as a, pg_archive.engine.connect() as b:
            left, right = search(a, query, limit=100), search(b, query, limit=100)
        assert {h.id for h in left.items} == {h.id for h in right.items}, query
        assert left.total == right.total, query
        assert [h.snippet for h in sorted(left.items, key=lambda h: h.id)] == \
               [h.snippet for h in sorted(right.items, key=lambda h: h.id)], query



PARITY_FILTERS = [Filters(lang="ru"), Filters(lang="kk"), Filters(source="tengrinews"), Filters(rubric="economy"),
                  Filters(tag="Пенсии"), Filters(since=day(11)), Filters(since=day(10), until=day(13), lang="ru")]


@pytest.mark.postgres
@pytest.mark.parametrize("filters", PARITY_FILTERS, ids=repr)
def test_filtered_operator_queries_give_the_same_hits(sqlite_archive: Archive, pg_archive: Archive,
                                                     filters: Filters) -> None:
    for query in PARITY:
        with sqlite_archive.engine.connect() as a, pg_archive.engine.connect() as b:
            left, right = search(a, query, filters, limit=100), search(b, query, filters, limit=100)
        assert {h.id for h in left.items} == {h.id for h in right.items}, query
        assert (left.total, left.matches) == (right.total, right.matches), query


@pytest.mark.postgres
@pytest.mark.parametrize(("query", "filters"), [
    ("взносы", None), ("года", None), ('"пенсионные взносы"', None), ("пенсия OR взносы -фонд", None),
    ("взносы", Filters(lang="ru")), ("взносы", Filters(tag="Пенсии")), ("взносы", Filters(since=day(10))),
])
def test_postgresql_reads_matches_from_the_gin_index(pg_archive: Archive, monkeypatch: pytest.MonkeyPatch,
                                                     query: str, filters: Filters | None) -> None:
    """Ranking, counting and folding take the match set from the GIN index, never by testing ``tsv @@`` on rows
    read another way (each such test detoasts a tsvector: 100–350 ms at 10,000 articles).  The table here is
    tiny, so the planner left alone would scan it: a plan shape is asserted, not a timing."""
    plans: list[str] = []
    run = postgres.gin_only

    def explained(conn: Connection, stmt: TextClause, params: dict[str, Any]) -> postgres.Rows:
        values = {**stmt.compile().params, **params}  # the filter's dates are bound to the statement
        plans.append("\n".join(r[0] for r in run(conn, text(f"EXPLAIN {stmt.text}"), values)))
        return run(conn, stmt, params)

    monkeypatch.setattr(postgres, "gin_only", explained)
    with pg_archive.engine.connect() as conn:
        assert search(conn, query, filters).total
        assert conn.execute(text("SHOW enable_seqscan")).scalar() == "on"  # restored for what follows
    assert len(plans) == 3  # ranked, count, folded
    for plan in plans:
        first = plan.split("CTE Scan", 1)[0]  # the CTE m, planned before anything joins it
        assert "Bitmap Index Scan on ix_search_docs_tsv" in first, plan
        assert "Seq Scan on search_docs" not in plan, plan
        assert "search_docs_pkey" not in plan, plan  # no walk by docid testing every row


@pytest.mark.postgres
def test_postgresql_ranks_only_the_newest_cap_matches(pg_archive: Archive) -> None:
    """The candidate cap still holds with the match set read first: the newest ``cap`` matches by docid."""
    plan = Plan(parse("взносы"), condition(Filters()), limit=10)
    with pg_archive.engine.connect() as conn:
        every = postgres.ranked(conn, plan)
        newest = conn.execute(text("SELECT article_id FROM search_docs WHERE article_id IN :ids ORDER BY docid DESC")
                              .bindparams(bindparam("ids", expanding=True)), {"ids": [i for i, _ in every]}).scalars()
        capped = postgres.ranked(conn, dataclasses.replace(plan, cap=2))
    assert len(every) == 3
    assert {i for i, _ in capped} == set(list(newest)[:2])
    assert capped == [hit for hit in every if hit[0] in {i for i, _ in capped}]

# --- snippets -------------------------------------------------------------------------------------------

def test_highlights_land_on_surface_forms(loaded: Archive) -> None:
    with loaded.engine.connect() as conn:
        hit = search(conn, "пенсия").items[0]
        kk = search(conn, "Алматы").items[0]
    assert "<mark>пенсии</mark>" in hit.snippet
    assert kk.title_highlighted == "<mark>Алматыда</mark> жаңа мектеп ашылды"
    assert "<mark>Алматының</mark>" in kk.snippet


def test_snippets_and_titles_are_escaped(loaded: Archive) -> None:
    with loaded.engine.connect() as conn:
        hit = search(conn, "налоги").items[0]
    assert hit.title_highlighted == "<mark>Налоги</mark> &amp; &lt;b&gt;сборы&lt;/b&gt;"
    assert "&lt;b&gt;«Рога &amp; копыта»&lt;/b&gt;" in hit.snippet
    assert "<b>" not in hit.snippet


@pytest.mark.parametrize(("paragraphs", "query", "expected"), [
    (["Сотни человек вышли. Люди несли плакаты."], "люди",
     "Сотни <mark>человек</mark> вышли. <mark>Люди</mark> несли плакаты."),
    (["Первый абзац без совпадений.", "Во втором — пенсией."], "пенсия", "Во втором — <mark>пенсией</mark>."),
    (["Без совпадений."], "пенсия", "Без совпадений."),
    (["слово " * 100 + "пенсиями " + "конец " * 100], "пенсия", None),
])
def test_snippet_window(paragraphs: list[str], query: str, expected: str | None) -> None:
    text = snippet(paragraphs, "ru", parse(query).terms)
    if expected is not None:
        assert text == expected
    else:
        assert text.startswith("…") and text.endswith("…") and "<mark>пенсиями</mark>" in text
        assert len(text) < 300


# --- malformed input -----------------------------------------------------------------------------------

MALFORMED = ["", "   ", "!!!", '"', '""', '"пенсия', 'пенсия"', '"пенсионные взносы', "*", "пенс*",
             "NEAR(пенсия взносы)", "пенсия:*", "title:пенсия", "(((", ")", "AND OR NOT", "пенсия AND",
             "- пенсия", "^пенсия", "😀",
             "пенсия 😀", "&amp; &lt;b&gt;", "\x00\x01", "'; DROP TABLE articles; --", "Алматы Almaty Алматыда",
             "x" * 1_000_000, "пенсия " * 150_000, "\\", "'пенсия'", "пенсия' | 'взносы"]


@pytest.mark.parametrize("query", MALFORMED, ids=lambda q: repr(q[:20]))
def test_malformed_queries_never_crash(loaded: Archive, query: str) -> None:
    with loaded.engine.connect() as conn:
        result = search(conn, query)
    assert result.total >= len(result.items) >= 0


def test_malformed_queries_are_read_sensibly(loaded: Archive) -> None:
    assert ids(loaded, '"пенсия') == ids(loaded, "пенсия") == ["ru-pension"]
    assert ids(loaded, "NEAR(пенсия)") == ids(loaded, "пенсия AND взносы OR") == ["ru-pension"]
    assert ids(loaded, "пенсия 😀") == ["ru-pension"]
    assert ids(loaded, "пенсия " * 150_000) == ["ru-pension"]
    assert ids(loaded, "") == ids(loaded, "😀") == ids(loaded, "***") == []


def test_query_expressions_are_quoted() -> None:
    query = parse('NEAR(пенсия) "пенсионные взносы" Алматы')
    fts5, tsquery = query.fts5(), query.tsquery()
    assert fts5.startswith('"пенсия" AND (') and fts5.endswith(') AND "алматы"')
    assert '"пенсионный взнос" OR ' in fts5
    assert tsquery.startswith("'пенсия' & ((") and "('пенсионный' <-> 'взнос') | " in tsquery
    assert "в" not in parse("в Казахстане").terms  # a function word is dropped when others remain
    assert parse("в").terms == {"в"}
    assert not parse("*:()^") and not parse("AND OR")


# --- index maintenance ---------------------------------------------------------------------------------

def test_reindex_after_analyzer_version_change(archive: Archive, monkeypatch: pytest.MonkeyPatch) -> None:
    ingest(archive, [_fresh(a) for a in ARTICLES], Pipeline([]))  # stored, never indexed
    with archive.engine.connect() as conn:
        assert len(stale(conn)) == len(ARTICLES) and search(conn, "пенсия").total == 0
    assert reindex(archive) == len(ARTICLES)
    with archive.engine.connect() as conn:
        assert stale(conn) == [] and search(conn, "пенсия").total == 1
    monkeypatch.setattr(analyze, "ANALYZER_VERSION", "changed")
    with archive.engine.connect() as conn:
        assert len(stale(conn)) == len(ARTICLES)
    done: list[tuple[int, int]] = []
    assert reindex(archive, lambda d, t: done.append((d, t))) == len(ARTICLES)
    assert done[-1] == (len(ARTICLES), len(ARTICLES))
    with archive.engine.connect() as conn:
        assert stale(conn) == [] and ids(archive, "Алматы") == ["kk-almaty"]


def test_update_replaces_the_old_terms_and_remove_drops(archive: Archive) -> None:
    _load(archive)
    changed = _fresh(ARTICLES[1])
    changed.title, changed.paragraphs = "Шахматист из Караганды выиграл турнир", ["Он стал чемпионом области."]
    ingest(archive, [changed], Pipeline([SearchStage()]))
    assert ids(archive, "пенсионер") == []
    assert ids(archive, "шахматист") == ["ru-pensioner"]
    with archive.engine.begin() as conn:
        assert remove(conn, ["ru-pensioner", "no-such-id"]) == 1
    assert ids(archive, "шахматист") == []
    assert reindex(archive) == 1  # stale again: indexed afresh
    assert ids(archive, "шахматист") == ["ru-pensioner"]


# --- command line --------------------------------------------------------------------------------------

def test_cli_search_and_reindex(tmp_path: pytest.TempPathFactory) -> None:
    from newsdesk.cli import app

    db = str(tmp_path / "cli.db")  # type: ignore[operator]
    _load(open_archive(db)).dispose()
    runner = CliRunner()
    result = runner.invoke(app, ["--db", db, "search", "пенсия", "--json"])
    assert result.exit_code == 0, result.output
    hits = [json.loads(line) for line in result.stdout.splitlines()]
    assert [h["id"] for h in hits] == ["ru-pension"] and "<mark>" in hits[0]["snippet"]
    result = runner.invoke(app, ["--db", db, "search", "взносы", "--source", "tengrinews", "--until", "2024-04-10"])
    assert result.exit_code == 0 and "Работодатели области перечислили взносы" in result.stdout
    assert "ru-pension" not in result.stdout
    assert runner.invoke(app, ["--db", db, "search", "x", "--since", "вчера"]).exit_code == 2
    result = runner.invoke(app, ["--db", db, "search", "взносы", "--newest", "--json"])
    assert [json.loads(line)["id"] for line in result.stdout.splitlines()] == ["ru-pension", "ru-scattered",
                                                                              "ru-employers"]
    result = runner.invoke(app, ["--db", db, "reindex", "--all"])
    assert result.exit_code == 0 and f"reindexed {len(ARTICLES)} articles" in result.stderr


def test_a_copy_is_folded_into_its_original_and_the_command_line_says_so(tmp_path: pytest.TempPathFactory) -> None:
    from newsdesk.cli import app

    db = str(tmp_path / "copies.db")  # type: ignore[operator]
    archive = _load(open_archive(db))
    assert sorted(ids(archive, "взносы")) == ["ru-employers", "ru-pension", "ru-scattered"]
    mark_copy(archive, "ru-scattered", "ru-pension")
    with archive.engine.connect() as conn:
        found = search(conn, "взносы")
    assert sorted(h.id for h in found.items) == ["ru-employers", "ru-pension"]
    assert (found.total, found.matches, found.exact) == (2, 3, True)
    assert next(h for h in found.items if h.id == "ru-pension").copies == (("ru-scattered", "zakon"),)
    archive.dispose()
    result = CliRunner().invoke(app, ["--db", db, "search", "взносы"])
    assert result.exit_code == 0 and "also: zakon (ru-scattered)" in result.stdout
    assert "1–2 of 2 found (1 copy under its original)" in result.stderr


def mark_copy(archive: Archive, copy: str, original: str) -> None:
    with archive.engine.begin() as conn:  # as the copy stage marks a reprint
        conn.execute(text("UPDATE articles SET duplicate_of = :o WHERE id = :c"), {"o": original, "c": copy})


def walk(archive: Archive, query: str, size: int, filters: Filters | None = None,
         **kw: object) -> tuple[list[tuple[str, object]], set[int]]:
    """Every page of ``size`` hits: (id, copies) in order, and the totals the pages reported."""
    seq: list[tuple[str, object]] = []
    totals: set[int] = set()
    with archive.engine.connect() as conn:
        while True:
            found = search(conn, query, filters, limit=size, offset=len(seq), **kw)  # type: ignore[arg-type]
            totals.add(found.total)
            if not found.items:
                return seq, totals
            seq += [(h.id, h.copies) for h in found.items]


def test_copies_fold_the_same_whatever_the_page_size(archive: Archive) -> None:
    _load(archive)
    mark_copy(archive, "ru-scattered", "ru-pension")  # its short title ranks it first for «взносы»
    mark_copy(archive, "ru-employers", "ru-pensioner")  # an original that does not match «взносы»
    for kw in ({}, {"recency": True}):
        one, one_totals = walk(archive, "взносы", 1, **kw)
        assert one == walk(archive, "взносы", 100, **kw)[0] == walk(archive, "взносы", 2, **kw)[0]
        assert [i for i, _ in one] == ["ru-pension", "ru-employers"]  # the story where its copy ranked
        assert one[0][1] == (("ru-scattered", "zakon"),) and one_totals == {len(one)}
    assert walk(archive, "взносы", 1, Filters(source="zakon"))[0] == [("ru-scattered", ())]  # original filtered out


@pytest.mark.parametrize(("query", "filters", "total", "matches"), [
    ("взносы", None, 2, 3),  # ru-scattered folds under ru-pension
    ("взносы", Filters(lang="ru"), 2, 3),
    ("взносы", Filters(rubric="economy", since=day(9)), 2, 3),
    ("взносы", Filters(source="zakon"), 1, 1),  # its original is filtered out: the copy stands alone
    ("взносы -размер", None, 2, 2),  # its original excluded (its lead says «Размер»)
    ("пенсионные OR налоги", Filters(lang="ru"), 3, 4),
])
def test_folded_totals_with_filters(loaded: Archive, query: str, filters: Filters | None, total: int,
                                    matches: int) -> None:
    mark_copy(loaded, "ru-scattered", "ru-pension")
    try:
        with loaded.engine.connect() as conn:
            found = search(conn, query, filters)
    finally:
        with loaded.engine.begin() as conn:
            conn.execute(text("UPDATE articles SET duplicate_of = NULL WHERE id = 'ru-scattered'"))
    assert (found.total, found.matches, found.exact) == (total, matches, True)


def test_past_the_exact_bound_the_total_is_matches(archive: Archive, monkeypatch: pytest.MonkeyPatch) -> None:
    from newsdesk.search import fold

    _load(archive)
    mark_copy(archive, "ru-scattered", "ru-pension")
    monkeypatch.setattr(fold, "EXACT_TOTAL", 2)
    with archive.engine.connect() as conn:
        found = search(conn, "взносы", limit=1)
    assert (found.total, found.matches, found.exact) == (3, 3, False)
    assert walk(archive, "взносы", 1)[0] == walk(archive, "взносы", 100)[0]


# --- the embedded tantivy engine -----------------------------------------------------------------------

@pytest.fixture
def fast(loaded: Archive, tmp_path_factory: pytest.TempPathFactory) -> FastIndex:
    index = FastIndex(tmp_path_factory.mktemp("tantivy"))
    with loaded.engine.connect() as conn:
        assert index.rebuild(conn) == len(ARTICLES)
    return index


FAST_CASES = [*PARITY, "пенсионер", "область", '"года размер"', "Қазақстан"]


def test_tantivy_gives_the_database_hits(loaded: Archive, fast: FastIndex) -> None:
    with loaded.engine.connect() as conn:
        for query in FAST_CASES:
            for filters in (Filters(), Filters(lang="ru"), Filters(source="kazinform"), Filters(since=day(11)),
                            Filters(until=day(11)), Filters(since=day(10), until=day(12))):
                db, tv = search(conn, query, filters, limit=100), search(conn, query, filters, limit=100, index=fast)
                assert {h.id for h in db.items} == {h.id for h in tv.items}, (query, filters)
                assert db.total == tv.total, (query, filters)
        assert [h.id for h in search(conn, "область", index=fast).items] == ["ru-employers", "ru-pensioner"]
        assert search(conn, "пенсия", index=fast).items[0].snippet == search(conn, "пенсия").items[0].snippet
        recent = search(conn, "экономика", recency=True, index=fast).items[0]
        assert recent.id == "kk-astana" and 0 < recent.score < search(conn, "экономика", index=fast).items[0].score


def test_tantivy_follows_the_database(archive: Archive, tmp_path: Path) -> None:
    _load(archive)
    index = FastIndex(tmp_path / "tantivy")
    assert ids_fast(archive, index, "пенсионер") == ["ru-pensioner"]  # built on first use
    changed = _fresh(ARTICLES[1])
    changed.title, changed.paragraphs = "Шахматист из Караганды выиграл турнир", ["Он стал чемпионом области."]
    ingest(archive, [changed], Pipeline([SearchStage()]))
    with archive.engine.begin() as conn:
        remove(conn, ["ru-html"])
    assert ids_fast(archive, index, "пенсионер") == []
    assert ids_fast(archive, index, "шахматист") == ["ru-pensioner"]
    assert ids_fast(archive, index, "налоги") == []
    again = FastIndex(tmp_path / "tantivy")  # another process opening the same index
    assert ids_fast(archive, again, "шахматист") == ["ru-pensioner"]


def test_tag_and_rubric_filters_use_the_database(loaded: Archive, fast: FastIndex) -> None:
    assert not fast.supports(Filters(tag="Пенсии")) and not fast.supports(Filters(rubric="economy"))
    with loaded.engine.connect() as conn:
        assert [h.id for h in search(conn, "взносы", Filters(tag="pensii"), index=fast).items] == ["ru-pension"]


def test_settings_choose_the_engine(tmp_path: Path) -> None:
    from newsdesk.config import Settings

    assert for_settings(Settings(database_url=str(tmp_path / "a.db"))) is None
    chosen = for_settings(Settings(database_url=str(tmp_path / "a.db"), search_engine="tantivy"))
    assert chosen is not None and chosen.path == (tmp_path / "a.db.search").resolve()


def ids_fast(archive: Archive, index: FastIndex, query: str) -> list[str]:
    with archive.engine.connect() as conn:
        return [h.id for h in search(conn, query, limit=100, index=index).items]
