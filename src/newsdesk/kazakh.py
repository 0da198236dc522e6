"""Kazakh word forms → stems: our own suffix stripper (no Kazakh stemmer installs offline).

A Kazakh noun is a stem followed by up to four slots, stripped here from the end::

    stem + plural + possessive + case + attributive
    қала + лар    + ы          + нда  + ғы          → «қалаларындағы» (in its cities')

A suffix is stripped only when it agrees with what it follows, as Kazakh spelling demands:

* vowel harmony — back suffixes (-да, -ның) after back vowels (а о ұ ы), front ones (-де, -нің)
  after front vowels (ә е ө ү і); и у ю я ё э fit both;
* consonant assimilation — «-да» after a vowel or a voiced consonant, «-та» after a voiceless one,
  «-ның» after a vowel or м н ң, «-дың» after л р й у ж з, «-тың» after voiceless consonants…;
* «-на -нда -ндан -н» only after the 3rd-person possessive (-ы -і -сы -сі);
* the stem left keeps a vowel and two letters or more (three after a one-letter suffix), and a stem of two
  letters is a listed word («елде» → «ел», but «аудан» is not «ау» + -дан, nor «күні» «кү» + -ні);
* «-ны/-ні» is not the accusative where a stem in «н» takes a possessive: a participle («болғаны» →
  «болған») or a listed noun («ауданы» → «аудан»).

A few verb endings are stripped too (past -ды, present -ады/-йды, participles -ған/-атын,
converb -ып), derivational suffixes (-лық, -шы, -сыз, -лы) are kept: «қалалық» (urban) is not
«қала» (city). Stems that look inflected but are not (Алматы, Өскемен, Талдықорған…) are
protected. Voiced stem ends are restored (мектебі → мектеп, жүрегі → жүрек) and a few vowel
drops undone (халқы → халық). Kazakh in the 2021 Latin alphabet is converted to Cyrillic first,
so «Almatyda» and «Алматыда» share the stem «алматы».
"""

from __future__ import annotations

import re
from functools import lru_cache

LATIN_LETTERS = frozenset("áǵıńóúý")  # letters of the 2021 Kazakh Latin alphabet only
_RUSSIAN_LETTERS = str.maketrans("әғқңөұүһіӘҒҚҢӨҰҮҺІ", "агкноуухиАГКНОУУХИ")


def has_kazakh_letters(text: str) -> bool:
    """Whether ``text`` has a letter of Kazakh Cyrillic that Russian lacks («Әділ»: yes, «Адиль»: no)."""
    return text != russian_letters(text)


def russian_letters(text: str) -> str:
    """Kazakh's own letters as Russian text writes them: «Қасым-Жомарт Тоқаев» → «Касым-Жомарт Токаев»."""
    return text.translate(_RUSSIAN_LETTERS)
BACK, FRONT = frozenset("аоұы"), frozenset("әеөүі")
VOWELS = frozenset("аоұыәеөүіиуюяёэ")
VOICELESS = frozenset("птқкшсфхцчщбвгдғ")  # б в г д ғ are devoiced at a word's end
SONORANT = frozenset("лрйу")
NASAL = frozenset("мнң")
VOICED = frozenset("жз")

# -ы/-і is the 3rd-person possessive after a consonant, so stems ending in them must be listed; so are
# frequent stems in -н that would read as «-ны» («ауданы», «шығыны») and nouns in -ға/-ге («теңгені»)
PROTECTED_WORDS = """
    алматы қарағанды өскемен талдықорған жезқазған ақсу жетісу тараз ақтау семей қонаев кентау
    теміртау көкшетау ұлытау маңғыстау атырау түркістан байқоңыр қостанай сарыағаш нұр-сұлтан шымкент
    абай ресей еуропа азия америка африка канада корея қытай тарихи қарсы жоғары төмен бері ары әрі
    тағы және әлі енді сонымен бірге қазір бүгін қорған туған қайда мұнда сонда осында ешқашан
    әрқашан барлық бәрі кейде адам ана әке бала дала қала тау су ел жер белгі кеңес күрес жалақы
    ақы қазы сайлау сияқты туралы бойынша арқылы кейін дейін шейін қатысты байланысты
    сәйкес тиісті жайлы жөнінде мүмкін керек қажет тиіс арасы алды арты үсті асты іші сырты
    тұрғын тегін жақын бұрын алтын орын жиын қиын ақын ұзын тасқын салқын көшкін сүргін қорғасын бұрқасын
    жауын кәсіпорын отбасы салдар
    шығын қарқын ағын тиын ойын қожайын екпін қисын түйін толқын айдын кешен салон
    аудан маман арман нысан орган орден науқан өзен мекен құрбан зиян мазмұн қазан заман майдан
    теңге оқиға тұлға мереке неке нұсқа бәсеке жаға екі орман отан қаржы егін буын отын үшін
    баға аға қазақстан қырғызстан өзбекстан тәжікстан түрікменстан ауғанстан пәкістан үндістан
    дағыстан татарстан башқұртстан
"""

