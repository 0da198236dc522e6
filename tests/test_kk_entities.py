"""Kazakh in the Latin alphabet: foreign names stay as written, the outlet's byline is no entity."""

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
    # the lone «Tramp» before the country is not counted as his second mention (nor is «Трамп Иран» in
    # Cyrillic): a lone surname is read only as part of a pair


def test_countries_written_with_a_capital_i_are_found() -> None:
    places = kk("Iran men Izraıl arasyndaǵy qaqtyǵys Italııa men Iordanııany alańdatty. Ishki naryq turaqty.")
    assert places == {"Иран": "LOC", "Израиль": "LOC", "Италия": "LOC", "Иордания": "LOC"}


def test_the_outlets_own_byline_is_no_organisation() -> None:
    text = "ASTANA. KAZINFORM – Almatyda qar jaýdy. Bul týraly Kazinform agenttiginiń tilshisi habarlady."
    found = entities.extract(text, "kk")
    assert "Казінформ агенттігі" in {e.name for e in found}  # an organisation on another outlet's page
    kept = entities.not_the_outlet(found, "qz.inform.kz", "https://qz.inform.kz/news/a-1")
    assert {e.name for e in kept} == {"Алматы"}  # the dateline's «ASTANA» is no place either
