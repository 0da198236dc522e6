"""The interface in Kazakh and Russian: the catalogue (walked: nothing missing, nothing stale), the pages in
both languages over the analysed sample, the switch and its cookie, and a cache that never mixes them."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from string import Formatter

import pytest
from fastapi.testclient import TestClient

from newsdesk.config import Settings
from newsdesk.web import kk_messages
from newsdesk.web.app import create_app
from newsdesk.web.cache import ResponseCache
from newsdesk.web.i18n import CATALOGUES, COOKIE, ENTITY_TYPES, RU_NOUNS, RUBRICS, mostly
from newsdesk.web.render import trend_hint

WEB = Path(__file__).resolve().parents[1] / "src/newsdesk/web"
TEMPLATES = sorted((WEB / "templates").glob("*.html"))
CYRILLIC = re.compile("[А-Яа-яЁёӘәҒғҚқҢңӨөҰұҮүҺһІі]")
MESSAGE = re.compile(r'\b_\(\s*"((?:[^"\\]|\\.)*)"')
NOUN = re.compile(r'\bcount\(\s*"([^"]*)"')
RU, KK = CATALOGUES["ru"], CATALOGUES["kk"]


# --- the catalogue ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("utc, ru, kk", [
    (datetime(2024, 4, 12, 9, 5, tzinfo=UTC), "12 апреля 2024, 14:05", "12 сәуір 2024, 14:05"),
    (datetime(2026, 1, 1, 19, 0, tzinfo=UTC), "2 января 2026, 00:00", "2 қаңтар 2026, 00:00"),
    (datetime(2026, 11, 24, 9, 5, tzinfo=UTC), "24 ноября 2026, 14:05", "24 қараша 2026, 14:05"),
    (datetime(2026, 8, 31, 23, 59, tzinfo=UTC), "1 сентября 2026, 04:59", "1 қыркүйек 2026, 04:59"),
])
def test_dates(utc: datetime, ru: str, kk: str) -> None:
    assert (RU.date(utc), KK.date(utc)) == (ru, kk)


@pytest.mark.parametrize("count, noun, ru, kk", [
    (1, "материал", "1 материал", "1 материал"),
    (3, "материал", "3 материала", "3 материал"),
    (21, "материал", "21 материал", "21 материал"),
    (112, "материал", "112 материалов", "112 материал"),
    (5, "упоминание", "5 упоминаний", "5 рет аталған"),
    (2, "копия", "2 копии", "2 көшірме"),
    (11, "источник", "11 источников", "11 дереккөз"),
    (4, "совпадение", "4 совпадения", "4 сәйкестік"),
])
def test_counts_keep_a_kazakh_noun_singular(count: int, noun: str, ru: str, kk: str) -> None:
    assert (RU.count(count, noun), KK.count(count, noun)) == (ru, kk)


@pytest.mark.parametrize("tag, ru, kk", [
    ({"count": 3, "window_hours": 48}, "3 материала за 48 часов", "48 сағатта 3 материал"),
    ({"count": 12, "window_hours": 24, "rising": True, "usual": 0.6},
     "12 материалов за сутки, обычно 0,6", "Тәулікте 12 материал, әдетте 0,6"),
    ({"count": 7, "window_hours": 168, "rising": True, "usual": 1.25},
     "7 материалов за 7 дней, обычно 1,2", "7 күнде 7 материал, әдетте 1,2"),
])
def test_trend_hints(tag: dict, ru: str, kk: str) -> None:
    assert (trend_hint(RU, tag), trend_hint(KK, tag)) == (ru, kk)


def _documentation(tree: ast.AST) -> set[int]:
    """Docstrings, and the API's descriptions (the OpenAPI schema is data, in English)."""
    nodes = [n for n in ast.walk(tree) if isinstance(n, ast.Module | ast.ClassDef | ast.FunctionDef)]
    docs = {id(n.body[0].value) for n in nodes
            if n.body and isinstance(n.body[0], ast.Expr) and isinstance(n.body[0].value, ast.Constant)}
    return docs | {id(k.value) for k in ast.walk(tree) if isinstance(k, ast.keyword)
                   and k.arg in ("description", "summary")}


def python_literals() -> list[tuple[str, str]]:
    """(file, text) of every Cyrillic string the web code writes, documentation aside; the feeds keep their
    Russian titles, and the catalogue modules are the catalogue."""
    found = []
    for path in sorted(WEB.rglob("*.py")):
        if path.name in ("i18n.py", "kk_messages.py", "feedxml.py", "feeds.py"):
            continue
        tree = ast.parse(path.read_text("utf-8"))
        skip = _documentation(tree)
        found += [(path.name, n.value) for n in ast.walk(tree) if isinstance(n, ast.Constant)
                  and isinstance(n.value, str) and id(n) not in skip and CYRILLIC.search(n.value)]
    return found


