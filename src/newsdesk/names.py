"""Russian entity names to the nominative: «Шанхайской организации сотрудничества» →
«Шанхайская организация сотрудничества», «Абылай хана» → «Абылай хан», «Токаеву» → «Токаев».

People: every word on its own (first names and patronymics through pymorphy3, surnames through
``rulemma``'s surname rule). Organisations and places: the leading adjectives and the head noun
are put in the nominative, what follows the head (a genitive phrase, a quoted name) is kept.
Capitalisation of each word is kept.
"""

from __future__ import annotations

import re
from typing import Any

from newsdesk import rulemma

_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
_TITLES = {"хана": "хан", "хану": "хан", "ханом": "хан", "хане": "хан", "батыра": "батыр",
           "батыру": "батыр", "батыром": "батыр", "батыре": "батыр"}  # fmt: skip


def normalize(text: str, type_: str) -> str:
    """Nominative form of an entity mention (``type_`` PER, ORG or LOC)."""
    text = _clean(text)
    if not text or not re.search(r"[а-яёА-ЯЁ]", text):
        return text
    if type_ == "PER":
        return _person(text)
    return _phrase(text)


def _clean(text: str) -> str:
    """One line, no outer punctuation, quotes balanced: «АО «Казахтелеком»» stays whole."""
    text = " ".join(text.replace("\u00a0", " ").split()).strip(" ,.;:\"'()")
    text = text.lstrip("»").rstrip("«")
    if text.startswith("«") and text.endswith("»") and text.count("«") == 1:
        text = text[1:-1]
    if text.count("«") > text.count("»"):
        text += "»"
    return text


FEMININE_CASES = ("овой", "евой", "ёвой", "иной", "ыной")  # «Нукеновой», «Ильиной»: a woman's surname, never a man's
MASCULINE_NAMES = ("ов", "ев", "ёв", "ин", "ын")  # a man's surname; hers adds «а»
# a man's surname in cases a woman's does not share: «Нукеновым», «о Нукенове»
MASCULINE_CASES = ("овым", "евым", "ёвым", "иным", "ыным", "ове", "еве", "ёве", "ине", "ыне")


def _person(text: str) -> str:
    words = list(_WORD.finditer(text))
    female = any(_is_female_name(m.group()) or is_feminine_surname(m.group()) or _feminine_adjective(m.group())
                 or _woman_name_as_written(m.group()) for m in words)
    case = None if female else next(((m, c) for m in words if (c := _surname_case(m.group()))), None)

    def word(m: re.Match[str]) -> str:
        if case is not None and m.start() != case[0].start() and "-" not in m.group() and m.group()[:1].isupper() and (
                case[1] != "nomn" or m.start() < case[0].start()):  # a bare surname speaks for the names before it
            named = _name_in_case(m.group().lower(), case[1])
            if named:
                return _recase(named, m.group())
        return _person_word(m.group(), female)

    return _WORD.sub(word, text)


_SURNAME_CASES = re.compile(r"(?:ов|ев|ёв|ин|ын)(ым|у|е)$|ян(ом|у|е|а|)$")
# an Armenian surname is a man's when it declines («Пашиняна» has no woman's reading) and nominative bare
_CASE_OF_ENDING = {"ым": "ablt", "ом": "ablt", "у": "datv", "е": "loct", "а": "gent", "": "nomn"}
_SOFT_NAME_ENDINGS = {"ablt": "ем", "datv": "ю", "gent": "я"}  # «Адилем», «Адилю», «Адиля» → «Адиль»
_HARD_NAME_ENDINGS = {"ablt": "ом", "datv": "у", "gent": "а"}  # «Ваагном», «Ваагну», «Ваагна» → «Ваагн»


def _surname_case(word: str) -> str | None:
    """The case a man's surname is in when its ending tells it alone: «Сарсенбаевым» ablt, «Токаеву» datv,
    «Путине» loct, «Пашиняна» gent, «Пашинян» nomn (a woman's «-ой», and «-ова» that is also a woman's
    nominative, tell nothing).  An «-ян» word counts only when ``rulemma`` reads it as a surname."""
    found = _SURNAME_CASES.search(word) if word[:1].isupper() and len(word) > 5 else None
    if found is None or (found.group(2) is not None and (not rulemma.ARMENIAN.match(rulemma.lemma(word))
                                                         or _is_first_name(word))):  # «Себастьян»
        return None
    return _CASE_OF_ENDING[found.group(1) if found.group(2) is None else found.group(2)]


