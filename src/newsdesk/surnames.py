"""People an archive knows by their full names, for texts that give a surname alone.

News calls a person by the surname once the full name is familiar: «Токаев подписал закон». Within
one text `entities.merge` joins a lone surname to the full name the text also gives; across texts,
`PeopleIndex` counts the full names the archive has met per surname, and a lone surname is the full
name it has met most, when that name is clear: seen at least `MIN_SEEN` times and in at least
`MIN_SHARE` of the surname's full names (two people of one surname leave it alone).

    index = PeopleIndex()
    index.learn("Касым-Жомарт Токаев")      # from every text with a full name
    index.lookup("Токаев")                 # "Касым-Жомарт Токаев" once seen twice

It also keeps a woman's surname hers where a text gives it only in cases a man's shares («Салтанат
Нукенова» reads as the genitive of «Нукенов»): see `entities.known_people`.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field

from newsdesk.kazakh import russian_letters

MIN_SEEN = 2
MIN_SHARE = 0.75
START = 4  # letters of a surname its case forms keep («Кравец», «Кравца»; «Зеленский», «Зеленского»)
MAX_SURNAMES = 20_000  # kept with the archive, written with each batch: the most named surnames stay


@dataclass
class PeopleIndex:
    """Surname (lower case, Russian letters) → {full name: texts naming it}; learnable, JSON-serialisable."""

    names: dict[str, Counter[str]] = field(default_factory=dict)
    starts: set[str] = field(default_factory=set, init=False, repr=False, compare=False)  # keys' first letters

    def __post_init__(self) -> None:
        self.starts = {key[:START] for key in self.names}

    def learn(self, name: str) -> None:
        """Count one text naming ``name`` (a full name: two words or more)."""
        words = name.split()
        if len(words) >= 2:
            key = _key(words[-1])
            self.names.setdefault(key, Counter())[name] += 1
            self.starts.add(key[:START])
            if len(self.names) > MAX_SURNAMES * 5 // 4:
                self._forget()

    def may_know(self, word: str) -> bool:
        """Whether ``word`` (any case form) may be a surname the index knows: its first letters are a known
        surname's (a cheap test before lemmatising; «Зеленского» and «Зеленский» share «зеле»)."""
        return _key(word)[:START] in self.starts

    def _forget(self) -> None:
        """Keep the `MAX_SURNAMES` surnames most named (a rare name is rarely met again)."""
        kept = sorted(self.names.items(), key=lambda item: -sum(item[1].values()))[:MAX_SURNAMES]
        self.names = dict(kept)
        self.starts = {key[:START] for key in self.names}

    def lookup(self, surname: str) -> str | None:
        """The full name ``surname`` alone stands for, or None when the archive has no clear one.  A person
        is one in both languages («Тоқаев» and «Токаев» are one surname); the name comes in the spelling
        of the surname's language (Kazakh letters for a Kazakh spelling, when the archive met one)."""
        known = self.names.get(_key(surname))
        if not known:
            return None
        people: Counter[str] = Counter()
        for name, seen in known.items():
            people[russian_letters(name)] += seen
        person, seen = people.most_common(1)[0]
        if seen < MIN_SEEN or seen < MIN_SHARE * sum(people.values()):
            return None
        kazakh = russian_letters(surname) != surname
        spellings = [name for name in known if russian_letters(name) == person]
        return max(spellings, key=lambda name: ((russian_letters(name) != name) == kazakh, known[name]))

    def seen(self, name: str) -> int:
        """How many texts named the full ``name``."""
        words = name.split()
        return self.names.get(_key(words[-1]), Counter())[name] if len(words) >= 2 else 0

    def to_json(self) -> str:
        return json.dumps({k: dict(v) for k, v in sorted(self.names.items())}, ensure_ascii=False)

    @classmethod
    def from_json(cls, data: str) -> PeopleIndex:
        names: dict[str, Counter[str]] = {}
        for surname, counts in json.loads(data).items():  # an index saved before the fold: Kazakh keys join
            names.setdefault(_key(surname), Counter()).update(counts)
        return cls(names)


def _key(surname: str) -> str:
    """A surname's key: lower case, in the letters Russian text uses («Тоқаев» → «токаев»)."""
    return russian_letters(surname).lower()