def template_ids() -> tuple[set[str], set[str]]:
    """The messages and the nouns the templates say through ``_("…")`` and ``|count("…")``."""
    texts = [p.read_text("utf-8") for p in TEMPLATES]
    return ({m for t in texts for m in MESSAGE.findall(t)}, {n for t in texts for n in NOUN.findall(t)})


def used() -> tuple[set[str], set[str]]:
    messages, nouns = template_ids()
    for _, text in python_literals():
        (nouns if text in RU_NOUNS else messages).add(text)
    return messages | set(RUBRICS.values()) | set(ENTITY_TYPES.values()), nouns


def test_every_message_the_site_says_is_in_kazakh() -> None:
    messages, nouns = used()
    assert len(messages) > 100
    assert sorted(messages - set(kk_messages.MESSAGES)) == []
    assert nouns <= set(RU_NOUNS) and set(kk_messages.NOUNS) == set(RU_NOUNS)


def test_the_kazakh_catalogue_has_nothing_unused() -> None:
    assert sorted(set(kk_messages.MESSAGES) - used()[0]) == []


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in Formatter().parse(text) if name is not None}


@pytest.mark.parametrize("key", sorted(kk_messages.MESSAGES))
def test_a_kazakh_message_fills_the_same_blanks(key: str) -> None:
    kazakh = kk_messages.MESSAGES[key]
    assert kazakh.strip() and _fields(kazakh) == _fields(key)


def test_a_kazakh_count_shows_its_number() -> None:
    assert all(_fields(pattern) == {"n"} for pattern in kk_messages.NOUNS.values())


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: p.name)
def test_templates_say_nothing_outside_the_catalogue(template: Path) -> None:
    text = re.sub(r"\{#.*?#\}", "", template.read_text("utf-8"), flags=re.S)
    left = NOUN.sub("", MESSAGE.sub("", text))
    assert not CYRILLIC.findall(left), [line for line in left.splitlines() if CYRILLIC.search(line)]


def test_web_code_says_nothing_outside_the_catalogue() -> None:
    stray = [(name, text) for name, text in python_literals() if text not in kk_messages.MESSAGES
             and text not in RU_NOUNS]
    assert stray == []


@pytest.mark.parametrize("langs, expected", [
    (["kk", "kk", "ru"], "kk"), (["ru", "ru", "kk", "ru"], "ru"), (["ru", "kk"], None), ([], None),
    (["kk"], "kk"), ([None, "kk", "kk"], "kk"),
])
def test_mostly(langs: list, expected: str | None) -> None:
    assert mostly(langs) == expected


# --- pages -------------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """The site over the bundled sample as the real pipeline analysed it (one copy a session)."""
    db = tmp_path_factory.mktemp("i18n") / "sample.db"
    with TestClient(create_app(Settings(database_url=str(db), load_sample=True))) as client:
        yield client


def get(site: TestClient, path: str, ui: str | None = None) -> str:
    site.cookies.clear()
    if ui is not None:
        site.cookies.set(COOKIE, ui)
    response = site.get(path)
    assert response.status_code in (200, 404), (path, response.status_code)
    return response.text


def ui_of(html: str) -> str:
    return re.search(r'<html lang="(\w+)">', html).group(1)


PAGES = [  # (path, template): every page template, on Russian and Kazakh content
    ("/", "home.html"), ("/article/sample-083", "article.html"), ("/article/sample-104", "article.html"),
    ("/tag/almaty", "list.html"), ("/rubric/economy", "list.html"), ("/lang/kk", "list.html"),
    ("/source/El Habar", "list.html"), ("/tags", "tags.html"), ("/search?q=землетрясение", "search.html"),
    ("/search?q=жер сілкінісі", "search.html"), ("/story/sample-083", "story.html"),
    ("/story/sample-095", "story.html"), ("/entity/almaty", "entity.html"), ("/audit", "audit.html"),
    ("/sources", "sources.html"), ("/api/docs", "api_docs.html"), ("/article/no-such-article", "error.html"),
]
BLANK = re.compile("|".join(sorted({re.escape(f"{{{name}}}") for key in kk_messages.MESSAGES
                                    for name in _fields(key)})))
