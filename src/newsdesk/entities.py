"""People, organisations and places in a text, normalised and merged: ``records.Entity``.

Russian text (one pipeline, each step a small function)::

    natasha NER (slovnet, loaded once per process)
      + acronyms: «Шанхайской организации сотрудничества (ШОС)» → one entity, learnt by the
        caller's AcronymIndex; a later «ШОС» alone lands on it; known acronyms of our own list
      + people natasha misses: a first name + a surname by pymorphy3 («Ерболат Досаев»), or a
        name + хан/батыр («Абылай хана»)
      + our fixes: «Акорда» is an organisation, never a person
      + places of our gazetteer (canonical names: «Алма-Ате» → Алматы)
    → normalised to the nominative (``names.normalize``) → merged per text with mention counts,
      spans and a Latin slug; a surname alone joins the full name said earlier.

Kazakh text: the gazetteer plus capitalised-word heuristics (``kk_entities``).
natasha takes ~1 s and ~250 MB to load; call ``load()`` at start-up to pay it early.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import lru_cache

from newsdesk import gazetteer, institutions, names, rulemma
from newsdesk.acronyms import NOT_NAMES, AcronymIndex, initials_fit
from newsdesk.kazakh import russian_letters
from newsdesk.records import Entity
from newsdesk.slug import slugify
from newsdesk.sources.fields import BULLET_MARKS
from newsdesk.surnames import MIN_SEEN, PeopleIndex

log = logging.getLogger(__name__)

_ACRONYM = r"[A-ZА-ЯЁӘҒҚҢӨҰҮҺІ][A-ZА-ЯЁӘҒҚҢӨҰҮҺІ0-9\-]{1,7}"
_ACRONYM_WORD = re.compile(rf"(?<![\w-]){_ACRONYM}(?![\w-])")
_PAREN_ACRONYM = re.compile(rf"\s*\(({_ACRONYM})\)")
# a short name in brackets after an organisation's full name: «Министерство здравоохранения (Минздрав)»
_PAREN_SHORT = re.compile(r"\s*\(([A-ZА-ЯЁ][a-zа-яё]+(?:[A-ZА-ЯЁ][a-zа-яё]+)?)\)")
_PARAGRAPH = re.compile(r"[^\n]+")
_BULLET = re.compile(f"[{BULLET_MARKS}]")
_CAPITALISED = re.compile(r"[A-ZА-ЯЁӘҒҚҢӨҰҮҺІ][a-zа-яёәғқңөұүһі]+(?:-[A-ZА-ЯЁӘҒҚҢӨҰҮҺІ][a-zа-яёәғқңөұүһі]+)?")
_TITLE_WORDS = re.compile(r"\s+(хан|хана|хану|ханом|хане|батыр|батыра|батыру|батыром|би)\b")
# Names natasha gets wrong, with the type they are: the presidential residence stands for the
# administration, like «Кремль».
FIXED_TYPES = {"акорда": "ORG", "кремль": "ORG", "европейский союз": "ORG", "евросоюз": "ORG",
               "мажилис": "ORG", "сенат": "ORG"}  # natasha: «депутат Мажилиса» a person, «В Мажилисе» a place
# Bodies named after the place they govern: «правительства Китая», «акимата Алматы» (an ORG
# holding the place's LOC, as factRuEval annotates them).
_BODY = re.compile(
    r"(?i:правительств|администраци|мэри|парламент|власт|министерств|посольств|представительств"
    r"|акимат|маслихат|прокуратур|полици|пресс-служб|генконсульств|консульств)[а-я]*\s+$"
)


@dataclass(frozen=True, slots=True)
class Mention:
    type: str  # PER, ORG, LOC
    start: int
    end: int
    text: str
    name: str = ""  # normalised; filled by ``_name``
    key: str = ""  # identity when it is not the name: a Kazakh organisation's stems, whatever its case


@lru_cache(maxsize=1)
def load() -> tuple[object, object]:
    """natasha's segmenter and NER tagger, loaded once per process (~1 s)."""
    import yargy  # noqa: F401 - patches pymorphy2 (pulled in by natasha) for Python 3.11
    from natasha import NewsEmbedding, NewsNERTagger, Segmenter

    log.info("loading natasha NER")
    return Segmenter(), NewsNERTagger(NewsEmbedding())


