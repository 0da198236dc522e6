"""Every input format, and every kind of bad input, read into records or one-line errors."""

from __future__ import annotations

import gzip
import io
import json
import zipfile
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from newsdesk.errors import InputError, InputWarning
from newsdesk.records import HEADLINE
from newsdesk.sources import detect_format, read
from newsdesk.sources.decode import detect_encoding
from newsdesk.sources.feeds import outlet_name
from newsdesk.sources.fields import clean_line, parse_date

ARTICLE = {
    "id": "kz-1", "url": "https://dala-news.kz/almaty/quake",
    "title": "В Алматы ощутили землетрясение",
    "lead": "Толчки магнитудой 4,2 зарегистрировали ночью.",
    "text": "Сейсмологи сообщили о толчках.\n\nПострадавших нет, сообщили в ДЧС.",
    "published_at": "2026-11-24T03:15:00+05:00", "source": "Dala News", "tags": ["Землетрясение", "Алматы"],
}

RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Степной вестник</title><link>https://stepnoy.kz</link>
<item><title>МРП в 2026 году вырастет</title><link>https://stepnoy.kz/mrp-2026</link>
<guid>https://stepnoy.kz/mrp-2026</guid><pubDate>Mon, 23 Nov 2026 10:00:00 +0500</pubDate>
<category>МРП 2026</category><description>&lt;p&gt;Минфин предложил новый размер МРП.&lt;/p&gt;</description></item>
<item><title>Тобол обыграл Кайрат</title><link>https://stepnoy.kz/tobol</link>
<pubDate>Sun, 22 Nov 2026 21:30:00 +0500</pubDate><description>Матч завершился со счётом 2:1.</description></item>
</channel></rss>"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Qazaq Times</title><id>urn:qt</id>
<updated>2026-11-24T09:00:00+05:00</updated>
<entry><title>Астанада жаңа мектеп ашылды</title><id>urn:qt:1</id>
<link href="https://qazaq-times.kz/1"/><updated>2026-11-24T09:00:00+05:00</updated>
<content type="html">&lt;p&gt;Елордада 1200 орындық мектеп ашылды.&lt;/p&gt;
&lt;p&gt;Оқушылар қуанышты.&lt;/p&gt;</content>
</entry></feed>"""

PAGE = """<!doctype html><html><head><meta charset="utf-8">
<meta property="og:title" content="Пенсионные взносы вырастут с 2026 года">
<meta property="article:published_time" content="2026-11-20T12:00:00+05:00">
<meta property="og:site_name" content="Almaty Today"><meta name="author" content="Айгерим Садыкова">
<title>Пенсионные взносы вырастут</title></head><body>
<nav><a href="/">Главная</a> <a href="/news">Новости</a> <a href="/sport">Спорт</a></nav>
<article><h1>Пенсионные взносы вырастут с 2026 года</h1>
<p>С 1 января 2026 года обязательные пенсионные взносы работодателей вырастут до 2,5 процента,
сообщили в Министерстве труда и социальной защиты населения.</p>
<p>По словам представителей ведомства, изменения затронут более четырёх миллионов работников,
а накопления будут поступать в Единый накопительный пенсионный фонд.</p>
<p>Эксперты считают, что это позволит увеличить будущие пенсии казахстанцев на десять процентов.</p>
</article><aside>Реклама: лучшие кредиты</aside><footer>© Almaty Today 2026</footer></body></html>"""

DUMP = """Землетрясение ощутили жители Алматы
24 ноября 2026, 14:05
Подземные толчки магнитудой 4,5 ощутили жители южной столицы ночью.
Эпицентр находился в 80 километрах от города, сообщили сейсмологи.
Поделиться
Читайте также
Алматы
В Алматы произошел пожар на СТО
Иран
Иран обозначил условия для открытия Ормузского пролива
Нефть
Иран обозначил условия для открытия Ормузского пролива
Бокс
Казахстанский боксер завоевал титул чемпиона мира
"""


def _write(tmp_path: Path, name: str, data: str | bytes) -> str:
    path = tmp_path / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return str(path)


def _split(items):
    items = list(items)
    return [i for i in items if not isinstance(i, InputError)], [i for i in items if isinstance(i, InputError)]


def test_jsonl_record_fields(tmp_path):
    path = _write(tmp_path, "a.jsonl", json.dumps(ARTICLE, ensure_ascii=False) + "\n")
    (art,), errors = _split(read(path))
    assert not errors
    assert (art.id, art.source, art.lead) == ("kz-1", "Dala News", ARTICLE["lead"])
    assert art.paragraphs == ["Сейсмологи сообщили о толчках.", "Пострадавших нет, сообщили в ДЧС."]
    assert art.editor_tags == ["Землетрясение", "Алматы"]
    assert art.published_at.utcoffset().total_seconds() == 5 * 3600


def test_jsonl_without_id_gets_a_stable_one(tmp_path):
    record = {k: v for k, v in ARTICLE.items() if k != "id"}
    path = _write(tmp_path, "a.jsonl", json.dumps(record, ensure_ascii=False))
    first = _split(read(path))[0][0].id
    assert first.startswith("nd-") and first == _split(read(path))[0][0].id


@pytest.mark.parametrize(("given", "stored"), [("kk", "kk"), ("RU", "ru"), ("kk-KZ", "kk"), ("en_US", "en"),
                                               ("other", "other"), ("", None), (None, None)])
def test_a_record_language_is_one_of_ours_or_detected_later(tmp_path, given, stored):
    path = _write(tmp_path, "a.jsonl", json.dumps({**ARTICLE, "lang": given}, ensure_ascii=False))
    (art,), errors = _split(read(path))
    assert not errors and art.lang == stored


@pytest.mark.parametrize(("raw", "clean"), [
    ("Заголовок\nв две строки", "Заголовок в две строки"), ("Нулевой\x00байт", "Нулевой байт"),
    ("  табуляция\tи\r\nперевод  ", "табуляция и перевод"), ("Алматы\u00a0— город", "Алматы — город"),
])
def test_a_line_keeps_its_words_apart(raw, clean):
    assert clean_line(raw) == clean


def test_naive_dates_are_almaty_time():
    assert parse_date("2026-11-24 14:05") == datetime(2026, 11, 24, 14, 5, tzinfo=ZoneInfo("Asia/Almaty"))
    assert parse_date("24 ноября 2026, 14:05").utcoffset().total_seconds() == 5 * 3600
    assert parse_date("Mon, 23 Nov 2026 10:00:00 +0300").utcoffset().total_seconds() == 3 * 3600


ALMATY = ZoneInfo("Asia/Almaty")


@pytest.mark.parametrize(("fields", "published"), [
    # Tengrinews' scrape: a third of its items have «published_raw» and no «published_at»
    ({"published_at": None, "published_raw": "12 апреля 2024 23:15"}, datetime(2024, 4, 12, 23, 15, tzinfo=ALMATY)),
    ({"published_at": "2024-04-12T10:00:00+05:00", "published_raw": "Вчера 23:15"},
     datetime(2024, 4, 12, 10, 0, tzinfo=ALMATY)),  # our field wins
    ({"date": "2026-11-24"}, datetime(2026, 11, 24, tzinfo=ALMATY)),
    ({"pubDate": "Mon, 23 Nov 2026 10:00:00 +0500"}, datetime(2026, 11, 23, 10, 0, tzinfo=ALMATY)),
    ({"published_raw": "Вчера 10:38", "fetched_at": "2024-04-16T00:30:00+05:00"},
     datetime(2024, 4, 15, 10, 38, tzinfo=ALMATY)),
    ({"published_raw": "Сегодня, в 09:05", "scraped_at": "2024-04-16T01:00:00Z"},
     datetime(2024, 4, 16, 9, 5, tzinfo=ALMATY)),
    ({"published": "кеше 18:00", "fetched_at": "2024-04-15T20:00:00Z"},  # Almaty's 16 April already
     datetime(2024, 4, 15, 18, 0, tzinfo=ALMATY)),
    ({}, None),
])
def test_a_record_date_comes_from_its_first_date_field(tmp_path, fields, published):
    path = _write(tmp_path, "a.jsonl", json.dumps({**ARTICLE, "published_at": None, **fields}, ensure_ascii=False))
    (art,), errors = _split(read(path))
    assert not errors and art.published_at == published


def test_rss_items(tmp_path):
    arts, errors = _split(read(_write(tmp_path, "feed.xml", RSS)))
    assert not errors and len(arts) == 2
    assert arts[0].title == "МРП в 2026 году вырастет" and arts[0].editor_tags == ["МРП 2026"]
    assert arts[0].paragraphs == ["Минфин предложил новый размер МРП."]
    assert arts[0].source == "Степной вестник" and arts[0].url == "https://stepnoy.kz/mrp-2026"


# Channel titles of real feeds (tests/../shared/data/ru_rss_feeds, the bundled sample), and names to keep.
OUTLETS = [
    ("Степной вестник — новости Казахстана", "Степной вестник"),
    ("El Habar — жаңалықтар", "El Habar"),
    ("Холод — Общество", "Холод"),
    ("Lenta.ru : Новости", "Lenta.ru"),
    ("Istories: Истории", "Istories"),
    ("Tengrinews.kz - Новости Казахстана", "Tengrinews.kz"),
    ("Караван | Новости", "Караван"),
    ("Afisha Daily — Степан Бальмонд", "Afisha Daily"),
    ("Свобода — Евгений Легалов", "Свобода"),
    ("Ольга Алленова — Коммерсантъ", "Коммерсантъ"),  # an author's feed names the outlet second
    ("Ирина Тумакова* — Новая газета", "Новая газета"),
    ("Александр Черных — Коммерсантъ", "Коммерсантъ"),
    ("T-invariant — Тексты", "T-invariant"),
    ("ОВД-Инфо", "ОВД-Инфо"),
    ("Медиазона.Беларусь", "Медиазона.Беларусь"),
    ("Центр «Досье»", "Центр «Досье»"),
    ("Алина Заярная", "Алина Заярная"),
]


@pytest.mark.parametrize(("title", "outlet"), OUTLETS)
def test_a_channel_title_names_its_outlet_without_the_tagline(title: str, outlet: str) -> None:
    assert outlet_name(title) == outlet


def test_bundled_feeds_name_their_outlets_as_the_other_records_do():
    sample = Path(__file__).resolve().parents[1] / "src" / "newsdesk" / "sample"
    jsonl = {a.source for a in read(str(sample / "articles.jsonl"))}
    for name, outlet in (("feed.xml", "Степной вестник"), ("atom.xml", "El Habar")):
        assert {a.source for a in read(str(sample / name))} == {outlet} and outlet in jsonl


def test_atom_entries(tmp_path):
    (art,), errors = _split(read(_write(tmp_path, "feed.atom", ATOM)))
    assert not errors
    assert art.paragraphs == ["Елордада 1200 орындық мектеп ашылды.", "Оқушылар қуанышты."]


def test_html_page_without_navigation(tmp_path):
    (art,), errors = _split(read(_write(tmp_path, "page.html", PAGE)))
    assert not errors
    assert art.title == "Пенсионные взносы вырастут с 2026 года"
    assert art.published_at.isoformat() == "2026-11-20T12:00:00+05:00"
    assert art.source == "Almaty Today"
    body = art.body
    assert "2,5 процента" in body and "Главная" not in body and "Реклама" not in body and "©" not in body


def test_text_dump_article_and_headlines(tmp_path):
    arts, errors = _split(read(_write(tmp_path, "dump.txt", DUMP), source="Almaty Today"))
    assert not errors
    article, *headlines = arts
    assert article.title == "Землетрясение ощутили жители Алматы"
    assert article.published_at.isoformat() == "2026-11-24T14:05:00+05:00"
    assert len(article.paragraphs) == 2 and all("Поделиться" not in p for p in article.paragraphs)
    assert [h.kind for h in headlines] == [HEADLINE] * 3
    iran = next(h for h in headlines if h.title.startswith("Иран"))
    assert iran.editor_tags == ["Иран", "Нефть"]  # one record for the headline shown twice


def test_directory_zip_and_gz(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    _write(folder, "feed.xml", RSS)
    _write(folder, "a.jsonl", json.dumps(ARTICLE, ensure_ascii=False))
    assert len(_split(read(str(folder)))[0]) == 3
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("x/feed.xml", RSS)
        zf.writestr("x/page.html", PAGE)
    assert len(_split(read(_write(tmp_path, "b.zip", buf.getvalue())))[0]) == 3
    gz = _write(tmp_path, "c.jsonl.gz", gzip.compress(json.dumps(ARTICLE, ensure_ascii=False).encode()))
    assert _split(read(gz))[0][0].id == "kz-1"


@pytest.mark.parametrize("encoding", ["cp1251", "koi8_r"])
def test_cyrillic_code_pages(tmp_path, encoding):
    text = "Пенсионные взносы вырастут\n\nВ Минтруда сообщили о новых правилах для работодателей страны."
    assert detect_encoding(text.encode(encoding)) == encoding
    (art,), _ = _split(read(_write(tmp_path, "old.txt", text.encode(encoding))))
    assert art.title == "Пенсионные взносы вырастут"


def test_cp1251_jsonl(tmp_path):
    path = _write(tmp_path, "a.jsonl", json.dumps(ARTICLE, ensure_ascii=False).encode("cp1251"))
    assert _split(read(path))[0][0].title == ARTICLE["title"]


BAD = [
    ("invalid JSON", "a.jsonl", '{"title": "x"\n', "a.jsonl:1: invalid JSON"),
    ("cut-off line", "a.jsonl", '{"id": "bad-json", "title": "oops" \n',
     "a.jsonl:1: invalid JSON: Expecting ',' delimiter at column 36"),  # where the line ends, not «column 1»
    ("no title or text", "a.jsonl", '{"title": "", "text": "  "}\n', "field 'title': a record needs a title or a text"),
    ("not an article", "a.json", '{"stories": [], "wrong_tags": []}', "not an article record: none of title, text"),
    ("bad date", "a.jsonl", '{"title": "x", "published_at": "вчера вечером"}\n',
     "field 'published_at': unparsable date"),
    ("relative date, no fetch date", "a.jsonl", '{"title": "x", "published_raw": "Вчера 10:38"}\n',
     "a.jsonl:1: field 'published_raw': relative date 'Вчера 10:38' needs the record's fetched_at"),
    ("unknown language", "a.jsonl", '{"title": "x", "lang": "xx"}\n',
     "a.jsonl:1: field 'lang': unknown language 'xx': use ru, kk, en or other"),
    ("not an object", "a.jsonl", "[1, 2]\n", "expected a JSON object"),
    ("bad tags", "a.jsonl", '{"title": "x", "tags": [1]}\n', "field 'tags': expected a list of strings"),
    ("binary", "a.bin", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "binary file"),
    ("html without article", "p.html", "<html><body><nav><a href='/'>Главная</a></nav></body></html>",
     "HTML page with no article"),
    ("empty", "e.txt", "", "empty file"),
    ("not a feed", "g.xml", "<?xml version='1.0'?><catalog><book/></catalog>", "not a readable RSS/Atom feed"),
]


@pytest.mark.parametrize(("case", "name", "data", "message"), BAD, ids=[b[0] for b in BAD])
def test_bad_input_is_one_line_naming_file_and_reason(tmp_path, case, name, data, message):
    good = json.dumps(ARTICLE, ensure_ascii=False)
    first = _write(tmp_path, name, data)
    second = _write(tmp_path, "good.jsonl", good)
    arts, errors = _split(list(read(first)) + list(read(second)))
    assert len(arts) == 1, "the rest of the batch still goes in"
    assert len(errors) == 1
    line = str(errors[0])
    assert "\n" not in line and name in line and message in line


def test_a_feed_cut_by_bad_xml_gives_what_it_read_and_names_the_line(tmp_path):
    feed = ("<?xml version='1.0'?>\n<rss><channel><title>Лента</title>\n"
            "<item><title>Пенсии вырастут</title><description>Минтруда сообщило.</description></item>\n"
            "<item><title>Курс тенге</title><foo></item>\n<item><title>Потерянная</title></item></channel></rss>")
    arts, errors = _split(read(_write(tmp_path, "broken.xml", feed)))
    assert [a.title for a in arts] == ["Пенсии вырастут", "Курс тенге", "Потерянная"]  # the loose parser's
    assert [str(e).split(": ", 1)[0] for e in errors] == [f"{tmp_path / 'broken.xml'}:4"]
    assert isinstance(errors[0], InputWarning) and "read leniently: 3 items" in str(errors[0])
    assert "the feed is malformed XML (mismatched tag at column" in str(errors[0])


@pytest.mark.parametrize(("text", "paragraphs"), [
    ("Алматыда қар жауды\nASTANA. KAZINFORM – Көшелерді қар басты.", ["ASTANA. KAZINFORM – Көшелерді қар басты."]),
    ("Алматыда қар жауды", ["Алматыда қар жауды"]),  # a body that is only the title stays: it is the text
])
def test_a_body_repeating_its_title_loses_the_repeat(tmp_path, text, paragraphs):
    record = {"id": "kz-1", "title": "Алматыда қар жауды", "text": text, "lang": "kk"}
    (art,), _ = _split(read(_write(tmp_path, "a.jsonl", json.dumps(record, ensure_ascii=False))))
    assert art.paragraphs == paragraphs


def test_a_feed_item_is_named_by_its_number(tmp_path):
    feed = ("<?xml version='1.0'?><rss><channel><item><title>Есть</title></item>"
            "<item><title></title></item></channel></rss>")
    arts, errors = _split(read(_write(tmp_path, "f.xml", feed)))
    assert len(arts) == 1 and str(errors[0]).endswith("f.xml item 2: field 'title': feed item without title or text")


def test_huge_line_is_skipped_and_the_next_read(tmp_path):
    path = tmp_path / "big.jsonl"
    with path.open("wb") as out:
        out.write(b'{"title": "' + b"x" * (100 * 1024 * 1024) + b'"}\n')
        out.write(json.dumps(ARTICLE, ensure_ascii=False).encode() + b"\n")
    arts, errors = _split(read(str(path)))
    assert [a.id for a in arts] == ["kz-1"]
    assert "big.jsonl:1: line longer than" in str(errors[0])


def test_format_detection():
    assert detect_format("x", b'{"a": 1}') == "jsonl"
    assert detect_format("x", b"<?xml version='1.0'?><rss>") == "rss"
    assert detect_format("x", b"<?xml version='1.0'?><feed xmlns='http://www.w3.org/2005/Atom'>") == "atom"
    assert detect_format("x", b"<!DOCTYPE html><html>") == "html"
    assert detect_format("dump.txt", "Заголовок".encode()) == "text"


def test_forced_format_and_unknown_format(tmp_path):
    path = _write(tmp_path, "feed.data", RSS)
    assert len(_split(read(path, fmt="rss"))[0]) == 2
    with pytest.raises(InputError, match="unknown format"):
        list(read(path, fmt="pdf"))


@pytest.mark.parametrize("name", ["page_dump.txt", "page_dump_kk.txt"])
def test_bundled_page_dumps_match_their_truth(name):
    sample = Path(__file__).resolve().parents[1] / "src" / "newsdesk" / "sample"
    truth = json.loads((sample / "truth.json").read_text(encoding="utf-8"))["page_dumps"][name]
    arts, errors = _split(read(str(sample / name)))
    article, *headlines = arts
    assert not errors
    assert article.title == truth["title"] and parse_date(truth["date"]) == article.published_at
    assert len(article.paragraphs) == truth["paragraphs"]
    assert not any(noise in p for p in article.paragraphs for noise in truth["noise"])
    expected: dict[str, list[str]] = {}
    for label, headline in truth["feed"]:
        expected.setdefault(headline, []).append(label)
    assert {h.title: h.editor_tags for h in headlines} == expected


def test_json_document_array_and_directory_skips_unknown_files(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "records.json").write_text(json.dumps([ARTICLE, {"title": ""}], ensure_ascii=False, indent=2),
                                         encoding="utf-8")
    (folder / "NOTES.md").write_text("# Заметки редактора\n\nНе новость.", encoding="utf-8")
    arts, errors = _split(read(str(folder)))
    assert [a.id for a in arts] == ["kz-1"]
    assert len(errors) == 1 and "records.json:2: field 'title'" in str(errors[0])


@pytest.mark.parametrize(("body", "expected"), [
    # one block, sentences glued as a scrape without its paragraph breaks gives them: cut where glued
    ("Суд начался 17 апреля.В зале было тесно.\"Это важно\", - сказал Иванов.Заседание продолжится"
     "Напомним, ранее суд отложил дело.",
     ["Суд начался 17 апреля.", "В зале было тесно.", "\"Это важно\", - сказал Иванов.", "Заседание продолжится",
      "Напомним, ранее суд отложил дело."]),
    ("Работает КазМунайГаз и АлматыЭнергоСбыт.", ["Работает КазМунайГаз и АлматыЭнергоСбыт."]),  # no opener glued
    # a name with a dot inside quotes is no glue
    ("Об этом сообщили в ООО \"Эксперт.Медиа\" и в «Каро.Арт» вчера.",
     ["Об этом сообщили в ООО \"Эксперт.Медиа\" и в «Каро.Арт» вчера."]),
    # paragraphs of their own: a glued sentence only gets its space back
    ("Первый абзац.Второе предложение.\n\nВторой абзац.", ["Первый абзац. Второе предложение.", "Второй абзац."]),
    # an Instagram embed's fallback text goes
    ("Посмотреть эту публикацию в InstagramПубликация от TengriNews (@tengrinewskz)После этого суд продолжился.",
     ["После этого суд продолжился."]),
    ("Курс 5.4 тенге, пишет tengrinews.kz. Сайт Gov.kz молчит.",
     ["Курс 5.4 тенге, пишет tengrinews.kz. Сайт Gov.kz молчит."]),
    # a site's name glued to the next word: a space, or a cut before a capitalised one
    ("Об этом сообщает Tengrinews.kzсо ссылкой на сайт primeminister.kzПервый вице-премьер выступил.",
     ["Об этом сообщает Tengrinews.kz со ссылкой на сайт primeminister.kz", "Первый вице-премьер выступил."]),
    # Tengrinews' «read also» box (other stories' headlines, each with its date) goes, glued as it comes
    ("Об этом сообщает Tengrinews.kz.Продолжение■Токаев провел совещание13 апреля 2024 19:44■Какие страны"
     " помогли КазахстануВчера 06:43Вице-премьер выступил.",
     ["Об этом сообщает Tengrinews.kz.", "Вице-премьер выступил."]),
    # a bullet starts a list item, which keeps it, glued or not (an emoji's variation selector with it)
    ("Итоги:■Первое место■Второе место", ["Итоги:", "■ Первое место", "■ Второе место"]),
    ("Главное:\n\n• Курс вырос • Индекс упал\n\n▪\ufe0fИтог", ["Главное:", "• Курс вырос", "• Индекс упал",
                                                          "▪\ufe0f Итог"]),
])
def test_a_glued_body_is_cut_into_its_paragraphs(body: str, expected: list[str]) -> None:
    from newsdesk.sources.fields import paragraphs

    assert paragraphs(body) == expected


@pytest.mark.parametrize(("body", "expected"), [
    # words glued as Tengrinews scrapes them (a link, a caption, a heading lost its space): a space inside a
    # sentence, a new paragraph where the right word opens one
    ("Напомним, вечером 13 апреляИран запустил ракеты.Фото пресс-службы АкордыПрезидент провел разговор с "
     "президентомТаджикистанаЭмомали Рахмоном.",
     ["Напомним, вечером 13 апреля Иран запустил ракеты.", "Фото пресс-службы Акорды",
      "Президент провел разговор с президентом Таджикистана Эмомали Рахмоном."]),
    ("Ночью на востокеВосточно-Казахстанской области дождь, сообщает наРИА Новости.Экс-министраНазым Кахарман"
     " пришел в суд.",
     ["Ночью на востоке Восточно-Казахстанской области дождь, сообщает на РИА Новости.",
      "Экс-министра Назым Кахарман пришел в суд."]),
    ("Причины назвали в КазахстанеВ феврале об этом говорили в Сенате.Что такое базовая ставкаЭто ставка "
     "Нацбанка.Недавно Национальный банк снизил ее.",
     ["Причины назвали в Казахстане", "В феврале об этом говорили в Сенате.", "Что такое базовая ставка",
      "Это ставка Нацбанка.", "Недавно Национальный банк снизил ее."]),
    # «Ранее» glued to the lower-case word after it: no word starts so
    ("Об этом заявил Бишимбаев.Ранеесуд отказался приобщать заключение.",
     ["Об этом заявил Бишимбаев.", "Ранее суд отказался приобщать заключение."]),
    # paragraphs of their own: a glued sentence only gets its space back
    ("Курс рубля к тенге 15 апреляРоссийский рубль подешевел.\n\nВторой абзац.",
     ["Курс рубля к тенге 15 апреля Российский рубль подешевел.", "Второй абзац."]),
])
def test_glued_words_are_split(body: str, expected: list[str]) -> None:
    from newsdesk.sources.fields import paragraphs

    assert paragraphs(body) == expected


@pytest.mark.parametrize("text", [
    "КазМунайГаз, АлматыЭнергоСбыт, МедиаХолдинг, ЕвроХим и ВКонтакте продают iPhone.",
    "ҚазМұнайГаз, ҚазАвтоЖол және АстанаЭнергоСбыт жұмыс істейді.",  # Kazakh names
    "Решения ЦИКа, МИДа и ВОЗом приняты по КоАП в спецЦОНах.",  # an abbreviation and its case ending
    "АО КазТрансОйл, АвтоВАЗ, МордовАгроРесурс и ГлавУпДК купили МиГ-29 и линию 10 кВ на 5 кВтч.",
    "Актёр ДжитКунДо, ИнтерВидение, КазаньЭкспресс и ВкусВилл.",
    "Кампания #АлматыНашОбщийДом, #СпартакЦСКА и @ЛигаЧемпионов.",
])
def test_names_with_inner_capitals_stay_whole(text: str) -> None:
    from newsdesk.sources.fields import paragraphs

    assert paragraphs(text) == [text]


@pytest.mark.parametrize(("raw", "clean"), [
    ("**Срочно**: в Алматы выпал снег", "Срочно: в Алматы выпал снег"),
    ("Подробнее на [сайте акимата](https://almaty.gov.kz/news/1).", "Подробнее на сайте акимата."),
    ("[сообщает ](https://t.me/sledcom_press/17147)Следственный комитет", "сообщает Следственный комитет"),
    ("__Мы готовы к паводкам, __— сказал аким[\n](https://t.me/akimat/5)", "Мы готовы к паводкам, — сказал аким "),
    ("**Kokoc Group **— группа компаний", "Kokoc Group — группа компаний"),
    ("пошаговый гайд** **по работе", "пошаговый гайд по работе"),
    ("~~старая цена~~ новая цена, код `A-15`", "старая цена новая цена, код A-15"),
    # a star after a letter is no mark: censored words and footnotes stay as written
    ("«Просто за**ался» и **это** всё", "«Просто за**ался» и это всё"),
    ("ЛГБТ** — признано экстремистским", "ЛГБТ** — признано экстремистским"),
    ("долб***изм", "долб***изм"),
])
def test_telegram_markdown_is_read_as_its_words(raw: str, clean: str) -> None:
    from newsdesk.sources.markdown import plain

    assert plain(raw) == clean


def test_a_telegram_posts_title_has_no_marks(tmp_path):
    post = {"id": "tg-1", "text": "**Аким Алматы встретился с жителями**\n\nПодробности [здесь](https://t.me/a/1)."}
    (art,), _ = _split(read(_write(tmp_path, "posts.jsonl", json.dumps(post, ensure_ascii=False))))
    assert art.title == "Аким Алматы встретился с жителями" and art.paragraphs == ["Подробности здесь."]
