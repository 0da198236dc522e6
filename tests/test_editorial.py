"""Editors' work over a whole archive (newsdesk.editorial): the outlet's own rubric model."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from importlib.resources import files

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, update
from typer.testing import CliRunner

from newsdesk.cli import app
from newsdesk.config import Settings
from newsdesk.editorial import retag, train_own_rubrics, train_tags
from newsdesk.errors import InputError
from newsdesk.ingest import ingest
from newsdesk.pipeline import Pipeline
from newsdesk.records import Article
from newsdesk.sources.fields import article_from_dict
from newsdesk.stages.lemmas import LemmaCache
from newsdesk.stages.rubric import RubricStage
from newsdesk.stages.tagging import learn, tag_model_age
from newsdesk.store import open_archive
from newsdesk.store.modelstore import model_info
from newsdesk.store.queries import get_article
from newsdesk.store.writer import ARTICLES
from newsdesk.web.app import create_app

# Articles whose rubric the engine chose (a confidence is stored), wrongly: the outlet's model fixes them.
ENGINE_CHOSEN = [
    {"id": "engine-box", "title": "Казахстанский боксёр нокаутировал соперника и защитил титул чемпиона мира",
     "lead": "Бой прошёл в Астане, поединок завершился в пятом раунде.", "rubric": "economy"},
    {"id": "engine-tax", "title": "Налог на добавленную стоимость вырастет с 12 до 16 процентов",
     "lead": "Минфин объяснил, как изменятся ставки для бизнеса и бюджет.", "rubric": "sports"},
]


def _sample() -> list[dict]:
    rows = (files("newsdesk") / "sample" / "articles.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(r) for r in rows]


def _store(archive, rows: list[dict]) -> None:
    ingest(archive, [article_from_dict(r) for r in rows], Pipeline([]))


def _rubrics(archive) -> dict[str, tuple[str, float | None]]:
    with archive.engine.connect() as conn:
        rows = conn.execute(select(ARTICLES.c.id, ARTICLES.c.rubric, ARTICLES.c.rubric_confidence))
        return {r.id: (r.rubric, r.rubric_confidence) for r in rows}


def test_the_archives_editor_rubrics_train_its_own_model(archive) -> None:
    sample = _sample()
    engine = {"rubric_confidence": 0.4, "nlp_version": "1", "published_at": "2026-11-24T10:00:00+05:00"}
    _store(archive, sample + [r | engine for r in ENGINE_CHOSEN])  # as an exported archive brings them back
    model = train_own_rubrics(archive)
    assert model.meta["outlet"]["articles"] == len(sample) and model.meta["corpora"] == []
    assert model.meta["outlet"]["rubrics"]["sports"] == sum(r["rubric"] == "sports" for r in sample)
    after = _rubrics(archive)
    assert after["engine-box"][0] == "sports" and after["engine-tax"][0] == "economy"
    assert after["engine-box"][1] is not None
    assert all(after[r["id"]] == (r["rubric"], None) for r in sample)  # the editors' rubrics stay theirs
    with archive.engine.connect() as conn:
        assert model_info(conn, "rubrics")["meta"]["outlet"]["articles"] == len(sample)
        stage = RubricStage(LemmaCache())
        stage.load(conn)  # new articles are classified by the archive's model from now on
    assert stage.model is not None and stage.model.meta["outlet"] == model.meta["outlet"]
    arriving = Article(id="new", title="«Кайрат» обыграл «Тобол» в финале Кубка", lang="ru",
                       paragraphs=["Футболисты забили два мяча во втором тайме."])
    stage(arriving)
    assert arriving.rubric == "sports" and arriving.rubric_confidence is not None


def test_reclassified_articles_move_their_storys_rubric(archive) -> None:
    from newsdesk.stages.threading import THREADS, ThreadStage

    when = {"published_at": "2026-11-24T10:00:00+05:00"}
    ingest(archive, [article_from_dict(r) for r in _sample() + [r | when for r in ENGINE_CHOSEN]],
           Pipeline([ThreadStage()]))
    with archive.engine.begin() as conn:  # as an older model filed them: the engine's choice, wrong
        conn.execute(update(ARTICLES).where(ARTICLES.c.id.like("engine-%")).values(rubric_confidence=0.4))

    def story_rubric(article_id: str) -> str | None:
        with archive.engine.connect() as conn:
            thread = conn.scalar(select(ARTICLES.c.thread_id).where(ARTICLES.c.id == article_id))
            return conn.scalar(select(THREADS.c.rubric).where(THREADS.c.id == thread))

    assert story_rubric("engine-box") == "economy" and story_rubric("engine-tax") == "sports"  # as they came
    train_own_rubrics(archive)
    assert story_rubric("engine-box") == "sports" and story_rubric("engine-tax") == "economy"


def test_too_few_editor_rubrics_is_a_clear_error(archive) -> None:
    _store(archive, _sample()[:10])
    with pytest.raises(InputError, match="10 articles with an editor's rubric.*needs 20 or more"):
        train_own_rubrics(archive)


def test_cli_trains_the_archives_rubrics(tmp_path) -> None:
    source = tmp_path / "labelled.jsonl"
    source.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in _sample()), encoding="utf-8")
    db = str(tmp_path / "outlet.db")
    runner = CliRunner()
    assert runner.invoke(app, ["--db", db, "ingest", "--no-nlp", str(source)]).exit_code == 0
    result = runner.invoke(app, ["--db", db, "train", "--own-rubrics"])
    assert result.exit_code == 0, result.output
    assert "rubric model of the archive" in result.output and '"articles": 105' in result.output


# An archive analysed by an older version: its learned entities (restored with nlp_version) carry the
# mistakes of then — a title run into its lead, a bracket left open, a Kazakh sentence opener as a company.
OLD_ANALYSIS = [
    {"id": "old-fire", "title": "В Алматы произошёл пожар на СТО", "lead": "Огонь уничтожил три автомобиля.",
     "lang": "ru", "rubric": "society", "editor_tags": ["Пожар"],
     "entities": [{"name": "СТО Огонь", "type": "ORG", "mentions": 1}, {"name": "Алматы", "type": "LOC"}]},
    {"id": "old-health", "title": "Министерство здравоохранения (Минздрав) сообщило о росте заболеваемости",
     "lead": "Министерство здравоохранения (Минздрав) призвало привиться.", "lang": "ru",
     "rubric_confidence": 0.4, "rubric": "sports",
     "entities": [{"name": "Министерство здравоохранения (Минздрав", "type": "ORG", "mentions": 2}]},
    {"id": "old-kk", "title": "Компания есеп берді", "lead": "Компания жылдық табысын жариялады.", "lang": "kk",
     "entities": [{"name": "Компания", "type": "ORG", "mentions": 2}]},
]


def test_reanalyse_gives_old_articles_todays_entities_and_keeps_editors_choices(tmp_path) -> None:
    source = tmp_path / "old.jsonl"
    old = {"nlp_version": "1", "published_at": "2026-11-24T10:00:00+05:00"}
    source.write_text("\n".join(json.dumps(r | old, ensure_ascii=False) for r in OLD_ANALYSIS), encoding="utf-8")
    db = str(tmp_path / "old.db")
    runner = CliRunner()
    assert runner.invoke(app, ["--db", db, "ingest", str(source)]).exit_code == 0

    def entity_names(article_id: str) -> tuple[set[str], dict]:
        out = tmp_path / "export.jsonl"
        assert runner.invoke(app, ["--db", db, "-q", "export", "-o", str(out)]).exit_code == 0
        row = next(r for r in map(json.loads, out.read_text(encoding="utf-8").splitlines()) if r["id"] == article_id)
        return {e["name"] for e in row["entities"]}, row

    assert "СТО Огонь" in entity_names("old-fire")[0]  # stored as the old version found it
    result = runner.invoke(app, ["--db", db, "reanalyse"])
    assert result.exit_code == 0, result.output
    assert "reanalysed 3 articles" in result.output
    fire, fire_row = entity_names("old-fire")
    assert "СТО Огонь" not in fire and "Алматы" in fire
    assert fire_row["editor_tags"] == ["Пожар"] and fire_row["rubric"] == "society"  # the editor's stay
    health, health_row = entity_names("old-health")
    assert "Министерство здравоохранения" in health  # «Минздрав» is the same body (`institutions`)
    assert not any("(" in name for name in health)
    assert health_row["rubric"] != "sports"  # the engine's old rubric is chosen again
    assert "Компания" not in entity_names("old-kk")[0]
    with TestClient(create_app(Settings(database_url=db))) as site:  # the old names' pages are gone
        assert site.get("/entity/sto-ogon").status_code == 404
        assert site.get("/entity/almaty").status_code == 200


# An older reading of a person: a Kazakh spelling's own slug, a surname alone as its own person.
OLD_PEOPLE = [
    {"id": "kk-visit", "lang": "kk", "published_at": "2026-11-20T10:00:00+05:00",
     "title": "Қасым-Жомарт Тоқаев Ақтөбеге барды",
     "lead": "Мемлекет басшысы Қасым-Жомарт Тоқаев облыстың әкімімен кездесті.",
     "entities": [{"name": "Қасым-Жомарт Тоқаев", "type": "PER", "mentions": 2}]},
    {"id": "ru-visit", "lang": "ru", "published_at": "2026-11-21T10:00:00+05:00",
     "title": "Касым-Жомарт Токаев посетил Актобе",
     "lead": "Президент Касым-Жомарт Токаев встретился с акимом области.",
     "entities": [{"name": "Касым-Жомарт Токаев", "type": "PER", "mentions": 2}]},
    {"id": "ru-forum", "lang": "ru", "published_at": "2026-11-22T10:00:00+05:00",
     "title": "Касым-Жомарт Токаев выступил на форуме",
     "lead": "Глава государства Касым-Жомарт Токаев говорил об инвестициях.",
     "entities": [{"name": "Касым-Жомарт Токаев", "type": "PER", "mentions": 2}]},
    {"id": "ru-decree", "lang": "ru", "published_at": "2026-11-23T10:00:00+05:00",
     "title": "Токаев подписал указ о налоговой амнистии", "lead": "Документ вступает в силу с января.",
     "entities": [{"name": "Токаев", "type": "PER", "mentions": 1}]},
]


def test_reanalyse_redirects_the_pages_of_people_it_reads_anew(tmp_path) -> None:
    source = tmp_path / "old.jsonl"
    source.write_text("\n".join(json.dumps(r | {"nlp_version": "1"}, ensure_ascii=False) for r in OLD_PEOPLE),
                      encoding="utf-8")
    db = str(tmp_path / "old.db")
    runner = CliRunner()
    assert runner.invoke(app, ["--db", db, "ingest", str(source)]).exit_code == 0
    with TestClient(create_app(Settings(database_url=db))) as site:  # as the old version read them
        assert site.get("/entity/qasym-zhomart-toqaev").status_code == 200
        assert site.get("/entity/tokaev").status_code == 200
    result = runner.invoke(app, ["--db", db, "reanalyse"])
    assert result.exit_code == 0, result.output
    with TestClient(create_app(Settings(database_url=db))) as site:
        person = site.get("/api/v1/entities/kasym-zhomart-tokaev").json()
        assert {c["id"] for c in person["items"]} == {r["id"] for r in OLD_PEOPLE}  # one person in all four
        for old in ("qasym-zhomart-toqaev", "tokaev"):
            moved = site.get(f"/entity/{old}?after=x", follow_redirects=False)
            assert moved.status_code == 301 and moved.headers["location"] == "/entity/kasym-zhomart-tokaev?after=x"
            api = site.get(f"/api/v1/entities/{old}", follow_redirects=False)
            assert api.status_code == 301 and api.headers["location"] == "/api/v1/entities/kasym-zhomart-tokaev"
        assert site.get("/entity/no-such-person").status_code == 404


def test_reanalyse_reports_each_step(tmp_path) -> None:
    from newsdesk import editorial
    from newsdesk.store import open_archive

    source = tmp_path / "old.jsonl"
    source.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in OLD_ANALYSIS), encoding="utf-8")
    db = str(tmp_path / "old.db")
    assert CliRunner().invoke(app, ["--db", db, "ingest", str(source)]).exit_code == 0
    heard: list[tuple[str, int, int | None]] = []
    archive = open_archive(db)
    assert editorial.reanalyse(archive, progress=lambda *step: heard.append(step)) == len(OLD_ANALYSIS)
    archive.dispose()
    assert heard[0][0] == "entities" and heard[-1] == ("tags", len(OLD_ANALYSIS), len(OLD_ANALYSIS))
    assert ("entities", len(OLD_ANALYSIS), len(OLD_ANALYSIS)) in heard
    assert any(step == "rubrics" and total is None for step, _, total in heard)


@pytest.mark.shared
def test_a_small_archive_audit_leaves_rarely_used_tags_alone(shared_data, tmp_path) -> None:
    """lenta.ru's feed (198 articles, its rubric as each one's tag): judged by confidence alone, the tags
    used on three articles were flagged for being rare; they are left alone now."""
    from collections import Counter

    from newsdesk import editorial
    from newsdesk.pipeline import Pipeline
    from newsdesk.sources import read
    from newsdesk.store import open_archive
    from newsdesk.tags import AUDIT_MIN_USES

    archive = open_archive(str(tmp_path / "lenta.db"))
    feed = shared_data / "ru_rss_feeds/publisher_feeds/lenta.ru_rss_2022-12-03.xml"
    items = [i for i in read(str(feed)) if not isinstance(i, InputError)]
    ingest(archive, items, Pipeline(stages=[]))
    uses = Counter(tag for item in items for tag in set(item.editor_tags))
    _, flags = editorial.train_tags(archive)
    archive.dispose()
    assert flags and min(uses[f.tag] for f in flags) >= AUDIT_MIN_USES
    assert any(n < AUDIT_MIN_USES for n in uses.values())  # the feed has such tags


def test_a_deleted_article_leaves_its_active_story(archive) -> None:
    """Deleted through the API while its story is still in the threading window: the next article of the
    story saves the story again without it (its title, its span), in whatever process threads it."""
    from newsdesk.stages.threading import KEY, THREADS, ThreadStage
    from newsdesk.store.editing import delete_article
    from newsdesk.store.meta import get_meta

    story = ["sample-024", "sample-025", "sample-026", "sample-028"]
    rows = {r["id"]: r for r in _sample()}
    ingest(archive, [article_from_dict(rows[i]) for i in story[:3]], Pipeline([ThreadStage()]))

    def stored() -> tuple[str, str]:
        with archive.engine.connect() as conn:
            thread = conn.scalar(select(ARTICLES.c.thread_id).where(ARTICLES.c.id == "sample-025"))
            return thread, conn.scalar(select(THREADS.c.title).where(THREADS.c.id == thread))

    thread, title = stored()
    headline = next(i for i in story[:3] if rows[i]["title"] == title)
    delete_article(archive, headline)
    ingest(archive, [article_from_dict(rows[story[3]])], Pipeline([ThreadStage()]))  # a new process threads on
    thread_now, title_now = stored()
    assert title_now != title and title_now in {rows[i]["title"] for i in story if i != headline}
    with archive.engine.connect() as conn:
        state = get_meta(conn, KEY)
    members = {m[0] for t in state["threads"] for m in t["members"]}
    assert headline not in members and "sample-025" in members
    assert headline not in {item[0] for item in state["items"]}


def test_train_if_stale_waits_for_enough_new_editor_tags(tmp_path) -> None:
    rows = [r for r in _sample() if r.get("tags")]
    older, newer = rows[:-4], rows[-4:]
    source = tmp_path / "older.jsonl"
    source.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in older), encoding="utf-8")
    db = str(tmp_path / "outlet.db")
    runner = CliRunner()
    assert runner.invoke(app, ["--db", db, "ingest", "--no-nlp", str(source)]).exit_code == 0
    first = runner.invoke(app, ["--db", db, "train", "--if-stale", "3"])  # no model yet: it trains
    assert first.exit_code == 0 and f"learned from {len(older)} articles" in first.output, first.output
    again = runner.invoke(app, ["--db", db, "train", "--if-stale", "3"])
    assert again.exit_code == 0
    assert f"tag model is up to date: trained {datetime.now(UTC):%Y-%m-%d}" in again.output
    assert f"on {len(older)} tagged articles, 0 changes since (trains from 3)" in again.output

    source.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in newer[:2]), encoding="utf-8")
    assert runner.invoke(app, ["--db", db, "ingest", "--no-nlp", str(source)]).exit_code == 0
    assert "2 changes since" in runner.invoke(app, ["--db", db, "train", "--if-stale", "3"]).output
    with TestClient(create_app(Settings(database_url=db))) as site:  # the audit page tells editors the same
        assert site.get("/audit?format=json").json()["tag_model"] | {"trained_at": None} == {
            "trained_at": None, "trained_on": len(older), "tagged": len(older) + 2, "editor_saves": 0, "changes": 2}
        assert "с тех пор изменений: 2" in site.get("/audit").text
    source.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in newer[2:]), encoding="utf-8")
    assert runner.invoke(app, ["--db", db, "ingest", "--no-nlp", str(source)]).exit_code == 0
    trained = runner.invoke(app, ["--db", db, "train", "--if-stale", "3"])
    assert f"learned from {len(rows)} articles" in trained.output, trained.output
    archive = open_archive(db)
    with archive.engine.connect() as conn:
        age = tag_model_age(conn)
    archive.dispose()
    assert age is not None and (age.trained_on, age.changes) == (len(rows), 0)


def test_an_editors_tag_saves_count_as_changes(archive) -> None:
    rows = [r for r in _sample() if r.get("tags")]
    _store(archive, rows)
    train_tags(archive)
    with archive.engine.begin() as conn:
        assert learn(conn, article_from_dict(rows[0] | {"tags": ["Бокс", "Астана"]}))
    with archive.engine.connect() as conn:
        age = tag_model_age(conn)
    assert age is not None and (age.trained_on, age.tagged, age.editor_saves, age.changes) == (len(rows),) * 2 + (1, 1)


def test_if_stale_is_for_the_tag_model_only(tmp_path) -> None:
    result = CliRunner().invoke(app, ["--db", str(tmp_path / "x.db"), "train", "--if-stale", "5", "--own-rubrics"])
    assert result.exit_code == 2 and result.output.strip().splitlines() == [
        "error: --if-stale checks the tag model only: train rubrics without it"]


def test_retagging_with_the_stored_audit_keeps_a_doubted_tag_off_the_card(archive) -> None:
    _store(archive, _sample())
    model, flags = train_tags(archive)  # orders the tags with the audit it has just made
    assert ("sample-037", "Футбол") in {(f.article_id, f.tag) for f in flags}

    def order() -> list[str]:
        with archive.engine.connect() as conn:
            return get_article(conn, "sample-037")["tags"]

    assert order()[-1] == "Футбол" and len(order()) > 1
    retag(archive, model)  # `reanalyse` retags with the stored audit
    assert order()[-1] == "Футбол"


def test_the_stored_audit_follows_an_editors_edit_and_a_merge(archive) -> None:
    from newsdesk.store.audit import stored_audit
    from newsdesk.store.editing import update_article
    from newsdesk.store.tagmerge import merge_tags

    _store(archive, _sample())
    _, flags = train_tags(archive)
    flagged = {(f.article_id, f.tag) for f in flags}
    assert ("sample-037", "Футбол") in flagged
    with archive.engine.connect() as conn:
        tags = get_article(conn, "sample-037")["editor_tags"]
    update_article(archive, "sample-037", {"tags": [t for t in tags if t != "Футбол"]})  # the editor agrees
    with archive.engine.connect() as conn:
        left = {(f["article_id"], f["tag"]) for f in stored_audit(conn).flags}
    assert left == flagged - {("sample-037", "Футбол")}  # that flag goes, every other stays until `train`
    article_id, tag = sorted(left)[0]
    with archive.engine.begin() as conn:
        merge_tags(conn, [tag], "Слитый тег")
    with archive.engine.connect() as conn:
        renamed = {(f["article_id"], f["tag"]) for f in stored_audit(conn).flags}
        better = {f.get("better") for f in stored_audit(conn).flags}
    assert (article_id, "Слитый тег") in renamed and (article_id, tag) not in renamed
    assert tag not in better  # a merged-away tag is never the better one


def test_rethread_since_the_middle_of_a_story_keeps_it_whole(archive) -> None:
    """`rethread --since` a date inside the sample's longest story gives every article the story a full
    rethread gives it (it split the story before: the period's part opened a new one), and the story's row
    counts its articles on both sides of the date."""
    from newsdesk.editorial import rethread_since
    from newsdesk.stages.threading import THREADS, ThreadStage

    ingest(archive, [article_from_dict(r) for r in _sample()], Pipeline([ThreadStage()]))

    def stored() -> tuple[dict[str, str], dict[str, int], dict[str, datetime]]:
        with archive.engine.connect() as conn:
            rows = conn.execute(select(ARTICLES.c.id, ARTICLES.c.thread_id, ARTICLES.c.published_at)).all()
            sizes = {r.id: r.size for r in conn.execute(select(THREADS.c.id, THREADS.c.size))}
        return {r.id: r.thread_id for r in rows}, sizes, {r.id: r.published_at for r in rows}

    rethread_since(archive, datetime(2000, 1, 1, tzinfo=UTC))
    full, _, published = stored()
    longest = max(set(full.values()), key=lambda t: (list(full.values()).count(t), t))
    members = sorted((published[a], a) for a, t in full.items() if t == longest)
    assert len(members) >= 3
    rethread_since(archive, members[1][0].replace(tzinfo=UTC))
    again, sizes, _ = stored()
    assert again == full
    assert sizes[longest] == len(members)


def test_a_story_id_a_rethread_retires_redirects_to_where_its_articles_went(tmp_path) -> None:
    """A story split by an earlier `rethread --since` (its part after the date named by its own first
    article) is whole again after the fixed rethread: the retired id's page and API answer 301 to it."""
    from newsdesk.editorial import rethread_since
    from newsdesk.stages.threading import ThreadStage

    archive = open_archive(str(tmp_path / "a.db"))
    ingest(archive, [article_from_dict(r) for r in _sample()], Pipeline([ThreadStage()]))
    rethread_since(archive, datetime(2000, 1, 1, tzinfo=UTC))
    with archive.engine.begin() as conn:  # what the old rethread --since left: sample-083's story split at 084
        conn.execute(update(ARTICLES).where(ARTICLES.c.thread_id == "sample-083", ARTICLES.c.id != "sample-083")
                     .values(thread_id="sample-084"))
    rethread_since(archive, datetime(2000, 1, 1, tzinfo=UTC))
    archive.dispose()
    client = TestClient(create_app(Settings(database_url=str(tmp_path / "a.db"))))
    page = client.get("/story/sample-084", follow_redirects=False)
    api = client.get("/api/v1/threads/sample-084", follow_redirects=False)
    assert (page.status_code, page.headers["location"]) == (301, "/story/sample-083")
    assert (api.status_code, api.headers["location"]) == (301, "/api/v1/threads/sample-083")
    assert client.get("/api/v1/threads/sample-084").json()["id"] == "sample-083"
    assert client.get("/story/no-such-story").status_code == 404
