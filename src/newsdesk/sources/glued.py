"""Words glued with no space between them, split where that is a glue and not a name.

Pages scraped without their markup lose the space around links, headings and captions: Tengrinews gives
«13 апреляИран запустил», «на востокеВосточно-Казахстанской области», «Фото пресс-службы АкордыПрезидент…»,
and each glued word became an entity of its own («АпреляИран», a person).  A lower-case letter followed by a
capital is where they meet — and also the inside of real names, which must stay whole: «КазМунайГаз»,
«АлматыЭнергоСбыт», «ВКонтакте», «КоАП», «МиГ», «кВт», «спецЦОН», hashtags «#АлматыНашОбщийДом».

A capital after a lower-case letter is a glue when the part before it cannot end a name's first part:

* a word that starts lower-case and goes on with a capitalised word of 3+ letters («апреляИран»,
  «вАкмолинской»), or with an abbreviation after a preposition or conjunction («наРИА», «чтоАФМ»);
* a capitalised dictionary word of 4+ letters in an oblique case, with no nominative reading, before a
  capitalised word of 3+ letters: «ВостокеВосточно-…», «ПрезидентомТаджикистана», «Экс-министраНазым»,
  «АкордыПрезидент».  First parts of names are stems or nominatives («Каз», «Казань», «Вымпел»),
  indeclinable («Алматы», «Евро», «Медиа») or unknown to the dictionary («Мордов»): they stay;
* a capitalised word of 4+ letters that is only an adverb, preposition, conjunction or particle, after a
  capitalised word of 4+ letters: «БишимбаеваВчера», «БайжановеКроме» (not «СберПро», nor «АвтоПлюс»:
  «Плюс» is a noun too);
* a capitalised preposition or conjunction of 1–2 letters closing the word after 4+ letters without inner
  capitals: «КазахстанеВ феврале», «КазангаповВо» — a sentence starting («кВ», «ПиС», «ДжитКунДо» stay);
* «Ранее», «Также», «Напомним» glued to the lower-case dictionary word after them («Ранеесуд»), which no
  Russian word starts with.

Each split says whether the right part opens a sentence: then the paragraph is cut there, as for a glued
«апреля.Судья»; a name or an oblique word («Иран», «Восточно-Казахстанской», «Дворца») only gets its space.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from newsdesk import rulemma

_LOWER = "а-яёәғқңөұүһі"
_UPPER = "А-ЯЁӘҒҚҢӨҰҮҺІ"
# A Cyrillic word with its hyphenated parts, not in a hashtag or handle, nor with Latin letters after it
# («Мassaget.kz»); after them it may be («Tengrinews.kzРанееСкляр»).
WORD = re.compile(rf"(?<![#@\-{_LOWER}{_UPPER}])[{_LOWER}{_UPPER}]+(?:-[{_LOWER}{_UPPER}]+)*(?![\w@-])")
_LETTERS = set("абвгдеёжзийклмнопрстуфхцчшщъыьэюяәғқңөұүһі")
# Where a word may be glued: a capital after a lower-case letter, or an opener's end before a letter («Ранеесуд»).
# Plain patterns, each with a literal or a class first: one alternation with a look-behind took 3 times longer.
_CANDIDATES = (re.compile(rf"[{_LOWER}][{_UPPER}]"),
               *(re.compile(rf"{end}[{_LOWER}]") for end in ("анее", "акже", "апомним")))
_BOUNDARY = re.compile(rf"(?<=[{_LOWER}])(?=[{_UPPER}])")
_CAPITALISED = re.compile(rf"[{_UPPER}][{_LOWER}]{{2,}}(?:-[{_UPPER}{_LOWER}][{_LOWER}]+)*")
_PLAIN = re.compile(rf"[{_UPPER}{_LOWER}][{_LOWER}]+(?:-[{_LOWER}]+)*")  # no inner capital
_ABBREVIATION = re.compile(rf"[{_UPPER}]{{3,}}")
_OPENER = re.compile(rf"(?i:ранее|также|напомним)(?=[{_LOWER}]+$)")
_FUNCTION = {"PREP", "CONJ", "PRCL"}
_CASELESS = {"PREP", "CONJ", "PRCL", "ADVB", "PRED", "COMP", "INTJ"}
_RARE = 0.05  # a reading pymorphy gives less than this does not count
_NAME_TAGS = {"Name", "Surn", "Patr", "Geox", "Orgn", "Trad", "Abbr"}


class Split(NamedTuple):
    at: int  # offset into the text: the first letter of the right part
    opens: bool  # the right part opens a sentence: cut the paragraph here


def splits(text: str) -> list[Split]:
    """Where the words of ``text`` are glued, left to right.  Only the words around a candidate are looked at:
    a look at every word doubled the reader's time."""
    found: list[Split] = []
    end = 0
    for candidate in sorted(m.start() for pattern in _CANDIDATES for m in pattern.finditer(text)):
        start = _word_start(text, candidate)
        word = WORD.match(text, start) if start >= end else None
        if word:
            end = word.end()
            found += [Split(start + at, opens) for at, opens in _word_splits(word.group())]
    return found


