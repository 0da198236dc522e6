from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsdesk import entities, institutions, surnames
from newsdesk.acronyms import AcronymIndex, initials_fit
from newsdesk.surnames import PeopleIndex


@pytest.fixture(scope="module")
def nlp() -> None:
    entities.load()  # natasha, ~1 s, once for this module


def names(text: str, lang: str | None = "ru", index: AcronymIndex | None = None) -> dict[str, str]:
    return {e.name: e.type for e in entities.extract(text, lang, index or AcronymIndex())}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Памятник Абылай хану открыли в Астане.", {"Абылай хан": "PER", "Астана": "LOC"}),
        ("Президент Казахстана выступил.", {"Казахстан": "LOC"}),
        ("Аким Алматы Ерболат Досаев встретился с жителями.", {"Алматы": "LOC", "Ерболат Досаев": "PER"}),
        ("В Акорде прошло совещание.", {"Акорда": "ORG"}),
        ("Встреча с Германом Грефом прошла в Москве.", {"Герман Греф": "PER", "Москва": "LOC"}),
        ("Паводки в Семее и Алма-Ате.", {"Семей": "LOC", "Алматы": "LOC"}),
        ("Министерства иностранных дел Республики Казахстан", {"Министерство иностранных дел": "ORG",
                                                              "Казахстан": "LOC"}),  # the country's one name
        ("Заявление правительства Китая", {"Правительство Китая": "ORG", "Китай": "LOC"}),
        ("Сейсмологи не исключают афтершоков в Алматы.", {"Алматы": "LOC"}),  # a noun opening a sentence
        ("Кремль ответил. Жители Талгара вышли на улицы.", {"Кремль": "ORG", "Талгар": "LOC"}),
    ],
)  # fmt: skip
def test_names_are_nominative_and_typed(nlp: None, text: str, expected: dict[str, str]) -> None:
    assert names(text) == expected


def test_words_before_a_name_are_no_part_of_the_person() -> None:
    from newsdesk.entities import Mention, _titles_off

    def cut(text: str) -> list[tuple[str, str]]:
        return [(m.type, m.text) for m in _titles_off(Mention("PER", 0, len(text), text))]

    assert cut("Казахстанец Адиль Сарсенбаев") == [("PER", "Адиль Сарсенбаев")]
    assert cut("Аким Алматы Ерлан Сапаров") == [("LOC", "Алматы"), ("PER", "Ерлан Сапаров")]
    assert cut("Аким Петропавловска") == [("LOC", "Петропавловска")]  # an office, not a person
    assert cut("Певице Максаковой") == [("PER", "Максаковой")]
    for whole in ("Заяц Иван Петрович", "Дед Мороз", "Муху Алиев", "Касым-Жомарт Токаев"):  # names, whole
        assert cut(whole) == [("PER", whole)]


def test_a_lone_title_or_body_is_no_entity() -> None:
    from newsdesk.entities import _generic

    assert all(map(_generic, ("Аким", "Акимат", "Акимата", "Маслихат")))
    assert not any(map(_generic, ("Акимат Алматы", "Акорда", "Аким Ерлан Сапаров", "Глазов")))


def test_a_first_name_that_does_not_decline_stays_as_written() -> None:
    from newsdesk.names import normalize

    assert normalize("Хорхе Мендосу", "PER") == "Хорхе Мендоса"  # pymorphy's first reading: «о хорхе»
    assert normalize("Рене Мюнниха", "PER").startswith("Рене ")
    assert normalize("Ивана Петрова", "PER") == "Иван Петров"


