"""Editor tags that look like one tag (newsdesk.tag_variants), and where editors meet them: `newsdesk
audit --variants`, the /audit page and /api/v1/audit/variants."""

from __future__ import annotations

import json
from importlib.resources import files

from fastapi.testclient import TestClient
from typer.testing import CliRunner

from newsdesk.cli import app
from newsdesk.config import Settings
from newsdesk.slug import slugify
from newsdesk.surnames import PeopleIndex
from newsdesk.tag_variants import Variants, find_variants, letters
from newsdesk.web.app import create_app
from test_web_support import api_fixture, pg_url_fixture  # noqa: F401 - fixtures


def test_spellings_word_forms_and_people_are_one_tag() -> None:
    people = PeopleIndex()
    for _ in range(2):
        people.learn("Владимир Путин")
    found = find_variants({"Театр": 14, "театры": 1, "путин": 47, "Владимир Путин": 6, "Санкт-Петербург": 3,
                           "санктпетербург": 8, "ЧМ-2018": 2, "чм 2018": 1, "Бокс": 5}, people)
    assert found == [Variants((("путин", 47), ("Владимир Путин", 6)), "person"),
                     Variants((("Театр", 14), ("театры", 1)), "word forms"),
                     Variants((("санктпетербург", 8), ("Санкт-Петербург", 3)), "spelling"),
                     Variants((("ЧМ-2018", 2), ("чм 2018", 1)), "spelling")]
    assert found[0].uses == 53 and found[0].as_dict()["keep"] == "путин"


def test_different_tags_stay_apart() -> None:
    assert find_variants({"выборы": 5, "выбор": 2, "Пенсия 2026": 4, "Пенсия 2025": 3, "война": 9,
                          "холодная война": 2, "путин": 3, "Владимир Путин": 1}) == []  # no people index: no person
    # a word that may be a surname is no form of a common noun, nor a woman's of a man's surname
    assert find_variants({"зайцев": 1, "заяц": 1, "достоевский": 9, "достоевская": 1}) == []


def test_letters_fold_case_punctuation_and_kazakh_letters() -> None:
    assert letters("Санкт-Петербург") == letters("санкт петербург") == "санктпетербург"
    assert letters("Тоқаев") == letters("ТОКАЕВ") == "токаев"
    assert letters("Ёлка") == "елка"


def _sample_with_variants() -> list[dict]:
    rows = [json.loads(r) for r in (files("newsdesk") / "sample" / "articles.jsonl").read_text("utf-8").splitlines()]
    renamed = 0
    for row in rows:  # two editors file earthquakes under the plural
        if "Землетрясение" in row["tags"] and renamed < 3:
            row["tags"] = ["Землетрясения" if t == "Землетрясение" else t for t in row["tags"]]
            renamed += 1
    return rows


def test_train_finds_them_and_editors_see_them(tmp_path) -> None:
    source = tmp_path / "tagged.jsonl"
    source.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in _sample_with_variants()), encoding="utf-8")
    db = str(tmp_path / "outlet.db")
    runner = CliRunner()
    assert runner.invoke(app, ["--db", db, "ingest", "--no-nlp", str(source)]).exit_code == 0
    untrained = runner.invoke(app, ["--db", db, "audit", "--variants"])
    assert untrained.stdout == ""  # not trained yet: nothing stored, and the reason on stderr
    assert untrained.exit_code == 0 and "no `newsdesk train` yet" in untrained.stderr
    assert runner.invoke(app, ["--db", db, "-q", "train"]).exit_code == 0
    lines = runner.invoke(app, ["--db", db, "audit", "--variants", "--json"]).output.splitlines()
    assert [json.loads(line) for line in lines] == [
        {"tags": [{"tag": "Землетрясение", "articles": 11}, {"tag": "Землетрясения", "articles": 3}],
         "reason": "word forms", "keep": "Землетрясение"}]
    text = runner.invoke(app, ["--db", db, "audit", "--variants"]).output
    assert text == "word forms: «Землетрясение» (11), «Землетрясения» (3)\n"
    with TestClient(create_app(Settings(database_url=db))) as site:
        (group,) = site.get("/api/v1/audit/variants").json()["items"]
        assert [t["page_url"] for t in group["tags"]] == ["/tag/zemletryasenie", "/tag/zemletryaseniya"]
        assert all(site.get(t["page_url"]).status_code == 200 for t in group["tags"])
        page = site.get("/audit").text
        assert "Похожие теги" in page and 'href="/tag/zemletryaseniya"' in page and "формы слова" in page


def _variants_archive(tmp_path) -> tuple[str, CliRunner]:
    rows = _sample_with_variants()
    both = next(r for r in rows if "Землетрясения" in r["tags"])
    both["tags"] = both["tags"] + ["Землетрясение"]  # one article carries both spellings
    source = tmp_path / "tagged.jsonl"
    source.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    db = str(tmp_path / "outlet.db")
    runner = CliRunner()
    assert runner.invoke(app, ["--db", db, "ingest", "--no-nlp", str(source)]).exit_code == 0
    assert runner.invoke(app, ["--db", db, "-q", "train"]).exit_code == 0
    return db, runner