# Stems of two letters: a suffix leaves one only if it is listed («елде» → «ел», «күні» → «күн», not «кү»;
# «аудан» stays, not «ау» + -дан; «тамыз» stays, not «та» + -мыз)
_SHORT_STEMS = """
    ел су ай үй ас ат іс ес ұл ой ту ән ер ақ ми із ит ұн би ін үн ем ет от өз не он үш
    ал өт де же өс аш ұш оқ ти қу ки ұт өл ұр іл ек ұқ іш ез жи өш аң ие оң бу өн үр
"""
SHORT_STEMS = frozenset(_SHORT_STEMS.split())
# «-ны» (accusative after a vowel) or «н» + possessive «-ы»? A participle's «-ған», «-атын» takes the possessive
# («болғаны» → «болған», «екені» → «екен», «болатыны» → «болатын»), as do the listed stems («ауданы» → «аудан»)
_TAKES_POSSESSIVE = ("ған", "ген", "қан", "кен", "атын", "етін", "йтын", "йтін")

# suffix → the classes of the letter before it that allow it ("V" vowel, "S" л р й у, "N" м н ң,
# "Z" ж з, "T" voiceless, "P" after a 3rd-person possessive -ы/-і only)
_ANY = "VSNZT"
ATTRIBUTIVE = {
    "дағы": "VSNZ", "дегі": "VSNZ", "тағы": "T", "тегі": "T", "ндағы": "P", "ндегі": "P",
    "ғы": "SNZ", "гі": "SNZ", "қы": "T", "кі": "T",  # «жылғы», «бүгінгі», «ішкі»; not «министрлігі»
}  # fmt: skip
CASE = {
    "ның": "VN", "нің": "VN", "дың": "SZ", "дің": "SZ", "тың": "T", "тің": "T",  # genitive
    "ға": "VSNZ", "ге": "VSNZ", "қа": "T", "ке": "T", "на": "P", "не": "P",  # dative
    # accusative, and the past tense (-ды after a vowel is only that: «жасады»; the accusative is -ны)
    "ны": "V", "ні": "V", "ды": "VSNZ", "ді": "VSNZ", "ты": "T", "ті": "T",
    "да": "VSNZ", "де": "VSNZ", "та": "T", "те": "T", "нда": "P", "нде": "P",  # locative
    # ablative; -нан/-нен also after a possessive -ы/-і («сілкінісінен», «жағынан»)
    "дан": "VSZ", "ден": "VSZ", "нан": "NP", "нен": "NP", "тан": "T", "тен": "T",
    "ндан": "P", "нден": "P",
    "мен": "VSN", "бен": "Z", "пен": "T", "менен": "VSN", "бенен": "Z", "пенен": "T",  # instrumental
    # verbs: present-future and its participle (compete with the accusative: жасайды ≠ жасай+ды)
    "ады": "SNZT", "еді": "SNZT", "йды": "V", "йді": "V",
    "атын": "SNZT", "етін": "SNZT", "йтын": "V", "йтін": "V",
}  # fmt: skip
# «my» -ым/-ім and «your» -ың/-ің are left alone: rare in news, and «білім», «шешім», «бөлім» are nouns
POSSESSIVE = {
    "ымыз": "SNZT", "іміз": "SNZT", "мыз": "V", "міз": "V",  # our
    "ыңыз": "SNZT", "іңіз": "SNZT", "ңыз": "V", "ңіз": "V",  # your (polite)
    "сы": "V", "сі": "V", "ы": "SNZT", "і": "SNZT",  # his, her, its, their
    "сын": "V", "сін": "V", "ын": "SNZT", "ін": "SNZT",  # … and the accusative after it: «зейнетақысын»
}  # fmt: skip
PLURAL = {"лар": "VSR", "лер": "VSR", "дар": "NZL", "дер": "NZL", "тар": "T", "тер": "T"}
VERB = {  # tried only on words no other slot changed (past -ды is the accusative's twin, in CASE)
    "ған": "VSNZ", "ген": "VSNZ", "қан": "T", "кен": "T",  # past participle
    "ып": "SNZT", "іп": "SNZT",  # converb
}  # fmt: skip
SLOTS = (ATTRIBUTIVE, CASE, POSSESSIVE, PLURAL, VERB)

