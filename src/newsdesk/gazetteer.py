"""Kazakhstan's places in a text: our gazetteer (``data/places.tsv``) matched through lemmas.

The gazetteer lists the 17 regions (the 2022 division, with Абайская, Жетысуская, Улытауская),
the three cities of republican significance and about 45 towns, each with its Russian and Kazakh
name and old names («Алма-Ата» → Алматы, «Нур-Султан», «Акмола», «Целиноград» → Астана,
«Семипалатинск» → Семей, «Гурьев» → Атырау). Every name is analysed once with the Russian and
the Kazakh analyzer, so «в Алматинской области», «Алматы облысында» and «Almaty oblysynda» all
find the Алматинская область, and «Алматыда», «Алматы», «Алма-Ате» the city. Words capitalised in
a name must be capitalised in the text («семей» the plural genitive of «семья» is not Семей).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from newsdesk import analyze, institutions, names

MAX_NAME_TOKENS = 4
_GAP = re.compile(r"[\s\-\u00a0]*")


@dataclass(frozen=True, slots=True)
class Place:
    slug: str
    kind: str  # region, city (of republican significance) or town
    ru: str  # canonical Russian name
    kk: str  # Kazakh name
    parent: str | None = None  # the region's slug, for towns
    aliases: tuple[str, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        return (self.ru, self.kk, *self.aliases)


@dataclass(frozen=True, slots=True)
class PlaceMention:
    place: Place
    start: int
    end: int
    text: str


@lru_cache(maxsize=1)
def load_places() -> tuple[Place, ...]:
    """Every place of ``data/places.tsv`` (comment lines start with #)."""
    raw = resources.files("newsdesk").joinpath("data/places.tsv").read_text(encoding="utf-8")
    lines = [line for line in raw.splitlines() if line and not line.startswith("#")]
    return tuple(_place(row) for row in csv.DictReader(io.StringIO("\n".join(lines)), delimiter="\t"))


def _place(row: dict[str, str]) -> Place:
    aliases = tuple(a.strip() for a in (row.get("aliases") or "").split("|") if a.strip())
    return Place(row["slug"], row["kind"], row["ru"], row["kk"], row.get("parent") or None, aliases)


def by_slug(slug: str) -> Place | None:
    return {p.slug: p for p in load_places()}.get(slug)


@lru_cache(maxsize=1)
def load_world() -> tuple[Place, ...]:
    """Places beyond Kazakhstan's towns (``data/world.tsv``): countries, world regions and cities, rivers
    and seas, each with its Russian (canonical) and Kazakh name.  For entities, not place tags."""
    from newsdesk.slug import slugify

    raw = resources.files("newsdesk").joinpath("data/world.tsv").read_text(encoding="utf-8")
    lines = [line for line in raw.splitlines() if line and not line.startswith("#")]
    rows = csv.DictReader(io.StringIO("\n".join(lines)), delimiter="\t")
    return tuple(_place({**row, "slug": slugify(row["ru"]), "parent": ""}) for row in rows)


@lru_cache(maxsize=1)
def _world_russian() -> dict[str, str]:
    """Casefolded Russian name or alias → the canonical Russian name («Белоруссия» → «Беларусь»)."""
    return {_fold(name): p.ru for p in load_world() for name in (p.ru, *p.aliases)}


def _fold(name: str) -> str:
    return name.casefold().replace("ё", "е")


def kazakh_name(name: str) -> str | None:
    """A place's Kazakh name (a town of ours or a `load_world` place, named by its Russian name) when it
    differs from ``name``, else None: what a Kazakh page shows for the place entity «Кыргызстан»."""
    return kazakh_label(name) or _world_kazakh().get(_fold(name))


@lru_cache(maxsize=1)
def _world_kazakh() -> dict[str, str]:
    return {_fold(p.ru): p.kk for p in load_world() if p.kk and _fold(p.kk) != _fold(p.ru)}


def world_name(name: str) -> str:
    """The canonical Russian name of a world place named ``name`` (Russian), else ``name`` itself."""
    return _world_russian().get(_fold(name), name)


def find_world(text: str, lang: str | None = None) -> list[PlaceMention]:
    """Every mention of a `load_world` place in ``text`` («Ресейге», «Құрама Штаттарда»), like `find`."""
    return find(text, lang, world=True)


@lru_cache(maxsize=2)
def _index(world: bool = False) -> dict[tuple[str, ...], tuple[Place, tuple[bool, ...]]]:
    """Lemma sequence → (place, which of its words must be capitalised)."""
    index: dict[tuple[str, ...], tuple[Place, tuple[bool, ...]]] = {}
    for place in load_world() if world else load_places():
        for name in place.names:
            for lang in ("ru", "kk"):
                toks = analyze.tokens(name, lang)
                key = tuple(t.lemma for t in toks)
                if key and len(key) <= MAX_NAME_TOKENS:
                    index.setdefault(key, (place, tuple(t.text[0].isupper() for t in toks)))
    return index


def find(text: str, lang: str | None = None, world: bool = False) -> list[PlaceMention]:
    """Every mention of a gazetteer place in ``text`` (with ``world``: of `load_world`), longest name
    first, with offsets."""
    toks = analyze.tokens(text, lang)
    index, found, i = _index(world), [], 0
    while i < len(toks):
        size = _longest_match(text, toks, i, index)
        if size:
            place, _ = index[tuple(t.lemma for t in toks[i : i + size])]
            start, end = toks[i].start, toks[i + size - 1].end
            found.append(PlaceMention(place, start, end, text[start:end]))
        i += size or 1
    return found


def _longest_match(text: str, toks: list, i: int, index: dict) -> int:
    for size in range(min(MAX_NAME_TOKENS, len(toks) - i), 0, -1):
        window = toks[i : i + size]
        hit = index.get(tuple(t.lemma for t in window))
        if hit and _capitals_agree(window, hit[1]) and _adjacent(text, window):
            return size
    return 0


def _capitals_agree(window: list, capitals: tuple[bool, ...]) -> bool:
    return all(t.text[0].isupper() for t, cap in zip(window, capitals, strict=False) if cap)


def _adjacent(text: str, window: list) -> bool:
    return all(_GAP.fullmatch(text[a.end : b.start]) for a, b in zip(window, window[1:], strict=False))


def match(text: str, lang: str | None = None) -> list[Place]:
    """The places ``text`` mentions, each once, in order of first mention (for place tags); a place
    named only as the clock («по времени Астаны», «Астана уақытымен») is not what the text is about."""
    return list(dict.fromkeys(m.place for m in find(text, lang) if not aside(text, m.start, m.end)))


def aside(text: str, start: int, end: int) -> bool:
    """Whether the place named at ``text[start:end]`` is not what the text is about: it tells the time or
    it is the dateline's city."""
    return time_zone(text, start, end) or dateline(text, start, end)


# «в 21:00 по времени Астаны», «в 19:00 по Астане», «Астана уақытымен», «Astana ýaqytymen»
_CLOCK_BEFORE = re.compile(r"(?:\bвремени|\d{1,2}[:.]\d{2}\)?\s+по)\s+$", re.IGNORECASE)
_CLOCK_AFTER = re.compile(r"\s+(?:уақыт|ýaqyt|uaqyt|waqyt)", re.IGNORECASE)


def time_zone(text: str, start: int, end: int) -> bool:
    """Whether the place named at ``text[start:end]`` only tells the time («по времени Астаны»)."""
    return bool(_CLOCK_BEFORE.search(text, max(0, start - 24), start) or _CLOCK_AFTER.match(text, end))


# «ASTANA. KAZINFORM –», «TAShKENT. KAZINFORM —», «МОСКВА, 27 ноя - РИА Новости.»: a city in capitals
# opening a paragraph, then a date or a stop and a dash before the agency's name.
_DATELINE_AFTER = re.compile(r"(?:,\s*\d{1,2}\s+\w+\.?)?\s*(?:\.\s*[-–—]?|[-–—])\s*[A-ZА-ЯЁ]")


# A whole dateline opening a paragraph: the city, a date, a stop or dash, the agency (one or two words),
# a stop or dash: «ASTANA. KAZINFORM –», «ASTANA.KAZINFORM –», «МОСКВА, 27 ноя - РИА Новости.»
_DATELINE = re.compile(r"([^\W\d_][^\W\d_-]*(?:-[^\W\d_]+)?)(?:,\s*\d{1,2}\s+[^\W\d_]+\.?)?\s*(?:\.\s*[-–—]?|[-–—])"
                       r"\s*([^\W\d_][^\s.–—-]*)(?:\s+[^\W\d_][^\s.–—-]*)?\s*[.–—-]")
_AGENCIES = frozenset(("интерфакс", "sputnik", "reuters", "kazinform", "казинформ", "bnews"))


def dateline_text(text: str, paragraphs: int = 4) -> str | None:
    """The dateline opening one of the first ``paragraphs`` paragraphs of ``text``, if any: its city a
    place in capitals (`dateline`)."""
    for paragraph in text.split("\n")[: paragraphs * 2]:
        found = _DATELINE.match(paragraph.strip())
        if found and _agency(found.group(2)) and dateline(found.group(0), 0, found.end(1)) and _a_place(found.group(1)):
            return found.group(0)
    return None


def _agency(word: str) -> bool:
    """An agency's name opens with a word in capitals («KAZINFORM», «РИА», «ТАСС») or is one we know."""
    return (word.isupper() and len(word) > 1) or word.casefold() in _AGENCIES


def _a_place(name: str) -> bool:
    return any(find(name, lang) or find_world(name, lang) for lang in ("ru", "kk"))


def dateline(text: str, start: int, end: int) -> bool:
    """Whether the place named at ``text[start:end]`` is a dateline's city (where the agency filed the
    story, its own city most days: Kazinform's «ASTANA.» opens world news too), not a place of the story."""
    if start and text[start - 1] != "\n" or not _DATELINE_AFTER.match(text, end):
        return False
    letters = [c for c in text[start:end] if c.isalpha()]
    return sum(c.isupper() for c in letters) >= 0.7 * len(letters)


# --- one tag per place -----------------------------------------------------------------------------
# A place is tagged in its article's language («Балқаш» on a Kazakh article, «Балхаш» on a Russian
# one) but is one tag: stored under the Russian name and slug, shown in Kazakh on Kazakh articles.

@lru_cache(maxsize=1)
def _kazakh_names() -> dict[str, Place]:
    """Casefolded Kazakh name → place, for the places whose Kazakh name differs from the Russian."""
    return {p.kk.casefold(): p for p in load_places() if p.kk and p.kk.casefold() != p.ru.casefold()}


@lru_cache(maxsize=1)
def _russian_names() -> dict[str, Place]:
    return {p.ru.casefold(): p for p in load_places()}


def canonical_tag(name: str) -> str:
    """The name a tag is stored under: a place's Kazakh name becomes its Russian one, and a name an outlet
    writes all in lower case is spelled as the place or institution is («астана» → «Астана», «мвд» → «МВД»,
    «мажилис» → «Мажилис») or, when it looks like a person's, capitalised («бишимбаев куандык» → «Бишимбаев
    Куандык»); the slug, and so the tag, stay the same."""
    folded = name.strip().casefold()
    place = _kazakh_names().get(folded)
    if place is None and name == name.lower():
        place = _russian_names().get(folded)
        if place is None:
            spelled = institutions.spelling(name) if len(folded) > 2 else None  # «ес» is no «ЕС»
            return spelled or names.person_case(name.strip()) or name
    return place.ru if place is not None else name


def tag_label(name: str, lang: str | None) -> str:
    """How a stored tag reads on an article in ``lang``: a place in Kazakh on Kazakh articles."""
    if lang != "kk":
        return name
    place = _russian_names().get(name.casefold())
    return place.kk if place is not None and place.kk else name


def kazakh_label(name: str) -> str | None:
    """A place tag's Kazakh name when it differs from the stored (Russian) one, else None."""
    place = _russian_names().get(name.casefold())
    return place.kk if place is not None and place.kk and place.kk.casefold() != name.casefold() else None


@lru_cache(maxsize=1)
def moved_slugs() -> dict[str, str]:
    """Slug of a place's Kazakh name → slug of its tag (the Russian name's), where they differ."""
    from newsdesk.slug import slugify

    pairs = ((slugify(p.kk), slugify(p.ru)) for p in load_places() if p.kk)
    return {kk: ru for kk, ru in pairs if kk and kk != ru}


def tag_slug(name_or_slug: str) -> str:
    """The slug a tag filter means: by name («Балқаш», «Балхаш») or slug («balqash», «balkhash»)."""
    from newsdesk.slug import slugify

    slug = slugify(canonical_tag(name_or_slug)) or name_or_slug
    return moved_slugs().get(slug, slug)
