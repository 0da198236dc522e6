"""Tags that look like one tag: an outlet's vocabulary spelled several ways.

Editors tag by hand, and a vocabulary grows variants: «Санкт-Петербург» and «санктпетербург», «театр»
and «театры», «путин» and «Владимир Путин».  Each variant splits the story's feed and the tag model's
evidence, and the tag model can only suggest the spelling it learnt most, which the next editor may
not use.  `find_variants` groups the tags that are one tag by one of these readings:

- **spelling**: the same letters and digits, case, «ё», spaces and punctuation aside;
- **word forms**: the same lemmas (``analyze.lemmas``), whatever the order («пенсии», «Пенсия»);
- **person**: a surname alone that the archive's `PeopleIndex` reads as a full name another tag spells.

It only reports: the editors decide which spelling stays.

    find_variants({"Театр": 14, "театры": 1, "Путин": 47, "Владимир Путин": 6}, people)
    # [Variants((("Путин", 47), ("Владимир Путин", 6)), "person"),
    #  Variants((("Театр", 14), ("театры", 1)), "word forms")]
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from newsdesk import analyze, rulemma
from newsdesk.kazakh import russian_letters
from newsdesk.surnames import PeopleIndex

_NOT_LETTERS = re.compile(r"[\W_]+")
_WORDS = re.compile(r"\w+")
REASONS = ("spelling", "word forms", "person")  # in the order the readings are tried


@dataclass(frozen=True, slots=True)
class Variants:
    """One tag spelled several ways: ``(tag, articles)`` most used first, and the reading that joined them
    (the first of `REASONS` that did, for the group's first join)."""

    tags: tuple[tuple[str, int], ...]
    reason: str

    @property
    def uses(self) -> int:
        return sum(n for _, n in self.tags)

    def as_dict(self) -> dict[str, object]:
        return {"tags": [{"tag": t, "articles": n} for t, n in self.tags], "reason": self.reason,
                "keep": self.tags[0][0]}


def letters(tag: str) -> str:
    """A tag's letters and digits, lower case, «ё» as «е», Kazakh letters as Russian text writes them:
    «Санкт-Петербург» → «санктпетербург», «Тоқаев» → «токаев»."""
    return _NOT_LETTERS.sub("", russian_letters(tag.casefold()).replace("ё", "е"))


def word_key(tag: str) -> tuple[str, ...]:
    """A tag's words by their ``letters``, in order: «Бишимбаев Куандык» and «Куандык Бишимбаев» share it."""
    return tuple(sorted(key for word in tag.split() if (key := letters(word))))


def find_variants(uses: Mapping[str, int], people: PeopleIndex | None = None,
                  lang: str = "ru") -> list[Variants]:
    """Groups of two or more tags of ``uses`` ({tag: articles}) that read as one tag, the most used
    groups first."""
    parent = {tag: tag for tag in uses}
    reason: dict[str, str] = {}

    def root(tag: str) -> str:
        while parent[tag] != tag:
            parent[tag] = parent[parent[tag]]
            tag = parent[tag]
        return tag

    def join(a: str, b: str, why: str) -> None:
        ra, rb = root(a), root(b)
        if ra != rb:
            parent[rb] = ra
            reason[ra] = reason.get(ra) or reason.pop(rb, None) or why

    # a person's key is the spelling key of the full name, so it meets that tag among the spellings
    readings = (("spelling", "letters", _spelling), ("word forms", "lemmas", lambda t: _forms(t, lang)),
                ("person", "letters", lambda t: _person(t, people)))
    keys: dict[tuple[str, object], str] = {}
    for why, space, key_of in readings:
        for tag in uses:
            key = key_of(tag)
            if key is not None and (first := keys.setdefault((space, key), tag)) != tag:
                join(first, tag, why)
    groups: dict[str, list[str]] = {}
    for tag in uses:
        groups.setdefault(root(tag), []).append(tag)
    found = [Variants(tuple(sorted(((t, uses[t]) for t in members), key=lambda p: (-p[1], p[0]))), reason[r])
             for r, members in groups.items() if len(members) > 1]
    return sorted(found, key=lambda v: (-v.uses, v.tags[0][0]))


def _spelling(tag: str) -> str | None:
    return letters(tag) or None


def _forms(tag: str, lang: str) -> tuple[str, ...] | None:
    """The tag's lemmas, as a set; in Russian a word that may be a surname stays as it is: «Зайцев» is
    no form of «заяц», nor «Достоевская» of «Достоевский»."""
    if lang != "ru":
        words = analyze.lemmas(tag, lang)
    else:
        plain = tag.casefold().replace("ё", "е")
        words = [w if _may_be_surname(w) else rulemma.lemma(w) for w in _WORDS.findall(plain)]
    return tuple(sorted(set(words))) if words else None


def _may_be_surname(word: str) -> bool:
    return any("Surn" in p.tag for p in rulemma.morph().parse(word)[:4])


def _person(tag: str, people: PeopleIndex | None) -> str | None:
    """A one-word tag the archive reads as a person's full name: that name's spelling key."""
    if people is None or len(tag.split()) != 1:
        return None
    full = people.lookup(tag)
    return letters(full) if full else None