# Stems that end like a suffix: place names and common words (checked at every step).
PROTECTED = frozenset(PROTECTED_WORDS.split())
# «досын», «басын» keep their -сын whole; -ын/-ін (possessive + accusative) leaves a stem of four letters or
# more, as most words that end in it themselves are short («жақын», «бұрын», «алтын»)
_MIN_STEM = {"сы": 3, "сі": 3, "сын": 3, "сін": 3, "ын": 4, "ін": 4}
_ENDS_A_WORD = frozenset(("сын", "сін", "ын", "ін"))
_FRONT_ONLY = frozenset(("мен", "бен", "пен", "менен", "бенен", "пенен"))  # the instrumental has no back form
_RESTORE_VOICING = {"б": "п", "г": "к", "ғ": "қ"}
_VOWEL_DROP = {"халқ": "халық", "орн": "орын", "ауз": "ауыз", "ерн": "ерін", "мұрн": "мұрын",
               "қарн": "қарын", "құлқ": "құлық", "көрк": "көрік", "бөрк": "бөрік", "ерк": "ерік"}  # fmt: skip
_NUMBER_SUFFIX = re.compile(r"^(.*[\d\w.])-[а-яәғқңөұүһі]+$")


def final_class(stem: str) -> str:
    """The assimilation class of a stem's last letter: V, S, N, Z or T ("" for digits etc.).

    у и (a vowel letter and a glide at once: «Атыраудың», «судың») count as S."""
    last = stem.rstrip("ьъ")[-1:] or stem[-1]
    if last in "уи":
        return "S"
    if last in VOWELS:
        return "V"
    if last in SONORANT:
        return "S"
    if last in NASAL:
        return "N"
    if last in VOICED:
        return "Z"
    return "T" if last in VOICELESS else ""


def harmony(stem: str) -> str:
    """``back``, ``front`` or ``any`` after the stem's last vowel (-ев of «Тоқаев» does not count)."""
    if stem.endswith(("ев", "ов", "ёв", "ин")) and len(stem) > 4:
        return "any"  # Russian-style surnames: Kazakh writes both «Тоқаевтың» and «Игіліковтің»
    if stem[-1:] in ("к", "г"):  # к г are front consonants: «банкі», «парктері»
        return "front"
    for ch in reversed(stem):
        if ch in BACK:
            return "back"
        if ch in FRONT:
            return "front"
        if ch in VOWELS:
            return "any"
    return "any"


def _suffix_harmony(suffix: str) -> str:
    if suffix in _FRONT_ONLY:
        return "any"
    for ch in suffix:
        if ch in BACK:
            return "back"
        if ch in FRONT:
            return "front"
    return "any"


def _fits(stem: str, suffix: str, allowed: str) -> bool:
    """May ``suffix`` follow ``stem``? (length, vowel, harmony, assimilation)"""
    if len(stem) < _MIN_STEM.get(suffix, 2) and stem not in SHORT_STEMS or not VOWELS.intersection(stem):
        return False  # a listed two-letter stem may take -ын/-ін: «елін», «үйін» → «ел», «үй»
    if len(stem) == 2 and stem not in SHORT_STEMS and _repair(stem) not in SHORT_STEMS:
        return False  # «оғы» is «оқ» + -ы
    if suffix in ("ны", "ні") and not _protected(stem) and _possessed(stem + "н"):
        return False  # «ауданы»: «аудан» + -ы, not «ауда» + -ны
    if suffix in ("ын", "ін") and stem[-1] == "м" and stem[-2] not in "ыіуұүоө":
        return False  # «айтамын», «ойлаймын», «құрбанмын»: «I» (-мын), not a noun's accusative («білімін»)
    if suffix in ("ын", "ін") and stem[-1] in "пш" and stem[-2] not in VOWELS:
        return False  # «жоқпын», «емеспін» (-пын: «I»), «бүлдіршін», «кемшін»: no stem ends so
    if suffix in ("ын", "ін") and stem[-1] == "с" and stem[-2] in "лтдзғгп":
        return False  # «болсын», «орындалсын»: the imperative -сын of a verb («курсын», «балансын» stay nouns)
    if suffix in ("ы", "і") and stem[-1] == "ш" and stem[-2:-1] not in VOWELS - {"у"}:
        return False  # «басшы», «оқушы»: the agent suffix -шы, not a possessive
    if len(suffix) > 2 and suffix[0] in VOWELS and stem[-1] == stem[-2]:
        return False  # «қымбатт+ады»: no stem ends in a doubled consonant, read «қымбатта+ды»
    wanted, have = _suffix_harmony(suffix), harmony(stem)
    if "any" not in (wanted, have) and wanted != have:
        return False
    if "P" in allowed and stem[-1] in "ыі":
        return True
    cls = final_class(stem)
    if cls == "S" and "R" in allowed:  # plural -лар after р й у, -дар after л
        return stem[-1] != "л"
    if cls == "S" and "L" in allowed:
        return stem[-1] == "л"
    return bool(cls) and cls in allowed