SAYS = {"ru": ['placeholder="Поиск по новостям"', ">Найти</button>", ">Темы</a>", "новости Казахстана на русском"],
        "kk": ['placeholder="Жаңалықтардан іздеу"', ">Табу</button>", ">Тақырыптар</a>", "Қазақстан жаңалықтары"]}


def test_the_table_covers_every_page_template() -> None:
    pages = {p.name for p in TEMPLATES if not p.name.startswith(("_", "base"))}
    assert {template for _, template in PAGES} == pages


@pytest.mark.parametrize("ui", ["ru", "kk"])
@pytest.mark.parametrize("path, template", PAGES)
def test_every_page_renders_in_both_languages(site: TestClient, path: str, template: str, ui: str) -> None:
    html = get(site, path, ui)
    other = "kk" if ui == "ru" else "ru"
    assert ui_of(html) == ui
    assert all(marker in html for marker in SAYS[ui]) and not any(marker in html for marker in SAYS[other])
    assert not BLANK.search(html)  # every blank filled


def test_kazakh_pages_in_kazakh_say_their_headings_in_kazakh(site: TestClient) -> None:
    home = get(site, "/", "kk")
    assert 'aria-label="Басты тақырыптар"' in home and "Басты оқиғалар" in home and "қараша 2026" in home
    assert re.search(r'title="Тәулікте \d+ материал, әдетте \d+,\d"', home)  # the burst's tooltip
    article = get(site, "/article/sample-104", "kk")
    assert "Тағы жаңалықтар" in article and "Редакторға арналған" in article and ">Қоғам</a>" in article
    assert "Ещё новости" not in article and "Главные темы" not in home
    audit = get(site, "/audit", "kk")
    assert "<th>Баға</th>" in audit and "Тегтерді тексеру" in audit and "Проверка тегов" not in audit
    error = get(site, "/article/no-such-article", "kk")
    assert "<h1>Бет табылмады</h1>" in error and "404 қатесі" in error


def test_a_kazakh_page_names_places_and_institutions_in_kazakh(site: TestClient) -> None:
    chips = {ui: dict(re.findall(r'class="tag" href="/tag/([^"]+)"[^>]*>([^<]+?) <', get(site, "/", ui)))
             for ui in ("ru", "kk")}
    assert chips["ru"]["talgar"] == "Талгар" and chips["kk"]["talgar"] == "Талғар"  # «Главные темы»
    tags = dict(re.findall(r'class="tag" href="/tag/([^"]+)"[^>]*>([^<]+?) <', get(site, "/tags", "kk")))
    assert tags["karaganda"] == "Караганда · Қарағанды"  # every tag's page is titled in both languages
    assert tags["ministerstvo-inostrannykh-del"] == "Министерство иностранных дел · Сыртқы істер министрлігі"


@pytest.mark.parametrize("path, ui", [
    ("/lang/kk", "kk"), ("/article/sample-104", "kk"), ("/story/sample-095", "kk"),  # Kazakh content
    ("/search?q=жер&lang=kk", "kk"),
    ("/", "ru"), ("/lang/ru", "ru"), ("/lang/en", "ru"), ("/article/sample-083", "ru"), ("/tag/almaty", "ru"),
    ("/story/sample-083", "ru"),  # mostly Russian, one Kazakh article
    ("/story/nd-0ca42aa825982f9e", "ru"),  # one Russian and one Kazakh: no majority
])
def test_without_a_choice_the_page_speaks_its_content_language(site: TestClient, path: str, ui: str) -> None:
    assert ui_of(get(site, path)) == ui


def test_the_readers_choice_beats_the_content(site: TestClient) -> None:
    kazakh = get(site, "/article/sample-104", "ru")
    assert ui_of(kazakh) == "ru" and "Ещё новости" in kazakh and '<h1 lang="kk">' in kazakh
    russian = get(site, "/article/sample-083", "kk")
    assert ui_of(russian) == "kk" and "Тағы жаңалықтар" in russian
    assert '<h1 lang="ru">«Тобол» выиграл Кубок Казахстана' in russian  # its own text keeps its language
    assert '<div class="body" lang="ru">' in russian and '<p class="lead" lang="ru">' in russian
    assert '<section class="mentions" aria-label="Мәтінде аталғандар" lang="ru">' in russian
    assert '<a class="tag" lang="ru" href="/tag/' in russian
    assert re.search(r'<h3 class="card-title" lang="kk">', russian)  # a Kazakh card stays Kazakh
    main = get(site, "/article/sample-083", "ru").split("<main", 1)[1].split("<footer", 1)[0]
    assert 'lang="ru"' not in main  # no need on a Russian page