def _name_in_case(low: str, case: str) -> str | None:
    """The man's first name whose ``case`` form ``low`` is, beside a surname in that case: as written beside
    a nominative («Никол Пашинян», not «Никола»), pymorphy's masculine reading in that case (a guess for a
    name it does not know), else a soft-sign or a hard name's ending («адилем» → «адиль», «ваагном» →
    «ваагн»); None when none reads so."""
    if case == "nomn":  # unless pymorphy reads it as one person in another case: «Марой Багдасарян» is hers
        oblique = any(p.tag.number == "sing" and p.tag.case not in ("nomn", "accs") for p in rulemma.morph().parse(low))
        return None if oblique else low
    for parse in rulemma.morph().parse(low):
        tag = parse.tag
        if tag.POS == "NOUN" and tag.case == case and tag.gender == "masc" and tag.number != "plur":
            return parse.normal_form.replace("ё", "е")
    for endings, stem_end in ((_SOFT_NAME_ENDINGS, "ь"), (_HARD_NAME_ENDINGS, "")):
        ending = endings.get(case)
        if ending and low.endswith(ending) and len(low) > len(ending) + 2:
            return low[:-len(ending)] + stem_end
    return None


_SURNAME_END = re.compile(r"(?:ов|ев|ёв|ин|ын|ова|ева|ёва|ина|ына|улы|уулу|кызы|ко|ук|юк|ский|цкий|ская|цкая)$")


def person_case(name: str) -> str | None:
    """A person's name an outlet wrote all in lower case, capitalised («бишимбаев куандык» → «Бишимбаев
    Куандык», «касым-жомарт токаев» → «Касым-Жомарт Токаев»), or None when ``name`` does not look like one:
    two or three Cyrillic words of three letters or more, one of them a surname (in pymorphy's dictionary or
    by its ending, not an adjective: «русский букер»), the others first names, surnames or unknown words."""
    words = name.split()
    if not 2 <= len(words) <= 3 or not all(re.fullmatch(r"[а-яё]{3,}(?:-[а-яё]{2,})*", w) for w in words):
        return None
    morph = rulemma.morph()

    def surname(word: str) -> bool:
        parses = morph.parse(word)[:2]
        if parses and parses[0].is_known and parses[0].tag.POS == "ADJF" and "Surn" not in parses[0].tag:
            return False
        return bool(_SURNAME_END.search(word)) or any("Surn" in p.tag for p in parses)

    def name_like(word: str) -> bool:
        parses = morph.parse(word)[:2]
        return not parses[0].is_known or any(tag in p.tag for p in parses for tag in ("Name", "Surn", "Patr"))

    first = next((i for i, w in enumerate(words) if surname(w)), None)
    if first is None or not all(name_like(w) for i, w in enumerate(words) if i != first):
        return None
    return " ".join("-".join(part[:1].upper() + part[1:] for part in w.split("-")) for w in words)


def is_feminine_surname(word: str) -> bool:
    """A capitalised word in a woman's surname case the man's name does not share: «Нукеновой»."""
    return word[:1].isupper() and len(word) > 5 and word.lower().endswith(FEMININE_CASES)


def _feminine_adjective(word: str) -> bool:
    """A surname like an adjective in a woman's own form: «Романовская», «Романовскую» (her «Романовской» is
    also a man's nominative: «Сергей Рудской»; only a woman's first name beside it tells)."""
    return word[:1].isupper() and len(word) > 6 and word.lower().endswith(("ская", "цкая", "скую", "цкую"))


def _is_first_name(word: str) -> bool:
    return any("Name" in p.tag and p.is_known for p in rulemma.morph().parse(word.lower())[:2])


def _is_female_name(word: str) -> bool:
    parse = rulemma.morph().parse(word.lower())[0]  # one woman: «Ваагн» read as many Ваагнас is a man
    return "Name" in parse.tag and "femn" in parse.tag and "sing" in parse.tag and parse.is_known


def _woman_name_as_written(word: str) -> bool:
    """A capitalised word pymorphy reads only as a plural of a woman's name: a Kazakh name without its «-а»
    («Гульнар», «Жанар» beside «Гульнара»), a woman's in the nominative, kept as written («Гульнар Абишева»)."""
    parses = rulemma.morph().parse(word.lower()) if word[:1].isupper() else []
    return bool(parses) and all("Name" in p.tag and "femn" in p.tag and "plur" in p.tag and p.is_known for p in parses)


