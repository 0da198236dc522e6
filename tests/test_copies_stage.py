"""The duplicates stage on a real archive: a headline (a title without a text, from a page dump or a
headline feed) is a copy of the article with the same title, whichever arrives first, so feeds show
the story once."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import text

from newsdesk.ingest import ingest
from newsdesk.pipeline import Pipeline
from newsdesk.sources.fields import article_from_dict
from newsdesk.stages.copies import DedupStage, title_key
from newsdesk.store import open_archive
from newsdesk.store.listing import Filter, page_ids

TITLE = "Балқаш көлінің деңгейі төмендеп барады"
ARTICLE = {"id": "lake", "title": TITLE, "source": "El Habar", "lang": "kk",
           "published_at": "2026-11-19T11:00:00+05:00",
           "text": "Балқаш көлінің деңгейі соңғы бес жылда 40 сантиметрге төмендеді.\n\n"
                   "Гидрологтар себебін түсіндірді."}


def headline(id_: str, title: str = TITLE, source: str = "El Habar") -> dict[str, Any]:
    return {"id": id_, "kind": "headline", "title": title, "source": source, "lang": "kk"}


def put(archive: Any, *records: dict[str, Any]) -> None:
    summary = ingest(archive, [article_from_dict(r) for r in records], Pipeline(stages=[DedupStage()]))
    assert not summary.rejected, summary.errors


def originals(archive: Any) -> dict[str, str | None]:
    with archive.engine.connect() as conn:
        return dict(conn.execute(text("SELECT id, duplicate_of FROM articles")).all())


def test_title_keys_ignore_case_yo_and_punctuation_and_skip_short_titles() -> None:
    assert title_key(TITLE + "!") == title_key("балқаш  көлінің деңгейі — төмендеп барады")
    assert title_key("Всё о пенсиях в 2026 году") == title_key("Все о пенсиях в 2026 году")
    assert title_key("Погода на завтра") is None  # too short to tell two items apart


def test_a_headline_after_its_article_is_a_copy(tmp_path: Path) -> None:
    archive = open_archive(str(tmp_path / "a.db"))
    put(archive, ARTICLE)
    put(archive, headline("h1", TITLE + "."), headline("other", "Астанада жаңа саябақ ашылды биыл"))
    assert originals(archive) == {"lake": None, "h1": "lake", "other": None}
    with archive.engine.connect() as conn:
        shown, _ = page_ids(conn, Filter(), 10)
    assert sorted(shown) == ["lake", "other"]  # the story once
    archive.dispose()


def test_headlines_before_their_article_become_its_copies(tmp_path: Path) -> None:
    archive = open_archive(str(tmp_path / "b.db"))
    put(archive, headline("h1"))
    put(archive, headline("h2", source="Dala News"))  # a new process: the stage's titles come from the archive
    assert originals(archive) == {"h1": None, "h2": "h1"}
    put(archive, ARTICLE)
    assert originals(archive) == {"h1": "lake", "h2": "lake", "lake": None}
    archive.dispose()


def test_in_one_batch_the_order_does_not_matter(tmp_path: Path) -> None:
    archive = open_archive(str(tmp_path / "c.db"))
    put(archive, headline("h1"), ARTICLE, headline("h2"))
    assert originals(archive) == {"h1": "lake", "h2": "lake", "lake": None}
    archive.dispose()


def test_short_titles_are_not_linked(tmp_path: Path) -> None:
    archive = open_archive(str(tmp_path / "d.db"))
    put(archive, headline("w1", "Погода на завтра"), headline("w2", "Погода на завтра", "Dala News"))
    assert originals(archive) == {"w1": None, "w2": None}
    archive.dispose()


def test_a_reused_title_links_the_headline_to_the_newest_article(tmp_path: Path) -> None:
    live = "Паводки в Казахстане: что известно к этому часу"
    days = [{"id": f"floods-{d}", "title": live, "source": "Tengrinews", "lang": "ru",
             "published_at": f"2024-04-{d}T09:00:00+05:00", "text": f"Сводка за {d} апреля: вода в Уральске."}
            for d in (12, 13)]
    archive = open_archive(str(tmp_path / "e.db"))
    put(archive, days[1], days[0])  # the newer edition first
    put(archive, headline("now", live, "Tengrinews"))
    assert originals(archive)["now"] == "floods-13"
    archive.dispose()


def test_a_copy_joins_its_originals_story_after_that_story_left_the_window(tmp_path: Path) -> None:
    from newsdesk.stages.threading import ThreadStage
    from newsdesk.store.editing import create_article

    archive = open_archive(str(tmp_path / "a.db"))
    lake = {**ARTICLE, "text": ARTICLE["text"] + "\n\nКөлге құятын Іле өзенінің суы азайып, жағалаудағы ауылдар "
            "балық аулау кәсібінен айырылып жатыр, деп хабарлады облыс әкімдігі."}
    later = {"id": "school", "title": "Астанада жаңа мектеп ашылды", "source": "Qazaq Times", "lang": "kk",
             "published_at": "2026-11-25T10:00:00+05:00",
             "text": "Мектеп 1200 оқушыға арналған және заманауи зертханалармен жабдықталған."}
    pipeline = lambda: Pipeline([DedupStage(), ThreadStage()])  # noqa: E731 - a fresh process each time
    ingest(archive, [article_from_dict(lake), article_from_dict(later)], pipeline())  # the lake's story closes
    copy = {**lake, "id": "reprint", "source": "Qazaq Times", "published_at": "2026-11-19T11:40:00+05:00"}
    ingest(archive, [article_from_dict(copy)], pipeline())
    reprint = create_article(archive, {**lake, "id": None, "url": "https://qazaqtimes.kz/balqash",
                                       "source": "Abai.kz"}, pipeline())  # through the API alike
    with archive.engine.connect() as conn:
        rows = {r.id: r for r in conn.execute(text("SELECT id, thread_id, duplicate_of FROM articles"))}
        story = conn.execute(text("SELECT size, sources FROM threads WHERE id = :t"),
                             {"t": rows["lake"].thread_id}).one()
    archive.dispose()
    assert rows["reprint"].duplicate_of == "lake" and rows["reprint"].thread_id == rows["lake"].thread_id
    assert rows[reprint["id"]].thread_id == rows["lake"].thread_id == reprint["thread_id"]
    assert (story.size, len(rows)) == (3, 4)