def natasha_mentions(text: str) -> list[Mention]:
    """Plain natasha NER spans (also the baseline in bench/language.py)."""
    from natasha import Doc

    segmenter, tagger = load()
    doc = Doc(text)
    doc.segment(segmenter)
    doc.tag_ner(tagger)
    return [Mention(s.type, s.start, s.stop, s.text) for s in doc.spans]


def extract(text: str, lang: str | None = "ru", acronyms: AcronymIndex | None = None,
            people: PeopleIndex | None = None) -> list[Entity]:
    """Entities of one text (``ru`` or ``kk``, ``None`` detects; other languages give none), merged, with mention
    counts, spans (offsets into ``text``) and slugs, most mentioned first.

    ``acronyms`` is the caller's ``AcronymIndex`` (persist it with ``to_json``); without one, a
    single index shared by the whole process learns and resolves acronyms.  With ``people`` (the
    archive's `PeopleIndex`), a person the text names by surname alone gets the full name the archive
    knows, and the text's full names are learnt."""
    found = _no_zodiac(merge(mentions(text, lang, acronyms)))
    if people is None or lang not in ("ru", "kk"):
        return found
    return archive_surnames(text, lang, known_people(found, people), people)


# The signs of the zodiac as the entities name them (Russian and Kazakh), and how many a horoscope names at least
ZODIAC = frozenset(("овен", "телец", "близнец", "близнецы", "рак", "лев", "дева", "весы", "скорпион", "стрелец",
                    "козерог", "водолей", "рыба", "рыбы", "тоқты", "торпақ", "егіздер", "шаян", "арыстан", "бикеш",
                    "таразы", "сарышаян", "мерген", "тауешкі", "суқұйғыш", "балықтар"))
ZODIAC_TEXT = 3


def _no_zodiac(found: list[Entity]) -> list[Entity]:
    """``found`` without the signs of the zodiac a horoscope names as people and places («Телец», «Дева»,
    «Рыба»), where three signs or more stand alone: one «Лев» is still a first name."""
    signs = [e for e in found if " " not in e.name and e.name.lower() in ZODIAC]
    return [e for e in found if e not in signs] if len(signs) >= ZODIAC_TEXT else found


def known_people(found: list[Entity], people: PeopleIndex) -> list[Entity]:
    """``found`` with lone surnames given the full names ``people`` knows, and a woman's name the archive
    knows kept hers («Салтанат Нукенов» where the text only had «Нукенова»); ``people`` learns the text's
    own full names."""
    lone = [e for e in found if e.type == "PER" and " " not in e.name]
    for entity in found:
        her = entity.name + "а"
        if (entity.type == "PER" and " " in entity.name and entity.name.endswith(names.MASCULINE_NAMES)
                and people.seen(her) >= MIN_SEEN and not people.seen(entity.name)):
            entity.name, entity.slug = her, person_slug(her)
    for entity in found:
        if entity.type == "PER":
            people.learn(entity.name)
    for entity in lone:
        if name := people.lookup(entity.name):
            entity.name, entity.slug = name, person_slug(name)
    return _merged_people(found)


def archive_surnames(text: str, lang: str, found: list[Entity], people: PeopleIndex) -> list[Entity]:
    """``found`` and the people the text names by a surname alone that natasha did not tag, when the archive
    knows that surname's full name (`PeopleIndex.lookup`): headlines such as «Токаев подписал указ»."""
    taken = [span for e in found for span in e.spans]
    by_slug = {e.slug: e for e in found if e.type == "PER"}
    for match in _CAPITALISED.finditer(text):
        if _overlaps(match.start(), match.end(), taken):
            continue
        word = match.group()
        if not people.may_know(word):
            continue  # no known surname begins as it does: no need to lemmatise
        name = people.lookup(rulemma.lemma(word) if lang == "ru" else word)
        if name is None:
            continue
        slug = person_slug(name)
        entity = by_slug.get(slug)
        if entity is None:
            entity = by_slug[slug] = Entity(name, "PER", 0, slug, [])
            found.append(entity)
        entity.mentions += 1
        entity.spans.append((match.start(), match.end()))
        entity.spans.sort()
    return sorted(found, key=lambda e: (-e.mentions, e.spans[0][0] if e.spans else 0))