def _strip_slot(word: str, slot: dict[str, str], last: bool = True) -> str | None:
    """The word without its longest suffix of this slot that fits, or None; ``last``: nothing follows it
    (the accusative after a possessive ends a word: «салқынға» is «салқын» + -ға, not «салқ» + -ынға)."""
    fitting = [word[: -len(s)] for s in slot if word.endswith(s) and (last or s not in _ENDS_A_WORD)]
    fitting = [stem for stem in fitting if _fits(stem, word[len(stem) :], slot[word[len(stem) :]])]
    if not fitting:
        return None
    protected = [stem for stem in fitting if _protected(stem)]
    if protected:
        return protected[0]
    fitting.sort(key=len)  # the longest suffix first, unless -сы leaves «жұмы» where «жұмыс» fits
    if slot is POSSESSIVE and len(fitting) > 1 and fitting[0][-1] in "ыі" and fitting[0][-2:-1] != "ш":
        return fitting[1]  # «жиналысын»: «жиналыс» + -ын, not «жиналы» + -сын
    return fitting[0]


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """Stem of one Cyrillic Kazakh word: «алматыда» → «алматы», «қалаларда» → «қала».  A capitalised word
    that is a country or city of our world table keeps its name («Судан» is Sudan; «судан», from water, is «су»)."""
    capitalised = word[:1].isupper()
    word = word.lower().replace("ё", "е")
    if "-" in word:
        return _stem_hyphenated(word)
    if len(word) < 3 or _protected(word) or (capitalised and word in _world_names()):
        return word
    if word[-1] == "н" and _protected(word[:-1]) and word[-2] in "ыі":
        return word[:-1]  # the accusative of a listed word that ends like a possessive: «отбасын», «жалақын»
    current, stripped = word, False
    for slot in SLOTS:
        if slot is VERB and stripped:
            break
        shorter = _strip_slot(current, slot, last=not stripped)
        if shorter is not None:
            current, stripped = shorter, True
            if _protected(current) or (capitalised and current in _world_names()):
                return current
    return _repair(current) if stripped else current


def _protected(word: str) -> bool:
    """A stem no suffix is taken from: the listed words, and the compounds of «ақы» (payment) that end like a
    possessive: «зейнетақы», «жалақы», «еңбекақы»."""
    return word in PROTECTED or (word.endswith("ақы") and len(word) > 4)


@lru_cache(maxsize=1)
def _world_names() -> frozenset[str]:
    """The Kazakh names of one word in our world table (`gazetteer.load_world`), lower case, of four letters or more."""
    from newsdesk import gazetteer  # (it reads the analyzer, which reads this module)

    names = (place.kk.lower() for place in gazetteer.load_world() if place.kk)
    return frozenset(n for n in names if " " not in n and "-" not in n and len(n) >= 4)


def _possessed(stem_n: str) -> bool:
    """Whether a stem that ends in «н» takes a possessive «-ы/-і» here: a participle or a listed stem."""
    return stem_n.endswith(_TAKES_POSSESSIVE) or _protected(stem_n)


def _repair(stem_: str) -> str:
    if stem_ in _VOWEL_DROP:
        return _VOWEL_DROP[stem_]
    last = stem_[-1]
    return stem_[:-1] + _RESTORE_VOICING[last] if last in _RESTORE_VOICING else stem_


