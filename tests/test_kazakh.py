from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from newsdesk.kazakh import latin_to_cyrillic, stem

# Forms of one word share a stem; the stems of different words differ.
PARADIGMS = {
    "алматы": "Алматы Алматыда Алматының Алматыға Алматыдан Алматыны Алматыдағы",
    "астана": "Астана Астанада Астананың Астанаға Астанадағы",
    "шымкент": "Шымкент Шымкентте Шымкенттің Шымкентке",
    "өскемен": "Өскемен Өскеменде Өскеменнің",
    "қазақстан": "Қазақстан Қазақстанның Қазақстанда Қазақстанға Қазақстаннан",
    "тоқаев": "Тоқаев Тоқаевтың Тоқаевқа Тоқаевпен",
    "қала": "қала қаланың қалада қалаға қалалар қалалардың қаласы қаласында қалаларында",
    "облыс": "облыс облысы облыстың облысында облыстар облысқа",
    "жыл": "жыл жылы жылдың жылға жылғы жылдары",
    "ел": "ел елі елдің елге елде елдер",
    "мектеп": "мектеп мектебі мектепте мектептер",
    "министрлік": "министрлік министрлігі министрлігінің",
    "халық": "халық халқы халықтың",
    "жұмыс": "жұмыс жұмысы жұмыстары жұмысқа",
    "банк": "банк банкі банкке банктің",
    "пенсия": "пенсия пенсиясы пенсияның пенсиялар",
    "бол": "болды болады болған болып",
    "кел": "келді келеді келген келіп",
    "атырау": "Атырау Атырауда Атыраудың",
    # a possessive, then the accusative or the ablative
    "сілкініс": "сілкініс сілкінісі сілкінісін сілкінісінен сілкінісінің",
    "зейнетақы": "зейнетақы зейнетақысы зейнетақысын зейнетақысынан зейнетақыны",
    "жиналыс": "жиналыс жиналысы жиналысын",
    "денсаулық": "денсаулық денсаулығы денсаулығын денсаулығынан",
    "тұрғын": "тұрғын тұрғындар тұрғындарын",
}


# Common news nouns: nominative, possessive, a case form, plural — one stem (bench/kkstem.py has 57 of them)
NEWS_NOUNS = [
    "аудан ауданы ауданында аудандар", "күн күні күнде күндер", "тасқын тасқыны тасқыннан тасқындар",
    "тұрғын тұрғыны тұрғынның тұрғындар", "шығын шығыны шығынды шығындар", "мән мәні мәнде мәндер",
    "түн түні түнде түндер", "қазан қазаны қазанда қазандар", "сайлау сайлауы сайлауда сайлаулар",
    "маман маманы маманның мамандар", "өзен өзені өзенде өзендер", "заман заманы заманда замандар",
    "нысан нысаны нысанда нысандар", "баға бағасы бағаны бағалар", "теңге теңгесі теңгені теңгелер",
    "оқиға оқиғасы оқиғаны оқиғалар", "қаржы қаржысы қаржыны қаржылар", "үй үйі үйде үйлер",
    "орын орны орында орындар", "су суы суда сулар", "ел елі елде елдер", "күш күші күшке күштер",
]


@pytest.mark.parametrize("forms", NEWS_NOUNS)
def test_news_nouns_keep_one_stem(forms: str) -> None:
    assert {stem(f) for f in forms.split()} == {forms.split()[0]}


@pytest.mark.parametrize(("word", "expected"), [
    # a participle takes the possessive: «-ған» + -ы, not «-ға» + -ны
    ("болғаны", "болған"), ("екені", "екен"), ("болатыны", "болатын"), ("үлкені", "үлкен"),
    # a stem of two letters only if it is a word
    ("аудан", "аудан"), ("тамыз", "тамыз"), ("теңіз", "теңіз"), ("маңызға", "маңыз"), ("апта", "апта"),
    ("үйде", "үй"), ("айында", "ай"), ("деді", "де"), ("оғы", "оқ"), ("екіге", "екі"), ("иелері", "ие"),
    # … which may take the possessive + accusative -ын/-ін; the listed words that end so stay whole
    ("елін", "ел"), ("үйін", "үй"), ("ісін", "іс"), ("өзін", "өз"), ("үшін", "үшін"), ("ойын", "ойын"),
    ("отын", "отын"), ("буын", "буын"), ("егін", "егін"),
])  # fmt: skip
def test_possessive_after_n_and_short_stems(word: str, expected: str) -> None:
    assert stem(word) == expected