@pytest.mark.parametrize(("mention", "name"), [
    ("Адилем Сарсенбаевым", "Адиль Сарсенбаев"),  # pymorphy reads «Адилем» as a nominative, «Адилю» as Адиля's
    ("Адилю Сарсенбаеву", "Адиль Сарсенбаев"),
    ("Сапару Исакову", "Сапар Исаков"), ("Сандеру Левину", "Сандер Левин"),  # real news: «Сапара», «Сандрать»
    ("Ерланом Кариным", "Ерлан Карин"), ("Владимире Путине", "Владимир Путин"),
    ("Сергеем Ивановичем Петровым", "Сергей Иванович Петров"), ("Марине Ивановой", "Марина Иванова"),
    # Armenian «-ян»: pymorphy reads «Пашинян» as «пашинянин» (like «армян»), «Никол» as «Никола»'s
    ("Никол Пашинян", "Никол Пашинян"), ("Николом Пашиняном", "Никол Пашинян"), ("Никола Пашиняна", "Никол Пашинян"),
    ("Ваагном Хачатуряном", "Ваагн Хачатурян"), ("Ваагн Хачатурян", "Ваагн Хачатурян"),
    ("Алену Симоняну", "Ален Симонян"),
    ("Марой Багдасарян", "Мара Багдасарян"),  # a woman's «-ян» does not decline: no case for her first name
    ("Сержем Саркисяном", "Серж Саркисян"),
])
def test_a_first_name_takes_the_case_its_surname_shows(mention: str, name: str) -> None:
    from newsdesk.names import normalize

    assert normalize(mention, "PER") == name


@pytest.mark.parametrize(("mention", "name"), [
    ("Светлана Романовская", "Светлана Романовская"), ("Светланы Романовской", "Светлана Романовская"),
    ("Романовскую", "Романовская"), ("Ольги Трубецкой", "Ольга Трубецкая"),  # hers, as an adjective's
    ("Сергей Рудской", "Сергей Рудский"), ("Франциска Ассизского", "Франциска Ассизский"),  # his
    ("Бауыржана Момышулы", "Бауыржан Момышулы"), ("Майра Мухамедкызы", "Майра Мухамедкызы"),  # -улы, -кызы as written
    ("Ирина Старых", "Ирина Старых"), ("Глеб Ретивых", "Глеб Ретивых"),  # «-ых» too
])
def test_surnames_keep_their_gender_or_stay_as_written(mention: str, name: str) -> None:
    from newsdesk.names import normalize

    assert normalize(mention, "PER") == name


def test_a_town_or_the_mazhilis_is_never_a_person(nlp: None) -> None:
    found = names("Напомним, ранее депутаты Мажилиса сообщали об этом. Уже подъезжает к Уральску колонна.")
    assert found.get("Мажилис") == "ORG" and found.get("Уральск") == "LOC"
    assert names("Выступление Юко Кавагути и Александра Смирнова.").get("Туркестанская область") is None


def test_two_places_share_one_noun(nlp: None) -> None:
    assert names("Утечки газа нашли в Алмалинском и Жетысуском районах.") == {
        "Алмалинский район": "LOC", "Жетысуский район": "LOC"}
    assert names("Паводки в Акмолинской и Карагандинской областях.") == {
        "Акмолинская область": "LOC", "Карагандинская область": "LOC"}
    assert names("В Алматы и Астане прошли митинги.") == {"Алматы": "LOC", "Астана": "LOC"}


@pytest.mark.parametrize(("mention", "nominative"), [
    ("Жетысуской области", "Жетысуская область"), ("Алматинской области", "Алматинская область"),
    ("Северо-Казахстанской области", "Северо-Казахстанская область"), ("Медеуском районе", "Медеуский район"),
    ("Жетысуском районах", "Жетысуский район"),  # «в Алмалинском и Жетысуском районах»: one district each
    ("Уральскому федеральному округу", "Уральский федеральный округ"), ("Кривого Рога", "Кривой Рог"),
    ("Вооруженные силы", "Вооружённые силы"), ("Киево-Печерской лавры", "Киево-Печерская лавра"),
    ("Астане", "Астана"), ("Алмалинском", "Алмалинский"), ("Северной Корее", "Северная Корея"),
])  # fmt: skip
def test_places_and_bodies_are_nominative_in_agreement(mention: str, nominative: str) -> None:
    from newsdesk.names import normalize

    assert normalize(mention, "LOC") == nominative


@pytest.mark.parametrize(("mention", "nominative"), [
    ("Барыс Арене", "Барыс Арена"), ("Алматы Арены", "Алматы Арена"), ("Халык Банка", "Халык Банк"),
    ("Kaspi Банка", "Kaspi Банк"), ("Назарбаев Университете", "Назарбаев Университет"),
    ("Казахстанской фондовой бирже", "Казахстанская фондовая биржа"), ("Банка развития", "Банк развития"),
    ("Халал Даму", "Халал Даму"), ("Эйр Астаны", "Эйр Астаны"),  # not a head of the list: left as written
])  # fmt: skip
def test_a_name_in_front_leaves_the_head_to_decline(mention: str, nominative: str) -> None:
    from newsdesk.names import normalize

    assert normalize(mention, "ORG") == nominative


