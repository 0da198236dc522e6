"""`tgnews` batch modes on real contest pages, and the pieces under them (page parsing, parameters)."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from newsdesk.tgnews import analysis, batch
from newsdesk.tgnews.cli import main
from newsdesk.tgnews.page import parse
from newsdesk.tgnews.server import BadRequest, file_name, parse_max_age, threads_query

pytestmark = pytest.mark.shared
QUOTAS = {"ru": 45, "en": 35, "latin": 8, "other": 8, "uk": 4, "kk": 1}  # by a rough guess, not our detector


def contest_rows(shared: Path) -> list[dict]:
    """About a hundred pages of the contest's 15 Nov 2019 hour, plus its one Kazakh page."""
    taken: dict[str, int] = {}
    chosen = []
    with gzip.open(shared / "html_pages_tgcontest2019" / "pages.jsonl.gz", "rt", encoding="utf-8") as lines:
        for line in lines:
            row = json.loads(line)
            guess = row["lang_guess_heuristic"]
            if guess == "latin" and (row["text"] or "").count(" the ") >= 3:
                guess = "en"
            if (row["sample_dir"] == "20191115/00" or guess == "kk") and taken.get(guess, 0) < QUOTAS.get(guess, 0):
                taken[guess] = taken.get(guess, 0) + 1
                chosen.append(row)
    return chosen


def file_of(row: dict) -> str:
    return row.get("file_name") or row["orig_file"].split("@")[0].rsplit("/", 1)[-1]