def _merged_people(found: list[Entity]) -> list[Entity]:
    """One entity per person slug: a lone surname that became a full name the text also gives joins it."""
    out: list[Entity] = []
    people: dict[str, Entity] = {}
    for entity in found:
        same = people.get(entity.slug) if entity.type == "PER" else None
        if same is None:
            out.append(entity)
            if entity.type == "PER":
                people[entity.slug] = entity
        else:
            same.mentions += entity.mentions
            same.spans = sorted(same.spans + entity.spans)
    return out


def person_slug(name: str) -> str:
    """A person's identity in both languages: the slug of the name in the letters Russian text uses."""
    return slugify(russian_letters(name))


_DOMAIN = re.compile(r"^(?:https?://)?(?:www\.)?([^/:?#]+)", re.IGNORECASE)


def not_the_outlet(found: list[Entity], source: str | None, url: str | None) -> list[Entity]:
    """``found`` without the organisation that is the article's own outlet («сообщает Tengrinews.kz»
    on a tengrinews.kz article): it names who tells the story, not who is in it."""
    own = {_outlet(text) for text in (source, url) if text} - {""}
    if not own:
        return found
    own |= {name + zone for name in own for zone in _ZONES}  # «Tengrinewskz»: the dot lost
    own |= {_site_name(text) for text in (source, url) if text} - {""}  # russian.rt.com: «RT»
    own |= {brand for host, brand in _BRANDS.items() if any(host in text for text in (source, url) if text)}
    return [e for e in found if e.type != "ORG" or not {_outlet(e.name), _agency(e.name)} & own]


# Outlets whose site is not named as they are: qz.inform.kz is Kazinform («Kazinform agenttiginiń tilshisi»).
_BRANDS = {"inform.kz": "kazinform"}
_AGENCY = re.compile(r"\s+(?:агенттіг\w*|агентств\w*|agency|news)$", re.IGNORECASE)


def _agency(name: str) -> str:
    """An outlet's name without «агенттігі» («агентство»), in Latin letters: «Казінформ агенттігі» → kazinform."""
    return re.sub(r"[\W_]+", "", slugify(russian_letters(_AGENCY.sub("", name))))


def _outlet(name: str) -> str:
    """«Tengrinews.kz», «TengriNews», «https://tengrinews.kz/…» → ``tengrinews``."""
    host = _DOMAIN.match(name.strip())
    text = (host.group(1) if host else name).strip().lower()
    text = re.sub(rf"\.(?:{'|'.join(_ZONES)})$", "", text)
    return re.sub(r"[\W_]+", "", text)


_ZONES = ("kz", "ru", "com", "org", "net", "info", "news", "media", "қаз")


def _site_name(text: str) -> str:
    """The name a site's host gives before its zone: «russian.rt.com» → ``rt``, «https://tengrinews.kz/…» →
    ``tengrinews``; "" for a name that is no host."""
    host = _DOMAIN.match(text.strip())
    labels = host.group(1).lower().split(".") if host else []
    return labels[-2] if len(labels) >= 2 and labels[-1] in _ZONES else ""


def extract_many(
    texts: Iterable[str], lang: str | None = "ru", acronyms: AcronymIndex | None = None
) -> list[list[Entity]]:
    """``extract`` over many texts sharing one acronym index (what a text teaches, later ones use)."""
    index = acronyms or _default_acronyms()
    return [extract(text, lang, index) for text in texts]


@lru_cache(maxsize=1)
def _default_acronyms() -> AcronymIndex:
    return AcronymIndex()


def mentions(text: str, lang: str | None = "ru", acronyms: AcronymIndex | None = None) -> list[Mention]:
    """Every entity mention with its offsets and normalised name, in text order."""
    if lang is None and text:
        from newsdesk.lang import detect

        lang = detect(text)
    if not text or not text.strip() or lang not in ("ru", "kk"):
        return []
    index = acronyms or _default_acronyms()
    if lang == "kk":
        from newsdesk import kk_entities

        # a person is one entity in both languages: identity (slug) in the letters Russian text uses
        return [replace(m, key=russian_letters(m.name)) if m.type == "PER" and not m.key else m
                for m in _institutions(_off_the_clock(text, kk_entities.mentions(text)), "kk")]
    found = [m for m in _by_paragraph(text) if m.text not in NOT_NAMES and not _generic(m.text)]
    found = _split_acronyms(found, text, index)
    found += _missed_people(text, found)
    found += _lone_acronyms(text, found, index)
    fixed = [_fix_type(t) for m in found for t in _titles_off(m)]
    found = _places(text, [m for m in fixed if not _common_noun_first(text, m)])
    found += _governing_bodies(text, found)
    unique = {(m.start, m.end): m for m in found}.values()
    named = _shared_noun(text, _women([_name(m, index) for m in unique]))
    return sorted(_institutions(_off_the_clock(text, named + _surnames_again(text, named)), "ru"),
                  key=lambda m: m.start)