@pytest.mark.parametrize(("text", "mention", "dropped"), [
    ("Сейсмологи не исключают афтершоков.", entities.Mention("LOC", 0, 10, "Сейсмологи"), True),
    ("Всё решено. Супруга промолчала.", entities.Mention("PER", 12, 19, "Супруга"), True),
    ("Токаев прибыл в Ереван.", entities.Mention("PER", 0, 6, "Токаев"), False),  # «токаев» parses as «токай»
    ("Минздрав сообщил о росте.", entities.Mention("ORG", 0, 8, "Минздрав"), False),
    ("Вчера Сейсмологи выступили.", entities.Mention("LOC", 6, 16, "Сейсмологи"), False),  # not a sentence start
])  # fmt: skip
def test_common_noun_opening_a_sentence_is_no_name(text: str, mention: entities.Mention, dropped: bool) -> None:
    assert text[mention.start : mention.end] == mention.text
    assert entities._common_noun_first(text, mention) is dropped


def test_merged_with_counts_spans_and_slugs(nlp: None) -> None:
    text = "Касым-Жомарт Токаев прибыл в Астану. Токаев провёл встречу. Токаеву вручили орден."
    (person, *_) = entities.extract(text, "ru", AcronymIndex())
    assert (person.name, person.type, person.mentions) == ("Касым-Жомарт Токаев", "PER", 3)
    assert person.slug == "kasym-zhomart-tokaev"
    assert [text[a:b] for a, b in person.spans] == ["Касым-Жомарт Токаев", "Токаев", "Токаеву"]


def test_one_person_whatever_comes_first(nlp: None) -> None:
    text = ("Бишимбаев дал показания. Суд над Куандыком Бишимбаевым продолжился: Бахытжан Байжанов выступил. "
            "Байжанов сказал, что в день убийства Салтанат Нукеновой был рядом. Адвокат Салтанат выступила.")
    found = {e.name: e.mentions for e in entities.extract(text, "ru", AcronymIndex()) if e.type == "PER"}
    # the surname in the title joins the full name further on; a lone first name joins the only full name it begins
    assert found == {"Куандык Бишимбаев": 2, "Бахытжан Байжанов": 2, "Салтанат Нукенова": 2}


@pytest.mark.parametrize(("text", "person"), [
    ("Дело об убийстве Салтанат Нукеновой рассмотрит суд.", "Салтанат Нукенова"),  # a Kazakh first name
    ("Выступила Салтанат Нукенова. Родные Нукеновой пришли в суд.", "Салтанат Нукенова"),  # nominative too
    ("Ильиной вручили награду.", "Ильина"),
    ("Встреча с Марией Петровой прошла в Астане.", "Мария Петрова"),
    ("Встреча с Иваном Петровым прошла в Астане.", "Иван Петров"),
])  # fmt: skip
def test_a_womans_surname_stays_hers(nlp: None, text: str, person: str) -> None:
    assert person in names(text)


def test_husband_and_wife_stay_two_people(nlp: None) -> None:
    text = "Иван Петров и его жена Мария Петрова пришли на выборы. Петровым гордятся."
    assert {n for n, t in names(text).items() if t == "PER"} == {"Иван Петров", "Мария Петрова"}


def test_a_surname_alone_is_the_full_name_the_archive_knows(nlp: None) -> None:
    people = PeopleIndex()
    before = entities.extract("Указ подписал Токаев в Астане.", "ru", AcronymIndex(), people)
    assert "Токаев" in {e.name for e in before}  # not yet known
    for text in ("Касым-Жомарт Токаев прибыл в Астану.", "Президент Касым-Жомарт Токаев выступил."):
        entities.extract(text, "ru", AcronymIndex(), people)
    after = entities.extract("Указ подписал Токаев в Астане.", "ru", AcronymIndex(), people)
    assert {(e.name, e.slug) for e in after if e.type == "PER"} == {("Касым-Жомарт Токаев", "kasym-zhomart-tokaev")}
    assert PeopleIndex.from_json(people.to_json()) == people


