"""Editors' decisions outlive their sources (real SQLite file and the local PostgreSQL): the fields an editor
set stay when the source sends the article again, an unchanged record changes nothing, a deleted article
stays deleted until it is restored, and a deletion leaves the audit and counts for `train --if-stale`."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from newsdesk.ingest import ingest
from newsdesk.pipeline import Pipeline
from newsdesk.records import Article
from newsdesk.stages.lemmas import LemmaCache
from newsdesk.stages.rubric import RubricStage
from newsdesk.stages.tagging import MODEL, tag_model_age
from newsdesk.store.audit import save_audit, stored_audit
from newsdesk.store.editing import delete_article, update_article
from newsdesk.store.modelstore import save_model
from newsdesk.store.queries import get_article

BODY = ["Депутаты Мажилиса одобрили поправки о повышении пенсий с 1 января 2027 года.",
        "Солидарные пенсии вырастут на 10%, базовые — на 8,5%, сообщает пресс-служба Минтруда."]


def record(title: str = "Пенсии вырастут с 1 января", body: list[str] | None = None, **kw) -> Article:
    """The source's record of one article, as a feed or a JSON-lines file gives it."""
    return Article(id=kw.pop("id", "tengri-1"), title=title, paragraphs=list(body or BODY), source="Tengrinews",
                   url=kw.pop("url", "https://tengrinews.kz/kazakhstan_news/pensii-1"),
                   published_at=datetime(2026, 11, 20, 10, 0, tzinfo=UTC),
                   editor_tags=kw.pop("tags", ["Пенсия", "Мажилис"]), **kw)


@pytest.fixture
def pipeline() -> Pipeline:
    return Pipeline([RubricStage(LemmaCache())])  # the real rubric stage: it keeps only an editor's rubric


def stored(archive, article_id: str = "tengri-1") -> dict:
    with archive.engine.connect() as conn:
        found = get_article(conn, article_id)
    assert found is not None
    return found


def test_a_source_update_keeps_the_editors_tags_and_rubric(archive, pipeline):
    ingest(archive, [record()], pipeline)
    engine_rubric = stored(archive)["rubric_confidence"]
    assert engine_rubric is not None  # the engine's rubric before the editor gives one
    update_article(archive, "tengri-1", {"tags": ["Пенсии 2027", "Соцзащита"], "rubric": "society"}, pipeline)
    summary = ingest(archive, [record("Пенсии и пособия вырастут с 1 января 2027 года")], pipeline)
    after = stored(archive)
    assert summary.updated == 1 and after["title"] == "Пенсии и пособия вырастут с 1 января 2027 года"
    assert after["editor_tags"] == ["Пенсии 2027", "Соцзащита"]
    assert (after["rubric"], after["rubric_confidence"]) == ("society", None)
    assert after["editor_fields"] == ["rejected_tags", "rubric", "tags"] and after["revision"] == 3
    assert after["rejected_tags"] == ["Пенсия", "Мажилис"]  # the source's tags the editor replaced stay off
    again = ingest(archive, [record("Пенсии и пособия вырастут с 1 января 2027 года")], pipeline)
    assert (again.unchanged, again.updated) == (1, 0)  # the source said nothing new


def test_an_unchanged_source_record_does_not_revert_an_edit(archive, pipeline):
    ingest(archive, [record()], pipeline)
    update_article(archive, "tengri-1", {"tags": ["Пенсии 2027"]}, pipeline)
    summary = ingest(archive, [record()], pipeline)
    assert (summary.unchanged, summary.updated) == (1, 0)
    assert stored(archive)["editor_tags"] == ["Пенсии 2027"] and stored(archive)["revision"] == 2


def test_the_editors_title_stays_and_the_sources_new_text_comes_in(archive, pipeline):
    ingest(archive, [record()], pipeline)
    update_article(archive, "tengri-1", {"title": "Пенсии проиндексируют на 10%"}, pipeline)
    ingest(archive, [record("Пенсии вырастут с января", [BODY[0], "Базовые пенсии вырастут на 8,5%."])], pipeline)
    after = stored(archive)
    assert after["title"] == "Пенсии проиндексируют на 10%" and after["text"].endswith("вырастут на 8,5%.")
    assert after["editor_tags"] == ["Пенсия", "Мажилис"]  # not the editor's: the source's, as it sent them