def _institutions(found: list[Mention], lang: str) -> list[Mention]:
    """Organisations our table knows under their one Russian name: «Нацбанк», «Ұлттық банк» → «Национальный
    банк Казахстана» (`institutions`)."""
    out = []
    for m in found:
        body = institutions.find(m.name, lang) if m.type == "ORG" and m.name else None
        out.append(replace(m, name=body.ru, key="") if body is not None else m)  # its name is its identity
    return out


def _off_the_clock(text: str, found: list[Mention]) -> list[Mention]:
    """Without the places that only tell the time («в 21:00 по времени Астаны», «Астана уақытымен») or where
    the story was filed (the dateline's «ASTANA. KAZINFORM –»)."""
    return [m for m in found if m.type != "LOC" or not gazetteer.aside(text, m.start, m.end)]


def _women(found: list[Mention]) -> list[Mention]:
    """A surname the text gives in a woman's case («Нукеновой») is hers in its other mentions too,
    whose case a man's name shares («Салтанат Нукенова» nominative, «дело Нукеновой» → «Нукенова»),
    unless the text also gives it in a man's own case («Нукеновым»: two people)."""
    women: set[str] = set()
    men: set[str] = set()
    for m in found:
        if m.type != "PER":
            continue
        for word, named in zip(m.text.split(), m.name.split(), strict=False):
            if names.is_feminine_surname(word):
                women.add(named[:-1])
            elif word == named or word.lower().endswith(names.MASCULINE_CASES):
                men.add(named)
    women -= men
    if not women:
        return found
    return [replace(m, name=" ".join(w + "а" if w in women else w for w in m.name.split()))
            if m.type == "PER" else m for m in found]


_SENTENCE_END = re.compile(r"(?:^|[.!?…»\"]\s*|\n\s*)$")
_NAME_TAGS = ("Name", "Surn", "Patr", "Geox", "Orgn", "Trad", "Abbr")


def _common_noun_first(text: str, m: Mention) -> bool:
    """«Сейсмологи не исключают…»: a capitalised common noun opening a sentence, which natasha takes
    for a place or a person; organisations («Минздрав», «Правительство») are left alone."""
    if m.type == "ORG" or not m.text.isalpha() or not _SENTENCE_END.search(text[max(0, m.start - 3) : m.start]):
        return False
    parses = rulemma.morph().parse(m.text.lower())
    if not parses or not parses[0].is_known or _is_surname(m.text) or _is_first_name(m.text):
        return False
    return not any(tag in p.tag for p in parses for tag in _NAME_TAGS)


def _by_paragraph(text: str) -> list[Mention]:
    """natasha's spans, none across a line break: a title without a full stop runs into the lead for natasha
    («…пожар на СТО» + «Огонь уничтожил…» gave the organisation «СТО Огонь»).  The paragraphs a crossing
    span touches are tagged again one by one (rare, so the usual cost is one call).  A bullet is a line break
    too: glued to the words around it («Продолжение■Токаев») it made one name of them."""
    text = _BULLET.sub("\n", text)  # same length: offsets hold
    found = natasha_mentions(text)
    crossing = [m for m in found if "\n" in m.text]
    if not crossing:
        return found
    kept = [m for m in found if "\n" not in m.text]
    spans = [(m.start, m.end) for m in crossing]
    for paragraph in _PARAGRAPH.finditer(text):
        if _overlaps(paragraph.start(), paragraph.end(), spans):
            kept += [Mention(m.type, m.start + paragraph.start(), m.end + paragraph.start(), m.text)
                     for m in natasha_mentions(paragraph.group())
                     if not _overlaps(m.start + paragraph.start(), m.end + paragraph.start(),
                                      [(k.start, k.end) for k in kept])]
    return sorted(kept, key=lambda m: m.start)


def _split_acronyms(found: list[Mention], text: str, index: AcronymIndex) -> list[Mention]:
    """«Шанхайской организации сотрудничества (ШОС)»: learn ШОС, keep two mentions."""
    out = []
    for m in found:
        full, acronym = _with_acronym(m, text)
        if acronym:
            out.append(acronym)
            if full.type in ("ORG", "LOC") and initials_fit(acronym.text, full.text):
                index.learn(acronym.text, names.normalize(full.text, full.type), full.type)
        out.append(full)
    return out


