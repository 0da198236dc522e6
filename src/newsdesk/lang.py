"""Language of a text: ``ru``, ``kk``, ``en`` or ``other``.

Letters decide most texts at once; lingua (restricted to a few languages, low-accuracy mode,
loaded lazily) settles the rest::

    letters ──► no letters / mostly non-Cyrillic, non-Latin script ───────────► other
       │
       ├─ Cyrillic ─► letters of Uzbek, Ukrainian, Tatar, Bashkir, Serbian… ─► other
       │              ө ү ң һ without ә ғ қ ұ і (Kyrgyz, Buryat, Mongolian) ──► other
       │              many Kazakh letters (ә ғ қ ң ө ұ ү һ і) ─────────────────► kk
       │              otherwise lingua {ru, kk, en, uk, be, bg, mk, sr, mn} ───► ru / kk / other
       │
       └─ Latin ────► Kazakh 2021 Latin letters (á ǵ ı ń ó ú ý) ───────────────► kk
                      plain ASCII with English function words ──────────────────► en
                      otherwise lingua over English and 23 other Latin languages ─► en / other

A Kazakh text quoting Russian stays ``kk`` because the Kazakh letters of the Kazakh part
outweigh a Russian quote; a Russian text naming «Қасым-Жомарт Тоқаев» stays ``ru`` because
words, not letters, are counted when the Kazakh letters are few.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

KK_LETTERS = frozenset("әғқңөұүһі")
KK_STRONG = frozenset("әғқұі")  # ө ү ң һ are shared with Kyrgyz, Buryat, Mongolian, Tatar
KK_LATIN = frozenset("áǵıńóúý")  # the 2021 Kazakh Latin alphabet's own letters
# Cyrillic letters that Russian and Kazakh never use: Uzbek, Tajik, Ukrainian, Belarusian, Tatar,
# Bashkir, Chuvash, Mari, Yakut, Altai, Serbian, Macedonian.
FOREIGN_CYRILLIC = frozenset("ўҳїєґҗҡҙҫӣӯҷјљњђћџѓќѕӊӈӧӱӹӓӭҥӄҕӫӑӗӳ")
RU_ONLY = frozenset("ыэъ")  # absent from Ukrainian (ы э ъ), Uzbek (ы), Bulgarian (ы э)
SAMPLE_CHARS = 4000  # letters are counted on the first 4,000 characters
_WORD = re.compile(r"[^\W\d_]+")
# Function words of Spanish, Portuguese, French, Italian, German, Dutch, Indonesian, Turkish, Uzbek
_LATIN_FUNCTION_WORDS = frozenset(
    ("el", "la", "los", "las", "del", "por", "con", "que", "una", "para", "se", "su", "al", "es",
     "os", "em", "do", "da", "dos", "das", "um", "não", "le", "les", "des", "du", "et", "est",
     "une", "dans", "pour", "sur", "il", "di", "che", "per", "della", "der", "die", "das", "und",
     "mit", "von", "den", "ist", "ein", "eine", "het", "een", "van", "yang", "dan", "di", "ini",
     "ve", "bir", "ile", "bu", "için", "va", "uchun", "bilan")
)  # fmt: skip
_HTML_ENTITY = re.compile(r"&(?:[a-zA-Z]{2,8}|#[0-9]{1,6}|#x[0-9a-fA-F]{1,6});")
_Q_NOT_U = re.compile("q(?!u)")
_UZBEK_LATIN = re.compile("[og][\u02bb\u2018'`]")  # oʻ gʻ: Uzbek Latin
_KK_LATIN_WORDS = frozenset(
    ("jáne", "dep", "boldy", "bolady", "úshin", "týraly", "boıynsha", "jyly", "osy", "bul", "qazaqstan",
     "qazaqstanda", "qazaqstannyń", "astanada", "almatyda", "jyl", "degen")
)  # fmt: skip
_LONG_VOWELS = re.compile("үү|өө")  # Kyrgyz, Buryat, Mongolian; never Kazakh
# Russian words that Kazakh never writes alone (not «не», «да», «мен»: those are Kazakh too).
_RU_FUNCTION_WORDS = frozenset(
    ("в", "во", "на", "с", "со", "и", "по", "что", "для", "из", "от", "за", "как", "при", "к", "об",
     "до", "но", "это", "или", "же", "после", "будет", "также", "был", "была", "были", "его", "их")
)  # fmt: skip
# Kazakh words without Kazakh letters that Russian never writes alone.
_KK_FUNCTION_WORDS = frozenset(
    ("мен", "бен", "пен", "деп", "осы", "сол", "бойынша", "туралы", "болды", "болады", "болып", "жылы", "еді",
     "емес", "деді", "тиіс", "керек", "арқылы", "кейін", "дейін", "ал", "сосын", "енді", "ма", "ме", "ба", "бе")
)  # fmt: skip
_UK_FUNCTION_WORDS = frozenset(
    ("від", "з", "із", "що", "як", "це", "щодо", "після", "її", "буде", "було",
     "який", "яка", "які", "щоб", "вже", "ще", "дуже", "цей", "ця")
)  # fmt: skip
_UZ_WORDS = frozenset(
    ("учун", "билан", "ва", "нима", "нафар", "йил", "йили", "эди", "эмас", "бир", "яна", "қарши",
     "орқали", "ҳақида", "бўйича", "керак", "тошкентда", "ўзбекистон", "ўзбекистонда")
)  # fmt: skip
_APOSTROPHE_IN_WORD = re.compile("[а-яіїєґ]['’ʼ][а-яіїєґ]")  # Ukrainian «В'ятрович», Uzbek «маъ»
_BG_WORDS = frozenset(
    ("във", "със", "към", "ще", "са", "след", "според", "които", "който", "която", "което", "това", "тази",
     "този", "тези", "беше", "бяха", "има", "няма", "още", "също", "години", "година", "днес",
     "през", "ако", "можеш", "колко", "така", "една", "един", "преди")
)  # fmt: skip
_BULGARIAN_HARD_SIGN = re.compile("ъ[бвгджзклмнпрстфхцчшщ]")  # «във», «към»; Russian ъ precedes е ё ю я
_EN_WORDS = frozenset(
    {
        "the",
        "of",
        "and",
        "to",
        "in",
        "is",
        "for",
        "on",
        "that",
        "with",
        "as",
        "by",
        "at",
        "from",
        "was",
        "are",
        "be",
        "has",
        "have",
        "it",
        "its",
        "this",
        "will",
        "an",
        "not",
        "but",
        "after",
        "over",
        "new",
        "says",
        "said",
        "who",
        "their",
        "they",
        "he",
        "she",
        "his",
        "her",
        "we",
        "you",
        "more",
        "than",
    }
)


@dataclass(frozen=True, slots=True)
class Letters:
    """Letter counts of a text by the classes that tell its language."""

    cyrillic: int = 0
    latin: int = 0
    other: int = 0
    kk: int = 0  # ә ғ қ ң ө ұ ү һ і
    kk_strong: int = 0  # ә ғ қ ұ і
    kk_i: int = 0  # і alone (shared with Ukrainian and Belarusian)
    kk_qg: int = 0  # қ ғ (shared with Uzbek and Tajik)
    foreign: int = 0  # Cyrillic letters of neither Russian nor Kazakh
    yery: int = 0  # ы э: Russian and Kazakh, not Ukrainian, Bulgarian or Uzbek
    kk_latin: int = 0  # á ǵ ı ń ó ú ý
    accented: int = 0  # other Latin letters with diacritics (é ñ ş ü …)

    @property
    def total(self) -> int:
        return self.cyrillic + self.latin + self.other


_CLASS_OF: dict[str, tuple[str, ...]] = {}


def _classes(ch: str) -> tuple[str, ...]:
    """The ``Letters`` fields one lower-case character adds to (memoised per character)."""
    found = _CLASS_OF.get(ch)
    if found is None:
        found = _CLASS_OF[ch] = _classify(ch)
    return found


def _classify(ch: str) -> tuple[str, ...]:
    if not ch.isalpha():
        return ()
    if "\u0400" <= ch <= "\u04ff":
        extra = [name for name, group in _CYRILLIC_GROUPS if ch in group]
        return ("cyrillic", *extra)
    if ch.isascii() or "\u00c0" <= ch <= "\u024f" or "\u1e00" <= ch <= "\u1eff":
        if ch in KK_LATIN:
            return ("latin", "kk_latin")
        return ("latin",) if ch.isascii() else ("latin", "accented")
    return ("other",)


_CYRILLIC_GROUPS = (
    ("kk", KK_LETTERS),
    ("kk_strong", KK_STRONG),
    ("kk_i", frozenset("і")),
    ("kk_qg", frozenset("қғ")),
    ("foreign", FOREIGN_CYRILLIC),
    ("yery", frozenset("ыэ")),
)


def count_letters(text: str) -> Letters:
    """Count the letters of (the first 4,000 characters of) ``text`` by class."""
    totals: dict[str, int] = {}
    for ch, n in Counter(text[:SAMPLE_CHARS].lower()).items():
        for name in _classes(ch):
            totals[name] = totals.get(name, 0) + n
    return Letters(**totals)


def detect_script(text: str) -> str:
    """``Cyrl``, ``Latn``, ``other`` (another script dominates) or ``none`` (no letters)."""
    letters = count_letters(text)
    if letters.total == 0:
        return "none"
    best = max(letters.cyrillic, letters.latin, letters.other)
    if best == letters.cyrillic:
        return "Cyrl"
    return "Latn" if best == letters.latin else "other"


def detect(text: str) -> str:
    """``ru``, ``kk``, ``en`` or ``other`` for a headline, an article or a mixed text."""
    text = _HTML_ENTITY.sub(" ", text[:SAMPLE_CHARS])
    letters = count_letters(text)
    if letters.total == 0 or letters.other * 2 > letters.total:
        return "other"
    if letters.cyrillic * 2 >= letters.latin:  # Latin names inside a Cyrillic text are common
        return _cyrillic(text, letters)
    return _latin(text, letters)


def _cyrillic(text: str, letters: Letters) -> str:
    cyr, kk = letters.cyrillic, letters.kk
    if letters.foreign >= max(1, cyr // 200):
        return "other"
    if kk == 0 or kk * 100 < cyr:  # none, or a Kazakh name or two in a Russian text: «Жаңа Өзен», «Жаңа лид»
        return _russian_or_not(text, letters)
    if _not_kazakh(text, letters):
        return "other"
    doubt = _kazakh_in_doubt(text, letters)
    if doubt:
        return doubt
    words = _WORD.findall(text[:SAMPLE_CHARS].lower())
    if kk * 25 >= cyr and not _RU_FUNCTION_WORDS.intersection(words):  # 4 % of the letters or more
        return "kk"
    return _vote(text)


def _russian_or_not(text: str, letters: Letters) -> str:
    """No Kazakh letters: Russian, Kazakh without its letters, or Bulgarian."""
    sample = text[:SAMPLE_CHARS].lower()
    words = _WORD.findall(sample)
    if not letters.yery and _looks_bulgarian(sample, words):
        return "other"
    if "ы" not in sample and _looks_ukrainian_or_uzbek(sample, words):
        return "other"
    if letters.cyrillic >= 200 or _RU_FUNCTION_WORDS.intersection(words):
        return "ru"
    return _ru_or_kk(text)


def _looks_bulgarian(sample: str, words: list[str]) -> bool:
    return bool(_BULGARIAN_HARD_SIGN.search(sample) or _BG_WORDS.intersection(words))


def _looks_ukrainian_or_uzbek(sample: str, words: list[str]) -> bool:
    if _APOSTROPHE_IN_WORD.search(sample):
        return True
    return bool(_UK_FUNCTION_WORDS.intersection(words) or _UZ_WORDS.intersection(words))


def _ru_or_kk(text: str) -> str:
    """Kazakh only when lingua ({ru, kk, en}) is sure and pymorphy3's Russian dictionary knows
    few of the words: a Kazakh text lacking its letters is rare."""
    from newsdesk.rulemma import morph

    words = _WORD.findall(text[:LINGUA_CHARS].lower())
    long_words = [w for w in words if len(w) > 2]
    if (
        _KK_FUNCTION_WORDS.isdisjoint(words)
        and sum(map(morph().word_is_known, long_words)) * 5 >= len(long_words) * 3 > 0
    ):
        return "ru"
    values = _ru_kk_detector().compute_language_confidence_values(text[:LINGUA_CHARS])  # type: ignore[attr-defined]
    best = values[0] if values else None
    if best is None or best.language.name == "RUSSIAN":
        return "ru"
    return "kk" if best.language.name == "KAZAKH" and best.value >= 0.9 else "ru"


def _not_kazakh(text: str, letters: Letters) -> bool:
    """Kyrgyz, Buryat, Mongolian (long ү ө, or ө ү ң һ alone), Uzbek (қ ғ, no ы і, many и)."""
    sample = text[:SAMPLE_CHARS].lower()
    if _LONG_VOWELS.search(sample):
        return True
    if not letters.kk_strong and letters.cyrillic >= 100:
        return True
    if "ы" in sample:
        return False
    if _looks_ukrainian_or_uzbek(sample, _WORD.findall(sample)):
        return True
    uzbek_letters = letters.kk == letters.kk_qg and not letters.yery
    return uzbek_letters and sample.count("и") * 16 >= letters.cyrillic >= 25


def _kazakh_in_doubt(text: str, letters: Letters) -> str | None:
    """ө ү ң һ alone (shared with Kyrgyz, Buryat…), or і alone without ы э (Ukrainian): ask lingua."""
    if letters.kk_strong and (letters.kk != letters.kk_i or letters.yery):
        return None
    found = _lingua(text, _cyrillic_detector())
    if letters.kk_strong:  # і alone: Kazakh only if lingua says so
        return "kk" if found == "kk" else "other"
    return "other" if found == "other" else "kk"  # Russian and English have no ө ү ң һ


def _vote(text: str) -> str:
    """Kazakh and Russian words mixed: a Russian text naming «Таза Қазақстан», or a Kazakh text
    quoting Russian. A word with Kazakh letters votes kk twice; a Russian function word or a word
    pymorphy3's dictionary knows votes ru; another word votes kk when lingua is sure of it. Words
    inside quotes count half. Ties go to Russian."""
    votes = {"kk": 0.0, "ru": 0.0}
    for n, match in enumerate(_WORD.finditer(text[:SAMPLE_CHARS])):
        if n >= MAX_VOTERS:
            break
        side = _word_vote(match.group().lower())
        if side:
            weight = 2.0 if side == "kk!" else 1.0
            votes[side.rstrip("!")] += weight * (0.5 if _quoted(text, match.start()) else 1.0)
    return "kk" if votes["kk"] > votes["ru"] else "ru"


@lru_cache(maxsize=100_000)
def _word_vote(word: str) -> str | None:
    if KK_LETTERS.intersection(word):
        return "kk!"
    if word in _KK_FUNCTION_WORDS:
        return "kk"
    if word in _RU_FUNCTION_WORDS:
        return "ru"
    if len(word) < 3:
        return None
    from newsdesk.rulemma import morph

    if morph().word_is_known(word):
        return "ru"
    values = _ru_kk_detector().compute_language_confidence_values(word)  # type: ignore[attr-defined]
    return "kk" if values and values[0].language.name == "KAZAKH" and values[0].value >= 0.95 else None


def _quoted(text: str, pos: int) -> bool:
    before = text[max(0, pos - 300) : pos]
    return before.count("«") > before.count("»") or before.count('"') % 2 == 1


def _latin(text: str, letters: Letters) -> str:
    sample = text[:SAMPLE_CHARS].lower()
    if _kazakh_latin(sample, letters):
        return "kk"
    words = _WORD.findall(sample)
    english = sum(1 for w in words if w in _EN_WORDS)
    foreign = sum(1 for w in words if w in _LATIN_FUNCTION_WORDS)
    if english > foreign and (english >= 2 or not letters.accented):
        return "en"
    if foreign > english:
        return "other"
    if not letters.accented:
        return "en"  # plain ASCII with no telling word: lingua is unreliable on short texts
    return _lingua(text, _latin_detector())


def _kazakh_latin(sample: str, letters: Letters) -> bool:
    """The 2021 Kazakh Latin alphabet: ǵ ı ń ý (and á ó ú), «q» not before «u», Kazakh words."""
    if _UZBEK_LATIN.search(sample):
        return False
    distinct = sum(sample.count(ch) for ch in "ǵıńý")
    words = sum(1 for w in _WORD.findall(sample) if w in _KK_LATIN_WORDS)
    shared = sum(sample.count(ch) for ch in "áóú") / 2  # also Spanish, Portuguese, Czech
    signal = distinct + words + shared + len(_Q_NOT_U.findall(sample))
    if not (distinct or words) or signal < 1.5 or signal * 40 < letters.latin:
        return False
    return letters.accented * 4 <= letters.kk_latin + signal


def _lingua(text: str, detector: object) -> str:
    found = detector.detect_language_of(text[:LINGUA_CHARS])  # type: ignore[attr-defined]
    return _LINGUA_CODES.get(getattr(found, "name", ""), "other")


LINGUA_CHARS = 1000
MAX_VOTERS = 80
_LINGUA_CODES = {"RUSSIAN": "ru", "KAZAKH": "kk", "ENGLISH": "en"}
_CYRILLIC_LANGS = ("RUSSIAN", "KAZAKH", "ENGLISH", "UKRAINIAN", "BELARUSIAN", "BULGARIAN", "MACEDONIAN",
                   "SERBIAN", "MONGOLIAN")  # fmt: skip
_LATIN_LANGS = ("ENGLISH", "SPANISH", "FRENCH", "GERMAN", "PORTUGUESE", "ITALIAN", "DUTCH", "TURKISH",
                "POLISH", "INDONESIAN", "ROMANIAN", "AZERBAIJANI", "SWAHILI", "TAGALOG", "CROATIAN",
                "CZECH", "SWEDISH", "DANISH", "BOKMAL", "FINNISH", "HUNGARIAN", "VIETNAMESE", "MALAY",
                "YORUBA")  # fmt: skip


@lru_cache(maxsize=1)
def _cyrillic_detector() -> object:
    return _build(_CYRILLIC_LANGS)


@lru_cache(maxsize=1)
def _ru_kk_detector() -> object:
    return _build(("RUSSIAN", "KAZAKH", "ENGLISH"))


@lru_cache(maxsize=1)
def _latin_detector() -> object:
    return _build(_LATIN_LANGS)


def _build(names: tuple[str, ...]) -> object:
    from lingua import Language, LanguageDetectorBuilder

    languages = [getattr(Language, name) for name in names]
    return LanguageDetectorBuilder.from_languages(*languages).with_low_accuracy_mode().build()