def test_a_womans_name_the_archive_knows_stays_hers(nlp: None) -> None:
    alone = "В суде выступила Салтанат Нукенова из Астаны."  # «Нукенова» could be a man's genitive
    assert "Салтанат Нукенов" in names(alone)
    people = PeopleIndex()
    for text in ("Дело об убийстве Салтанат Нукеновой слушают в Астане.", "Родные Салтанат Нукеновой пришли в суд."):
        entities.extract(text, "ru", AcronymIndex(), people)
    assert "Салтанат Нукенова" in {e.name for e in entities.extract(alone, "ru", AcronymIndex(), people)}


def test_a_person_is_one_entity_in_both_languages(nlp: None) -> None:
    kk = entities.extract("Мемлекет басшысы Қасым-Жомарт Тоқаев Астанада сөз сөйледі.", "kk")
    ru = entities.extract("Президент Касым-Жомарт Токаев выступил в Астане.", "ru")
    person = {e.slug: e.name for e in kk if e.type == "PER"}
    assert person == {"kasym-zhomart-tokaev": "Қасым-Жомарт Тоқаев"}  # its own spelling, the Russian text's slug
    assert {e.slug for e in ru if e.type == "PER"} == set(person)


def test_a_surname_natasha_misses_is_found_when_the_archive_knows_it(nlp: None) -> None:
    headline = "Токаев подписал указ о налоговой амнистии\n\nДокумент вступает в силу с января."
    assert not [e for e in entities.extract(headline, "ru") if e.type == "PER"]  # natasha alone misses it
    people = PeopleIndex()
    for text in ("Касым-Жомарт Токаев прибыл в Астану.", "Президент Касым-Жомарт Токаев выступил."):
        entities.extract(text, "ru", AcronymIndex(), people)
    (person,) = [e for e in entities.extract(headline, "ru", AcronymIndex(), people) if e.type == "PER"]
    assert (person.name, person.slug, person.spans) == ("Касым-Жомарт Токаев", "kasym-zhomart-tokaev", [(0, 6)])
    kk = entities.extract("Тоқаев Ақтөбеге барды.", "kk", AcronymIndex(), people)  # the Kazakh spelling too
    assert {(e.name, e.slug) for e in kk if e.type == "PER"} == {("Касым-Жомарт Токаев", "kasym-zhomart-tokaev")}
    unknown = entities.extract("Сидоров подписал указ о налоговой амнистии.", "ru", AcronymIndex(), people)
    assert not [e for e in unknown if e.type == "PER"]


def test_the_people_index_is_one_person_in_both_languages() -> None:
    people = PeopleIndex()
    for name in ("Касым-Жомарт Токаев", "Қасым-Жомарт Тоқаев", "Касым-Жомарт Токаев"):
        people.learn(name)
    assert people.lookup("Токаев") == "Касым-Жомарт Токаев"
    assert people.lookup("Тоқаев") == "Қасым-Жомарт Тоқаев"  # the spelling of the surname's language
    old = PeopleIndex.from_json('{"тоқаев": {"Қасым-Жомарт Тоқаев": 1}, "токаев": {"Касым-Жомарт Токаев": 1}}')
    assert old.lookup("Токаев") == "Касым-Жомарт Токаев"  # saved before the fold: the Kazakh key joins


def test_a_surname_two_people_share_is_left_alone() -> None:
    people = PeopleIndex()
    for name in ("Иван Петров", "Иван Петров", "Сергей Петров"):
        people.learn(name)
    assert people.lookup("Петров") is None  # 2 of 3: not clear enough
    people.learn("Иван Петров")
    people.learn("Иван Петров")
    assert people.lookup("петров") == "Иван Петров"  # 4 of 5
    assert people.lookup("Сидоров") is None


def test_the_people_index_keeps_the_most_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(surnames, "MAX_SURNAMES", 4)
    people = PeopleIndex()
    for _ in range(3):
        people.learn("Касым-Жомарт Токаев")
    for n in range(5):
        people.learn(f"Имя Фамилия{n}")
    assert len(people.names) <= 5 and people.lookup("Токаев") == "Касым-Жомарт Токаев"


@pytest.mark.parametrize(("source", "url"), [("tengrinews.kz", None), ("Tengrinews", None),
                                             (None, "https://www.tengrinews.kz/kazakhstan_news/1/")])