def _with_acronym(m: Mention, text: str) -> tuple[Mention, Mention | None]:
    """The mention without a trailing «(ABBR)» (or an organisation's «(Минздрав)»), and the bracketed
    name's own mention if there is one."""
    inner = _PAREN_ACRONYM.search(m.text)
    if not (inner and inner.end() == len(m.text)) and m.type == "ORG":
        inner = _PAREN_SHORT.search(m.text)
    if inner and inner.end() == len(m.text) and inner.start():
        full = Mention(m.type, m.start, m.start + inner.start(), m.text[: inner.start()])
        return full, Mention(m.type, m.start + inner.start(1), m.start + inner.end(1), inner.group(1))
    after = _PAREN_ACRONYM.match(text, m.end)
    if after:
        return m, Mention(m.type, after.start(1), after.end(1), after.group(1))
    return m, None


TITLES = frozenset({"аким", "глава"})  # titles pymorphy reads first as something else (a name, a head)
BODIES = frozenset({"акимат", "маслихат", "маслихата"})  # a city's or region's body, which alone names none


def _generic(text: str) -> bool:
    """A lone title or body: «Аким» or «Акимат» opening a sentence (natasha's person or organisation) is
    the office of whatever place the story is about, not an entity of its own."""
    return " " not in text and (text.lower() in TITLES or rulemma.lemma(text) in BODIES)
NOT_TITLES = frozenset({"дед", "баба"})  # part of a name: «Дед Мороз», «Баба-яга»
_WORDS = re.compile(r"\S+")


def _titles_off(m: Mention) -> list[Mention]:
    """Words natasha takes into a person before the name go when a surname ends it: «Казахстанец Адиль
    Сарсенбаев» is «Адиль Сарсенбаев», «Аким Алматы Ерлан Сапаров» is «Ерлан Сапаров» and the place
    «Алматы».  A lone title («Аким» opening a sentence) is no entity at all (`_generic`)."""
    if m.type != "PER":
        return [m]
    words = list(_WORDS.finditer(m.text))
    cut, titled = 0, False
    while len(words) - cut > 1:
        word = words[cut].group()
        if _is_title(word):
            titled = True
        elif not (titled and _is_place(word)):
            break
        cut += 1
    if not cut:  # the common case: no title in front
        return [m]
    places = [Mention("LOC", m.start + w.start(), m.start + w.end(), w.group()) for w in words
              if _is_place(w.group())]
    lead = [p for p in places if p.start < m.start + words[cut].start()]
    if len(places) - len(lead) == len(words) - cut:  # «Аким Петропавловска»: an office, not a person
        return places
    last = words[-1].group()
    if not _is_surname(last) or any("Patr" in p.tag for p in rulemma.morph().parse(last.lower())[:2]):
        return [m]  # no surname ends it: «Заяц Иван Петрович» (his surname first) stays whole
    start = m.start + words[cut].start()
    return [*lead, Mention("PER", start, m.end, m.text[words[cut].start():])]


def _is_title(word: str) -> bool:
    """A capitalised common noun that names what a person is: «Казахстанец», «Министр», «Аким»."""
    low = word.lower()
    if low in TITLES:
        return True
    parses = rulemma.morph().parse(low)[:3]
    if len(low) < 5 or not parses or parses[0].normal_form in NOT_TITLES:  # «Муху Алиев», «Дед Мороз»
        return False
    return parses[0].tag.POS == "NOUN" and "anim" in parses[0].tag and all(
        p.is_known and not any(tag in p.tag for tag in _NAME_TAGS) for p in parses)


def _is_place(word: str) -> bool:
    """Our gazetteer's place, or one pymorphy's dictionary knows (not a guess: «Симоньян» is a person)."""
    top = rulemma.morph().parse(word.lower())[0]
    return bool(gazetteer.find(word, "ru")) or ("Geox" in top.tag and top.is_known)


_AND = re.compile(r"\s+и\s+")
_ADJECTIVE_END = ("ий", "ый", "ой", "ая", "ое")
SHARED_NOUNS = frozenset({"район", "область", "край", "округ", "республика", "водохранилище", "озеро", "море",
                          "улица", "проспект", "микрорайон", "корея", "европа", "азия", "америка", "африка"})


