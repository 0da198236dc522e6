"""Ingestion into a real archive (SQLite file and the local PostgreSQL): idempotence, revisions,
bad records next to good ones, and the export round trip."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from newsdesk.errors import InputError
from newsdesk.export import export_record
from newsdesk.ingest import ingest
from newsdesk.pipeline import Pipeline
from newsdesk.records import Article, Entity, Origin, TagScore
from newsdesk.sources.fields import article_from_dict
from newsdesk.store import open_archive
from newsdesk.store.db import Archive
from newsdesk.store.models import RevisionRow
from newsdesk.store.queries import count_articles, export, get_article
from newsdesk.web.render import tag_labels


def art(i: int, title: str = "", **kw) -> Article:
    return Article(id=f"a{i}", title=title or f"Новость номер {i} о пенсиях", paragraphs=[f"Текст новости {i}."],
                   source="Dala News", published_at=datetime(2026, 11, 20, 10, i % 60, tzinfo=UTC),
                   editor_tags=kw.pop("tags", ["Пенсия 2026"]), **kw)


def test_added_then_unchanged(archive):
    first = ingest(archive, [art(i) for i in range(5)], Pipeline([]))
    again = ingest(archive, [art(i) for i in range(5)], Pipeline([]))
    assert (first.added, first.unchanged) == (5, 0)
    assert (again.added, again.updated, again.unchanged) == (0, 0, 5)
    with archive.engine.connect() as conn:
        assert count_articles(conn) == 5


def test_changed_item_updates_in_place_and_keeps_revision(archive):
    ingest(archive, [art(1, "Взносы вырастут")], Pipeline([]))
    summary = ingest(archive, [art(1, "Взносы вырастут в 2026 году", tags=["Пенсия 2026", "Закон"])], Pipeline([]))
    assert summary.updated == 1
    with archive.engine.connect() as conn:
        stored = get_article(conn, "a1")
        revisions = conn.execute(select(RevisionRow.__table__)).all()
    assert stored["title"] == "Взносы вырастут в 2026 году" and stored["revision"] == 2
    assert stored["editor_tags"] == ["Пенсия 2026", "Закон"]
    assert [(r.revision, r.title, r.editor_tags) for r in revisions] == [(1, "Взносы вырастут", ["Пенсия 2026"])]


def test_bad_records_rejected_rest_goes_in_nothing_damaged(archive):
    ingest(archive, [art(1, "Исходная версия")], Pipeline([]))
    items = [art(2), InputError("invalid JSON", Origin("in.jsonl", 2)), art(3)]
    errors: list[str] = []
    summary = ingest(archive, items, Pipeline([]), on_error=lambda e: errors.append(str(e)))
    assert (summary.added, summary.rejected) == (2, 1)
    assert errors == ["in.jsonl:2: invalid JSON"]
    with archive.engine.connect() as conn:
        assert get_article(conn, "a1")["title"] == "Исходная версия"


def test_failing_stage_rejects_one_article_only(archive):
    class Explodes:
        name = "explodes"

        def __call__(self, article: Article) -> None:
            if article.id == "a2":
                raise ValueError("boom")

    summary = ingest(archive, [art(1), art(2), art(3)], Pipeline([Explodes()]))
    assert (summary.added, summary.rejected) == (2, 1)
    assert "could not be analysed (ValueError: boom)" in summary.errors[0]


def test_same_id_twice_in_one_batch_later_wins_and_is_named(archive):
    records = [art(1, "Первая версия", origin=Origin("feed.jsonl", 6)), art(2),
               art(1, "Вторая версия", origin=Origin("feed.jsonl", 7))]
    summary = ingest(archive, records, Pipeline([]))
    assert (summary.added, summary.updated, summary.rejected) == (2, 0, 1)
    assert summary.errors == ["feed.jsonl:6: field 'id': id 'a1' comes again at feed.jsonl:7: "
                              "the later record is stored"]
    with archive.engine.connect() as conn:
        assert get_article(conn, "a1")["title"] == "Вторая версия"
    again = ingest(archive, records, Pipeline([]))  # idempotent: nothing stored changes
    assert (again.added, again.updated, again.unchanged, again.rejected) == (0, 0, 2, 1)


def test_a_stop_stores_what_was_analysed_and_reads_no_more(archive):
    seen: list[str] = []

    class Counts:
        name = "counts"

        def __call__(self, article: Article) -> None:
            seen.append(article.id)  # type: ignore[arg-type]

    summary = ingest(archive, (art(i) for i in range(10)), Pipeline([Counts()]), batch=4,
                     stop=lambda: len(seen) >= 6)  # a signal arrives while the sixth article is analysed
    assert summary.interrupted and summary.added == 6 and len(seen) == 6
    assert summary.line().endswith("interrupted: the rest was not read")
    with archive.engine.connect() as conn:
        assert [a["id"] for a in export(conn)] == [f"a{i}" for i in range(6)]
    assert ingest(archive, (art(i) for i in range(10)), Pipeline([Counts()])).added == 4  # the rest, later


def _dated(i: int, published: datetime, line: int) -> Article:
    record = art(i, origin=Origin("feed.xml", line))
    record.published_at, record.fetched_at = published, datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
    return record


def test_a_date_in_the_future_is_dropped_and_said(archive):
    def records() -> list[Article]:  # a day ahead of its fetch: a mistake; hours ahead: a time zone, kept
        return [_dated(1, datetime(2099, 1, 1, tzinfo=UTC), 3), _dated(2, datetime(2026, 12, 7, 14, tzinfo=UTC), 4)]

    heard: list[str] = []
    summary = ingest(archive, records(), Pipeline([]), on_error=lambda e: heard.append(str(e)))
    assert (summary.added, summary.rejected) == (2, 0) and heard == summary.warnings
    assert summary.warnings == ["feed.xml:3: field 'published_at': date 2099-01-01T00:00:00+00:00 is after the "
                                "fetch (2026-12-07 09:00 UTC): stored undated"]
    with archive.engine.connect() as conn:
        assert get_article(conn, "a1")["published_at"] is None and get_article(conn, "a2")["published_at"]
    assert ingest(archive, records(), Pipeline([])).unchanged == 2  # said again, nothing changes


def test_tags_kept_apart_and_ordered(archive):
    a = art(1, tags=["Пенсия 2026"])
    a.auto_tags = [TagScore("Алматы", 0.93, "place")]
    a.suggested_tags = [TagScore("Закон", 0.41)]
    a.tags = ["Алматы", "Пенсия 2026"]
    a.tag_kinds = {"Алматы": "place"}
    a.entities = [Entity("ЕНПФ", "ORG", 2, "enpf"), Entity("Алматы", "LOC", 1, "almaty")]
    ingest(archive, [a], Pipeline([]))
    with archive.engine.connect() as conn:
        stored = get_article(conn, "a1")
    assert stored["tags"] == ["Алматы", "Пенсия 2026"]
    assert stored["tag_slugs"] == ["almaty", "pensiya-2026"]
    assert stored["editor_tags"] == ["Пенсия 2026"]
    assert stored["auto_tags"] == [{"tag": "Алматы", "confidence": 0.93}]
    assert stored["suggested_tags"] == [{"tag": "Закон", "confidence": 0.41}]
    assert stored["tag_kinds"]["Алматы"] == "place"
    assert [(e["name"], e["mentions"]) for e in stored["entities"]] == [("ЕНПФ", 2), ("Алматы", 1)]


def test_export_ingest_export_round_trip(archive, tmp_path):
    """Everything the real pipeline learned survives export → ingest into an empty archive → export."""
    text = ["В Астане открыли новый филиал ЕНПФ.", "Вкладчики Единого накопительного пенсионного фонда "
            "смогут получить консультацию о пенсионных взносах на 2026 год."]
    original = art(1, "В Астане открылся филиал ЕНПФ", tags=["Пенсия 2026"])
    original.paragraphs = text
    copy = art(2, "В Астане открылся филиал ЕНПФ", tags=["Пенсия 2026"])
    copy.paragraphs, copy.source = list(text), "Copy.kz"
    copy.published_at = original.published_at + timedelta(minutes=30)
    ingest(archive, [original, copy, art(3)], Pipeline())
    with archive.engine.connect() as conn:
        first = [export_record(x) for x in export(conn)]
    path = tmp_path / "export.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in first), encoding="utf-8")
    from newsdesk.sources import read

    other = open_archive(str(tmp_path / "empty.db"))
    ingest(other, read(str(path)), Pipeline())
    with other.engine.connect() as conn:
        second = [export_record(x) for x in export(conn)]
    assert second == first
    assert "Астана" in first[0]["tags"] and first[0]["tag_kinds"]["Астана"] == "place"
    assert dict(zip(first[0]["tags"], first[0]["tag_slugs"], strict=True))["Пенсия 2026"] == "pensiya-2026"
    assert first[1]["duplicate_of"] == "a1" and first[0]["lang"] == "ru" and first[0]["rubric"]
    from newsdesk.store.stories import THREADS

    def stories(where: Archive) -> list[tuple]:  # the story rows the threads pages list
        with where.engine.connect() as conn:
            return sorted(tuple(r)[:-1] for r in conn.execute(THREADS.select()))  # the score aside

    assert stories(other) == stories(archive) and len(stories(other)) == 2  # one story of two outlets, one alone


def test_one_transaction_per_batch(archive):
    """A database failure mid-batch leaves nothing of that batch behind."""
    ingest(archive, [art(1)], Pipeline([]))

    class FailOnSave:
        name = "fail"

        def __call__(self, article: Article) -> None:
            pass

        def save(self, conn, articles) -> None:
            raise RuntimeError("disk full")

    with pytest.raises(RuntimeError, match="disk full"):
        ingest(archive, [art(2), art(3)], Pipeline([FailOnSave()]))
    with archive.engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(RevisionRow.__table__)) == 0
        assert count_articles(conn) == 1


def test_stage_state_survives_runs_and_outdated_state_starts_fresh(archive):
    from newsdesk.dedup import DedupIndex
    from newsdesk.store.meta import get_meta, restore_state, set_meta

    with archive.engine.begin() as conn:
        set_meta(conn, "dedup_state", {"version": "from-an-old-release"})
    with archive.engine.connect() as conn:
        index = restore_state(get_meta(conn, "dedup_state"), DedupIndex.from_state, DedupIndex, "duplicates index")
    assert isinstance(index, DedupIndex) and len(index) == 0
    first = art(1, "В Шымкенте открыли новый онкологический центр на 300 коек")
    first.paragraphs = ["Центр построили за два года. В нём будут лечить жителей Туркестанской области и Шымкента."]
    copy = art(2, first.title)
    copy.paragraphs, copy.published_at = list(first.paragraphs), first.published_at + timedelta(hours=1)
    ingest(archive, [first], Pipeline())
    ingest(archive, [copy], Pipeline())  # a new run: the index comes back from the archive
    with archive.engine.connect() as conn:
        assert get_article(conn, "a2")["duplicate_of"] == "a1"


def test_a_surname_alone_gets_the_full_name_across_runs_and_the_outlet_is_no_entity(archive):
    full = [art(i, f"Касым-Жомарт Токаев провёл встречу номер {i} в Акорде", url=f"https://tengrinews.kz/news/{i}/")
            for i in (1, 2)]
    for a in full:
        a.paragraphs = ["Об этом сообщает корреспондент Tengrinews.kz из Астаны."]
    ingest(archive, full, Pipeline())
    later = art(3, "Указ подписал Токаев")
    later.source, later.paragraphs = "Tengrinews", ["Глава государства Токаев подписал указ, передаёт Tengrinews.kz."]
    ingest(archive, [later], Pipeline())  # a new run: the people index comes back from the archive
    with archive.engine.connect() as conn:
        stored = [get_article(conn, f"a{i}") for i in (1, 2, 3)]
    for article in stored:
        names = {e["name"] for e in article["entities"]}
        assert "Касым-Жомарт Токаев" in names and "Tengrinews.kz" not in names and "Токаев" not in names


def test_migrations_create_exactly_the_tables_of_the_models(archive):
    """Alembic's head and `store.models` agree (the search engines' own tables are theirs alone)."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from newsdesk.store.models import Base

    with archive.engine.connect() as conn:
        diffs = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    def table(diff: tuple) -> str:
        item = diff[1]
        return item.name if hasattr(item, "columns") and not hasattr(item, "table") else item.table.name

    assert [d for d in diffs if not table(d).startswith("search")] == []