def test_the_articles_own_outlet_is_no_entity(nlp: None, source: str | None, url: str | None) -> None:
    text = "Аким Алматы Ерболат Досаев встретился с жителями, передает корреспондент Tengrinews.kz."
    found = entities.not_the_outlet(entities.extract(text, "ru", AcronymIndex()), source, url)
    assert "Tengrinews.kz" not in {e.name for e in found} and "Ерболат Досаев" in {e.name for e in found}
    assert entities.not_the_outlet(found, None, None) == found


def test_acronym_linked_within_and_across_texts(nlp: None) -> None:
    index = AcronymIndex({})
    first = entities.extract(
        "Саммит Шанхайской организации сотрудничества (ШОС) открылся. Лидеры ШОС приняли декларацию.", "ru", index
    )
    org = next(e for e in first if e.type == "ORG")
    assert org.name == "Шанхайская организация сотрудничества" and org.mentions == 3
    assert index.lookup("ШОС") == ("Шанхайская организация сотрудничества", "ORG")
    later = entities.extract("Следующий саммит ШОС пройдёт в Астане.", "ru", index)
    assert ("Шанхайская организация сотрудничества", "ORG") in {(e.name, e.type) for e in later}
    assert AcronymIndex.from_json(index.to_json()).expansions == index.expansions
    json.loads(index.to_json())


def test_known_acronyms_and_not_names(nlp: None) -> None:
    found = names("Делегация США прибыла на заседание ООН, сообщают СМИ.")
    assert found.get("США") == "LOC"  # a country keeps its one name (gazetteer.world_name), as in Kazakh text
    assert found.get("Организация Объединённых Наций") == "ORG"
    assert "СМИ" not in found
    assert initials_fit("ЕАЭС", "Евразийский экономический союз") and not initials_fit("ШОС", "Министерство")


def test_short_name_in_brackets_is_its_own_mention(nlp: None) -> None:
    text = "Министерство здравоохранения (Минздрав) сообщило о росте заболеваемости."
    found = entities.mentions(text, "ru")
    assert [m.text for m in found] == ["Министерство здравоохранения", "Минздрав"]  # no «…(Минздрав» name
    assert {m.name for m in found} == {"Министерство здравоохранения"}  # one body (`institutions`)


def test_no_name_across_a_line_break(nlp: None) -> None:
    text = "В Алматы произошёл пожар на СТО\n\nОгонь уничтожил три автомобиля."
    found = entities.extract(text, "ru", AcronymIndex())
    assert all("\n" not in text[s:e] for e in found for s, e in e.spans)
    assert not any("Огонь" in e.name for e in found)
    assert "Алматы" in {e.name for e in found}


def test_no_name_of_words_the_scrape_glued(nlp: None) -> None:
    """Tengrinews bodies glue a word to the name after it («13 апреляИран»): the reader's paragraphs split
    them, so no «АпреляИран» person is made."""
    from newsdesk.sources.fields import paragraphs

    body = ("Напомним, вечером 13 апреляИран запустил ракеты по Израилю.Фото пресс-службы АкордыПрезидент провел "
            "разговор с президентомТаджикистанаЭмомали Рахмоном.Ночью на востокеВосточно-Казахстанской области "
            "дождь.Ранеесуд отказался приобщать заключение.")
    assert names("\n".join(paragraphs(body))) == {
        "Иран": "LOC", "Израиль": "LOC", "Акорда": "ORG", "Таджикистан": "LOC", "Эмомали Рахмон": "PER",
        "Восточно-Казахстанская область": "LOC"}


def test_no_name_across_a_bullet(nlp: None) -> None:
    # raw text, as the API takes it: «■» glued to the words on both sides made «Продолжение■Токаев» a person
    text = "Об этом сообщили в Акорде.Продолжение■Токаев подписал указ.■Какие страны помогли"
    found = entities.extract(text, "ru", AcronymIndex())
    assert not any("■" in e.name or "Продолжение" in e.name for e in found)
    assert {"Токаев": "PER", "Акорда": "ORG"}.items() <= {e.name: e.type for e in found}.items()