def _person_word(word: str, female: bool) -> str:
    if "-" in word:
        return "-".join(_person_word(part, female) for part in word.split("-"))
    if _woman_name_as_written(word):
        return word
    low = word.lower()
    if low in _TITLES:
        return _TITLES[low]
    if not word[:1].isupper() or word.isupper() or _indeclinable_name(low) or _INDECLINABLE_SURNAME.search(low):
        return word
    lemma = rulemma.lemma(word)
    if female and lemma.endswith(MASCULINE_NAMES) and low != lemma:
        lemma += "а"  # Марины Ивановой → Марина Иванова
    elif female and lemma.endswith(("ский", "цкий", "ской", "цкой")) and low.endswith(("ая", "ой", "ую", "ою")):
        lemma = lemma[:-2] + "ая"  # Светланы Романовской → Светлана Романовская
    return _recase(lemma, word)


# «Ирина Старых», «Александр Бессмертных»: as written (not a family's plural: «Чекалиных», «Барятинских»)
_INDECLINABLE_SURNAME = re.compile(r"\w{3,}(?<!ов|ев|ёв|ин|ын|ск|цк)(?:ых|их)$")


def _indeclinable_name(low: str) -> bool:
    """A first name that does not decline, as written («Хорхе», «Хосе», «Рене»), though pymorphy reads the
    word first as a case of something else («Хорхе» as «о хорхе»): «Хорхе Мендосу» → «Хорхе Мендоса»."""
    return any(p.is_known and {"Name", "Fixd"} <= p.tag.grammemes and p.normal_form == low
               for p in rulemma.morph().parse(low))


def agreeing(adjective: str, noun: str) -> str | None:
    """``adjective`` (nominative) in the nominative singular of ``noun``'s gender: («Акмолинский»,
    «область») → «Акмолинская»; None when it is no adjective."""
    gender = next((p.tag.gender for p in rulemma.morph().parse(noun.lower()) if p.tag.POS == "NOUN"), None)
    for parse in rulemma.morph().parse(adjective.lower()):
        if parse.tag.POS == "ADJF":
            inflected = parse.inflect({"nomn", "sing", gender} if gender else {"nomn", "sing"})
            return _recase(inflected.word, adjective) if inflected else None
    return None


def _recase(new: str, like: str) -> str:
    if like.isupper() and len(like) > 1:
        return new.upper()
    parts = new.split("-")
    olds = like.split("-")
    if len(parts) != len(olds):
        return new[:1].upper() + new[1:] if like[:1].isupper() else new
    return "-".join(p[:1].upper() + p[1:] if o[:1].isupper() else p for p, o in zip(parts, olds, strict=True))


def _phrase(text: str) -> str:
    """Put the leading adjectives and the head noun of ``text`` in the nominative, agreeing."""
    words = list(_WORD.finditer(text))
    if not words or words[0].start() != 0:
        return text
    if (named := _named_head(words)) is not None:
        match, parse = named
        nominative = _nominative(parse, parse)
        if nominative is None:
            return text
        return text[:match.start()] + _recase(nominative, match.group()) + text[match.end():]
    head = _head(words)
    if head is None:
        return text
    pieces, pos = [], 0
    # «Жетысуском районах» (of two districts) is one place: «Жетысуский район»
    single = head[0][0][1].tag.POS != "NOUN" and rulemma.place_forms().get(head[0][0][1].word) is not None
    for match, parse in head[0]:
        nominative = _nominative(parse, head[1], "sing" if single else None)
        if nominative is None:
            break
        pieces.append(text[pos : match.start()] + _recase(nominative, match.group()))
        pos = match.end()
    return "".join(pieces) + text[pos:]


_PROPER = {"Geox", "Name", "Surn", "Patr", "Fixd"}
# what a name in front leaves to decline: «Барыс Арена», «Халык Банк», «Назарбаев Университет»
NAMED_HEADS = frozenset({"арена", "банк", "университет", "опера", "театр", "центр", "холдинг", "колледж",
                         "академия", "клиника", "стадион", "плаза", "парк", "отель", "фонд", "агентство"})


