from __future__ import annotations

import time

import pytest

from newsdesk import analyze
from newsdesk.analyze import ANALYZER_VERSION, is_stop, lemmas, query_lemmas, stopwords, tokens


def pairs(text: str, lang: str | None) -> list[tuple[str, str]]:
    return [(t.text, t.lemma) for t in tokens(text, lang)]


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        (
            "В Алматы 24.11.2026 открыли iPhone-центр",
            "ru",
            [("В", "в"), ("Алматы", "алматы"), ("24.11.2026", "24.11.2026"), ("открыли", "открыть"),
             ("iPhone-центр", "iphone-центр")],
        ),
        ("Курс упал на 2,68 рубля", "ru", [("Курс", "курс"), ("упал", "упасть"), ("на", "на"), ("2,68", "2,68"),
                                            ("рубля", "рубль")]),
        ("Кое-кто приехал в Алма-Ату", "ru", [("Кое-кто", "кое-кто"), ("приехал", "приехать"), ("в", "в"),
                                              ("Алма-Ату", "алма-ата")]),
        ("Клиенты Kaspi.kz довольны", "ru", [("Клиенты", "клиент"), ("Kaspi.kz", "kaspi.kz"),
                                             ("довольны", "довольный")]),
        ("Пришёл Токаев, встретился с Токаевым", "ru", [("Пришёл", "прийти"), ("Токаев", "токаев"),
                                                        ("встретился", "встретиться"), ("с", "с"),
                                                        ("Токаевым", "токаев")]),
        ("Паводки в Семее и Кызылорде", "ru", [("Паводки", "паводок"), ("в", "в"), ("Семее", "семей"),
                                               ("и", "и"), ("Кызылорде", "кызылорда")]),
        ("Алматыда 2017-нші жылы", "kk", [("Алматыда", "алматы"), ("2017-нші", "2017"), ("жылы", "жыл")]),
        ("Almatyda jańbyr jaýdy", "kk", [("Almatyda", "алматы"), ("jańbyr", "жаңбыр"), ("jaýdy", "жау")]),
        ("Running companies announced", "en", [("Running", "run"), ("companies", "compani"),
                                               ("announced", "announc")]),
    ],
)  # fmt: skip
def test_tokens_and_lemmas(text: str, lang: str, expected: list[tuple[str, str]]) -> None:
    assert pairs(text, lang) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Президент Тоқаев Алматыда жаңа мектеп ашты. «Мы рады», — сказал аким.",
        "&nbsp;&laquo;Ёлка&raquo; в Алматы &#171;2026&#187; 😀🎉 Kазахстан",
        "",
        "   \n\t ",
        "Apple и Kaspi.kz: iPhone 15 за 500 000 ₸ (24.11.2026)",
    ],
)
def test_offsets_point_into_the_text_and_lemmas_agree(text: str) -> None:
    toks = tokens(text)
    assert all(text[t.start : t.end] == t.text for t in toks)
    assert [t.lemma for t in toks] == lemmas(text)
    assert all(t.lemma == t.lemma.lower() and "ё" not in t.lemma for t in toks)


def test_html_entities_are_not_tokens() -> None:
    assert [t.text for t in tokens("а&nbsp;б &laquo;в&raquo; &#171;г&#187;", "ru")] == ["а", "б", "в", "г"]


def test_homoglyphs_are_folded() -> None:
    assert tokens("Kазахстана", "ru")[0].lemma == "казахстан"  # Latin K


@pytest.mark.parametrize(("typed", "meant"), [
    ("жер сiлкiнiсi", "жер сілкінісі"),  # Latin «i» for «і», not «и»
    ("iсi", "ісі"),  # only Latin letters that look Cyrillic: folded though they are the majority
    ("Бiрiншi", "Бірінші"),
    ("Kөкшетaуда", "Көкшетауда"),  # Latin K and a among Kazakh letters
    ("Aлматыда", "Алматыда"),
    ("Kia-сы", "kia-сы"),  # a Latin part of a hyphenated word stays Latin
    ("IT-кеңес", "it-кеңес"),
])  # fmt: skip
def test_kazakh_homoglyphs_are_folded(typed: str, meant: str) -> None:
    assert lemmas(typed, "kk") == lemmas(meant, "kk")
    assert all(set(alt) & set(lemmas(meant, "kk")) for alt in query_lemmas(typed))


