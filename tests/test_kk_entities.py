"""Kazakh entities: foreign names in the Latin alphabet stay as written, the outlet's byline is no entity,
two capitalised words are a person only when both can be words of a name."""

from __future__ import annotations

import pytest

from newsdesk import entities


def kk(text: str) -> dict[str, str]:
    return {m.name: m.type for m in entities.mentions(text, "kk")}


@pytest.mark.parametrize(("text", "garbage"), [
    ("Bul týraly Washington Post basylymy habarlady.", "Уашінгтон Пост"),
    ("Eskertkish Abraham Lincoln qurmetine qoıyldy.", "Абрахам Лінцолн"),
    ("Saıasatker Truth Social jelisinde jazdy.", "Трұтх Соціал"),
    ("Kezdesý Capital Hilton qonaqúıinde ótti.", "Цапітал Хілтон"),
])  # fmt: skip
def test_a_foreign_name_is_never_read_as_kazakh(text: str, garbage: str) -> None:
    assert garbage not in kk(text)
    assert not any("Ц" in name or "ц" in name for name in kk(text))


def test_a_foreign_organisation_keeps_its_latin_name() -> None:
    found = kk("Boljamdy AccuWeather kompanııasy jasady, al JPMorgan Chase banki ún qatpady.")
    assert found == {"AccuWeather компаниясы": "ORG", "JPMorgan Chase банкі": "ORG"}


def test_kazakh_names_beside_a_foreign_one_are_still_read() -> None:
    found = kk("Mınıstr Arman Shaqqalıev Berlındegi Grüne Woche kórmesine bardy.")
    assert found.get("Арман Шаққалиев") == "PER"
    # Kazakh acronyms and brands with inner capitals are no foreign words
    assert kk("Memleket basshysy Qasym-Jomart Toqaev AQSh-qa bardy.") == {"Қасым-Жомарт Тоқаев": "PER", "США": "LOC"}


def test_a_surname_and_the_next_name_are_two_things() -> None:
    text = "AQSh prezıdenti Donald Tramp málimdeme jasady. Sodan keıin ol Tramp Iran basshylaryna habarlasty."
    found = entities.extract(text, "kk")
    assert [e.name for e in found if e.type == "PER"] == ["Доналд Трамп"]  # no «Трамп Іран» person
    assert "Иран" in {e.name for e in found if e.type == "LOC"}
    assert [e.mentions for e in found if e.type == "PER"] == [2]  # the lone «Tramp» is his second mention


def test_countries_written_with_a_capital_i_are_found() -> None:
    places = kk("Iran men Izraıl arasyndaǵy qaqtyǵys Italııa men Iordanııany alańdatty. Ishki naryq turaqty.")
    assert places == {"Иран": "LOC", "Израиль": "LOC", "Италия": "LOC", "Иордания": "LOC"}


def test_the_outlets_own_byline_is_no_organisation() -> None:
    text = "ASTANA. KAZINFORM – Almatyda qar jaýdy. Bul týraly Kazinform agenttiginiń tilshisi habarlady."
    found = entities.extract(text, "kk")
    assert "Казінформ агенттігі" in {e.name for e in found}  # an organisation on another outlet's page
    kept = entities.not_the_outlet(found, "qz.inform.kz", "https://qz.inform.kz/news/a-1")
    assert {e.name for e in kept} == {"Алматы"}  # the dateline's «ASTANA» is no place either


def people(text: str) -> set[str]:
    return {m.name for m in entities.mentions(text, "kk") if m.type == "PER"}


# short sentences of our own, each with the junk person the older rules made of it
@pytest.mark.parametrize(("text", "found"), [
    ("Фильмнің рейтингі жоғары. Жаңа фильм: Миграция\n\nРейтинг: 7.5", set()),  # was «Миграция Рейтинг»
    ("Соңғы жылдары Кіші Аралдың суы көбейді.", set()),  # «Кіш Арал»: an adjective, a place
    ("Биыл Қысқы Олимпиада ойындары Италияда өтеді.", set()),  # «Қыс Олимпиа»
    ("Саммит Швейцарияның Давос қаласында өтті.", set()),  # a place in the genitive
    ("Shveıtsarııanyń Davos qalasynda forým ótti.", set()),  # «Швейтсария Давос»: Latin read back
    ("Кездесуде Оңтүстік Каролина штаты туралы айтылды.", set()),  # a direction: a place
    ("Жанармай қымбаттады. Бензин бағасы өсті, бензин тапшы.", set()),  # a word the text writes small
    ("Бұл туралы The Times of Central Asia жазды.", set()),  # «Тхе Тімес»: English stays English
    ("Спортшы 2020 жылғы Олимпиадасында Қайсанов жүлдеге жетпеді.", {"Қайсанов"}),  # a declined noun first
    ("Бірақ Данилина ойынды теңестірді.", {"Данилина"}),  # a conjunction opening a sentence
])  # fmt: skip
def test_two_capitalised_words_that_are_no_name_are_no_person(text: str, found: set[str]) -> None:
    assert people(text) == found


@pytest.mark.parametrize(("text", "person"), [
    ("Іс-шараға Мәдениет министрі Айда Балаеваның өзі келді.", "Айда Балаева"),  # only the last word declines
    ("Театр Мұхтар Әуезов атындағы болып аталды.", "Мұхтар Әуезов"),
    ("Форумда Илхам Әлиев пен Владимир Путин сөз сөйледі.", "Илхам Әлиев"),
    ("Форумда Илхам Әлиев пен Владимир Путин сөз сөйледі.", "Владимир Путин"),
    ("Мемлекет басшысы Қасым-Жомарт Тоқаев жиынға қатысты.", "Қасым-Жомарт Тоқаев"),
    ("Оның репертуарында М. Әуезов, Б. Майлин пьесалары бар.", "Майлин"),  # after an initial, not a sentence
    ("Кеше Бен Уайт гол соқты.", "Бен Уайт"),  # a capitalised «Бен» inside a sentence is Ben, not «and»
])  # fmt: skip
def test_real_names_are_kept(text: str, person: str) -> None:
    assert person in people(text)


def test_a_lone_surname_is_the_person_the_text_names_in_full() -> None:
    text = "АҚШ президенті Доналд Трамп мәлімдеме жасады. Трамптың айтуынша, келіссөз жалғасады."
    found = entities.extract(text, "kk")
    assert [(e.name, e.mentions) for e in found if e.type == "PER"] == [("Доналд Трамп", 2)]


def test_a_surname_alone_with_no_full_name_is_not_counted() -> None:
    assert people("Кеше Трамптың айтуынша, келіссөз жалғасады.") == set()


def test_an_organisation_word_alone_names_no_body() -> None:
    found = [(e.name, e.type) for e in entities.extract("Бұл туралы Агенттік хабарлады. Комиссия шешім қабылдады, "
                                                         "ал Ұлттық банк мөлшерлемені өзгертпеді.", "kk")]
    assert ("Агенттік", "ORG") not in found and ("Комиссия", "ORG") not in found
    assert any(t == "ORG" and "банк" in n.lower() for n, t in found)  # a name with its organisation word stays
