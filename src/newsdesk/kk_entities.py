"""Entities in Kazakh text without a Kazakh NER model: our gazetteer and capitalised words.

* Places: the gazetteer (``gazetteer.find``), with its canonical Russian names.
* A run of capitalised words (one or more; the first word of a sentence only when the next word
  is capitalised too) is typed by its shape:
  - a person: a word ending like a surname (-ов/-ев/-ин/-ова/-ева/-ина, -ұлы/-қызы, -тегі…),
    e.g. «Қасым-Жомарт Тоқаев», «Әлихан Смайылов»;
  - an organisation: the run ends in an organisation word (университеті, министрлігі, банкі,
    партиясы, қоры, компаниясы, агенттігі, комитеті, мәжілісі…), e.g. «Ұлттық банкі»;
  - a place: a country-like ending (-стан, -ия) or облысы/ауданы after it.
  Anything else is left out: a guess of the wrong type costs more than a miss.
Names are the words' stems, capitalised as in the text: «Тоқаевтың» → «Тоқаев».
"""

from __future__ import annotations

import re

from newsdesk import gazetteer, kazakh
from newsdesk.entities import Mention

_UPPER = "A-ZА-ЯЁӘҒҚҢӨҰҮҺІ"
_LOWER = "a-zа-яёәғқңөұүһі"
_WORD = rf"[{_UPPER}][{_LOWER}]+(?:-[{_UPPER}]?[{_LOWER}]+)?"
_RUN = re.compile(rf"{_WORD}(?:\s+{_WORD})*")
_NEXT_WORD = re.compile(rf"\s+([{_LOWER}]+)")
_SENTENCE_START = re.compile(r"(?:^|[.!?…]\s+|\n\s*|[«\"(—–-]\s*)$")
_SURNAME = re.compile(r"(ов|ев|ин|ова|ева|ина|ұлы|қызы|улы|кызы)$")
ORG_WORDS = frozenset(
    ("университет", "министрлік", "банк", "партия", "қор", "компания", "агенттік", "комитет", "мәжіліс",
     "сенат", "әкімдік", "академия", "институт", "орталық", "ассоциация", "одақ", "ұйым", "кеңес",
     "палата", "сот", "прокуратура", "полиция", "департамент", "басқарма", "корпорация", "холдинг",
     "федерация", "қауымдастық", "театр", "мұражай")
)  # fmt: skip
_DIRECTIONS = frozenset(("оңтүстік", "солтүстік", "шығыс", "батыс", "орталық"))
LOC_WORDS = frozenset(("облыс", "аудан", "ауыл", "өзен", "көл", "тау"))


def mentions(text: str) -> list[Mention]:
    found = [Mention("LOC", p.start, p.end, p.text, p.place.ru) for p in gazetteer.find(text, "kk")]
    masked = _mask(text, found)
    for run in _RUN.finditer(masked):
        m = _typed(text, run)
        if m:
            found.append(m)
    return sorted(found, key=lambda m: m.start)


def _mask(text: str, found: list[Mention]) -> str:
    """``text`` with the gazetteer's places blanked out, so runs stop at them."""
    chars = list(text)
    for m in found:
        chars[m.start : m.end] = " " * (m.end - m.start)
    return "".join(chars)


def _typed(text: str, run: re.Match[str]) -> Mention | None:
    words, start, end = run.group().split(), run.start(), run.end()
    sentence_start = bool(_SENTENCE_START.search(text[max(0, start - 3) : start]))
    follower = _NEXT_WORD.match(text, end)
    if follower and kazakh.stem(follower.group(1)) in ORG_WORDS:  # «Ұлттық банкі»
        end = follower.end()
        words.append(follower.group(1))
        return _mention("ORG", text, start, end, words)
    stems = [kazakh.stem(w) for w in words]
    if stems[-1] in ORG_WORDS:
        return _mention("ORG", text, start, end, words)
    surname = [i for i, s in enumerate(stems) if _SURNAME.search(s)]
    if surname:  # the surname and the first name before it: «Президент Қасым-Жомарт Тоқаев»
        first = max(0, surname[-1] - 1)
        start = text.index(words[first], start)
        end = text.index(words[surname[-1]], start) + len(words[surname[-1]])
        return _mention("PER", text, start, end, words[first : surname[-1] + 1])
    if sentence_start and len(words) == 1:
        return None
    if re.search(r"(стан|ия)$", stems[-1]):  # the country, with a direction word before it
        first = len(words) - 2 if len(words) > 1 and stems[-2] in _DIRECTIONS else len(words) - 1
        return _mention("LOC", text, text.index(words[first], start), end, words[first:])
    return None


def _mention(type_: str, text: str, start: int, end: int, words: list[str]) -> Mention:
    name = " ".join(_recase(kazakh.stem(w), w) for w in words)
    return Mention(type_, start, end, text[start:end], name)


def _recase(stem: str, word: str) -> str:
    parts, olds = stem.split("-"), word.split("-")
    if len(parts) != len(olds):
        return stem[:1].upper() + stem[1:] if word[:1].isupper() else stem
    return "-".join(p[:1].upper() + p[1:] if o[:1].isupper() else p for p, o in zip(parts, olds, strict=True))
