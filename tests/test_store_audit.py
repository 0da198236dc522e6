"""The stored tag audit is parsed once per saved version, and a newly saved audit is seen at once."""

from __future__ import annotations

from newsdesk.store import open_archive
from newsdesk.store.audit import save_audit, stored_audit


def flag(article_id: str, tag: str) -> dict:
    return {"article_id": article_id, "tag": tag, "score": 0.1, "better": "Полиция", "title": "Пароли детей"}


def test_the_audit_is_read_once_per_version(db_url: str) -> None:
    archive = open_archive(db_url)
    with archive.engine.connect() as conn:
        assert stored_audit(conn).flags == []
    with archive.engine.begin() as conn:
        save_audit(conn, [flag("a1", "Футбол"), flag("a2", "Медицина")])
    with archive.engine.connect() as conn:
        first = stored_audit(conn)
        assert stored_audit(conn) is first  # the same parsed object while the audit is unchanged
    assert first.pairs == {("a1", "Футбол"), ("a2", "Медицина")}
    assert first.by_article["a1"]["Футбол"]["better"] == "Полиция"
    with archive.engine.begin() as conn:
        save_audit(conn, [flag("a3", "Бокс")])
    with archive.engine.connect() as conn:
        assert stored_audit(conn).pairs == {("a3", "Бокс")}  # a new audit is seen at once
    archive.dispose()


def test_a_small_archive_gets_a_caution() -> None:
    from newsdesk.store.audit import small_archive_note

    assert "198 tagged articles" in (small_archive_note(198, 200) or "")
    assert small_archive_note(200, 200) is None
