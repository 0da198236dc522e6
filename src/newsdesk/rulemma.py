"""Russian lemmas: pymorphy3, plus fixes for the Kazakh names it does not know.

pymorphy3 reads «Токаев» as the genitive plural of «токай» and «Семее» as a form of «семый»; a
capitalised word is therefore checked first against the declined forms of our gazetteer's
Russian place names, then read as a surname when it looks like one (-ов/-ев/-ин + case ending
and pymorphy either calls it a surname, does not know it, or reads it as a genitive plural; -ян + case
ending and pymorphy does not know it or calls it a surname; -улы/-кызы as written).
"""

from __future__ import annotations

import re
from functools import lru_cache

# Names pymorphy3 reads wrongly («Акорде» → «акорд»), declined like the gazetteer's places.
EXTRA_NAMES = ("Акорда", "Мажилис", "Сенат", "Самрук-Казына", "Байтерек")
_SURNAME = re.compile(r"^(.{2,}?(?:ов|ев|ёв|ин|ын))(?:а|у|ым|ом|е|ой|ою|ы|ых|ыми)?$")
# an Armenian surname, a man's in a case: «Пашиняном» → «пашинян» (pymorphy: «пашинянин», as «армян» → «армянин»)
ARMENIAN = re.compile(r"^(.{3,}ян)(а|у|ом|е)?$")
# a Kazakh surname of the father's name does not decline: «Момышулы» (pymorphy: «момышула»)
INDECLINABLE = re.compile(r"(?:улы|ұлы|уулу|кызы|қызы)$")


@lru_cache(maxsize=1)
def morph():  # noqa: ANN201 - pymorphy3 has no type stubs
    import pymorphy3

    return pymorphy3.MorphAnalyzer()


def lemma(word: str) -> str:
    """Lemma of one Russian word (any case); lower case with ё → е."""
    low = word.lower()
    if word[0].isupper() and not word.isupper():
        fixed = _proper_name(low)
        if fixed:
            return fixed.replace("ё", "е")
    return morph().parse(low)[0].normal_form.replace("ё", "е")


def _proper_name(low: str) -> str | None:
    place = place_forms().get(low.replace("ё", "е"))
    if place:
        return place
    parses = morph().parse(low)
    top = parses[0]
    if "Name" in top.tag and top.is_known:  # a dictionary first name: Марины → марина
        return top.normal_form
    match = _SURNAME.match(low)
    if match and _may_be_surname(parses):
        return match.group(1)
    if INDECLINABLE.search(low):
        return low
    armenian = ARMENIAN.match(low)
    if armenian and (not top.is_known or any("Surn" in p.tag for p in parses[:4])):  # not «Россиян», «Крестьян»
        return armenian.group(1)
    return top.normal_form if "Name" in top.tag else None


def _may_be_surname(parses: list) -> bool:
    top = parses[0]
    if not top.is_known or ("plur" in top.tag and "gent" in top.tag):
        return True
    return any("Surn" in p.tag for p in parses[:4])


@lru_cache(maxsize=1)
def place_forms() -> dict[str, str]:
    """Declined form → nominative, for every one-word Russian name in the gazetteer."""
    from newsdesk.gazetteer import load_places

    forms: dict[str, str] = {}
    for name in (*EXTRA_NAMES, *(n for p in load_places() for n in (p.ru, *p.aliases))):
        low = name.lower().replace("ё", "е")
        if " " not in low and re.fullmatch(r"[а-я-]+", low):
            forms.update(dict.fromkeys(declensions(low), low))
        elif re.fullmatch(r"[а-я-]+ская область", low):  # «Жетысуская»: pymorphy guesses «жетысускать»
            stem = low.split()[0][:-2]
            forms.update(dict.fromkeys((stem + e for e in _ADJECTIVE_ENDINGS), stem + "ий"))
    return forms


_ADJECTIVE_ENDINGS = ("ий", "ая", "ое", "ие", "ого", "ой", "ому", "ую", "им", "ом", "их", "ими", "ою")


def declensions(name: str) -> set[str]:
    """Russian case forms of a place name by its ending: «семей» → семея, семею, семеем, семее."""
    if name[-1] in "ыуеоиюэ":
        return {name}  # Алматы, Атырау, Актобе: not declined
    stem, last = name[:-1], name[-1]
    endings = {
        "а": ("а", "ы", "и", "е", "у", "ой", "ою"),
        "я": ("я", "и", "е", "ю", "ей"),
        "й": ("й", "я", "ю", "ем", "е"),
        "ь": ("ь", "и", "ью"),
    }.get(last)
    if endings:
        return {stem + e for e in endings}
    return {name + e for e in ("", "а", "у", "ом", "е", "ым")}
