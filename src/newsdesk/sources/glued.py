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

Two lower-case words glued («Акмолинской областидождь», «можно посмотретьздесь») show no capital.  In a text
that lost its spaces elsewhere too (a split above, or «апреля.Судья», «частности,призвал»), a lower-case word
of 8+ letters unknown to pymorphy splits into two dictionary words of 4+ letters (``lower_split``) when the
left one is a whole word form that can end a phrase and not the first part of a compound, which Kazakhstan's
Russian press writes a lot of («лудомании», «спортшколе», «маслихата», «акиматами», «мажилисмены»):

* no compounding prefix of pymorphy's («аудио», «кино», «нарко», «после», «сверх»…) opens the word before a
  dictionary word («аудиосообщение», «наркозакладчиков»), nor is the left part such a prefix and a letter or
  two («контра|факт»);
* neither part can be a name or an abbreviation, nor the left part indeclinable, a numeral, an interjection or
  an imperative of one («акимат|ами», «сельхоз|животных», «лудо|мании», «пяти|недельной», «масли|хата»);
* a left part ending in a consonant that can be a bare noun stem (a nominative singular, a genitive plural:
  «спорт», «опер», «мажилис», «комбат») goes on with a verb or an adverb, not a noun or an adjective
  («долгявляется» splits, «спортшколе» stays);
* a short left part in -о/-е, or an adverb in -о before an adjective, is a linking vowel
  («селезадерживающей», «правоустанавливающие», «легкорельсового», «труднопредсказуемы»);
* a right part of 4–5 letters starting with a vowel after a consonant is a suffix («комбатанта», «парковал»);
* a word that may be a word and a preposition or conjunction of 1–3 letters stays («паводкамина»: «паводками
  на», not «паводка мина»).

Of several such splits the one with the longer shorter part is taken.  A Kazakh word is not in pymorphy's
dictionary and may split into Russian ones («депутат|тары»): only a text ``lang.detect`` calls Russian is read,
and no word with a Kazakh letter within 30 characters.  The right part only gets its space: a lower-case word
does not open a sentence.  Texts without other glues (RIA, RT, feeds) are left alone: their unknown words are
rare words («облакообразование», «растиражировали», «утильсбор»), not glues.

Each split says whether the right part opens a sentence: then the paragraph is cut there, as for a glued
«апреля.Судья»; a name or an oblique word («Иран», «Восточно-Казахстанской», «Дворца») only gets its space.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from pymorphy3.lang.ru.config import KNOWN_PREFIXES

from newsdesk import lang as langid
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
# Lower-case glues: a word of 8+ Russian letters, not in a hashtag, handle or hyphenated word; a name glued to a
# verb: a capitalised one of 9+.
_LONG_LOWER = re.compile(r"(?<![\w@#-])[а-яё]{8,}(?![\w@-])")
_LONG_CAPITALISED = re.compile(r"(?<![\w@#-])[А-ЯЁ][а-яё]{8,}(?![\w@-])")
_VERBAL = {"VERB", "INFN", "GRND"}
_KAZAKH = re.compile("[әғқңөұүһі]")
# A text that lost its spaces elsewhere: a sentence or a comma glued to the next word («апреля.Судья»,
# «частности,призвал»).  Texts without such a sign (RIA, RT, most feeds) have their own rare words, not glues.
_SCRAPED = re.compile(r"[а-яё]{3}[.!?][А-ЯЁ][а-яё]|[а-яё]{2}[,;:][а-яёА-ЯЁ]{2}")
_PART = 4  # letters of each part at least
_NEAR = 30  # characters each side of a word that must have no Kazakh letter
_PREFIXES = tuple(p for p in KNOWN_PREFIXES if len(p) >= 4 and not p.endswith("-"))
_NOMINAL = {"NOUN", "ADJF", "ADJS", "PRTF", "PRTS", "NUMR"}
_ADJECTIVAL = {"ADJF", "PRTF"}
_NOT_ENDING = {"Fixd", "NUMR", "INTJ"}  # indeclinable («лудо», «кино»), numerals («пяти»), interjections
_VOWELS = set("аеёиоуыэюя")


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
    if found or _SCRAPED.search(text):
        found = sorted(found + _lower_splits(text, {s.at for s in found}))
    return found


def _lower_splits(text: str, taken: set[int]) -> list[Split]:
    """Lower-case words glued in Russian ``text`` (``lower_split``), and a name glued to the verb after it
    (``name_verb_split``), but not a word already split («ранеепоблагодарил»: an opener), nor one next to a
    Kazakh letter («Мәжіліс депутаттары»)."""
    found: list[Split] = []
    russian: bool | None = None
    words = [(w, lower_split(w.group())) for w in _LONG_LOWER.finditer(text)]
    words += [(w, name_verb_split(w.group(), text)) for w in _LONG_CAPITALISED.finditer(text)]
    for word, at in sorted(words, key=lambda pair: pair[0].start()):
        if not at or any(word.start() < t < word.end() for t in taken):
            continue
        if _KAZAKH.search(text, max(0, word.start() - _NEAR), word.end() + _NEAR):
            continue
        if russian is None:
            russian = langid.detect(text) == "ru"
        if russian:
            found.append(Split(word.start() + at, False))
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


