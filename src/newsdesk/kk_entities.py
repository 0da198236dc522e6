"""Entities in Kazakh text without a Kazakh NER model: our gazetteers and capitalised words.

* Places: the gazetteer (``gazetteer.find``) and the world table (``gazetteer.find_world``: countries,
  world cities, rivers and seas), with their canonical Russian names.
* A run of capitalised words (one or more; the first word of a sentence only when the next word
  is capitalised too) is typed by its shape:
  - a person: a word ending like a surname (-ов/-ев/-ин/-ова/-ева/-ина, -ұлы/-қызы, -тегі…),
    e.g. «Қасым-Жомарт Тоқаев», «Әлихан Смайылов», or two capitalised words inside a sentence;
  - an organisation: the run ends in an organisation word (университеті, министрлігі, банкі,
    партиясы, қоры, компаниясы, агенттігі, комитеті, мәжілісі…), e.g. «Ұлттық банкі»;
  - a place: a country-like ending (-стан) or облысы/ауданы after it.
  Anything else is left out: a guess of the wrong type costs more than a miss.
Names are the words' stems, capitalised as in the text: «Тоқаевтың» → «Тоқаев».
Text in the 2021 Latin alphabet («Qasym-Jomart Toqaev») is read through a Cyrillic transliteration;
offsets stay those of the original text, names are Cyrillic (one entity in both scripts).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from newsdesk import gazetteer, institutions, kazakh, kk_names, lang
from newsdesk.entities import Mention

_UPPER = "A-ZА-ЯЁӘҒҚҢӨҰҮҺІ"
_LOWER = "a-zа-яёәғқңөұүһі"
_WORD = rf"[{_UPPER}][{_LOWER}]+(?:-[{_UPPER}]?[{_LOWER}]+)?"
_RUN = re.compile(rf"{_WORD}(?:[^\S\n]+{_WORD})*")  # no name runs across a line: «Миграция\n\nРейтинг: 10.0»
_NEXT_WORDS = re.compile(rf"(?:[^\S\n]+[{_LOWER}][{_LOWER}-]*){{1,3}}")
_ACRONYM = re.compile(rf"(?<![\w-])[{_UPPER}]{{2,6}}(?![\w-])")
# Kazakh acronyms and one-word names of institutions (our own list): name, type.
KNOWN = {
    "БҰҰ": ("Біріккен Ұлттар Ұйымы", "ORG"), "ТМД": ("Тәуелсіз Мемлекеттер Достастығы", "ORG"),
    "ШЫҰ": ("Шанхай ынтымақтастық ұйымы", "ORG"), "ЕАЭО": ("Еуразиялық экономикалық одақ", "ORG"),
    "ҰҚК": ("Ұлттық қауіпсіздік комитеті", "ORG"), "ІІМ": ("Ішкі істер министрлігі", "ORG"),
    "СІМ": ("Сыртқы істер министрлігі", "ORG"), "ДДСҰ": ("Дүниежүзілік денсаулық сақтау ұйымы", "ORG"),
    "НАТО": ("НАТО", "ORG"), "ЕО": ("Еуропалық одақ", "ORG"), "ОСК": ("Орталық сайлау комиссиясы", "ORG"),
    "үкімет": ("Үкімет", "ORG"), "мәжіліс": ("Мәжіліс", "ORG"), "сенат": ("Сенат", "ORG"),
    "парламент": ("Парламент", "ORG"), "ақорда": ("Ақорда", "ORG"), "еуроодақ": ("Еуроодақ", "ORG"),
}  # fmt: skip
_CAPITAL = re.compile(rf"(?<![\w-])[{_UPPER}][{_LOWER}]+")
# (not after an initial: «Б. Майлин»)
_SENTENCE_START = re.compile(r"(?:^|(?<![\s.][A-ZА-ЯЁӘҒҚҢӨҰҮҺІ])[.!?…]\s+|\n\s*|[«\"(—–-]\s*)$")
_SURNAME = re.compile(r"(ов|ев|ин|ова|ева|ина|ұлы|қызы|улы|кызы)$")
ORG_WORDS = frozenset(
    ("университет", "министрлік", "банк", "партия", "қор", "компания", "агенттік", "комитет", "мәжіліс",
     "сенат", "әкімдік", "академия", "институт", "орталық", "ассоциация", "одақ", "ұйым", "кеңес",
     "палата", "сот", "прокуратура", "полиция", "департамент", "басқарма", "корпорация", "холдинг",
     "федерация", "қауымдастық", "театр", "мұражай", "комиссия", "ассамблея", "телерадиокешен", "әкімдік",
     "кенеш")  # Kyrgyz «кеңес»: «Жогорку Кенеш»
)  # fmt: skip
_DIRECTIONS = frozenset(("оңтүстік", "солтүстік", "шығыс", "батыс", "орталық"))
LOC_WORDS = frozenset(("облыс", "аудан", "ауыл", "өзен", "көл", "тау"))


def mentions(text: str) -> list[Mention]:
    return _from_latin(text) if lang.detect_script(text) == "Latn" else _cyrillic_mentions(text)


def _cyrillic_mentions(text: str) -> list[Mention]:
    places = [Mention("LOC", p.start, p.end, p.text, p.place.ru) for p in gazetteer.find(text, "kk")]
    world = gazetteer.find_world(text, "kk")
    bodies = _institutions(text, places, world)
    found = [m for m in places if not _overlaps_any(m, bodies)]
    found += _acronyms(text, found + bodies)
    masked = _mask(text, found + bodies)
    words = _Words(_inner_capitals(text), kk_names.lower_stems(text))
    runs = list(bodies)
    for run in _people_apart(masked):
        m = _known(run) or _typed(text, run, words)
        if m:
            runs.append(m)
    named = _surnames_first(_with_world(found, runs, _world(world, found)))
    return sorted(named + _surnames_alone(text, named), key=lambda m: m.start)


def _surnames_alone(text: str, found: list[Mention]) -> list[Mention]:
    """A surname alone where the text names its person in full: «Доналд Трамп … Трамптың сөзінше» is two
    mentions of Trump (the person's words are merged by `entities.merge`)."""
    surnames = {m.name.split()[-1].lower(): m.name.split()[-1] for m in found
                if m.type == "PER" and len(m.name.split()) > 1}
    out = []
    for match in _CAPITAL.finditer(text) if surnames else ():
        word = match.group()
        surname = surnames.get((_patronymic(word) or kazakh.stem(word)).lower())
        if surname and not any(m.start < match.end() and match.start() < m.end for m in found):
            out.append(Mention("PER", match.start(), match.end(), word, surname))
    return out


def _surnames_first(found: list[Mention]) -> list[Mention]:
    """A pair of names that starts with the surname of a full name the text gives is no person: «Трамп Іран»,
    «Трамп Макрон» (after «Доналд Трамп») are Trump and something else; the surname alone stays his."""
    surnames = {m.name.split()[-1] for m in found if m.type == "PER" and len(m.name.split()) > 1}
    out = []
    for m in found:
        words = m.name.split() if m.type == "PER" else []
        head = _recase(kazakh.stem(words[0]), words[0]) if len(words) == 2 else ""  # «Трамптың Тоқаевқа»
        head = words[0] if words and words[0] in surnames else head
        if head in surnames:  # also where the pair comes twice: «Трамп Газа» … «Трамп Газа»
            first = re.match(r"\S+", m.text)
            m = Mention("PER", m.start, m.start + first.end(), first.group(), head) if first else m
        out.append(m)
    return out


_JOINED = re.compile(r"\s+(?:[Рр]еспубликасы(?:ның)?\s+)?")


def _institutions(text: str, places: list[Mention], world: list[gazetteer.PlaceMention]) -> list[Mention]:
    """The institutions our table knows (`institutions.find_in`), in any case and wherever they stand, under
    their Russian names.  A foreign country right before a national body says it is that country's
    («Армения Сыртқы істер министрлігі»): not the table's, so it is left to the capitalised-word rules."""
    countries = places + [Mention("LOC", p.start, p.end, p.text, p.place.ru) for p in world]
    out = []
    for start, end, body in institutions.find_in(text):
        owner = next((c for c in countries if c.end <= start and _JOINED.fullmatch(text, c.end, start)), None)
        if body.national and owner is not None and owner.name != "Казахстан":
            continue
        out.append(Mention("ORG", start, end, text[start:end], body.ru))
    return out


def _people_apart(masked: str) -> Iterator[re.Match[str]]:
    """Runs of capitalised words, a person's name cut off what follows it: «Қасым-Жомарт Тоқаев Бас
    прокуратураға» is a person, then an organisation, not one organisation."""
    for run in _RUN.finditer(masked):
        words = list(re.finditer(r"\S+", run.group()))
        cut = next((i for i, w in enumerate(words[1:-1], 1)
                    if _SURNAME.search(kazakh.stem(w.group())) or _PATRONYMIC.search(w.group())), None)
        if cut is None:
            yield run
            continue
        head = _RUN.match(masked, run.start(), run.start() + words[cut].end())
        tail = _RUN.match(masked, run.start() + words[cut + 1].start(), run.end())
        yield from (m for m in (head, tail) if m is not None)


_LETTERS = re.compile(r"[^\W\d_]+")


# A Latin word that is no Kazakh: the Kazakh Latin alphabets (2018 and 2021) have no «w», «x», nor a «c» outside
# «ch», and Kazakh words have no «ou», no «eu» (but «-euly», a patronymic), no word-final «th», no capital after a
# small letter: «Washington», «Lincoln», «Reuters», «Truth», «AccuWeather», «JPMorgan» (not «QazMunaıGaz»); no
# opening «th», no «gh», no «ee» before «r», «t», «d» or at the end: «The Times», «Fight Night», «John Deere»
# (not «Mırzıeev», nor Kyrgyz «Jeenbek»).
_FOREIGN = re.compile(r"[wxWX]|[cC](?![hH])|ou|eu(?!ly)|th$|^[Tt]h|gh|ee(?=[rtd]|$)|[A-Z]{2}[a-z]{3}")
_CAPITALISED_RUN = re.compile(r"[A-Z][^\W\d_]*(?:[ -][A-Z][^\W\d_]*)*")


_KAZAKH_LETTERS = re.compile(r"[áóúýǵńıqÁÓÚÝǴŃQ]")  # only Kazakh words have them: «Shaqqalıev», «Berlındegi»


def _foreign_words(text: str) -> set[int]:
    """Start offsets of the words of ``text`` to keep in Latin: each foreign word, and the words of its name:
    the capitalised words around it up to one with Kazakh letters («Abraham Lincoln», «Washington Post»; in
    «Arman Shaqqalıev Berlındegi Grüne Woche» only «Grüne Woche»).  An acronym («UFC») spreads to none."""
    starts = {w.start() for w in _LETTERS.finditer(text) if _FOREIGN.search(w.group())}
    for run in _CAPITALISED_RUN.finditer(text):
        name: list[re.Match[str]] = []
        for word in [*_LETTERS.finditer(run.group()), None]:
            if word is None or _KAZAKH_LETTERS.search(word.group()):
                if any(_FOREIGN.search(w.group()) and not w.group().isupper() for w in name):
                    starts.update(run.start() + w.start() for w in name)
                name = []
            else:
                name.append(word)
    return starts


def _from_latin(text: str) -> list[Mention]:
    """Mentions in Latin-script Kazakh: found in a word-by-word Cyrillic copy, mapped back to ``text``.  Foreign
    names stay Latin in the copy: transliterated as Kazakh they were garbage («Уашінгтон Пост»)."""
    pieces, spans, pos, out = [], [], 0, 0  # spans: (copy start, copy end, text start, text end) per word
    foreign = _foreign_words(text)
    for word in _LETTERS.finditer(text):
        pieces.append(text[pos : word.start()])
        out += word.start() - pos
        cyrillic = word.group() if word.start() in foreign else _cyrillic(word.group())
        pieces.append(cyrillic)
        spans.append((out, out + len(cyrillic), word.start(), word.end()))
        out, pos = out + len(cyrillic), word.end()
    pieces.append(text[pos:])
    found = []
    for m in _cyrillic_mentions("".join(pieces)):
        inside = [s for s in spans if s[0] < m.end and m.start < s[1]]
        if inside:
            start, end = inside[0][2], inside[-1][3]
            latin = [text[s[2]:s[3]] for s in inside if s[2] in foreign]
            found.append(Mention(m.type, start, end, text[start:end], _whole_words(m.name, latin), m.key))
    return found


def _whole_words(name: str, latin: list[str]) -> str:
    """``name`` with the part of a foreign word the Cyrillic rules kept («Weather» of «AccuWeather», cut at its
    inner capital) given back whole."""
    return " ".join(next((w for w in latin if part in w), part) if part.isascii() else part for part in name.split())


def _cyrillic(word: str) -> str:
    """One Latin-script word in Cyrillic, capitalised as written: «Toqaev» → «Тоқаев», «AQSh» → «АҚШ»."""
    converted = kazakh.latin_to_cyrillic(word)
    if sum(ch.isupper() for ch in word) >= 2 and not re.search(r"[a-zá-ý]{2}", word):  # AQSh, QR, BUU
        return converted.upper()
    return converted[:1].upper() + converted[1:] if word[:1].isupper() else converted


def _world(world: list[gazetteer.PlaceMention], places: list[Mention]) -> list[Mention]:
    """Countries, world cities, rivers and seas (``world``: `gazetteer.find_world` of the text), under their
    Russian names; a longer world name wins over a town inside it («Арал теңізі» over the town Арал)."""
    out = []
    for p in world:
        inside = [m for m in places if m.start < p.end and p.start < m.end]
        if all(m.end - m.start < p.end - p.start for m in inside):
            out.append(Mention("LOC", p.start, p.end, p.text, p.place.ru))
    return out


def _with_world(places: list[Mention], runs: list[Mention], world: list[Mention]) -> list[Mention]:
    """The world's places replace what the capitalised-word rules made of the same words, except inside a
    longer organisation's name («Қазақстан Республикасының Ұлттық банкі» stays one organisation)."""
    kept = []
    for w in world:
        if any(m.type == "ORG" and m.start <= w.start and w.end <= m.end and m.end - m.start > w.end - w.start
               for m in runs):
            continue
        kept.append(w)
    return [m for m in places + runs if not _overlaps_any(m, kept)] + kept


def _overlaps_any(m: Mention, others: list[Mention]) -> bool:
    return any(m.start < o.end and o.start < m.end for o in others)


def _acronyms(text: str, found: list[Mention]) -> list[Mention]:
    out = []
    for match in _ACRONYM.finditer(text):
        known = KNOWN.get(match.group())
        if known and not any(m.start < match.end() and match.start() < m.end for m in found):
            out.append(Mention(known[1], match.start(), match.end(), match.group(), known[0]))
    return out


def _known(run: re.Match[str]) -> Mention | None:
    """«Үкімет», «Мәжілісте», «Ақордада»: one-word institutions, even first in a sentence."""
    word = run.group()
    known = KNOWN.get(kazakh.stem(word)) if " " not in word else None
    return Mention(known[1], run.start(), run.end(), word, known[0]) if known else None


def _mask(text: str, found: list[Mention]) -> str:
    """``text`` with the gazetteer's places blanked out, so runs stop at them."""
    chars = list(text)
    for m in found:
        chars[m.start : m.end] = " " * (m.end - m.start)
    return "".join(chars)


@dataclass(frozen=True, slots=True)
class _Words:
    """What the whole text says of its words: the stems it capitalises inside a sentence, and those it writes
    in lower case (`kk_names.lower_stems`)."""

    inner_capitals: frozenset[str] = frozenset()
    lower: frozenset[str] = frozenset()


def _typed(text: str, run: re.Match[str], seen: _Words = _Words()) -> Mention | None:
    words, start, end = run.group().split(), run.start(), run.end()
    inner_capitals = seen.inner_capitals
    sentence_start = bool(_SENTENCE_START.search(text[max(0, start - 4) : start]))
    followers = _org_followers(text, end)
    # a lone word opening a sentence may be capitalised for that alone: «Биылғы жарыстың ұтыс қоры»,
    # «Компания …» are no names, unless the text capitalises the word inside a sentence too
    lone_opener = sentence_start and len(words) == 1 and not _name_like(words[0], inner_capitals)
    if lone_opener and followers and _ADJECTIVE.search(words[0]):
        lone_opener = False  # «Ұлттық банкі», «Облыстық сот»: an adjective of a name, not a sentence's opener
    # and an opener before a name is no part of it: «Сарапшылар Ұлттық банктің …»
    opener = sentence_start and len(words) > 1 and not _name_like(words[0], inner_capitals)
    org_start = text.index(words[1], start + len(words[0])) if opener else start
    org_words = words[1:] if opener else words
    if followers and not lone_opener:  # «Ұлттық банкі», «Еуразиялық экономикалық одақ»
        return _mention("ORG", text, org_start, end + len(followers), org_words + followers.split())
    stems = [kazakh.stem(w) for w in words]
    if stems[-1] in ORG_WORDS and not lone_opener and len(org_words) > 1:  # «Агенттік» alone names no body
        return _mention("ORG", text, org_start, end, org_words)
    surname = [i for i, (w, s) in enumerate(zip(words, stems, strict=True))
               if _SURNAME.search(s) or _PATRONYMIC.search(w)]
    if surname:  # the surname and the first name before it: «Президент Қасым-Жомарт Тоқаев»
        return _person(text, start, words, surname[-1], sentence_start, seen)
    if sentence_start and len(words) == 1:
        return None
    if re.search(r"стан$", stems[-1]):  # the country, with a direction word before it
        first = len(words) - 2 if len(words) > 1 and stems[-2] in _DIRECTIONS else len(words) - 1
        return _mention("LOC", text, text.index(words[first], start), end, words[first:])
    names, name_stems = (words[1:], stems[1:]) if opener else (words, stems)
    if len(names) == 2 and (opener or not sentence_start) and _two_names(names, name_stems, seen.lower):
        # «Олжас Керейхан»: a first name and a surname (after a sentence's opener: «Жиында Олжас Керейхан»)
        return _mention("PER", text, text.index(names[0], start), end, names)
    return None


_ADJECTIVE = re.compile(r"(тық|тік|лық|лік|дық|дік)$")
# capitalised words of titles and institutions, not of people's names: «Тұңғыш Президент», «Ата Заң»
NOT_NAME_WORDS = frozenset(("президент", "тұңғыш", "елбасы", "ата", "заң", "республика", "ұлы", "отан", "қазақ",
                            "ұлттық", "мемлекет", "әкімшілік", "министр", "премьер", "жас", "халық", "жібек",
                            "кубогы", "кубок", "лига", "пресс", "форум", "еңбек", "ер", "әлем", "чемпионат",
                            "елші", "төраға", "әкім", "депутат", "хатшы", "директор", "спикер", "генерал"))


def _two_names(words: list[str], stems: list[str], lower: frozenset[str] = frozenset()) -> bool:
    """Two capitalised Cyrillic words inside a sentence that no rule above typed: a first name and a surname,
    unless one is a word of titles, institutions or places, or a word no name has (`kk_names`: a common
    word of the text, a function word, a place, a first word that declines)."""
    if kk_names.not_a_first_name(words[0], lower) or kk_names.not_a_name(words[1], lower):
        return False
    return not any(_title_word(s) or s in ORG_WORDS or s in LOC_WORDS or s in KNOWN or w.isascii()
                   or _ADJECTIVE.search(s) or gazetteer.find_world(w, "kk") for w, s in zip(words, stems, strict=True))


def _title_word(stem: str) -> bool:
    """A word of titles and institutions, also in a compound: «Премьер-министр»."""
    return stem in NOT_NAME_WORDS or any(part in NOT_NAME_WORDS for part in stem.split("-"))


# a surname in «-ин», «-ина» is as often a noun («Сақина», «Бензин», «Медицина»): alone at a sentence's
# start it counts only when the text capitalises it inside a sentence too
_WEAK_SURNAME = re.compile(r"(ин|ина)$")


def _person(text: str, start: int, words: list[str], last: int, sentence_start: bool, seen: _Words) -> Mention | None:
    """The person whose surname is ``words[last]``, with the first name before it when that word can be one
    («Президент Қасым-Жомарт Тоқаев»; not «Бірақ Данилина», «Олимпиадасында Қайсанов»); None when the
    surname-like word is a common word of the text or a place («Бензин», «Таллин»)."""
    surname, stem = words[last], kazakh.stem(words[last])
    if not _PATRONYMIC.search(surname) and kk_names.not_a_name(surname, seen.lower):
        return None
    before = words[last - 1] if last else ""
    if kazakh.stem(before) in _DIRECTIONS:  # «Оңтүстік Каролина»: a place
        return None
    opens = sentence_start and last == 1
    alone = not before or kk_names.not_a_first_name(before, seen.lower, opens) or _title_word(kazakh.stem(before))
    if len(words) == 1 and sentence_start and _WEAK_SURNAME.search(stem) and stem not in seen.inner_capitals:
        return None
    first = last if alone else last - 1
    begin = text.index(words[first], start)
    end = text.index(surname, begin) + len(surname)
    return _mention("PER", text, begin, end, words[first : last + 1])
# «Берікұлы», «Көленқызына»: a surname made of the father's name (the stemmer takes its «-ы» for a possessive)
# (not «Ұлы дала» «great», nor the adjectives «қарулы», «санаулы»)
_PATRONYMIC = re.compile(r"^\w{3,}(ұлы|қызы)(на|ның|мен|нан|нда|ны|не|нің|нен|нде|н)?$", re.IGNORECASE)


def _name_like(word: str, inner_capitals: frozenset[str]) -> bool:
    """A capitalised word that may be a name even where it opens a sentence: capitalised inside a sentence
    elsewhere in the text, a surname, a country («…стан») or a place of the gazetteer."""
    stem = kazakh.stem(word)
    if stem in inner_capitals:
        return True
    if stem in ORG_WORDS:  # «Компания», «Академия»: the words organisations are named with
        return False
    return bool(_SURNAME.search(stem) or re.search(r"стан$", stem) or gazetteer.find(word, "kk"))


def _inner_capitals(text: str) -> frozenset[str]:
    """Stems of the words ``text`` capitalises inside a sentence (names, not sentence openers)."""
    return frozenset(kazakh.stem(m.group()) for m in _CAPITAL.finditer(text)
                     if not _SENTENCE_START.search(text[max(0, m.start() - 4) : m.start()]))


def _org_followers(text: str, end: int) -> str:
    """Up to three lower-case words after a capitalised run, ending in an organisation word."""
    match = _NEXT_WORDS.match(text, end)
    if not match:
        return ""
    words = match.group().split()
    for n in range(len(words), 0, -1):
        if kazakh.stem(words[n - 1]) in ORG_WORDS:
            return text[end : text.index(words[n - 1], end) + len(words[n - 1])]
    return ""


def _mention(type_: str, text: str, start: int, end: int, words: list[str]) -> Mention:
    if type_ == "PER":  # only a name's last word declines: «Айда Балаеваның» is Айда, not «Ай»
        last = _patronymic(words[-1]) or _recase(kazakh.stem(words[-1]), words[-1])
        return Mention(type_, start, end, text[start:end], " ".join([*words[:-1], last]))
    stems = " ".join(_patronymic(w) or _recase(kazakh.stem(w), w) for w in words)
    if type_ == "ORG" and len(words) > 1:
        # an organisation's name keeps its inner words as written (the genitive and possessive endings belong
        # to it: «Қазақстан Республикасының Атом энергиясы жөніндегі агенттігі»); only the last word loses the
        # case ending of this sentence («агенттігімен» → «агенттігі»).  Its identity (merge key and slug) stays
        # the stems, so «Ұлттық банк» and «Ұлттық банкі» are one organisation.
        name = " ".join([*words[:-1], _nominative(words[-1])])
        return Mention(type_, start, end, text[start:end], name, stems if stems != name else "")
    return Mention(type_, start, end, text[start:end], stems)


_POSSESSED_CASE = re.compile(r"^(.+[іы])(ның|нің|на|не|нда|нде|нан|нен|мен|н)$")


def _nominative(word: str) -> str:
    """The last word of an organisation's name without its case ending: the possessive stays when there is
    one («министрлігінде» → «министрлігі»), else the stem («Сенатқа» → «Сенат»)."""
    if re.search(r"[іы]$", word) and kazakh.stem(word) != word.lower():
        return word  # already the possessive nominative: «агенттігі»
    possessed = _POSSESSED_CASE.match(word)
    if possessed and _possessive(possessed.group(1), word):
        return possessed.group(1)
    return _recase(kazakh.stem(word), word)


def _possessive(head: str, word: str) -> bool:
    """``head`` (``word`` without a case ending) is a possessive form of the same stem: the stemmer takes
    something off it, and gives ``word`` the same stem or does not know ``word`` («министрлігін»)."""
    stem = kazakh.stem(head)
    return stem != head.lower() and kazakh.stem(word) in (stem, word.lower())


def _patronymic(word: str) -> str | None:
    """A surname of the father's name in the nominative, «-ұлы» kept: «Берікұлына» → «Берікұлы»."""
    found = _PATRONYMIC.search(word)
    return word[: found.start(2)] if found and found.group(2) else word if found else None


def _recase(stem: str, word: str) -> str:
    parts, olds = stem.split("-"), word.split("-")
    if len(parts) != len(olds):
        return stem[:1].upper() + stem[1:] if word[:1].isupper() else stem
    return "-".join(p[:1].upper() + p[1:] if o[:1].isupper() else p for p, o in zip(parts, olds, strict=True))