@pytest.fixture(scope="module")
def pages(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("pages")
    for i, row in enumerate(contest_rows(shared_data)):
        folder = root / ("a" if i % 2 else "b")  # the pages may sit in sub-folders
        folder.mkdir(exist_ok=True)
        (folder / file_of(row)).write_text(row["html"], encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def names(pages: Path) -> set[str]:
    return {p.name for p in pages.rglob("*.html")}


def run(mode: str, pages: Path, capsys: pytest.CaptureFixture[str]) -> object:
    assert main([mode, str(pages)]) == 0
    return json.loads(capsys.readouterr().out)


def test_languages_accounts_for_every_page(pages, names, capsys):
    found = run("languages", pages, capsys)
    listed = [name for group in found for name in group["articles"]]
    assert sorted(listed) == sorted(names)  # every page once, bare names
    codes = {group["lang_code"]: group["articles"] for group in found}
    assert set(codes) <= {"en", "ru", "kk", "other"}
    assert len(codes["ru"]) >= 30 and len(codes["en"]) >= 20
    assert "3440873159660136678.html" in codes["kk"]  # «"K-pop - нағыз бум". Корей әншісі …»
    assert all("/" not in name for name in listed)


def test_news_lists_only_contest_languages(pages, names, capsys):
    languages = {g["lang_code"]: set(g["articles"]) for g in run("languages", pages, capsys)}
    found = run("news", pages, capsys)
    assert set(found) == {"articles"}
    assert set(found["articles"]) <= languages["ru"] | languages["en"] | languages["kk"]
    assert not set(found["articles"]) & languages.get("other", set())
    assert len(found["articles"]) > 40


def test_categories_cover_the_news_once(pages, capsys):
    news = run("news", pages, capsys)["articles"]
    found = run("categories", pages, capsys)
    assert [g["category"] for g in found] == list(analysis.CATEGORIES)
    listed = [name for g in found for name in g["articles"]]
    assert sorted(listed) == sorted(news)


def test_threads_group_the_news_once(pages, capsys):
    news = run("news", pages, capsys)["articles"]
    found = run("threads", pages, capsys)
    assert all(set(t) == {"title", "articles"} and t["title"] and t["articles"] for t in found)
    listed = [name for t in found for name in t["articles"]]
    assert sorted(listed) == sorted(news)
    assert len(found) < len(listed)  # some stories were told by several outlets


def test_parallel_analysis_gives_the_same_answer(pages, monkeypatch):
    alone = batch.run("threads", pages, workers=1)
    monkeypatch.setattr(batch, "CHUNK", 20)
    monkeypatch.setattr(batch, "PARALLEL_FROM", 40)
    assert batch.run("threads", pages, workers=2) == alone


def test_console_script(pages):
    done = subprocess.run([sys.executable, "-m", "newsdesk.tgnews.cli", "languages", str(pages)],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert {g["lang_code"] for g in json.loads(done.stdout)} >= {"ru", "en"}


def test_missing_directory_is_an_error(tmp_path, capsys):
    assert main(["news", str(tmp_path / "nowhere")]) == 2
    assert "no such directory" in capsys.readouterr().err


def test_empty_directory_gives_empty_documents(tmp_path, capsys):
    assert run("languages", tmp_path, capsys) == []
    assert run("news", tmp_path, capsys) == {"articles": []}
    assert run("threads", tmp_path, capsys) == []
    assert all(g["articles"] == [] for g in run("categories", tmp_path, capsys))


# the page reader


PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8"/>
<meta property="og:url" content="https://tengrinews.kz/kazakhstan_news/1/"/>
<meta property="og:site_name" content="Tengrinews.kz"/>
<meta property="article:published_time" content="2019-11-15T06:05:00+06:00"/>
<meta property="og:title" content="Аким Алматы &laquo;встретился&raquo; с жителями"/>
<meta property="og:description" content="Ерболат Досаев ответил на вопросы."/></head>
<body><article><h1>Аким Алматы «встретился» с жителями</h1><address><time>15 Nov</time></address>
<p>Ерболат Досаев ответил на вопросы.</p><p>Встреча прошла в <b>Медеуском</b> районе,<br/>в&nbsp;акимате.</p>
<figure><img src="x.jpg"/><figcaption>Фото пресс-службы</figcaption></figure>
<blockquote>Мы построим школы</blockquote><ul><li>первый пункт</li></ul>
<related><h4>Читайте также</h4><p>Другая новость</p></related></article></body></html>"""


def test_page_reads_meta_and_paragraphs():
    article = parse(PAGE, "1.html")
    assert article.id == "1.html"
    assert article.title == "Аким Алматы «встретился» с жителями"
    assert article.source == "Tengrinews.kz"
    assert article.published_at == datetime(2019, 11, 15, 0, 5, tzinfo=UTC)
    assert article.lead == ""  # it repeats the first paragraph
    assert article.paragraphs == ["Ерболат Досаев ответил на вопросы.", "Встреча прошла в Медеуском районе, в акимате.",
                                  "Мы построим школы", "первый пункт"]


def test_page_without_anything_is_still_an_article():
    article = parse("<html><body>nothing</body></html>", "x.html")
    assert (article.id, article.title, article.paragraphs, article.published_at) == ("x.html", "", [], None)


# request parameters


@pytest.mark.parametrize(("query", "expected"), [
    ("period=3600&lang_code=ru&category=any", (3600, "ru", "any")),
    ("period=60&lang_code=kk&category=sports", (60, "kk", "sports")),
    ("lang_code=en&category=science&period=86400", (86400, "en", "science")),
])
def test_threads_query(query, expected):
    assert threads_query(query) == expected


@pytest.mark.parametrize("query", [
    "", "period=0&lang_code=ru&category=any", "period=-5&lang_code=ru&category=any",
    "period=1.5&lang_code=ru&category=any", "period=60&lang_code=de&category=any",
    "period=60&lang_code=ru&category=politics", "period=60&lang_code=ru",
])
def test_bad_threads_query(query):
    with pytest.raises(BadRequest):
        threads_query(query)


@pytest.mark.parametrize(("header", "expected"), [
    ("max-age=300", 300), ("public, max-age=86400", 86400), ("Max-Age=2592000", 2592000),
])
def test_max_age(header, expected):
    assert parse_max_age(header) == expected


@pytest.mark.parametrize("header", [None, "", "no-cache", "max-age=299", "max-age=2592001", "max-age=abc"])
def test_bad_max_age(header):
    with pytest.raises(BadRequest):
        parse_max_age(header)


@pytest.mark.parametrize(("path", "expected"), [("/a.html", "a.html"), ("/%D0%B0.html", "а.html")])
def test_file_name(path, expected):
    assert file_name(path) == expected


@pytest.mark.parametrize("path", ["/", "/a/b.html", "/..", "//"])
def test_bad_file_name(path):
    with pytest.raises(BadRequest):
        file_name(path)


# the server's file table


def test_lemmas_are_stored_compactly_and_read_back():
    from newsdesk.analyze import ANALYZER_VERSION
    from newsdesk.similarity import TextLemmas
    from newsdesk.tgnews.files import encode, stored_lemmas

    lemmas = TextLemmas(("аким", "алматы"), ("встреча", "2019", "алматы"), frozenset({"досаев", "алматы"}))
    blob = encode(lemmas)
    assert stored_lemmas(ANALYZER_VERSION, blob) == lemmas
    assert stored_lemmas("an older analyzer", blob) is None  # analysed anew
    empty = TextLemmas(("сауда",), (), frozenset())
    assert stored_lemmas(ANALYZER_VERSION, encode(empty)) == empty
    assert encode(None) is None and stored_lemmas(ANALYZER_VERSION, None) is None


def test_content_type_and_charset():
    from newsdesk.tgnews.server import content_type

    assert content_type("text/html") is None
    assert content_type('text/html; charset="windows-1251"') == "windows-1251"
    with pytest.raises(BadRequest):
        content_type("text/plain; charset=utf-8")


def test_expired_articles_leave_the_index_at_once_and_the_archive_soon(tmp_path):
    from sqlalchemy import func, select

    from newsdesk.store.writer import ARTICLES
    from newsdesk.tgnews import files
    from newsdesk.tgnews.index import Index

    def page(when: str, title: str) -> str:
        return PAGE.replace("2019-11-15T06:05:00+06:00", when).replace("Аким Алматы &laquo;встретился&raquo;", title)

    index = Index.open(tmp_path)
    try:
        assert index.put("old.html", page("2019-11-15T00:00:00+00:00", "Старое"), 300) is True
        assert index.put("new.html", page("2019-11-15T00:06:00+00:00", "Новое"), 300) is True  # 360 s later
        assert "old.html" not in index and "new.html" in index
        assert index.delete("old.html") is False
        assert index.settle(30)
        with index.archive.engine.connect() as conn:
            assert conn.execute(select(func.count()).select_from(ARTICLES)).scalar() == 1
            assert [row.name for row in files.every(conn)] == ["new.html"]
        assert index.put("old.html", page("2019-11-15T00:05:00+00:00", "Старое"), 300) is True  # new again
    finally:
        index.archive.dispose()