@pytest.mark.parametrize(("lemma", "forms"), PARADIGMS.items())
def test_forms_of_one_word_collapse(lemma: str, forms: str) -> None:
    assert {stem(f) for f in forms.split()} == {lemma}


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("қалалық", "қалалық"),  # urban: derivational -лық is kept
        ("пенсионер", "пенсионер"),
        ("басшы", "басшы"),  # leader, not бас (head) + possessive
        ("басшысы", "басшы"),
        ("алтын", "алтын"),  # gold, not алты (six) + accusative
        ("ақша", "ақша"),  # money, not ақ + equative
        ("жалақы", "жалақы"),
        ("баға", "баға"),
        ("білім", "білім"),  # deverbal nouns in -ым/-ім are not «my …»
        ("шешім", "шешім"),
        ("ойын", "ойын"),
        ("машина", "машина"),  # -на is a dative only after a possessive
        ("су", "су"),
        ("ол", "ол"),
        ("тасқын", "тасқын"),  # words that end like a possessive + accusative
        ("салқынға", "салқын"),  # … which ends a word: not «салқ» + -ынға
        ("досын", "досын"),  # too short to tell from «до» + -сын
        ("айтамын", "айтамын"),  # «I say»: -мын, no accusative
        ("бүлдіршін", "бүлдіршін"),
    ],
)
def test_no_over_stripping(word: str, expected: str) -> None:
    assert stem(word) == expected


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("Алма-Атада", "алма-ата"), ("2017-нші", "2017"), ("COVID-19-ға", "covid-19"), ("Нұр-Сұлтанда", "нұр-сұлтан"),
        # a Latin head: a case ending after it goes, a Kazakh word after it stays (KazNERD valid)
        ("Kia-сы", "kia"), ("Twitter-дегі", "twitter"), ("IT-стартаптар", "it-стартап"), ("QR-код", "qr-код"),
        ("call-орталығына", "call-орталық"),
    ],
)
def test_hyphenated(word: str, expected: str) -> None:
    assert stem(word) == expected


@pytest.mark.parametrize(
    ("latin", "cyrillic"),
    [
        ("Qazaqstanda", "қазақстанда"),
        ("baılanysty", "байланысты"),
        ("Azııa", "азия"),
        ("delegatsııalar", "делегациялар"),
        ("Toqaev", "тоқаев"),
        ("sáıkes", "сәйкес"),
        ("ýaqyt", "уақыт"),
        ("Qyrǵyzstanda", "қырғызстанда"),
        # a capital «I» is «И» when a back vowel follows (Turkic casing: the capital of «ı»), else «І»
        ("Iranǵa", "иранға"),
        ("Iordanııa", "иордания"),
        ("Inflıatsııa", "инфляция"),
        ("Ishki", "ішкі"),
        ("Iske", "іске"),
        ("iske", "іске"),
        ("IIM", "іім"),
    ],
)
def test_latin_to_cyrillic(latin: str, cyrillic: str) -> None:
    assert latin_to_cyrillic(latin) == cyrillic


def test_latin_and_cyrillic_share_stems() -> None:
    assert stem(latin_to_cyrillic("Almatyda")) == stem("Алматыда") == "алматы"
    assert stem(latin_to_cyrillic("Irannyń")) == stem("Иранның") == "иран"  # a search for «Иран» finds «Iran»


@pytest.mark.parametrize("word", ["", "а", "😀", "ё", "-", "х" * 100_000])
def test_odd_input(word: str) -> None:
    assert isinstance(stem(word), str)


@pytest.mark.shared
def test_surnames_in_kaznerd_collapse(shared_data: Path) -> None:
    """Inflected Russian-style surnames in real Kazakh sentences lose exactly their case ending."""
    with gzip.open(shared_data / "kk_ner_kaznerd/valid.jsonl.gz", "rt") as lines:
        rows = [json.loads(line) for _, line in zip(range(3000), lines, strict=False)]
    pairs = [
        (tok, tok.lower()[: -len(end)])
        for row in rows
        for tok, tag in zip(row["tokens"], row["tags"], strict=True)
        if tag.endswith("PERSON")
        for end in ("тың", "тің", "қа", "ке", "ты", "ті", "пен")
        if tok.lower().endswith(("ов" + end, "ев" + end))
    ]
    assert len(pairs) > 20
    assert sum(stem(tok) == gold for tok, gold in pairs) / len(pairs) > 0.95


@pytest.mark.parametrize("word, expected", [
    ("АҚШ-тың", "ақш"), ("БАӘ-ге", "баә"), ("ҚР-да", "қр"), ("БҰҰ-ның", "бұұ"), ("ЕО-мен", "ео"),
    ("алма-атада", "алма-ата"), ("ой-пікір", "ой-пікір"), ("сол-ақ", "сол-ақ"),
])
def test_endings_after_an_abbreviation_go(word: str, expected: str) -> None:
    assert stem(word) == expected


@pytest.mark.parametrize(("word", "expected"), [
    ("Судан", "судан"), ("Суданда", "судан"), ("Нидерландыда", "нидерланды"), ("Омбыдағы", "омбы"),
    ("судан", "су"), ("суда", "су"),  # «from water», «in water»: lower case is no country
])
def test_a_capitalised_country_keeps_its_name(word: str, expected: str) -> None:
    assert stem(word) == expected
