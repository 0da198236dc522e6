"""Lower-case words a scrape glued («областидождь»): real words of Tengrinews' bodies, «|» marking a split."""

from __future__ import annotations

import pytest

from newsdesk.sources import glued


@pytest.mark.parametrize("marked", [
    # glues: two words of a sentence that lost the space between them
    "области|дождь", "посмотреть|здесь", "воды|жители", "области|небольшой", "средневзвешенный|курс",
    "районах|области", "записал|видеообращение", "можно|прочитать", "апреля|планируется", "также|могут",
    "ранее|корреспонденты", "долг|является", "город|находится", "государства|подписал", "транспорта|лица",
    "севере|области", "силу|через", "причинение|легкого", "эксплуатации|газового",
    "лидеры|осудили",
    # real words that stay whole: compounds, Kazakhstan's words, suffixes, a Kazakh word
    "лудомании", "селезадерживающей", "маслихата", "акиматами", "сельхозживотных", "легкорельсового",
    "аудиосообщение", "спортшколе", "кинологов", "контрафакт", "комбатанта", "трансформеров", "слабопроводимых",
    "оперштабе", "мажилисмены", "депутаттары", "наркозакладчиков", "правоустанавливающие",
    "сверхсостоятельных", "селехранилища", "надолгосрочный", "парковал", "труднопредсказуемы", "сверхсмертности",
    # a word and a short preposition may be the glue instead («паводками на»): left alone
    "паводкамина",
])
def test_lower_case_glues(marked: str) -> None:
    assert glued.lower_split(marked.replace("|", "")) == max(marked.find("|"), 0)


@pytest.mark.parametrize(("body", "expected"), [
    # a scraped body (its sentences glued too): the lower-case glue gets its space, no new paragraph
    ("Днем на севере, западе Акмолинской областидождь.Ночью ветер. Их можно посмотретьздесь.",
     ["Днем на севере, западе Акмолинской области дождь.", "Ночью ветер. Их можно посмотреть здесь."]),
    ("Внутренний государственный долгявляется составной частью.Подробнее о новшествах можнопрочитать на сайте.",
     ["Внутренний государственный долг является составной частью.",
      "Подробнее о новшествах можно прочитать на сайте."]),
    # real words stay, scraped or not
    ("В МЧС рассказали о селезадерживающей плотине.Сегодня мажилисмены обсудили лудоманию в спортшколе.",
     ["В МЧС рассказали о селезадерживающей плотине.", "Сегодня мажилисмены обсудили лудоманию в спортшколе."]),
    # a text with no other glue: its unknown words are rare words, not glues (each would split in a scraped one)
    ("Раз облакообразование, то солнца нет. СМИ растиражировали, что утильсбор растет в пятинедельный срок.",
     ["Раз облакообразование, то солнца нет. СМИ растиражировали, что утильсбор растет в пятинедельный срок."]),
    # Kazakh text is not read for lower-case glues, nor a Kazakh word inside a Russian text
    ("Мәжіліс депутаттары заң жобасын қабылдады.Бұл туралы хабарлады,депутаттары айтты.",
     ["Мәжіліс депутаттары заң жобасын қабылдады.Бұл туралы хабарлады,депутаттары айтты."]),
    ("В Алматы прошла сессия.Как сказали,Мәжіліс депутаттары приняли закон.",
     ["В Алматы прошла сессия.", "Как сказали,Мәжіліс депутаттары приняли закон."]),
])
def test_lower_case_glues_in_bodies(body: str, expected: list[str]) -> None:
    from newsdesk.sources.fields import paragraphs

    assert paragraphs(body) == expected


@pytest.mark.parametrize("marked", [
    # a name, a place or a noun glued to the verb after it («Токаевосмотрел»)
    "Токаев|осмотрел", "Иран|запустил", "Сенат|одобрил", "Бишимбаева|заявило", "Казахстана|сделал",
    "Подробности|читайте",
    # real words stay: adjectives and nouns of places, a word the dictionary knows
    "Костанайскую", "Петропавловскую", "Казахстанского", "Предупредил",
])
def test_a_name_glued_to_its_verb(marked: str) -> None:
    word = marked.replace("|", "")
    assert glued.name_verb_split(word, f"{word} в тексте.") == max(marked.find("|"), 0)


def test_the_text_names_the_left_part_alone() -> None:
    assert glued.name_verb_split("Канеловыразил", "Канело выиграл бой. Канеловыразил надежду.") == 6  # «Канело»


def test_a_name_glued_to_its_verb_in_a_scraped_body() -> None:
    from newsdesk.sources.fields import paragraphs

    body = "Глава государства прибыл в Астану.Токаевподписал указ о назначении."
    assert paragraphs(body) == ["Глава государства прибыл в Астану.", "Токаев подписал указ о назначении."]
    plain = "Токаевподписал указ."  # no other glue in the text: left alone, as lower-case glues are
    assert paragraphs(plain) == [plain]