def test_batch(nlp: None) -> None:
    index = AcronymIndex({})
    texts = ["Форум Евразийского экономического союза (ЕАЭС) прошёл в Минске.", "Страны ЕАЭС договорились."]
    second = entities.extract_many(texts, "ru", index)[1]
    assert [e.name for e in second] == ["Евразийский экономический союз"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Президент Қасым-Жомарт Тоқаев Алматы облысында болды. Тоқаевтың сапары аяқталды.",
         {"Қасым-Жомарт Тоқаев": "PER", "Алматинская область": "LOC"}),
        ("Ұлттық банкі мөлшерлемені өзгертпеді.", {"Национальный банк Казахстана": "ORG"}),
        ("Назарбаев Университетінде конференция өтті.", {"Назарбаев Университеті": "ORG"}),
        ("Қазақстан Республикасының Атом энергиясы жөніндегі агенттігімен келісілді.",
         {"Қазақстан Республикасының Атом энергиясы жөніндегі агенттігі": "ORG"}),
        ("Кеше Германияда сайлау өтті, Өскеменде жаңбыр.", {"Германия": "LOC", "Усть-Каменогорск": "LOC"}),
    ],
)  # fmt: skip
def test_kazakh_entities(text: str, expected: dict[str, str]) -> None:
    assert names(text, "kk") == expected


def test_kazakh_organisation_in_any_case_is_one_entity() -> None:
    found = entities.extract("Ұлттық банк мөлшерлемені өзгертпеді. Ұлттық банкінің шешімі күтілген еді. "
                             "Назарбаев Университетінің мәліметінше, "
                             "Назарбаев Университетіне хат жолданды.",
                             "kk", AcronymIndex())
    by_slug = {e.slug: e for e in found if e.type == "ORG"}
    assert by_slug["natsionalnyy-bank-kazakhstana"].mentions == 2  # the table's body, under its Russian name
    assert by_slug["nazarbaev-universitet"].name == "Назарбаев Университеті"  # one the table does not know
    assert by_slug["nazarbaev-universitet"].mentions == 2


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Компания есеп берді.", {}),  # capitalised only because it opens the sentence
        ("Биылғы жарыстың ұтыс қоры өсті.", {}),
        # the opener is not in the name
        ("Сарапшылар Ұлттық банктің шешімін күтті.", {"Национальный банк Казахстана": "ORG"}),
        ("Облыстық сот үкім шығарды.", {"Облыстық сот": "ORG"}),  # an adjective of a name does open it
        # capitalised inside a sentence too, but an organisation word alone names no one body: the page of
        # «Компания» would gather every company and every agency («Агенттік» stood among «Главные темы»)
        ("Компания туралы айтты. Ол Компания басшысы.", {}),
    ],
)  # fmt: skip
def test_kazakh_sentence_openers_are_no_organisations(text: str, expected: dict[str, str]) -> None:
    assert {n: t for n, t in names(text, "kk").items() if t == "ORG"} == expected


def test_language_detected_when_not_given(nlp: None) -> None:
    assert names("Аким Алматы Ерболат Досаев встретился с жителями.", None)["Ерболат Досаев"] == "PER"
    assert names("Президент Қасым-Жомарт Тоқаев Алматыда болды.", None) == {
        "Қасым-Жомарт Тоқаев": "PER", "Алматы": "LOC"}  # fmt: skip
    assert names("Apple opened a store in Almaty", "en") == {}


@pytest.mark.parametrize("text", ["", "   ", "😀🎉", "&nbsp;&laquo;&raquo;", "ШОС" * 10, "а" * 300_000])
def test_odd_input(nlp: None, text: str) -> None:
    assert isinstance(entities.extract(text, "ru"), list)
    assert isinstance(entities.extract(text, "kk"), list)


@pytest.mark.shared
def test_factrueval_dev_sample_not_worse_than_natasha(nlp: None, shared_data: Path) -> None:
    with open(shared_data / "ru_ner_factrueval2016/dev.jsonl") as lines:
        rows = [json.loads(line) for _, line in zip(range(8), lines, strict=False)]
    gold = {(e["start"], e["end"]) for r in rows for e in r["entities"] if e["type"] == "Org"}
    assert gold
    ours = {(m.start, m.end) for r in rows for m in entities.mentions(r["text"]) if m.type == "ORG"}
    plain = {(m.start, m.end) for r in rows for m in entities.natasha_mentions(r["text"]) if m.type == "ORG"}
    assert len(ours & gold) >= len(plain & gold)