@lru_cache(maxsize=50_000)
def lower_split(word: str) -> int:
    """Where a lower-case ``word`` is two Russian words glued, or 0: «областидождь» → 7; «лудомании»,
    «спортшколе», «селезадерживающей», «депутаттары» → 0 (see the module's rules)."""
    if len(word) < 2 * _PART or _known(word) or rulemma.place_forms().get(word) or _short_word_last(word):
        return 0
    points = [at for at in range(_PART, len(word) - _PART + 1) if _two_words(word, at)]
    return max(points, key=lambda at: min(at, len(word) - at), default=0)


def _short_word_last(word: str) -> bool:
    """A word and a preposition or conjunction of 1–3 letters after it may be the glue instead: «паводкамина»
    is «паводками на», not «паводка мина»."""
    return any(_known(word[:-n]) and _pos(word[-n:]) in _FUNCTION for n in (1, 2, 3))


def _two_words(word: str, at: int) -> bool:
    left, right = word[:at], word[at:]
    if not (_known(left) and _known(right)) or _compound_prefix(word, left, right):
        return False
    lefts, rights = _readings(left), _readings(right)
    if _names(lefts) or _names(rights) or any(_NOT_ENDING & p.tag.grammemes for p in lefts):
        return False
    if any({"impr", "sing"} <= p.tag.grammemes for p in lefts):
        return False  # «масли|хата»: an imperative of one is no news text
    if right[0] in _VOWELS and left[-1] not in _VOWELS and len(right) <= 5:
        return False  # «комбат|анта», «парк|овал»: a suffix
    nominal = rights[0].tag.POS in _NOMINAL
    return not (nominal and (_bare_stem(left, lefts) or _linking_vowel(left, lefts, rights)))


def _compound_prefix(word: str, left: str, right: str) -> bool:
    """The word opens with one of pymorphy's compounding prefixes before a dictionary word («аудио|сообщение»,
    «нарко|закладчиков», «сверх|смертности»), or the left part is such a prefix and a letter or two before a
    noun or an adjective («контра|факт»)."""
    return any(left.startswith(prefix) and (_known(word[len(prefix):]) or
                                            (len(left) - len(prefix) <= 2 and _pos(right) in _NOMINAL))
               for prefix in _PREFIXES)


def _bare_stem(left: str, lefts: list) -> bool:  # noqa: ANN001 - pymorphy3 parses
    """A consonant-final noun form that is also a stem: a nominative singular or a genitive plural with no
    ending («спорт», «мажилис», «опер», «драг»)."""
    if left[-1] in _VOWELS or left[-1] in "ьй":
        return False
    return any(p.tag.POS == "NOUN" and ({"sing", "nomn"} <= p.tag.grammemes or {"plur", "gent"} <= p.tag.grammemes)
               for p in lefts)


def _linking_vowel(left: str, lefts: list, rights: list) -> bool:  # noqa: ANN001 - pymorphy3 parses
    """A compound's linking vowel: a short word in -о/-е («селе», «право»), or an adverb in -о before an
    adjective («легко|рельсового», «слабо|проводимых»)."""
    if left[-1] not in "ое" or left.endswith("ее") or lefts[0].tag.POS in _FUNCTION:
        return False  # not «ранее», «после»
    if len(left) <= 5:
        return True
    return lefts[0].tag.POS in {"ADVB", "ADJS"} and rights[0].tag.POS in _ADJECTIVAL | {"ADJS", "PRTS"}


def name_verb_split(word: str, text: str) -> int:
    """Where a name glued to the verb after it ends («Токаевосмотрел», «Иранзапустил», «Бишимбаевазаявило»), or
    0: the whole is no dictionary word, the right part (5+ letters) reads only as a verb, and the left part is a
    word the text writes alone too («Токаев»), else one pymorphy reads as a name, a place or a noun («Иран»,
    «Сенат»).  Of several, the longest right part («Иран|запустил», not «Иранза|пустил»)."""
    if _known(word):
        return 0
    for at in range(3, len(word) - 4):
        right = word[at:]
        readings = _readings(right) if _known(right) else []
        if not readings or any(p.tag.POS not in _VERBAL for p in readings):
            continue
        lefts = _readings(word[:at])
        if (_names(lefts) or any(p.is_known and p.tag.POS == "NOUN" for p in lefts)
                or re.search(rf"(?<![\w-]){re.escape(word[:at])}(?![\w-])", text)):
            return at
    return 0


def _readings(word: str) -> list:
    """pymorphy's readings of ``word`` that count (5% or more)."""
    return [p for p in rulemma.morph().parse(word) if p.score >= _RARE]


def _names(parses: list) -> bool:
    return any(_NAME_TAGS & p.tag.grammemes for p in parses)