def _editor_tags(runner: CliRunner, db: str, tmp_path) -> dict[str, list[str]]:
    out = tmp_path / "export.jsonl"
    assert runner.invoke(app, ["--db", db, "-q", "export", "-o", str(out)]).exit_code == 0
    return {r["id"]: r["editor_tags"] for r in map(json.loads, out.read_text(encoding="utf-8").splitlines())}


def test_merging_variants_moves_every_article_to_the_kept_tag(tmp_path) -> None:
    db, runner = _variants_archive(tmp_path)
    before = _editor_tags(runner, db, tmp_path)
    result = runner.invoke(app, ["--db", db, "merge-tags", "Землетрясения", "--into", "Землетрясение"])
    assert result.exit_code == 0, result.output
    assert "merged «Землетрясения» into «Землетрясение»: editor tags of 3 articles" in " ".join(result.output.split())
    after = _editor_tags(runner, db, tmp_path)
    assert sum("Землетрясение" in tags for tags in after.values()) == 14  # 11 + 3, the one with both counted once
    assert not any("Землетрясения" in tags for tags in after.values())
    assert all(len(tags) == len(set(tags)) for tags in after.values())
    renamed = {k: {"Землетрясение" if t == "Землетрясения" else t for t in v} for k, v in before.items()}
    assert {k: set(v) for k, v in after.items()} == renamed  # nothing else moved
    assert runner.invoke(app, ["--db", db, "audit", "--variants"]).output == ""  # the group is gone
    with TestClient(create_app(Settings(database_url=db))) as site:
        moved = site.get("/tag/zemletryaseniya?page=2", follow_redirects=False)
        assert moved.status_code == 301 and moved.headers["location"] == "/tag/zemletryasenie?page=2"
        assert site.get("/tag/zemletryaseniya/feed.xml", follow_redirects=False).headers["location"] == (
            "/tag/zemletryasenie/feed.xml")
        assert len(site.get("/api/v1/articles?tag=zemletryaseniya&limit=100").json()["items"]) == 14
    unknown = runner.invoke(app, ["--db", db, "merge-tags", "Цунами", "--into", "Землетрясение"])
    assert unknown.exit_code == 2 and "error: no tag 'Цунами' in the archive" in unknown.output


def test_merging_through_the_api(api) -> None:  # noqa: F811 - the fixture of test_web_support
    from test_web_support import auth

    tags = {t["name"]: t["count"] for t in api.get("/api/v1/tags?limit=100").json()["items"]}
    name = next(iter(tags))
    body = {"tags": [name.upper() + " "], "into": name}  # the same tag spelled otherwise: nothing to merge
    assert api.post("/api/v1/tags/merge", json=body, headers=auth()).status_code == 422
    body = {"tags": [name], "into": "Новое имя тега"}
    assert api.post("/api/v1/tags/merge", json=body).status_code == 401
    done = api.post("/api/v1/tags/merge", json=body, headers=auth())
    assert done.status_code == 200, done.text
    assert done.json()["into"] == "Новое имя тега" and done.json()["merged"] == [name]
    assert done.json()["articles"] >= 1 and done.json()["page_url"] == "/tag/novoe-imya-tega"
    after = {t["name"]: t["count"] for t in api.get("/api/v1/tags?limit=100").json()["items"]}
    assert name not in after and after["Новое имя тега"] == tags[name]
    other = next(t for t in after if t != "Новое имя тега")
    assert api.post("/api/v1/tags/merge", json={"tags": ["Новое имя тега"], "into": other},
                    headers=auth()).status_code == 200
    first = api.get(f"/tag/{slugify(name)}", follow_redirects=False)  # the first merge's page follows the second
    assert first.status_code == 301 and first.headers["location"] == f"/tag/{slugify(other)}"
    assert api.get(f"/tag/{slugify(other)}").status_code == 200
    assert api.post("/api/v1/tags/merge", json={"tags": ["нет такого"], "into": "x"}, headers=auth()).status_code == 404