@pytest.mark.parametrize("text, lang", [
    ("Делегация Киргизии прибыла в Белоруссию, затем в РФ.", "ru"),
    ("Қырғызстан делегациясы Беларуське, содан кейін Ресейге келді.", "kk"),
])
def test_a_country_has_one_name_in_both_languages(nlp: None, text: str, lang: str) -> None:
    assert set(names(text, lang)) >= {"Кыргызстан", "Беларусь", "Россия"}


def test_kazakh_world_places_and_abbreviations_with_endings() -> None:
    found = names("АҚШ-тың елшісі Мәскеуде болды. Ертіс өзені Қытайдан басталады.", "kk")
    places = ("США", "Москва", "Иртыш", "Китай")
    assert {k: found.get(k) for k in places} == dict.fromkeys(places, "LOC")
    assert names("Қазақстан Республикасының Ұлттық банкі мәлімдеді.", "kk") == {
        "Национальный банк Казахстана": "ORG"}  # a country inside an organisation's name stays there
    assert names("Қазақстан Республикасының Атом энергиясы агенттігі мәлімдеді.", "kk") == {
        "Қазақстан Республикасының Атом энергиясы агенттігі": "ORG"}


@pytest.mark.parametrize("text, person", [
    ("Бүгін журналист Гүлжан Көленқызы жиынға қатысты.", "Гүлжан Көленқызы"),  # «-қызы»: the father's name
    ("Әкім орынбасары Бірлік Берікұлы мәлімдеді.", "Бірлік Берікұлы"),
    ("Жиында Олжас Керейхан сөз сөйледі.", "Олжас Керейхан"),  # two capitalised words inside a sentence
])
def test_kazakh_people_by_patronymic_or_two_names(text: str, person: str) -> None:
    assert names(text, "kk").get(person) == "PER"


@pytest.mark.parametrize("text", [
    "Мектепте Тұңғыш Президент күні аталып өтті.",  # a title, not a name
    "Ұлы дала елі туралы кітап шықты.",  # «Ұлы» is «great» here
    "Конституция қабылданды.",  # a word in «-ия» opening a sentence is no country
])
def test_kazakh_titles_and_common_words_are_no_people_or_places(text: str) -> None:
    assert not {name for name, kind in names(text, "kk").items() if kind in ("PER", "LOC")}


def test_latin_script_kazakh_gives_the_same_entities_with_its_own_offsets() -> None:
    text = "Memleket basshysy Qasym-Jomart Toqaev AQSh-qa saparmen bardy. Reseı men Qytaı kelisti."
    found = entities.mentions(text, "kk")
    assert [(m.type, text[m.start:m.end], m.name) for m in found] == [
        ("PER", "Qasym-Jomart Toqaev", "Қасым-Жомарт Тоқаев"), ("LOC", "AQSh-qa", "США"),
        ("LOC", "Reseı", "Россия"), ("LOC", "Qytaı", "Китай")]


def test_a_kazakh_person_is_cut_off_the_organisation_after_it() -> None:
    assert names("Мемлекет басшысы Қасым-Жомарт Тоқаев Бас прокуратураға барды.", "kk") == {
        "Қасым-Жомарт Тоқаев": "PER", "Генеральная прокуратура": "ORG"}


def test_latin_letters_the_transliteration_keeps_do_not_loop() -> None:
    # letters outside the Kazakh Latin alphabet stay Latin in the Cyrillic copy: read once, not again and again
    assert entities.mentions("Ééé Ààà üüü öÖö", "kk") == []


@pytest.mark.parametrize(("text", "elsewhere", "lang"), [
    ("Суд начнется в 9:30 по времени Астаны, сообщил адвокат.", "Жители Астаны довольны.", "ru"),
    ("Жер сілкінісі Астана уақытымен сағат 22:47-де тіркелді.", "Астанада да сезілді.", "kk"),
    ("АСТАНА. КАЗИНФОРМ — Сенат принял закон.", "Жители Астаны довольны.", "ru"),  # a dateline
])
def test_a_place_that_only_tells_the_time_or_files_the_story_is_no_entity(
        nlp: None, text: str, elsewhere: str, lang: str) -> None:
    assert [m for m in entities.mentions(text, lang) if m.type == "LOC"] == []
    assert [m.name for m in entities.mentions(f"{text} {elsewhere}", lang) if m.type == "LOC"] == ["Астана"]