def test_a_save_that_changes_nothing_still_claims_the_field(archive, pipeline):
    ingest(archive, [record()], pipeline)
    update_article(archive, "tengri-1", {"tags": ["Пенсия", "Мажилис"]}, pipeline)  # the editor confirms them
    assert stored(archive)["revision"] == 1 and stored(archive)["editor_fields"] == ["tags"]
    ingest(archive, [record("Пенсии вырастут с января", tags=["Пенсионный фонд"])], pipeline)
    assert stored(archive)["editor_tags"] == ["Пенсия", "Мажилис"]


def test_a_deleted_article_stays_deleted_until_restored(archive):
    none = Pipeline([])
    ingest(archive, [record()], none)
    delete_article(archive, "tengri-1")
    changed = ingest(archive, [record("Пенсии вырастут с января")], none)
    assert (changed.added, changed.updated, changed.deleted) == (0, 0, 1)
    assert changed.line() == "added 0, updated 0, unchanged 0, rejected 0, skipped 1 deleted"
    moved = ingest(archive, [record(id="tengri-1-amp")], none)  # the same URL under another id
    assert (moved.added, moved.deleted) == (0, 1)
    restored = ingest(archive, [record("Пенсии вырастут с января")], none, restore_deleted=True)
    assert restored.added == 1 and stored(archive)["title"] == "Пенсии вырастут с января"
    assert ingest(archive, [record("Пенсии вырастут с 2027 года")], none).updated == 1  # an article again


def test_a_deleted_article_leaves_the_audit_and_counts_as_a_change(archive, tmp_path: Path):
    none = Pipeline([])
    ingest(archive, [record(), record(id="tengri-2", url="https://tengrinews.kz/2", tags=["Мажилис"])], none)

    def dummy(path: Path) -> None:
        path.write_bytes(b"model")

    with archive.engine.begin() as conn:
        save_model(conn, MODEL, dummy, {"articles": 2, "trained_at": "2026-12-01T10:00:00+00:00"})
        save_audit(conn, [{"article_id": "tengri-1", "tag": "Мажилис", "score": 0.01, "better": "Пенсия",
                           "title": "Пенсии"},
                          {"article_id": "tengri-2", "tag": "Мажилис", "score": 0.02, "better": None, "title": "x"}])
    delete_article(archive, "tengri-1")
    with archive.engine.connect() as conn:
        assert [f["article_id"] for f in stored_audit(conn).flags] == ["tengri-2"]
        age = tag_model_age(conn)
    assert age is not None and (age.trained_on, age.tagged, age.changes) == (2, 1, 1)


def test_an_engine_tag_the_editor_takes_off_stays_off(archive) -> None:
    from newsdesk.stages.tagging import TagStage

    tagger = Pipeline([TagStage(LemmaCache())])  # place tags: the gazetteer finds «Алматы» in the text
    body = ["В Алматы открылся новый центр обслуживания пенсионеров.", *BODY]
    ingest(archive, [record(body=body)], tagger)
    assert "Алматы" in stored(archive)["tags"]
    taken_off = update_article(archive, "tengri-1", {"rejected_tags": ["Алматы"]}, tagger)
    assert "Алматы" not in taken_off["tags"] and taken_off["rejected_tags"] == ["Алматы"]
    assert "Алматы" not in [t["tag"] for t in taken_off["auto_tags"] + taken_off["suggested_tags"]]
    ingest(archive, [record("Пенсии вырастут с 1 января 2027 года", body=body)], tagger)  # the source edits it
    again = stored(archive)
    assert "Алматы" not in again["tags"] and again["rejected_tags"] == ["Алматы"]
    assert again["title"] == "Пенсии вырастут с 1 января 2027 года"
    back = update_article(archive, "tengri-1", {"rejected_tags": []}, tagger)
    assert "Алматы" in back["tags"] and back["rejected_tags"] == []


def test_a_tag_the_editor_removes_is_not_offered_back(archive) -> None:
    from newsdesk.stages.tagging import TagStage

    tagger = Pipeline([TagStage(LemmaCache())])
    body = ["В Алматы открылся новый центр обслуживания пенсионеров.", *BODY]
    ingest(archive, [record(body=body, tags=["Пенсия", "Алматы"])], tagger)
    removed = update_article(archive, "tengri-1", {"tags": ["Пенсия"]}, tagger)
    assert removed["editor_tags"] == ["Пенсия"] and removed["rejected_tags"] == ["Алматы"]
    assert "Алматы" not in removed["tags"]  # the gazetteer would tag the text with it
    given_back = update_article(archive, "tengri-1", {"tags": ["Пенсия", "Алматы"], "rejected_tags": []}, tagger)
    assert "Алматы" in given_back["editor_tags"] and given_back["rejected_tags"] == []
