"""Whether a capitalised word of a Kazakh text can be part of a person's name (for ``kk_entities``).

Two capitalised words are no person when one of them is a word the text also writes in lower case
(«Миграция Рейтинг» where the text has «рейтингі»), a function word or adverb capitalised for opening a
sentence («Бірақ Данилина», «Ол Розыбакиев», «Себебі Тоқаев»), a place of our tables, also as the Latin
converter spells it («Швейтсарияның Давос», «Аралдың»), or a word with a case ending: in a Kazakh name only
the last word declines («Қасым-Жомарт Тоқаевтың»), so «Олимпиадасында Қайсанов», «Маңғыстаудағы Бозжыра»
are a noun and a name, not one name.
"""

from __future__ import annotations

import re
from functools import lru_cache

from newsdesk import gazetteer, kazakh
from newsdesk.stopwords import KK_STOPWORDS

_LOWER_WORD = re.compile(r"(?<![\w-])[a-zа-яёәғқңөұүһі][\w-]*")
# function words and adverbs a sentence opens with, beyond the stop words: «Бүгін», «Кеше», «Сонымен»
OPENERS = frozenset(("бүгін", "бүгінде", "кеше", "ертең", "сонымен", "сондай", "алайда", "дегенмен", "әйтсе",
                     "мысалы", "сонда", "кейін", "қазір", "биыл", "былтыр", "бұдан", "оған", "оны", "олардың"))
# a case ending no first name takes before a surname: genitive, locative + -ғы, possessive + a case
_CASE_ENDING = re.compile(r"\w{3,}(?:[ндт][ыі]ң|[дт](?:ағы|егі)|с[ыі]н(?:да|де|а|е|ан|ен)|[аеоөұүиуыі]н[ыі])$")
# «Қысқы», «Жазғы», «Кіші»: an adjective of a time or a size, capitalised in a title («Қысқы Олимпиада»)
_ADJECTIVE_WORD = re.compile(r"\w{2,}(?:қы|кі|ғы|гі)$|^(?:кіші|үлкен|ұлы|жаңа|ескі|қиыр|орта)$")
_DIRECTIONS = frozenset(("оңтүстік", "солтүстік", "шығыс", "батыс", "орталық"))
_TO_LATIN = dict(zip("аәбвгғдеёжзийкқлмнңоөпрстуұүфхһцчшщъыіьэюя",
                     ["a", "á", "b", "v", "g", "ǵ", "d", "e", "ıo", "j", "z", "ı", "ı", "k", "q", "l", "m", "n", "ń",
                      "o", "ó", "p", "r", "s", "t", "ý", "u", "ú", "f", "h", "h", "ts", "ch", "sh", "shch", "",
                      "y", "i", "", "e", "ıý", "ıa"], strict=True))


def lower_stems(text: str) -> frozenset[str]:
    """Stems of the words ``text`` writes in lower case: its common words."""
    return frozenset(kazakh.stem(w) for w in {m.group() for m in _LOWER_WORD.finditer(text)})


def not_a_name(word: str, lower: frozenset[str], opens: bool = False) -> bool:
    """``word`` (capitalised, Cyrillic) is no word of a person's name: a common word of the text (``lower``:
    `lower_stems`), a direction or a place; where it ``opens`` a sentence, also a function word or an adverb
    (inside one, a capitalised «Бен» is Ben, not «and»)."""
    low = word.lower()
    stem = kazakh.stem(word)
    if opens and (low in KK_STOPWORDS or stem in KK_STOPWORDS or low in OPENERS or stem in OPENERS):
        return True
    return stem in lower or stem in _DIRECTIONS or place(word)


def not_a_first_name(word: str, lower: frozenset[str], opens: bool = False) -> bool:
    """``word`` cannot be the first word of a two-word name: `not_a_name`, or it declines (only a name's last
    word does) or is an adjective of a title («Қысқы Олимпиада», «Кіші Арал»)."""
    low = word.lower()
    return bool(not_a_name(word, lower, opens) or _CASE_ENDING.match(low) or _ADJECTIVE_WORD.search(low))


def place(word: str) -> bool:
    """A place of the gazetteer or the world table, in any case form, also in the spelling the Latin converter
    gives it («Швейтсария», «Украйна» from Kazinform's «Shveıtsarııa», «Ýkraına»)."""
    if gazetteer.find(word, "kk") or gazetteer.find_world(word, "kk"):
        return True
    return kazakh.stem(word) in _converted_places() or word.lower() in _converted_places()


@lru_cache(maxsize=1)
def _converted_places() -> frozenset[str]:
    """One-word place names (nominative, lower case) as Kazakh Latin read back through our converter."""
    out = set()
    for p in (*gazetteer.load_places(), *gazetteer.load_world()):
        for name in p.names:
            if " " not in name and len(name) > 3:
                latin = "".join(_TO_LATIN.get(ch, ch) for ch in name.lower())
                out.add(kazakh.latin_to_cyrillic(latin))
                out.add(name.lower())
    return frozenset(out)