def test_a_merged_spelling_that_comes_back_is_stored_under_the_kept_tag(tmp_path) -> None:
    from sqlalchemy import select

    from newsdesk.records import Article
    from newsdesk.store.db import open_archive
    from newsdesk.store.tagmerge import merge_tags
    from newsdesk.store.writer import TAGS, Writer

    archive = open_archive(str(tmp_path / "outlet.db"))
    writer = Writer()  # one writer across the merge, as a long-running `watch` keeps it
    first = Article(title="Толчки в Алматы", id="a1", editor_tags=["Землетрясения"])
    with archive.engine.begin() as conn:
        writer.write(conn, [first], [])
    with archive.engine.begin() as conn:  # an editor merges, in another process
        merge_tags(conn, ["Землетрясения"], "Землетрясение")
    later = Article(title="Новые толчки", id="a2", editor_tags=["землетрясения", "Алматы"])
    with archive.engine.begin() as conn:
        writer.write(conn, [later], [])
        names = set(conn.scalars(select(TAGS.c.name)))
    assert names == {"Землетрясение", "Алматы"}  # the old spelling is not recreated
    db, runner = str(tmp_path / "outlet.db"), CliRunner()
    assert _editor_tags(runner, db, tmp_path) == {"a1": ["Землетрясение"], "a2": ["Землетрясение", "Алматы"]}
    with TestClient(create_app(Settings(database_url=db))) as site:
        moved = site.get("/tag/zemletryaseniya", follow_redirects=False)
        assert moved.status_code == 301 and moved.headers["location"] == "/tag/zemletryasenie"
        assert site.get("/tag/zemletryasenie").status_code == 200


def test_one_name_in_another_order_alphabet_or_spelling_is_one_tag(tmp_path) -> None:
    from newsdesk.ingest import ingest
    from newsdesk.pipeline import Pipeline
    from newsdesk.records import Article
    from newsdesk.store import open_archive
    from newsdesk.store.tagmerge import merge_tags
    from newsdesk.store.writer import ARTICLE_TAGS, TAGS, same_words

    def tagged(i: int, *tags: str) -> Article:
        return Article(id=f"a{i}", title=f"Новость {i}", paragraphs=["Текст."], lang="ru", editor_tags=list(tags))

    archive = open_archive(str(tmp_path / "a.db"))
    ingest(archive, [tagged(1, "Бишимбаев Куандык", "Доналд Трамп")], Pipeline([]))
    ingest(archive, [tagged(2, "Куандык Бишимбаев", "Дональд Трамп"), tagged(3, "Қасым-Жомарт Тоқаев"),
                     tagged(4, "Касым-Жомарт Токаев", "Токаев Касым-Жомарт")], Pipeline([]))
    with archive.engine.connect() as conn:
        tags = {r.slug: r.name for r in conn.execute(TAGS.select())}
        rows = conn.execute(ARTICLE_TAGS.select().where(ARTICLE_TAGS.c.article_id == "a4")).all()
    assert tags == {"bishimbaev-kuandyk": "Бишимбаев Куандык", "donald-tramp": "Дональд Трамп",  # the Russian spelling
                    "qasym-zhomart-toqaev": "Касым-Жомарт Токаев"}  # named in Russian once met so
    assert len(rows) == 1  # two names of one tag on one article: one tag
    assert same_words("Путин") is None and same_words("Новая Москва") != same_words("Новая Россия")
    with archive.engine.begin() as conn:  # a merge into the same words in another order keeps every article
        merged = merge_tags(conn, ["Бишимбаев Куандык"], "Куандык Бишимбаев")
    with archive.engine.connect() as conn:
        kept = conn.execute(TAGS.select().where(TAGS.c.slug == "kuandyk-bishimbaev")).one()
        assert merged.articles == 2 and len(conn.execute(ARTICLE_TAGS.select().where(
            ARTICLE_TAGS.c.tag_id == kept.id)).all()) == 2
    archive.dispose()


def test_a_merge_into_the_same_tag_spelled_otherwise_renames_it(tmp_path) -> None:
    db, runner = _variants_archive(tmp_path)
    before = sum("Землетрясение" in tags for tags in _editor_tags(runner, db, tmp_path).values())
    result = runner.invoke(app, ["--db", db, "merge-tags", "Землетрясение", "--into", "землетрясение"])
    assert result.exit_code == 0, result.output
    after = _editor_tags(runner, db, tmp_path)
    assert before >= 11 and sum("землетрясение" in tags for tags in after.values()) == before
    assert not any("Землетрясение" in tags for tags in after.values())
    again = runner.invoke(app, ["--db", db, "merge-tags", "землетрясение", "--into", "землетрясение"])
    assert again.exit_code == 2  # nothing to rename


def test_a_tag_keeps_the_kind_the_engine_found_whichever_article_comes_last(tmp_path) -> None:
    from newsdesk.ingest import ingest
    from newsdesk.pipeline import Pipeline
    from newsdesk.records import Article, TagScore
    from newsdesk.store import open_archive
    from newsdesk.store.writer import TAGS

    place = Article(id="p", title="Новость", paragraphs=["Текст."], lang="ru", editor_tags=["Астана"],
                    tag_kinds={"Астана": "place"})
    suggested = Article(id="s", title="Другая новость", paragraphs=["Текст."], lang="ru",
                        suggested_tags=[TagScore("Астана", 0.3)])  # a suggestion carries no kind
    archive = open_archive(str(tmp_path / "a.db"))
    ingest(archive, [place, suggested], Pipeline([]))  # one batch, the suggestion last (QA: an export read back)
    with archive.engine.connect() as conn:
        assert conn.execute(TAGS.select()).one()._mapping["kind"] == "place"
    archive.dispose()
