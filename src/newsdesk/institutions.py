"""One name per institution in both languages: «Нацбанк», «НБК», «Ұлттық банк» → «Национальный банк Казахстана».

``data/institutions.tsv`` is our table of the bodies Kazakhstan news names all the time (ministries,
chambers of parliament, agencies, international organisations), each with its Russian name (canonical),
Kazakh name and other names.  Entities name an organisation by `canonical`, so an entity page gathers
its Russian and Kazakh articles, as places are one entity under their Russian name; `kazakh_name` gives
the name a Kazakh page shows.  Russian names are compared case- and ё-blind, Kazakh ones word by word on
their stems («министрлігінде» and «министрлігі» are one word).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from newsdesk import kazakh

_QUOTES = str.maketrans("", "", "«»\"„“”")
_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
MAX_WORDS = 8


@dataclass(frozen=True, slots=True)
class Institution:
    ru: str
    kk: str
    aliases: tuple[str, ...]
    national: bool = True  # Kazakhstan's own body (a ministry), not an international organisation


@lru_cache(maxsize=1)
def load() -> tuple[Institution, ...]:
    """Every row of ``data/institutions.tsv`` (comment lines start with #)."""
    raw = resources.files("newsdesk").joinpath("data/institutions.tsv").read_text(encoding="utf-8")
    lines = [line for line in raw.splitlines() if line and not line.startswith("#")]
    rows = csv.DictReader(io.StringIO("\n".join(lines)), delimiter="\t")
    return tuple(Institution(r["ru"], r["kk"] or "", tuple(a.strip() for a in (r["aliases"] or "").split("|")
                                                            if a.strip()), r["scope"] != "international")
                 for r in rows)


def _fold(name: str) -> str:
    return " ".join(name.translate(_QUOTES).casefold().replace("ё", "е").split())


def _stems(name: str) -> tuple[str, ...]:
    return tuple(_stem(word) for word in _WORD.findall(name))


@lru_cache(maxsize=1)
def _index() -> tuple[dict[str, Institution], dict[tuple[str, ...], Institution]]:
    by_name: dict[str, Institution] = {}
    by_stems: dict[tuple[str, ...], Institution] = {}
    for body in load():
        for name in (body.ru, body.kk, *body.aliases):
            if name:
                by_name.setdefault(_fold(name), body)
                if not name.isupper():  # an abbreviation is matched as written: «ЕС» is no stem of «естеріңізде»
                    by_stems.setdefault(_stems(name), body)
    return by_name, by_stems


@lru_cache(maxsize=1)
def _spellings() -> dict[str, str]:
    """Folded name → the name as the table writes it («мвд» → «МВД», «нацбанк» → «Нацбанк»)."""
    out: dict[str, str] = {}
    for body in load():
        for name in (body.ru, body.kk, *body.aliases):
            if name:
                out.setdefault(_fold(name), name)
    return out


def spelling(name: str) -> str | None:
    """How the table writes a name an institution goes by, whatever its case («мвд» → «МВД»), else None."""
    return _spellings().get(_fold(name))


def find(name: str, lang: str | None = "ru") -> Institution | None:
    """The institution ``name`` (an organisation's name as entities give it, in ``lang``) is, if our table has it."""
    by_name, by_stems = _index()
    body = by_name.get(_fold(name))
    if body is None and lang == "kk":
        body = by_stems.get(_stems(name))
    return body


def canonical(name: str, lang: str | None = "ru") -> str:
    """The Russian name an institution is stored under, or ``name`` itself when the table does not know it."""
    body = find(name, lang)
    return body.ru if body is not None else name


def kazakh_name(name: str) -> str | None:
    """An institution's Kazakh name when it differs from the stored (Russian) one, else None."""
    body = _index()[0].get(_fold(name))
    return body.kk if body is not None and body.kk and _fold(body.kk) != _fold(name) else None


def find_in(text: str) -> list[tuple[int, int, Institution]]:
    """(start, end, institution) of every name of the table in Kazakh ``text``, in any case form and
    wherever it stands («Төтенше жағдайлар департаменті мәлімдеді» opening a sentence), longest first; a
    name must start with a capital letter, as names do («үкімет» in running text is any government)."""
    by_name, by_stems = _index()
    firsts = _first_stems()
    words = list(_WORD.finditer(text))
    found, i = [], 0
    while i < len(words):
        word = words[i].group()
        size = 0
        if word[:1].isupper() and _stem(word) in firsts:  # only then are the next words' stems needed
            stems = [_stem(w.group()) for w in words[i:i + MAX_WORDS]]
            size = next((n for n in range(len(stems), 0, -1) if tuple(stems[:n]) in by_stems), 0)
        if size:
            found.append((words[i].start(), words[i + size - 1].end(), by_stems[tuple(stems[:size])]))
        elif len(word) > 1 and word.isupper() and _fold(word) in by_name:  # «БҰҰ», «ҰҚК» as written
            found.append((words[i].start(), words[i].end(), by_name[_fold(word)]))
        i += size or 1
    return found


@lru_cache(maxsize=65536)
def _stem(word: str) -> str:
    return kazakh.stem(_fold(word))


@lru_cache(maxsize=1)
def _first_stems() -> frozenset[str]:
    return frozenset(stems[0] for stems in _index()[1] if stems)