def _shared_noun(text: str, found: list[Mention]) -> list[Mention]:
    """«в Алмалинском и Жетысуском районах»: a place named by an adjective alone shares the noun of the
    place after «и» (natasha gives «Алмалинском» and «Жетысуском районах»): «Алмалинский район».  Only
    nouns of `SHARED_NOUNS` are shared: «Доломитное» (a village) stays as it is."""
    by_start = {m.start: m for m in found}
    out = []
    for m in found:
        gap = _AND.match(text, m.end) if m.type == "LOC" and m.name.endswith(_ADJECTIVE_END) else None
        after = by_start.get(gap.end()) if gap else None
        if after is not None and after.type == "LOC" and " " not in m.name and len(after.name.split()) == 2:
            first, noun = after.name.split()
            shared = first.endswith(_ADJECTIVE_END) and noun.lower() in SHARED_NOUNS
            adjective = names.agreeing(m.name, noun) if shared else None
            if adjective:
                m = replace(m, name=f"{adjective} {noun}")
        out.append(m)
    return out


def _missed_people(text: str, found: list[Mention]) -> list[Mention]:
    """First name + surname pairs and «X хан» natasha did not tag."""
    taken = [(m.start, m.end) for m in found]
    people = []
    for match in _CAPITALISED.finditer(text):
        end = _person_end(text, match)
        if end and not _overlaps(match.start(), end, taken):
            people.append(Mention("PER", match.start(), end, text[match.start() : end]))
            taken.append((match.start(), end))
    return people


def _person_end(text: str, first: re.Match[str]) -> int | None:
    title = _TITLE_WORDS.match(text, first.end())
    if title and _looks_like_name(first.group()):
        return title.end()
    second = _CAPITALISED.match(text, first.end() + 1) if text[first.end() : first.end() + 1] == " " else None
    if second and _is_first_name(first.group()) and _is_surname(second.group()):
        return second.end()
    return None


def _looks_like_name(word: str) -> bool:
    parse = rulemma.morph().parse(word.lower())[0]
    return "Name" in parse.tag or not parse.is_known or "Geox" not in parse.tag and parse.tag.POS == "NOUN"


def _is_first_name(word: str) -> bool:
    return any("Name" in p.tag for p in rulemma.morph().parse(word.lower())[:2])


def _is_surname(word: str) -> bool:
    low = word.lower()
    parses = rulemma.morph().parse(low)
    return any("Surn" in p.tag for p in parses[:3]) or bool(re.search(r"(ов|ев|ин|ова|ева|ина|улы|кызы)\w{0,3}$", low))


def _lone_acronyms(text: str, found: list[Mention], index: AcronymIndex) -> list[Mention]:
    """Acronyms natasha left untagged: known ones (our list, or learnt) become mentions."""
    taken = [(m.start, m.end) for m in found]
    out = []
    for match in _ACRONYM_WORD.finditer(text):
        known = index.lookup(match.group())
        if known and match.group() not in NOT_NAMES and not _overlaps(match.start(), match.end(), taken):
            out.append(Mention(known[1], match.start(), match.end(), match.group()))
    return out


def _fix_type(m: Mention) -> Mention:
    """Types natasha gets wrong: «Акорда», «Мажилис» are bodies, not places or people; «СКО», «ВКО» (regions'
    abbreviations the gazetteer knows) are places, not organisations («Полиция СКО»); one word that is a town
    of the gazetteer and no name pymorphy knows is a place («Уральск»)."""
    fixed = FIXED_TYPES.get(names.normalize(m.text, "LOC").lower())
    if fixed is None and m.type == "ORG" and m.text.isupper() and _whole_place(m.text):
        fixed = "LOC"
    if fixed is None and m.type != "LOC" and _a_towns_form(m.text) and not _may_be_name(m.text):
        fixed = "LOC"  # «подъезжает к Уральску», «Так выглядит Уральск»: natasha's person or body, a town
    return Mention(fixed, m.start, m.end, m.text) if fixed and fixed != m.type else m


def _a_towns_form(word: str) -> bool:
    """A case of a one-word place's own Russian name («Уральску»), not of an alias: «Юко» (ЮКО) is Yuko."""
    found = gazetteer.find(word, "ru") if word.isalpha() else []
    return (len(found) == 1 and (found[0].start, found[0].end) == (0, len(word))
            and rulemma.place_forms().get(word.lower().replace("ё", "е")) == found[0].place.ru.lower())


