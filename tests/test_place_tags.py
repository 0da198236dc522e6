"""A place is one tag whatever the article's language: «Балқаш» on a Kazakh article and «Балхаш»
on a Russian one share the tag page /tag/balkhash, and each article's page names it in its own
language; older archives' Kazakh-named tags are merged by a migration and their URLs redirect."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from fastapi.testclient import TestClient
from sqlalchemy import text

from newsdesk import gazetteer
from newsdesk.config import Settings
from newsdesk.store import open_archive
from newsdesk.store.db import alembic_config
from newsdesk.web.app import create_app
from test_web_support import fill, learned

RECORDS = [
    learned(id="lake-ru", lang="ru", title="На Балхаше запретили ловлю рыбы до июня",
            text="Запрет связан с нерестом.", published_at="2026-11-20T10:00:00+05:00", tags=["Балхаш"]),
    learned(id="lake-kk", lang="kk", title="Балқаш көлінде балық аулауға маусымға дейін тыйым салынды",
            text="Тыйым уылдырық шашу кезеңіне байланысты.", published_at="2026-11-20T11:00:00+05:00",
            tags=["Балқаш"]),
    learned(id="region-kk", lang="kk", title="Қарағанды облысында жол жөнделеді",
            text="Жөндеу көктемде басталады.", published_at="2026-11-21T09:00:00+05:00",
            tags=["Қарағанды облысы"]),
]


def test_names_map_both_ways() -> None:
    assert gazetteer.canonical_tag("Балқаш") == "Балхаш"
    assert gazetteer.canonical_tag("балқаш ") == "Балхаш"
    assert gazetteer.canonical_tag("Бокс") == "Бокс"
    assert gazetteer.tag_label("Балхаш", "kk") == "Балқаш"
    assert gazetteer.tag_label("Балхаш", "ru") == "Балхаш"
    assert gazetteer.tag_label("Бокс", "kk") == "Бокс"
    assert gazetteer.tag_slug("Балқаш") == gazetteer.tag_slug("balqash") == gazetteer.tag_slug("Балхаш") == "balkhash"


def test_one_tag_page_each_article_in_its_own_language(tmp_path: Path) -> None:
    app = create_app(Settings(database_url=str(tmp_path / "places.db"), load_sample=False), page_cache_bytes=0)
    fill(app.state.archive, RECORDS)
    with app.state.archive.engine.connect() as conn:
        slugs = set(conn.scalars(text("SELECT slug FROM tags")))
    assert slugs == {"balkhash", "karagandinskaya-oblast"}
    with TestClient(app) as client:
        page = client.get("/tag/balkhash")
        assert page.status_code == 200
        assert "Балхаш · Балқаш" in page.text
        assert "/article/lake-ru" in page.text and "/article/lake-kk" in page.text
        kazakh_page = client.get("/article/lake-kk").text
        assert ">Балқаш</a>" in kazakh_page
        assert "Редактор тегтері:</span> <span>Балқаш</span></p>" in kazakh_page  # the editor sees the tag as typed
        assert ">Балхаш</a>" in client.get("/article/lake-ru").text
        assert ">Қарағанды облысы</a>" in client.get("/tag/karagandinskaya-oblast").text  # the Kazakh card's label
        assert 'href="/tag/balkhash">Балхаш · Балқаш <small>2</small>' in client.get("/tags").text
        moved = client.get("/tag/balqash?after=x", follow_redirects=False)
        assert (moved.status_code, moved.headers["location"]) == (301, "/tag/balkhash?after=x")
        feed = client.get("/tag/balqash/feed.xml", follow_redirects=False)
        assert feed.headers["location"] == "/tag/balkhash/feed.xml"
        assert "<title>Балхаш · Балқаш — " in client.get("/tag/balkhash/feed.xml").text
        listed = client.get("/api/v1/articles", params={"tag": "balqash"}).json()["items"]
        assert {a["id"]: a["tag_labels"] for a in listed} == {"lake-ru": ["Балхаш"], "lake-kk": ["Балқаш"]}
        assert all(a["tags"] == ["Балхаш"] for a in listed)  # the stored name
    app.state.archive.dispose()


def test_the_migration_merges_older_kazakh_named_tags(db_url: str) -> None:
    archive = open_archive(db_url)  # a real SQLite file, and once the local PostgreSQL
    fill(archive, RECORDS)
    with archive.engine.begin() as conn:  # what an older version wrote: one tag per language
        conn.execute(text("INSERT INTO tags (slug, name, kind) VALUES ('balqash', 'Балқаш', 'place'), "
                          "('qaragandy-oblysy', 'Қарағанды облысы', 'place')"))
        conn.execute(text("UPDATE article_tags SET tag_id = (SELECT id FROM tags WHERE slug = 'qaragandy-oblysy') "
                          "WHERE article_id = 'region-kk'"))
        conn.execute(text("INSERT INTO article_tags (article_id, tag_id, origin, position) "
                          "SELECT 'lake-kk', id, 'editor', 0 FROM tags WHERE slug = 'balqash'"))  # both names
        conn.execute(text("INSERT INTO article_tags (article_id, tag_id, origin, position) "
                          "SELECT 'lake-kk', id, 'auto', 1 FROM tags WHERE slug = 'balqash'"))
        conn.execute(text("DELETE FROM tags WHERE slug = 'karagandinskaya-oblast'"))
    cfg = alembic_config()
    with archive.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0006_vectors")
        command.upgrade(cfg, "head")
    with archive.engine.connect() as conn:
        tags = {r.slug: r.name for r in conn.execute(text("SELECT slug, name FROM tags"))}
        rows = set(map(tuple, conn.execute(text("SELECT a.article_id, t.slug, a.origin FROM article_tags a "
                                     "JOIN tags t ON t.id = a.tag_id")).all()))
    assert tags == {"balkhash": "Балхаш", "karagandinskaya-oblast": "Карагандинская область"}
    assert rows == {("lake-ru", "balkhash", "editor"), ("lake-kk", "balkhash", "editor"),
                    ("lake-kk", "balkhash", "auto"), ("region-kk", "karagandinskaya-oblast", "editor")}
    archive.dispose()