def test_an_unknown_cookie_counts_as_no_choice(site: TestClient) -> None:
    assert ui_of(get(site, "/article/sample-104", "de")) == "kk"
    assert ui_of(get(site, "/article/sample-083", "<script>")) == "ru"


# --- the switch ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("target, location", [
    ("/article/sample-083", "/article/sample-083"),
    ("/search?q=жер&lang=kk", "/search?q=%D0%B6%D0%B5%D1%80&lang=kk"),
    ("/tag/almaty?after=abc", "/tag/almaty?after=abc"),
    (None, "/"), ("", "/"),
    ("//evil.com", "/"), ("//evil.com/path", "/"), ("http://evil.com", "/"), ("https://evil.com/x", "/"),
    ("/\\evil.com", "/"), ("\\\\evil.com", "/"), ("/\t/evil.com", "/"), ("/\n/evil.com", "/"),
    ("javascript:alert(1)", "/"), ("evil.com", "/"), ("///evil.com", "/"),
])
def test_the_switch_sets_the_cookie_and_goes_back_home_only(site: TestClient, target: str | None,
                                                            location: str) -> None:
    site.cookies.clear()
    response = site.get("/ui/kk", params={} if target is None else {"next": target}, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == location
    cookie = response.headers["set-cookie"]
    assert cookie.startswith(f"{COOKIE}=kk;") and "Max-Age=31536000" in cookie and "HttpOnly" in cookie
    assert "SameSite=lax" in cookie and "Path=/" in cookie
    assert response.headers["cache-control"] == "no-store"


def test_the_switch_is_a_link_to_here_and_works(site: TestClient) -> None:
    site.cookies.clear()
    page = site.get("/lang/ru").text
    link = re.search(r'<a lang="kk" hreflang="kk" rel="nofollow" href="([^"]+)">Қазақша</a>', page).group(1)
    assert link == "/ui/kk?next=/lang/ru"
    landed = site.get(link)  # follows the 303 with the new cookie
    assert landed.url.path == "/lang/ru" and ui_of(landed.text) == "kk"
    assert '<span lang="kk" aria-current="true">Қазақша</span>' in landed.text
    back = site.get("/ui/ru?next=/lang/kk")
    assert back.url.path == "/lang/kk" and ui_of(back.text) == "ru"  # the choice beats the Kazakh content


def test_the_switch_knows_two_languages(site: TestClient) -> None:
    assert site.get("/ui/de?next=/", follow_redirects=False).status_code == 404


# --- caching ------------------------------------------------------------------------------------------------

def as_reader(ui: str | None) -> dict[str, str]:
    return {"cookie": f"{COOKIE}={ui}"} if ui else {}


def response_cache(client: TestClient) -> ResponseCache:
    layer = client.app.middleware_stack  # type: ignore[attr-defined]
    while not isinstance(layer, ResponseCache):
        layer = layer.app
    return layer


@pytest.mark.parametrize("path", ["/article/sample-083", "/article/sample-104", "/", "/lang/kk",
                                  "/tag/almaty?format=json"])
def test_the_cache_never_serves_one_language_to_the_other(site: TestClient, path: str) -> None:
    """Each reader asks twice, in turn, so the second round comes from the cache: a Russian reader never
    gets the Kazakh page nor the other way round, and a reader without a choice gets the page's own."""
    site.cookies.clear()
    cache = response_cache(site)
    readers = [None, "kk", "ru"]
    pages = [site.get(path, headers=as_reader(ui)) for ui in readers]
    hits = cache.hits
    again = [site.get(path, headers=as_reader(ui)) for ui in readers * 2]
    assert cache.hits - hits == len(again)  # all from the cache
    for first, second in zip(pages * 2, again, strict=True):
        assert second.content == first.content and second.headers["vary"] == "Cookie"
    if "format=json" not in path:
        assert [ui_of(p.text) for p in pages[1:3]] == ["kk", "ru"]
        assert ui_of(pages[0].text) == ("kk" if path in ("/article/sample-104", "/lang/kk") else "ru")
        assert pages[1].headers["content-language"] == "kk" and pages[2].headers["content-language"] == "ru"


def test_the_json_api_speaks_no_interface_language(site: TestClient) -> None:
    site.cookies.clear()
    plain = site.get("/api/v1/articles?lang=kk&limit=3")
    chosen = site.get("/api/v1/articles?lang=kk&limit=3", headers=as_reader("kk"))
    assert plain.content == chosen.content and "vary" not in plain.headers
