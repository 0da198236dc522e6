"""The public CLI contract: ingest (files, stdin), summary and exit status, export."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from newsdesk.cli import app

RECORDS = [
    {"id": "c1", "title": "Аким Шымкента открыл новую школу", "text": "В Шымкенте открылась школа на 1200 мест.",
     "published_at": "2026-11-23T10:00:00+05:00", "tags": ["Шымкент", "Образование"]},
    {"id": "c2", "title": "МРП на 2026 год утвердили", "text": "Правительство утвердило размер МРП.",
     "tags": ["МРП 2026"]},
]


def _jsonl(records) -> str:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)


def test_ingest_summary_and_idempotence(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text(_jsonl(RECORDS), encoding="utf-8")
    db = str(tmp_path / "a.db")
    runner = CliRunner()
    first = runner.invoke(app, ["--db", db, "ingest", str(src)])
    again = runner.invoke(app, ["--db", db, "ingest", str(src)])
    assert first.exit_code == 0, first.output
    assert "added 2, updated 0, unchanged 0, rejected 0" in first.output
    assert "added 0, updated 0, unchanged 2, rejected 0" in again.output


def test_rejections_named_and_exit_status(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text(_jsonl(RECORDS[:1]) + "{broken\n" + _jsonl(RECORDS[1:]), encoding="utf-8")
    result = CliRunner().invoke(app, ["--db", str(tmp_path / "a.db"), "ingest", str(src)])
    assert result.exit_code == 1
    assert f"rejected {src}:2: invalid JSON" in result.output
    assert "added 2, updated 0, unchanged 0, rejected 1" in result.output


def test_unknown_format_is_a_clear_error(tmp_path):
    result = CliRunner().invoke(app, ["--db", str(tmp_path / "a.db"), "ingest", "--format", "pdf", "x"])
    assert result.exit_code == 2 and "--format 'pdf'" in result.output


def test_stdin_and_export_file(tmp_path):
    db = str(tmp_path / "a.db")
    cmd = [sys.executable, "-m", "newsdesk", "--db", db]
    done = subprocess.run([*cmd, "ingest", "-"], input=_jsonl(RECORDS).encode(), capture_output=True, timeout=60)
    assert done.returncode == 0, done.stderr.decode()
    out = tmp_path / "out.jsonl"
    subprocess.run([*cmd, "export", "-o", str(out)], check=True, capture_output=True, timeout=60)
    exported = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in exported] == ["c1", "c2"]
    first = exported[0]
    for field in ("kind", "url", "source", "title", "lead", "text", "published_at", "lang", "rubric", "tags",
                  "editor_tags", "suggested_tags", "entities", "thread_id", "duplicate_of"):
        assert field in first
    assert first["editor_tags"] == ["Шымкент", "Образование"] and first["kind"] == "article"
    assert first["published_at"] == "2026-11-23T05:00:00+00:00"


def test_bad_database_url_is_one_line(tmp_path):
    result = CliRunner().invoke(app, ["--db", "postgresql://nobody@127.0.0.1:1/none", "export"])
    assert result.exit_code == 2 and result.output.startswith("error: cannot open the archive")


@pytest.mark.parametrize("verb", [["search", "пенсия"], ["export"], ["audit"], ["train"],
                                  ["rethread", "--since", "2026-11-01"]])
def test_a_missing_archive_is_an_error_not_an_empty_one(tmp_path, verb):
    typo = tmp_path / "newsdesk-typo.db"
    result = CliRunner().invoke(app, ["--db", str(typo), *verb])
    assert result.exit_code == 2 and f"no archive at {typo}" in result.output
    assert not typo.exists()  # nothing made on the way


def test_unsupported_url_scheme_is_named_and_the_rest_goes_in(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text(_jsonl(RECORDS), encoding="utf-8")
    targets = ["ftp://example.com/x.xml", str(src), "notaurl://x"]
    result = CliRunner().invoke(app, ["--db", str(tmp_path / "a.db"), "ingest", "--no-nlp", *targets])
    assert result.exit_code == 1
    rejected = [line for line in result.output.splitlines() if line.startswith("rejected ")]
    assert rejected == [
        "rejected ftp://example.com/x.xml: unsupported URL scheme 'ftp' (http, https or a file path)",
        "rejected notaurl://x: unsupported URL scheme 'notaurl' (http, https or a file path)",
    ]
    assert "added 2, updated 0, unchanged 0, rejected 2" in result.output


def test_export_dash_is_stdout(tmp_path, monkeypatch):
    db = str(tmp_path / "a.db")
    src = tmp_path / "in.jsonl"
    src.write_text(_jsonl(RECORDS), encoding="utf-8")
    runner = CliRunner()
    assert runner.invoke(app, ["--db", db, "ingest", "--no-nlp", str(src)]).exit_code == 0
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["--db", db, "--quiet", "export", "-o", "-"])
    assert result.exit_code == 0, result.output
    assert [json.loads(line)["id"] for line in result.stdout.splitlines()] == ["c1", "c2"]
    assert not (tmp_path / "-").exists()


def test_unknown_language_is_rejected_not_stored(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text(_jsonl([{**RECORDS[0], "lang": "xx"}, RECORDS[1]]), encoding="utf-8")
    db = str(tmp_path / "a.db")
    result = CliRunner().invoke(app, ["--db", db, "ingest", "--no-nlp", str(src)])
    assert result.exit_code == 1
    assert f"rejected {src}:1: field 'lang': unknown language 'xx': use ru, kk, en or other" in result.output
    exported = CliRunner().invoke(app, ["--db", db, "--quiet", "export"]).stdout
    assert [json.loads(line)["id"] for line in exported.splitlines()] == ["c2"]


def test_ingest_skips_a_deleted_article_until_restore_deleted(tmp_path):
    from newsdesk.store import open_archive
    from newsdesk.store.editing import delete_article

    src = tmp_path / "in.jsonl"
    src.write_text(_jsonl(RECORDS), encoding="utf-8")
    db, runner = str(tmp_path / "a.db"), CliRunner()
    runner.invoke(app, ["--db", db, "ingest", "--no-nlp", str(src)])
    archive = open_archive(db)
    delete_article(archive, "c1")
    archive.dispose()
    skipped = runner.invoke(app, ["--db", db, "ingest", "--no-nlp", str(src)])
    assert "added 0, updated 0, unchanged 1, rejected 0, skipped 1 deleted" in skipped.output
    restored = runner.invoke(app, ["--db", db, "ingest", "--no-nlp", "--restore-deleted", str(src)])
    assert "added 1, updated 0, unchanged 1, rejected 0" in restored.output
    assert "added 0, updated 0, unchanged 2" in runner.invoke(app, ["--db", db, "ingest", "--no-nlp", str(src)]).output


def test_a_first_ctrl_c_ends_a_live_pipe_and_stores_what_came(tmp_path):
    """`ingest -` on a pipe that stays open: the first SIGINT ends the read (it used to wait for the next line)."""
    import signal
    import time

    db = tmp_path / "live.db"
    proc = subprocess.Popen([sys.executable, "-m", "newsdesk", "--db", str(db), "ingest", "--no-nlp", "-"],
                            stdin=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        proc.stdin.write(_jsonl([{"id": f"live-{i}", "title": f"Новость {i}", "text": "Текст."} for i in (1, 2)]))
        proc.stdin.flush()
        deadline = time.monotonic() + 60
        while not db.exists() and time.monotonic() < deadline:  # the archive exists: the handler is in place
            time.sleep(0.1)
        time.sleep(1.0)
        proc.send_signal(signal.SIGINT)
        _, stderr = proc.communicate(timeout=30)  # the pipe is still open: only the signal ends the read
    finally:
        proc.kill()
    assert proc.returncode == 130, stderr
    assert "added 2" in stderr and "SIGINT" in stderr
