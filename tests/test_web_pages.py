"""The HTML pages and their JSON twins, through the real app on a SQLite file."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from newsdesk.store import open_archive
from newsdesk.web import views
from newsdesk.web.i18n import ru_count, ru_date
from test_web_support import client_fixture, fill, learned, make_client  # noqa: F401 - fixtures


@pytest.mark.parametrize("utc, text", [
    (datetime(2026, 11, 24, 9, 5, tzinfo=UTC), "24 ноября 2026, 14:05"),
    (datetime(2026, 1, 1, 19, 0, tzinfo=UTC), "2 января 2026, 00:00"),
    (datetime(2026, 5, 31, 23, 59, tzinfo=UTC), "1 июня 2026, 04:59"),
])
def test_dates_in_almaty(utc: datetime, text: str) -> None:
    assert ru_date(utc) == text


@pytest.mark.parametrize("count, text", [(1, "1 материал"), (3, "3 материала"), (5, "5 материалов"),
                                          (11, "11 материалов"), (21, "21 материал"), (112, "112 материалов"),
                                          (104, "104 материала"), (0, "0 материалов")])
def test_russian_counts(count: int, text: str) -> None:
    assert ru_count(count, "материал", "материала", "материалов") == text


def cards(html: str) -> list[str]:
    return re.findall(r'<article class="card[^"]*">(.*?)</article>', html, re.S)


def test_home_shows_cards_under_their_primary_tag(client: TestClient) -> None:
    html = client.get("/").text
    first = cards(html)[0]
    assert first.index('href="/tag/almaty">Алматы</a>') < first.index("Алматыда жер сілкінісі болды")
    assert "24 ноября 2026, 15:00" in first and 'href="/article/kk-quake"' in first
    assert "Главные темы" in html and 'href="/tag/zemletryasenie"' in html
    assert 'href="/rubric/economy">Экономика</a>' in html and 'action="/search"' in html


def test_home_json_twin_is_the_same_data(client: TestClient) -> None:
    data = client.get("/?format=json").json()
    html = client.get("/").text
    assert [i["id"] for i in data["items"]][:3] == ["kk-quake", "quake-kazinform", "quake-tengri"]  # no copy
    assert all(f'href="{i["link"]}"' in html for i in data["items"] if i["link"])
    assert data["trending"][0] == {"slug": "almaty", "name": "Алматы", "kind": "topic", "count": 3,
                                   "window_hours": 48}  # the data; the page's tooltip says what it counts
    assert 'href="/tag/almaty" title="3 материала за 48 часов">' in html
    assert data["items"][0]["page_url"] == "/article/kk-quake"


def test_headline_cards_link_to_the_original(client: TestClient) -> None:
    html = client.get("/tag/almaty").text
    card = next(c for c in cards(html) if "пожар на СТО" in c)
    assert 'href="https://orda.kz/fire-sto"' in card and "/article/head-url" not in card
    html = client.get("/tag/shymkent").text
    card = next(c for c in cards(html) if "новый парк" in c)
    assert "<span>В Шымкенте открыли новый парк</span>" in card and "/article/" not in card
    page = client.get("/article/head-url")  # the API's page_url of a headline still leads somewhere
    assert page.status_code == 200 and 'href="https://orda.kz/fire-sto"' in page.text
    assert "Только заголовок" in page.text


def test_article_page(client: TestClient) -> None:
    response = client.get("/article/quake-tengri")
    html = response.text
    assert response.status_code == 200
    assert "<h1>В Алматы ощутили землетрясение магнитудой 4,5</h1>" in html
    assert "24 ноября 2026, 14:05" in html and 'href="https://tengrinews.kz/kazakhstan_news/quake-1"' in html
    assert "<p>Пострадавших и разрушений нет, сообщили в МЧС.</p>" in html
    assert 'class="tag" href="/tag/zemletryasenie">Землетрясение' in html
    assert "Канат Бозумбаев" in html and "Организации:" in html and "Места:" in html
    assert client.get("/article/quake-tengri?format=json").json()["article"]["id"] == "quake-tengri"


def test_more_news_never_self_nor_a_second_copy(client: TestClient) -> None:
    """Issue 6: its story first (another outlet's article), never itself, never a duplicate."""
    data = client.get("/article/quake-tengri?format=json").json()
    related = [i["id"] for i in data["related"]]
    assert "quake-tengri" not in related  # itself
    assert "quake-copy" not in related  # an exact copy of it
    assert related[:2] == ["quake-kazinform", "kk-quake"]  # its story, then what shares a tag
    assert set(related) == {"quake-kazinform", "kk-quake", "pension", "oil", "boxing", "head-url", "head-nourl"}
    html = client.get("/article/quake-tengri").text
    aside = html[html.index("Ещё новости"):]
    assert len(cards(aside)) == len(related)


@pytest.mark.parametrize("path, title, first", [
    ("/tag/zemletryasenie", "Землетрясение", "quake-kazinform"),  # the newer copy is not listed
    ("/rubric/economy", "Экономика", "pension"),
    ("/source/Kazinform", "Kazinform", "quake-kazinform"),
    ("/lang/kk", "Қазақша", "kk-quake"),
])
def test_list_pages(client: TestClient, path: str, title: str, first: str) -> None:
    html = client.get(path).text
    assert f"<h1>{title}</h1>" in html
    assert client.get(path + "?format=json").json()["items"][0]["id"] == first


def test_tag_pages_paginate(tmp_path: Path) -> None:
    with make_client(str(tmp_path / "p.db"), page_size=2) as small:
        seen, url = [], "/tag/almaty"
        while url:
            html = small.get(url).text
            seen += re.findall(r'<h3 class="card-title"[^>]*>\s*<a href="([^"]+)"', html)
            found = re.search(r'rel="next" href="([^"]+)"', html)
            url = found.group(1).replace("&amp;", "&") if found else None
        assert seen == ["/article/kk-quake", "/article/quake-kazinform", "/article/quake-tengri",
                        "https://orda.kz/fire-sto"]
        assert "← В начало" in small.get(small.get("/tag/almaty?format=json").json()["next_cursor"].join(
            ["/tag/almaty?after=", ""])).text


def test_tags_page(client: TestClient) -> None:
    html = client.get("/tags").text
    assert 'href="/tag/almaty">Алматы <small>4</small>' in html


def test_a_footer_language_without_articles_is_an_empty_page(client: TestClient) -> None:
    assert 'href="/lang/en">English</a>' in client.get("/").text
    response = client.get("/lang/en")
    assert response.status_code == 200 and "<h1>English</h1>" in response.text
    assert "Здесь пока ничего нет" in response.text
    assert client.get("/lang/en", params={"format": "json"}).json()["items"] == []


@pytest.mark.parametrize("path", ["/tag/net-takoy", "/rubric/politics", "/source/Nobody", "/lang/xx",
                                  "/article/net", "/no/such/page"])
def test_404_helps(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404 and "text/html" in response.headers["content-type"]
    assert "Страница не найдена" in response.text and 'action="/search"' in response.text
    assert "Последние новости" in response.text and "/article/kk-quake" in response.text
    twin = client.get(path, params={"format": "json"})
    assert twin.status_code == 404 and twin.json()["error"]["code"] == "not_found"


def test_bad_cursor_on_a_page(client: TestClient) -> None:
    assert client.get("/?after=garbage").status_code == 422


def test_static_css(client: TestClient) -> None:
    response = client.get("/static/site.css")
    assert response.status_code == 200 and "prefers-color-scheme: dark" in response.text


def test_pages_follow_writes_from_other_processes(client: TestClient) -> None:
    """The page cache is keyed to the archive file: an ingest elsewhere shows on the next request."""
    assert "Новость из другого процесса" not in client.get("/").text
    other = open_archive(client.app.state.settings.database_url)  # type: ignore[attr-defined]
    fill(other, [learned(id="late", title="Новость из другого процесса", text="Текст.",
                         published_at="2026-11-25T08:00:00+05:00", tags=["Алматы"])])
    other.dispose()
    assert "Новость из другого процесса" in client.get("/").text
    assert "/article/late" in client.get("/tag/almaty").text


def test_repeated_pages_come_from_the_cache(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    real = views.article
    monkeypatch.setattr(views, "article", lambda conn, ident, memo: calls.append(ident) or real(conn, ident, memo))
    first, second = client.get("/article/pension"), client.get("/article/pension")
    assert calls == ["pension"] and first.text == second.text
    assert second.headers["content-security-policy"] == first.headers["content-security-policy"]


@pytest.mark.parametrize("path", ["/", "/article/pension", "/feed.xml", "/api/v1/articles"])
def test_head_is_get_without_a_body(client: TestClient, path: str) -> None:
    got, head = client.get(path), client.head(path)
    assert head.status_code == 200 and head.content == b""
    assert head.headers["content-length"] == got.headers["content-length"]
    assert head.headers["content-type"] == got.headers["content-type"]


META = re.compile(r'<p class="meta">(.*?)</p>', re.S)


@pytest.mark.parametrize("path", ["/", "/article/quake-tengri", "/tag/almaty", "/search?q=землетрясение"])
def test_meta_lines_leave_their_separators_to_the_stylesheet(client: TestClient, path: str) -> None:
    """``.meta > * + *::before`` draws «·» between a meta line's elements; a literal «·» beside
    elements would show twice («RSS · · Atom»)."""
    html = client.get(path).text
    lines = META.findall(html)
    assert lines, path
    for line in lines:
        if re.search(r"<(a|span|time)\b", line):
            assert "·" not in re.sub(r"<[^>]*>", "", line), line


def test_the_article_page_links_its_entities(client: TestClient) -> None:
    html = client.get("/article/quake-tengri").text
    assert '<a href="/entity/kanat-bozumbaev">Канат Бозумбаев</a>' in html  # plain text under FastAPI 0.165
    assert '<a href="/entity/almaty">Алматы</a>' in html


def test_a_kazakh_page_names_places_and_institutions_in_kazakh(tmp_path: Path) -> None:
    bank = {"name": "Национальный банк Казахстана", "type": "ORG", "mentions": 1,
            "slug": "natsionalnyy-bank-kazakhstana"}
    kyrgyzstan = {"name": "Кыргызстан", "type": "LOC", "mentions": 1, "slug": "kyrgyzstan"}
    records = [learned(id="kk-bank", lang="kk", title="Ұлттық банк мөлшерлемені өзгертпеді", text="Мәтін.",
                       published_at="2026-11-24T10:00:00+05:00", source="El Habar", rubric="economy",
                       entities=[bank, kyrgyzstan]),
               learned(id="ru-bank", title="Нацбанк сохранил ставку", text="Текст.", rubric="economy",
                       published_at="2026-11-24T11:00:00+05:00", source="Dala News", entities=[bank])]
    with make_client(str(tmp_path / "kk.db")) as client:
        fill(client.app.state.archive, records)
        kazakh = client.get("/article/kk-bank").text
        assert ">Қазақстан Ұлттық банкі</a>" in kazakh and ">Қырғызстан</a>" in kazakh
        assert '<h1 lang="kk">Ұлттық банк' in kazakh and '<div class="body" lang="kk">' in kazakh  # for screen readers
        assert 'lang="kk">' not in client.get("/article/ru-bank").text.split("<aside", 1)[0]
        assert '<h3 class="card-title" lang="kk">' in client.get("/").text
        assert ">Национальный банк Казахстана</a>" in client.get("/article/ru-bank").text
        page = client.get(f"/entity/{bank['slug']}").text
        assert "<h1>Национальный банк Казахстана</h1>" in page
        assert '<p class="meta" lang="kk">Қазақстан Ұлттық банкі</p>' in page
        assert "kk-bank" in page and "ru-bank" in page  # one entity, both languages


def test_a_kazakh_page_names_a_person_as_kazakh_text_spells_them(tmp_path: Path) -> None:
    def boxer(name: str) -> dict:
        return {"name": name, "type": "PER", "mentions": 2, "slug": "adil-sarsenbaev"}

    records = [learned(id="ru-box", title="Адиль Сарсенбаев победил", text="Текст.", source="Dala News",
                       published_at="2026-11-24T11:00:00+05:00", entities=[boxer("Адиль Сарсенбаев")],
                       tags=["Адиль Сарсенбаев"]),
               learned(id="kk-box", lang="kk", title="Әділ Сәрсенбаев жеңді", text="Мәтін.", source="El Habar",
                       published_at="2026-11-24T10:00:00+05:00", entities=[boxer("Әділ Сәрсенбаев")],
                       tags=["Әділ Сәрсенбаев"])]  # the Russian spelling met first: the stored name
    with make_client(str(tmp_path / "kk.db")) as client:
        fill(client.app.state.archive, records)
        kazakh, russian = client.get("/article/kk-box").text, client.get("/article/ru-box").text
        assert '<a href="/entity/adil-sarsenbaev">Әділ Сәрсенбаев</a>' in kazakh
        assert '<a href="/entity/adil-sarsenbaev">Адиль Сарсенбаев</a>' in russian
        assert 'href="/tag/adil-sarsenbaev">Әділ Сәрсенбаев<' in kazakh  # the person's tag too
        page = client.get("/entity/adil-sarsenbaev").text
        assert "<h1>Адиль Сарсенбаев</h1>" in page and '<p class="meta" lang="kk">Әділ Сәрсенбаев</p>' in page
        cards = client.get("/").text
        assert 'href="/tag/adil-sarsenbaev">Әділ Сәрсенбаев<' in cards and 'href="/tag/adil-sarsenbaev">Адиль' in cards
        api = {a["id"]: a for a in client.get("/api/v1/articles").json()["items"]}
        assert api["kk-box"]["entities"][0]["kazakh_name"] == "Әділ Сәрсенбаев"
        assert api["kk-box"]["tag_labels"] == ["Әділ Сәрсенбаев"]
        assert api["ru-box"]["tag_labels"] == ["Адиль Сарсенбаев"]



def test_pagination_links_of_a_source_with_a_space_are_encoded(tmp_path: Path) -> None:
    with make_client(str(tmp_path / "dala.db"), page_size=1) as small:
        fill(small.app.state.archive, [  # type: ignore[attr-defined]
            learned(id=f"dala-{i}", title=f"Новость Dala News номер {i}", text="Текст.", source="Dala News",
                    published_at=f"2026-11-2{i}T10:00:00+05:00") for i in (1, 2)])
        html = small.get("/source/Dala%20News").text
        after = re.search(r'rel="next" href="([^"]+)"', html)
        assert after and after.group(1).startswith("/source/Dala%20News?after="), html
        second = small.get(after.group(1).replace("&amp;", "&")).text
        assert 'href="/source/Dala%20News">← В начало' in second and "dala-1" in second


HEADINGS = re.compile(r"<h([1-6])[\s>]")


@pytest.mark.parametrize("path", ["/tag/almaty", "/story/t-quake", "/entity/almaty", "/search?q=землетрясение",
                                  "/source/Kazinform", "/", "/article/quake-tengri"])
def test_headings_never_skip_a_level(client: TestClient, path: str) -> None:
    levels = [int(level) for level in HEADINGS.findall(client.get(path).text)]
    assert levels[0] == 1 and levels.count(1) == 1, levels
    assert all(b <= a + 1 for a, b in zip(levels, levels[1:], strict=False)), levels


@pytest.mark.parametrize("lang, text", [("ru", "Перейти к содержанию"), ("kk", "Мазмұнға өту")])
def test_every_page_starts_with_a_skip_link(client: TestClient, lang: str, text: str) -> None:
    client.cookies.set("ui_lang", lang)
    for path in ("/", "/tag/almaty", "/article/quake-tengri", "/search?q=x", "/nope"):
        html = client.get(path).text
        body = html[html.index("<body>"):]
        assert body.split("\n")[1] == f'<a class="skip-link" href="#main">{text}</a>', path
        assert 'id="main"' in html


def test_the_audit_page_names_one_training_count_after_deletions(client: TestClient) -> None:
    from newsdesk.stages.tagging import MODEL
    from newsdesk.store.audit import save_audit
    from newsdesk.store.modelstore import save_model

    archive = client.app.state.archive  # type: ignore[attr-defined]
    with archive.engine.begin() as conn:  # trained on 12 tagged articles; the archive holds fewer now
        save_model(conn, MODEL, lambda path: path.write_bytes(b"model"),
                   {"articles": 12, "trained_at": "2026-12-01T10:00:00+00:00"})
        save_audit(conn, [{"article_id": "boxing", "tag": "Бокс", "score": 0.01, "better": None, "title": "Бокс"}])
    text = re.sub(r"\s+", " ", client.get("/audit").text)
    assert "обучена 1 декабря 2026" in text and "на 12 материалах с тегами редакторов; с тех пор" in text
    assert "обучена на 12 материалах с тегами редакторов (меньше 200)" in text
    assert not re.search(r"на [0-9]+ материал", text.replace("на 12 материал", ""))