@pytest.mark.parametrize(("text", "lang"), [
    ("Нацбанк сохранил базовую ставку.", "ru"),
    ("Решение принял Национальный банк.", "ru"),
    ("Ставку объявил НБК.", "ru"),
    ("Ұлттық банк базалық мөлшерлемені өзгертпеді.", "kk"),
    ("Бұл туралы Қазақстан Ұлттық банкі хабарлады.", "kk"),
])
def test_an_institution_is_one_entity_whatever_the_text_calls_it(nlp: None, text: str, lang: str) -> None:
    assert [m.name for m in entities.mentions(text, lang) if m.type == "ORG"] == ["Национальный банк Казахстана"]


def test_institutions_the_table_does_not_know_keep_their_names() -> None:
    assert institutions.canonical("Правительство Республики Казахстан") == "Правительство Республики Казахстан"
    assert institutions.canonical("Үкімет", "kk") == "Правительство"  # a bare name stays bare in both languages
    assert institutions.canonical("Денсаулық сақтау министрлігінде", "kk") == "Министерство здравоохранения"
    assert institutions.kazakh_name("Министерство здравоохранения") == "Денсаулық сақтау министрлігі"
    assert institutions.kazakh_name("Парламент") is None  # the same in both


def test_a_regions_abbreviation_is_a_place_not_an_organisation(nlp: None) -> None:
    found = {(m.type, m.name) for m in entities.mentions("Полиция СКО задержала мужчину, жители ВКО тоже.", "ru")}
    assert {("LOC", "Северо-Казахстанская область"), ("LOC", "Восточно-Казахстанская область")} <= found
    assert not {name for kind, name in found if kind == "ORG"} & {"СКО", "ВКО"}


@pytest.mark.parametrize(("text", "expected"), [
    ("Төтенше жағдайлар департаменті мәлімдеді.", {"Департамент по чрезвычайным ситуациям": "ORG"}),  # opens it
    ("Оқу-ағарту министрлігінде кеңес өтті.", {"Министерство просвещения": "ORG"}),  # a hyphenated name
    ("Бұл туралы Иранның Сыртқы істер министрлігінің өкілі айтты.", {"Иранның Сыртқы істер министрлігі": "ORG"}),
    ("Естеріңізде болса, мәселе бұрын да көтерілген.", {}),  # «ЕС» is matched as written, not as a stem
])
def test_kazakh_text_finds_the_institutions_of_the_table_anywhere(text: str, expected: dict[str, str]) -> None:
    assert names(text, "kk") == expected



@pytest.mark.parametrize("url", ["https://russian.rt.com/world/news/1234-iran", None])
def test_an_outlet_named_by_its_host_is_no_entity(nlp: None, url: str | None) -> None:
    text = "Об этом RT рассказал политолог Дмитрий Суслов. Ранее Reuters сообщило о переговорах."
    found = {e.name for e in entities.not_the_outlet(entities.extract(text, "ru", AcronymIndex()),
                                                     "russian.rt.com", url)}
    assert "RT" not in found and "Дмитрий Суслов" in found


@pytest.mark.parametrize(("text", "person"), [
    ("Об этом заявила Гульнар Абишева, руководитель управления.", "Гульнар Абишева"),  # not «Гульнара Абишев»
    ("Гульнары Абишевой на встрече не было.", "Гульнара Абишева"),
    ("Об этом рассказал старший эксперт Дмитрий Славин.", "Дмитрий Славин"),  # not «Славина»
    ("Об этом сказал аналитик Эд Мойя.", "Эд Мойя"),  # not «Эда»
])
def test_a_name_pymorphy_reads_as_womens_plural_stays_as_written(text: str, person: str) -> None:
    assert person in [e.name for e in entities.extract(text, "ru") if e.type == "PER"]


def test_a_horoscope_names_no_people() -> None:
    text = ("Гороскоп на неделю. Тельцам стоит отдохнуть. Деве повезёт в делах. Скорпион получит премию. "
            "Рыбам лучше не спорить.")
    assert [e.name for e in entities.extract(text, "ru") if e.type in ("PER", "LOC")] == []
    assert "Лев" in [e.name for e in entities.extract("Лев сказал, что приедет завтра.", "ru")]  # one sign: a name