def _word_start(text: str, at: int) -> int:
    """Where the word (with its hyphenated parts) holding ``text[at]`` starts."""
    while at > 0 and (text[at - 1] == "-" or text[at - 1].lower() in _LETTERS):
        at -= 1
    return at


def _word_splits(word: str) -> list[tuple[int, bool]]:
    """Splits of one word; each boundary is judged on the part since the word's start or the last split, so
    «ПрезидентомТаджикистанаЭмомали» splits twice and «КазТрансОйл» (left «КазТранс») not at all."""
    if opener := _OPENER.match(word):
        return [(opener.end(), False)] if _glued_to_opener(word, opener.end()) else []
    found: list[tuple[int, bool]] = []
    for boundary in _BOUNDARY.finditer(word):
        at = boundary.start()
        left, right = word[found[-1][0] if found else 0:at], _right_part(word[at:])
        if _is_glue(left, right, at + len(right) == len(word)):
            found.append((at, _opens_sentence(left, right)))
    return found


def _right_part(rest: str) -> str:
    """The word after a boundary, up to the next capital after a lower-case letter: «Восточно-Казахстанской»,
    «Таджикистана» of «ТаджикистанаЭмомали»."""
    boundary = _BOUNDARY.search(rest)
    return rest[:boundary.start()] if boundary else rest


def _glued_to_opener(word: str, at: int) -> bool:
    """«Ранеесуд»: the rest is a word of the dictionary and the whole is none."""
    return _known(word[at:]) and not _known(word)


def _is_glue(left: str, right: str, closes_word: bool) -> bool:
    """The module's rules, for a ``left`` part (since the word's start or the last split) and the ``right`` one."""
    if closes_word and len(right) <= 2 and len(left) >= 4 and _pos(right) in _FUNCTION:
        return _PLAIN.fullmatch(left) is not None  # «КазахстанеВ», «КазангаповВо»; not «ДжитКунДо»
    if left[0].islower():
        return _lower_glue(left, right)
    if len(left) < 4 or not _CAPITALISED.fullmatch(left) or not _CAPITALISED.fullmatch(right):
        return False
    return _oblique(left) or (len(right) >= 4 and _caseless(right))


def _lower_glue(left: str, right: str) -> bool:
    """«апреляИран», «вАкмолинской», «наРИА»; not «кВт», «мАч» (a 2-letter right part), «кВтч» (after one
    letter, 4 are needed), «спецЦОН»."""
    if _CAPITALISED.fullmatch(right):
        return len(left) > 1 or len(right) >= 4
    return bool(_ABBREVIATION.fullmatch(right)) and _pos(left) in _FUNCTION


def _oblique(word: str) -> bool:
    """A dictionary word in an oblique case only, or without case («Ранее», «Внутри»): «Востоке», «Президентом»,
    «Экс-министра» (its last part), «Акорды» (our gazetteer's declined names); not «Алматы», «Евро»
    (indeclinable), «Каз» (unknown).  Readings under 5% do not count: «Германии» is not the plural of «германий»."""
    low = word.lower().replace("ё", "е")
    place = rulemma.place_forms().get(low)
    if place:
        return place != low
    parses = rulemma.morph().parse(low.rsplit("-", 1)[-1])
    if not parses[0].is_known:
        return False
    if parses[0].tag.POS in _CASELESS:
        return True  # «РанееТокаев», «ВнутриДворца»
    return all(p.tag.case not in (None, "nomn") for p in parses if p.score >= _RARE)


def _caseless(word: str) -> bool:
    """A word that is only an adverb, preposition, conjunction or particle: «Вчера», «Также», «Кроме» open a
    sentence whatever comes before them («БишимбаеваВчера»); not «Плюс», «Онлайн», «Спасибо», also nouns."""
    parses = rulemma.morph().parse(word.lower())
    return parses[0].is_known and all(p.tag.POS in _CASELESS for p in parses if p.score >= _RARE)


def _opens_sentence(left: str, right: str) -> bool:
    """Whether a capitalised right part starts a sentence: a dictionary word that is no name, in the
    nominative or caseless («Президент», «Если», «В», «Российский рубль»), after a word that can end one —
    not a preposition, conjunction or adverb («на», «что», «Недавно Национальный банк…», «ранее Президент»),
    unless the right part is a short preposition or conjunction («безопасноВо дворце»).  A name or an
    oblique word («Иран», «Туркестанской», «Дворца») goes on the sentence."""
    if not right[0].isupper() or _ABBREVIATION.fullmatch(right):
        return False
    if _pos(left) in _CASELESS and len(right) > 2:
        return False
    parses = rulemma.morph().parse(right.lower())
    top = parses[0]
    if not top.is_known or _NAME_TAGS & top.tag.grammemes:
        return False
    return top.tag.case is None or any(p.tag.case == "nomn" for p in parses if p.score >= _RARE)


def _pos(word: str) -> str | None:
    """pymorphy's part of speech of the word's likeliest reading."""
    return rulemma.morph().parse(word.lower())[0].tag.POS


def _known(word: str) -> bool:
    return rulemma.morph().word_is_known(word.lower())