@pytest.mark.parametrize(("text", "query"), [
    ("Қарасай ауданында жаңа мектеп ашылды", "Қарасай ауданы"),
    ("Қарасай ауданында жаңа мектеп ашылды", "ауданы"),
    ("Қарасай ауданында жаңа мектеп ашылды", "аудан"),
    ("Ауданы бойынша жиын өтті", "ауданында"),
    ("Су тасқынынан кейін жол жабылды", "су тасқыны"),
    ("Су тасқыны ауылды басты", "тасқын"),
    ("Ертеңгі күні жаңбыр жауады", "күн"),
    ("Тұрғыны үшін жаңа үй салынды", "тұрғын"),
    ("Жер сiлкiнiсiнен кейін", "жер сілкінісі"),
])  # fmt: skip
def test_kazakh_query_finds_another_form(text: str, query: str) -> None:
    found = set(lemmas(text, "kk"))
    assert all(set(alt) & found for alt in query_lemmas(query))


def test_russian_quote_in_kazakh_text_gets_russian_lemmas() -> None:
    got = dict(pairs("Аким Алматыда болды. «Мы рассмотрим этот вопрос в ближайшее время», — сказал он.", "kk"))
    assert got["Алматыда"] == "алматы" and got["рассмотрим"] == "рассмотреть" and got["сказал"] == "сказать"


def test_megabyte_of_one_word() -> None:
    start = time.perf_counter()
    toks = tokens("пенсия" * 170_000)
    assert len(toks) == 1 and toks[0].end == 6 * 170_000
    assert lemmas("слово " * 100_000)[:2] == ["слово", "слово"]
    assert time.perf_counter() - start < 5


def test_query_lemmas_read_words_both_ways() -> None:
    query = query_lemmas("Алматы пенсия")
    kk_text = set(lemmas("Алматыда жаңбыр жауды, Алматының тұрғындары қуанды", "kk"))
    ru_text = set(lemmas("Пенсии выросли, пенсией довольны, пенсионер рад", "ru"))
    assert set(query[0]) & kk_text  # «Алматы» finds «Алматыда», «Алматының»
    assert "пенсия" in query[1] and "пенсия" in ru_text
    assert "пенсионер" not in query[1]  # another word
    assert query_lemmas("Алматыда")[0] == ("алматыда", "алматы")
    assert query_lemmas("Almaty")[0][-1] == "алматы"  # Latin query finds Cyrillic Kazakh text
    assert query_lemmas("") == []


@pytest.mark.parametrize(("words", "lemma"), [
    # a short adjective tied with a noun reading yields to the noun; a corpus-backed short form stays
    ("паводок паводка паводков паводками", "паводок"),
    ("паводковый паводковой паводковых", "паводковый"),
    ("флангов фланг", "фланг"),
    ("СИЗО", "сизо"),
    ("готов", "готовый"),
    ("прав право", "право"),
    # an Armenian «-ян» surname pymorphy does not know, in any case and letter case
    ("Пашинян Пашиняна Пашиняну Пашиняном Пашиняне пашинян", "пашинян"),
    ("Мамиконян Мамиконяном", "мамиконян"),
    ("армян армянин", "армянин"),  # a known word in «-ян» is left to the dictionary
    ("солдат-северян", "солдат-северянин"),
    ("Илмиянов Илмиянова", "илмиянов"),  # «-янов» is an «-ов» surname
    # capitalised, a tie of «-ов» short adjective and noun is a surname
    ("Хромов", "хромов"),  # («Хромова», «Хромовым» still read as «хромовый»: full adjective forms)
    ("Кедров", "кедров"),
])  # fmt: skip
def test_russian_lemma_choices(words: str, lemma: str) -> None:
    assert {analyze.lemma(w, "ru") for w in words.split()} == {lemma}


def test_stopwords() -> None:
    assert "и" in stopwords("ru") and "және" in stopwords("kk") and "the" in stopwords("en")
    assert is_stop("в", "ru") and is_stop("мен") and not is_stop("пенсия")
    assert all(is_stop(lem, "kk") for lem in lemmas("және бойынша туралы үшін", "kk"))
    assert stopwords("xx") == frozenset()


def test_version_and_cached_speed() -> None:
    assert isinstance(ANALYZER_VERSION, str) and ANALYZER_VERSION
    text = "Президент провёл совещание по вопросам пенсионного обеспечения граждан " * 50
    lemmas(text, "ru")
    start = time.perf_counter()
    n = sum(len(lemmas(text, "ru")) for _ in range(20))
    assert n / (time.perf_counter() - start) > 100_000  # ~1M tokens/s cached on the dev machine
    assert analyze.lemma.cache_info().hits > 0