def _named_head(words: list[re.Match[str]]):  # noqa: ANN202
    """In «Барыс Арене», «Халык Банка», «Kaspi Банка», «Астана Опере», «Назарбаев Университете» the name
    comes first and does not decline; the second word, a capitalised `NAMED_HEADS` noun in an oblique
    case, is the head: (its match, its parse), or None for any other phrase.  (Without the list the
    rule misread more than it mended on real news: «Халал Даму», «Вернем Грузию», «Уэйкли Сиднея».)"""
    if len(words) < 2 or not (words[0].group()[:1].isupper() and words[1].group()[:1].isupper()):
        return None
    if words[1].group().isupper() or "-" in words[1].group():
        return None
    first = _parse(words[0].group()) if re.search(r"[а-яё]", words[0].group().lower()) else None
    if first is not None and first.is_known and first.tag.POS != "NOUN":
        return None  # an adjective leads: «Казахстанской фондовой бирже»
    undeclined = first is not None and (first.tag.case == "nomn" or "Fixd" in first.tag.grammemes)
    if first is not None and first.is_known and not (_PROPER & first.tag.grammemes and undeclined):
        return None  # a common noun leads and is the head: «Банка развития», «Министерства финансов»
    second = _parse(words[1].group())
    if second is None or second.normal_form not in NAMED_HEADS or second.tag.case == "nomn":
        return None
    return words[1], second


def _head(words: list[re.Match[str]]):  # noqa: ANN202
    """The leading (word, parse) pairs up to the head noun, and the head's parse."""
    leading: list[tuple[re.Match[str], Any]] = []
    for i, match in enumerate(words):
        word = match.group()
        parse = None if word.isupper() and len(word) > 1 else _parse(word, followed=i + 1 < len(words))
        if parse is None:
            return None
        if parse.tag.POS == "NOUN" and leading:  # the noun's reading its adjectives agree with, if one does
            parse = next((p for p in rulemma.morph().parse(word.lower())
                          if p.tag.POS == "NOUN" and all(_agree(m.group(), p) for m, _ in leading)), parse)
        leading.append((match, parse))
        if parse.tag.POS == "NOUN":
            return leading, parse
    return None


def _agree(word: str, noun) -> bool:  # noqa: ANN001
    """Whether some reading of ``word`` as an adjective agrees with ``noun`` in case, number and gender."""
    tag = noun.tag
    return any(p.tag.POS in ("ADJF", "PRTF") and p.tag.case == tag.case and p.tag.number == tag.number
               and (tag.number == "plur" or tag.gender is None or "ms-f" in tag or p.tag.gender == tag.gender)
               for p in rulemma.morph().parse(word.lower()))


def _parse(word: str, followed: bool = False):  # noqa: ANN202 - pymorphy3 parse objects have no stubs
    """The reading of ``word`` as an adjective or a noun in some case, if any.  A place's word is read as
    a noun («Астане»), unless the place is an adjective and a word follows («Жетысуской области»)."""
    place = rulemma.place_forms().get(word.lower())
    parses = rulemma.morph().parse(word.lower())
    if followed and not place and not any(p.is_known for p in parses):  # «Медеуском районе»: a guessed adjective
        parses = sorted(parses, key=lambda p: p.tag.POS != "ADJF")
    adjective = place is not None and followed and place.endswith(_PLACE_ADJECTIVE)
    for parse in parses:
        if parse.tag.POS in ("ADJF", "PRTF", "NOUN") and parse.tag.case:
            if place and (parse.tag.POS == "NOUN") == adjective:
                continue
            return parse
    return None


_PLACE_ADJECTIVE = ("ий", "ый", "ой")  # a place's nominative that is an adjective: «жетысуский»


def _nominative(parse, head, number: str | None = None) -> str | None:  # noqa: ANN001
    place = rulemma.place_forms().get(parse.word)
    if place and parse.tag.POS == "NOUN":
        return place
    number = number or head.tag.number or "sing"
    wanted = {"nomn", number}
    if parse.tag.POS != "NOUN" and number == "sing" and head.tag.gender:
        wanted.add(head.tag.gender)
    if parse.tag.POS == "NOUN" and parse.tag.case == "nomn" and number == (parse.tag.number or number):
        return parse.word
    inflected = parse.inflect(wanted) or parse.inflect({"nomn"})
    return inflected.word if inflected else None