def _may_be_name(word: str) -> bool:
    """A word pymorphy knows as a first name or a surname: «Абай», «Жанибек» are towns and people."""
    return any(tag in p.tag for p in rulemma.morph().parse(word.lower())[:3] for tag in ("Name", "Surn", "Patr"))


def _whole_place(text: str) -> bool:
    found = gazetteer.find(text, "ru")
    return len(found) == 1 and (found[0].start, found[0].end) == (0, len(text))


def _places(text: str, found: list[Mention]) -> list[Mention]:
    """Gazetteer places: canonical names for natasha's LOC spans, and the places it missed."""
    out = list(found)
    taken = [(m.start, m.end) for m in found]
    for place in gazetteer.find(text, "ru"):
        if not _overlaps(place.start, place.end, taken):
            out.append(Mention("LOC", place.start, place.end, place.text, place.place.ru))
    return out


def _governing_bodies(text: str, found: list[Mention]) -> list[Mention]:
    """«правительства Китая»: an ORG mention over the body's word and the place after it."""
    out = []
    for m in found:
        body = _BODY.search(text, max(0, m.start - 40), m.start) if m.type == "LOC" else None
        if body:
            out.append(Mention("ORG", body.start(), m.end, text[body.start() : m.end]))
    return out


def _name(m: Mention, index: AcronymIndex) -> Mention:
    named = _named(m, index)
    if named.type != "LOC" or not named.name:
        return named
    # one name per country or world city in both languages: «Киргизия» → «Кыргызстан», «РФ» → «Россия»
    return Mention(named.type, named.start, named.end, named.text, gazetteer.world_name(named.name), named.key)


def _named(m: Mention, index: AcronymIndex) -> Mention:
    if m.name:
        return m
    known = index.lookup(m.text) if _ACRONYM_WORD.fullmatch(m.text) else None
    if known:
        return Mention(known[1], m.start, m.end, m.text, known[0])
    place = gazetteer.find(m.text, "ru")
    if m.type == "LOC" and len(place) == 1 and place[0].text == m.text.strip():
        return Mention(m.type, m.start, m.end, m.text, place[0].place.ru)
    name = names.normalize(m.text, m.type)
    return Mention(m.type, m.start, m.end, m.text, name[:1].upper() + name[1:])


def _surnames_again(text: str, found: list[Mention]) -> list[Mention]:
    """Later mentions of a person's surname natasha did not tag: «… Токаеву вручили орден»."""
    people = {rulemma.lemma(m.name.split()[-1]): m.name for m in found if m.type == "PER" and m.name}
    taken = [(m.start, m.end) for m in found]
    out = []
    for match in _CAPITALISED.finditer(text) if people else ():
        name = people.get(rulemma.lemma(match.group()))
        if name and not _overlaps(match.start(), match.end(), taken):
            out.append(Mention("PER", match.start(), match.end(), match.group(), name))
    return out


def _overlaps(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    return any(start < b and a < end for a, b in spans)


def merge(found: list[Mention]) -> list[Entity]:
    """One Entity per (type, name); a lone surname joins the full name it ends, and a lone first name
    the only full name it begins, wherever in the text the full name comes."""
    entities: dict[tuple[str, str], Entity] = {}
    for m in sorted(found, key=lambda m: m.type != "PER" or " " not in m.name):  # full names first
        if not m.name:
            continue
        key = _merge_key(m, entities)
        entity = entities.get(key)
        if entity is None:
            entities[key] = Entity(m.name, m.type, 1, slugify(m.key or m.name), [(m.start, m.end)])
        else:
            entity.mentions += 1
            entity.spans.append((m.start, m.end))
    for entity in entities.values():
        entity.spans.sort()
    return sorted(entities.values(), key=lambda e: (-e.mentions, e.spans[0][0]))


def _merge_key(m: Mention, entities: dict[tuple[str, str], Entity]) -> tuple[str, str]:
    key = (m.type, (m.key or m.name).lower())
    if m.type == "PER" and " " not in m.name and key not in entities:
        full = [other for kind, other in entities if kind == "PER" and " " in other]
        ending = [other for other in full if other.split()[-1] == key[1]]
        beginning = [other for other in full if other.split()[0] == key[1]]
        if ending or len(beginning) == 1:
            return "PER", (ending or beginning)[0]
    return key
