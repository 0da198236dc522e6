from __future__ import annotations

import gzip
import json
import time
from pathlib import Path

import pytest

from newsdesk.lang import count_letters, detect, detect_script


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Russian headlines, incl. Kazakh names and places written the Kazakh way
        ("Токаев провёл совещание по паводкам", "ru"),
        ("Курс доллара упал на 2,68 рубля", "ru"),
        ("Умерла актриса Галина Байнякшина", "ru"),
        ("В Алматы открыли новую школу", "ru"),
        ("Экоакция «Таза Қазақстан» прошла в области Абай", "ru"),
        ("Шымкентцы массово поддержали экологическую акцию «Таза Қазақстан»", "ru"),
        # Kazakh, with and without Kazakh letters
        ("Алматыда жаңа мектеп ашылды", "kk"),
        ("Президент елге оралды", "kk"),
        ("Елордада жол апаты болды", "kk"),
        ("Мен 14 жыл гармошкамен ойнаймын.", "kk"),
        ("Біз сот шешіміне риза емеспіз.", "kk"),
        ("Самолёт өте жайлы.", "kk"),
        # a Kazakh text quoting Russian stays Kazakh
        (
            "Министр журналистерге «Мы рассмотрим этот вопрос в ближайшее время» деп мәлімдеді. "
            "Бұл мәселе үкімет отырысында қаралады.",
            "kk",
        ),
        # Kazakh in the 2021 Latin alphabet
        ("Qazaqstanda altyn baǵasy qymbattady", "kk"),
        ("Almatyda 31-shi qalalyq kitaphana ashyldy", "kk"),
        ("Astana men Almatyda dollar qanshadan saýdalanyp jatyr", "kk"),
        # English
        ("Tata Motors raises Rs 500 crore", "en"),
        ("Kazakhstan's president signs a new law on pensions", "en"),
        # other languages: Uzbek, Ukrainian, Buryat, Kyrgyz, Tatar, Bulgarian, Spanish, Turkish, Arabic
        ("Онлайн танлов ғолиблари аниқланди", "other"),
        ("Ўзбекистонда янги мактаб очилди", "other"),
        ("Виплата дивідендів нерезидентам: податки та звітність", "other"),
        ("Довідка від Тайсона", "other"),
        ("Буряад Уласай хүүгэдэй уралигай 26 һургуулида шэнэ пианинонууд", "other"),
        ("Бишкекте жаңы мектеп ачылды, окуучулар кубанычта, мугалимдер да сүйүнүүдө", "other"),
        ("Татарстанда яңа мәктәп ачылды, укучылар шатланды, җәй көне", "other"),
        ("Това е най-добрият ден във века", "other"),
        ("El dólar cayó 4 centavos y cerró con la cotización más baja", "other"),
        ("Türkiye'de yeni bir okul açıldı", "other"),
        ("الرئيس يزور المدينة", "other"),
    ],
)
def test_detect(text: str, expected: str) -> None:
    assert detect(text) == expected


@pytest.mark.parametrize("text", ["", "   ", "683.", "😀🎉", "&nbsp;&laquo;&raquo;", "12:30 24.11.2026"])
def test_no_letters_is_other(text: str) -> None:
    assert detect(text) == "other"


def test_malformed_input_is_fast_and_sane() -> None:
    start = time.perf_counter()
    assert detect("алматы" * 200_000) in ("kk", "ru")
    assert detect("😀 Алматыда жаңа мектеп ашылды 😀 &nbsp;") == "kk"
    assert detect("Kазахстан") == "ru"  # a Latin K among Cyrillic letters
    assert time.perf_counter() - start < 1


def test_scripts() -> None:
    assert detect_script("Алматыда") == "Cyrl"
    assert detect_script("Almatyda") == "Latn"
    assert detect_script("الرئيس") == "other"
    assert detect_script("2026") == "none"
    assert count_letters("Әлем").kk == 1


def test_many_headlines_per_second() -> None:
    titles = ["Токаев провёл совещание по паводкам", "Алматыда жаңа мектеп ашылды", "Apple unveils a new iPhone"]
    detect(titles[0])  # loads lingua
    start = time.perf_counter()
    for _ in range(1000):
        for title in titles:
            detect(title)
    assert 3000 / (time.perf_counter() - start) > 3000  # ~10-30k/s on the dev machine; a loose floor


@pytest.mark.shared
def test_real_kazakh_and_russian_sentences(shared_data: Path) -> None:
    with gzip.open(shared_data / "kk_ner_kaznerd/valid.jsonl.gz", "rt") as lines:
        kk = [json.loads(line)["text_detok"] for _, line in zip(range(1000), lines, strict=False)]
    with open(shared_data / "kk_ru_en_sib200_topics/sib200_kk_ru_en.jsonl") as lines:
        sib = [json.loads(line) for line in lines]
    sib = [row for row in sib if row["split"] == "train"][:300]
    assert sum(detect(t) == "kk" for t in kk) / len(kk) > 0.99
    assert sum(detect(r["ru"]) == "ru" for r in sib) / len(sib) > 0.99
    assert sum(detect(r["en"]) == "en" for r in sib) / len(sib) > 0.99


@pytest.mark.parametrize(("given", "text", "stored"), [
    ("ru", "Су тасқынынан үйіне оралған тұрғындар залалды есептеп жатыр. Әкімдік көмек береді.", "kk"),
    ("kk", "Жители Атырау вернулись домой после паводка и подсчитывают ущерб, акимат обещал помощь.", "ru"),
    ("ru", "Аким Алматы Ерболат Досаев встретился с жителями Медеуского района.", "ru"),
    ("kk", "Қасым-Жомарт Тоқаев Астанада кеңес өткізді.", "kk"),
    ("en", "Қасым-Жомарт Тоқаев Астанада кеңес өткізді.", "en"),  # only ru and kk are read again
])
def test_a_given_russian_or_kazakh_the_text_contradicts_is_corrected(given: str, text: str, stored: str) -> None:
    from newsdesk.records import Article
    from newsdesk.stages.language import LangStage

    article = Article(title="", paragraphs=[text], lang=given)
    LangStage()(article)
    assert article.lang == stored


def test_a_kazakh_word_or_two_leave_a_russian_text_russian() -> None:
    russian = ("Казахстанский боксёр нокаутировал соперника в третьем раунде и стал чемпионом мира. Бой прошёл "
               "в Астане при полном зале, а после поединка спортсмен поблагодарил тренера и болельщиков. ") * 3
    assert detect("Жаңа лид\n\n" + russian) == "ru"  # ң alone: no Kyrgyz text, one Kazakh word of a lead
    assert detect(russian + " Месторождение Жаңаөзен.") == "ru"
    assert detect("Жаңа Өзен қаласында жаңа мектеп ашылды. Мектепте бес жүз оқушы оқиды.") == "kk"