# A case or plural ending written after a hyphen, as Kazakh does after abbreviations: «АҚШ-тың», «БАӘ-ге».
_ENDING_AFTER_HYPHEN = re.compile(
    r"(н|т|д)?(ың|ің)|(ғ|г|қ|к|н)?(а|е)|(н|т|д)?(ы|і)|(н|т|д)?(а|е)(н|ғы|гі)?|(д|т|н)а(н)|(д|т|н)е(н)"
    r"|(м|б|п)(ен)|(л|д|т)(ар|ер)\w*|(д|т|н)?(ағы|егі)|(с)(ы|і)"
)
ABBREVIATION_MAX = 6  # letters of a head that may be an abbreviation


def _stem_hyphenated(word: str) -> str:
    """«алма-атада» → «алма-ата», «2017-нші» → «2017», «covid-19-ға» → «covid-19», «ақш-тың» → «ақш»."""
    head, _, tail = word.rpartition("-")
    if not head:
        return word
    if head[-1].isdigit():
        return head if re.fullmatch(r"[а-яәғқңөұүһі]+", tail) else word
    if head[-1].isascii():  # «kia-сы» → «kia», but «it-стартаптар» → «it-стартап»: the tail is a word
        if _ENDING_AFTER_HYPHEN.fullmatch(tail) or not re.fullmatch(r"[а-яәғқңөұүһі]+", tail):
            return head
        return head + "-" + stem(tail)
    if "-" not in head and len(head) <= ABBREVIATION_MAX and _ENDING_AFTER_HYPHEN.fullmatch(tail):
        return head
    return head + "-" + stem(tail) if len(tail) >= 4 else word


_LATIN_TO_CYRILLIC = [
    ("shch", "щ"), ("tsııa", "ция"), ("ıa", "я"), ("ıý", "ю"), ("ıo", "ё"), ("sh", "ш"), ("ch", "ч"),
    ("á", "ә"), ("ǵ", "ғ"), ("ń", "ң"), ("ó", "ө"), ("ú", "ү"), ("ý", "у"), ("u", "ұ"), ("y", "ы"),
    ("i", "і"), ("a", "а"), ("b", "б"), ("v", "в"), ("g", "г"), ("d", "д"), ("e", "е"), ("j", "ж"),
    ("z", "з"), ("k", "к"), ("q", "қ"), ("l", "л"), ("m", "м"), ("n", "н"), ("o", "о"), ("p", "п"),
    ("r", "р"), ("s", "с"), ("t", "т"), ("f", "ф"), ("h", "х"), ("c", "ц"), ("w", "у"), ("x", "кс"),
]  # fmt: skip
_LATIN_RE = re.compile("|".join(re.escape(src) for src, _ in _LATIN_TO_CYRILLIC) + "|ı")
_LATIN_MAP = dict(_LATIN_TO_CYRILLIC)


_LATIN_VOWELS = "aeiouyıáóúý"


def _opens_with_i(word: str) -> bool:
    """Whether a capitalised word's «I» is «И»: when its next vowel is a back one.  A Kazakh word keeps its
    vowels front or back, so «Ishki», «Iske», «Iri» are «Ішкі», «Іске», «Ірі», while the names and loans
    Kazinform writes with a capital «I» are «Иран», «Ислам», «Израил», «Италия», «Инфляция», «Иордания»: 481
    of the 521 capital-«I» words of its 400 articles are read «и» (99 of 125 distinct).  The rest are loans
    with a front vowel next («Internettegi», «Imperator», «Iemen», «Iá») and English words, which keep «і»
    as before; none of the 521 is a Kazakh «і»-word."""
    if word[:1] != "I" or not word[1:2].islower():
        return False
    vowel = next((ch for ch in word[1:].lower() if ch in _LATIN_VOWELS), "")
    return vowel in ("a", "o", "u", "y", "ı")


def latin_to_cyrillic(word: str) -> str:
    """Lower-case Kazakh 2021 Latin → Cyrillic: «qazaqstanda» → «қазақстанда», «baılanys» → «байланыс».
    A capital «I» opening a capitalised word is «і» or, as the capital of «ı», «и»: the vowels after it tell
    (`_opens_with_i`).  In an all-capital word it stays «і» («IIM» → «іім»: Ішкі істер министрлігі)."""
    if _opens_with_i(word):
        return "и" + latin_to_cyrillic(word[1:])
    word = word.lower()

    def swap(match: re.Match[str]) -> str:
        src = match.group()
        if src != "ı":
            return _LATIN_MAP[src]
        before = word[match.start() - 1] if match.start() else ""
        return "й" if before in "aeoıuúóáy" and before else "и"

    return _LATIN_RE.sub(swap, word)