def test_a_person_met_first_in_kazakh_is_named_in_russian_once_russian_text_names_them(archive, tmp_path):
    kk = art(1, "Әділ Сәрсенбаев әлем чемпионы атанды")
    kk.lang, kk.paragraphs = "kk", ["Әділ Сәрсенбаев Астанада жеңіске жетті. Әділ Сәрсенбаев белбеуді қорғайды."]
    ingest(archive, [kk], Pipeline())

    def names() -> tuple[set[str], set[str]]:
        with archive.engine.connect() as conn:
            found = get_article(conn, "a1")
        return ({e["name"] for e in found["entities"] if e["type"] == "PER"},
                {t for t, kind in found["tag_kinds"].items() if kind == "person" and t in found["tags"]})

    assert names() == ({"Әділ Сәрсенбаев"}, {"Әділ Сәрсенбаев"})  # first met in Kazakh
    ru = art(2, "Адиль Сарсенбаев стал чемпионом мира")
    ru.paragraphs = ["Адиль Сарсенбаев победил в Астане. Адиль Сарсенбаев защитит пояс весной."]
    ingest(archive, [ru], Pipeline())
    assert names() == ({"Адиль Сарсенбаев"}, {"Адиль Сарсенбаев"})  # one person, one name: the Russian
    with archive.engine.connect() as conn:
        assert {e["name"] for e in get_article(conn, "a2")["entities"] if e["type"] == "PER"} == {"Адиль Сарсенбаев"}
        kazakh, russian = get_article(conn, "a1"), get_article(conn, "a2")
    # … and the Kazakh spelling stays for Kazakh pages: the entity's and its person tag's label
    assert {e["kazakh_name"] for e in kazakh["entities"] if e["type"] == "PER"} == {"Әділ Сәрсенбаев"}
    assert "Әділ Сәрсенбаев" in tag_labels(kazakh) and "Адиль Сарсенбаев" in tag_labels(russian)
    with archive.engine.connect() as conn:  # an export keeps it, and an archive restored from it shows it
        records = [export_record(x) for x in export(conn)]
    other = open_archive(str(tmp_path / "restored.db"))
    ingest(other, [article_from_dict(r) for r in records], Pipeline())
    with other.engine.connect() as conn:
        restored = get_article(conn, "a1")
    assert {e["kazakh_name"] for e in restored["entities"] if e["type"] == "PER"} == {"Әділ Сәрсенбаев"}
    other.dispose()


def test_a_tag_stored_as_both_the_editors_and_the_engines_is_listed_once(archive):
    legacy = art(1, tags=["спутник", "сми"])
    legacy.nlp_version = "4"  # as an archive stored before the tag stage compared slugs has it
    legacy.auto_tags = [TagScore("Sputnik", 0.63, "organisation"), TagScore("Кремль", 0.56, "organisation")]
    legacy.tags = ["спутник", "сми", "Sputnik", "Кремль"]
    ingest(archive, [legacy], Pipeline([]))
    with archive.engine.connect() as conn:
        found = get_article(conn, "a1")
    assert found["tags"] == ["спутник", "сми", "Кремль"] and found["tag_slugs"] == ["sputnik", "smi", "kreml"]
    assert [t["tag"] for t in found["auto_tags"]] == ["Кремль"]
