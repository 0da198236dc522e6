"""Russian lemmas: pymorphy3, plus fixes for the Kazakh names it does not know.

pymorphy3 reads «Токаев» as the genitive plural of «токай» and «Семее» as a form of «семый»; a
capitalised word is therefore checked first against the declined forms of our gazetteer's
Russian place names, then read as a surname when it looks like one (-ов/-ев/-ин + case ending
and pymorphy either calls it a surname, does not know it, or reads it as a genitive plural); a
Kazakh surname of the father's name (-улы/-кызы) is kept as written.

Two more misreadings, in any letter case:

* An Armenian «-ян» surname pymorphy does not know: it guesses «Пашинян» as the genitive plural
  of «пашинянин» (like «армян», «крестьян»), while «Пашиняном» gets «пашинян» — so one person had
  two lemmas.  An unknown word in «-ян» + case ending is the surname.
* A short adjective that only ties a noun reading: pymorphy has no corpus evidence for either
  (score 0.5 each) and lists the adjective first, so «паводков» (genitive plural of «паводок»)
  became «паводковый».  The noun is the reading a news text means; where the corpus does favour
  the short form («готов» 0.94, «рад» 0.96) it is kept.  Capitalised, such a tie in «-ов/-ев/-ин»
  is a surname («Хромов», «Кедров»), as other unclear capitalised «-ов» words are.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

# Names pymorphy3 reads wrongly («Акорде» → «акорд»), declined like the gazetteer's places.
EXTRA_NAMES = ("Акорда", "Мажилис", "Сенат", "Самрук-Казына", "Байтерек")
_SURNAME = re.compile(r"^(.{2,}?(?:ов|ев|ёв|ин|ын))(?:а|у|ым|ом|е|ой|ою|ы|ых|ыми)?$")
_YAN_SURNAME = re.compile(r"^([а-яё]{2,}ян)(?:а|у|ом|е|ы)?$")  # Пашинян, Пашиняна, Пашиняном; not «-янов»
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
    parses = morph().parse(low)
    return (_yan_surname(low, parses) or _best(parses).normal_form).replace("ё", "е")


def _best(parses: list) -> Any:
    """pymorphy's first reading, unless it is a short adjective merely tied with a noun reading."""
    return _tied_noun(parses) or parses[0]


def _tied_noun(parses: list) -> Any:
    top = parses[0]
    if "ADJS" not in top.tag:
        return None
    return next((p for p in parses[1:] if "NOUN" in p.tag and abs(p.score - top.score) < 1e-9), None)


def _yan_surname(low: str, parses: list) -> str | None:
    """«пашиняном» → «пашинян» for a «-ян» word pymorphy does not know (it knows «армян», «славян»)."""
    match = _YAN_SURNAME.match(low)
    return match.group(1) if match and not parses[0].is_known else None


def _proper_name(low: str) -> str | None:
    place = place_forms().get(low.replace("ё", "е"))
    if place:
        return place
    parses = morph().parse(low)
    top = parses[0]
    if "Name" in top.tag and top.is_known:  # a dictionary first name: Марины → марина
        return top.normal_form
    if yan := _yan_surname(low, parses):
        return yan
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
    if not top.is_known or ("plur" in top.tag and "gent" in top.tag) or _tied_noun(parses):
        return True  # «Хромов», «Кедров»: a capitalised tie of «хромовый» and «хромов» (of «хром»)
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
