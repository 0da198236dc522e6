"""Stable Latin slugs for Russian, Kazakh and English names: «Пенсия 2026» → ``pensiya-2026``.

The transliteration is our own, simple and stable (a slug is a URL and a database key, so it
must never change for the same name): Russian letters after a BGN/PCGN-like scheme without
diacritics, Kazakh letters folded to their nearest Latin letter (ә→a, ғ→g, қ→q, ң→n, ө→o,
ұ→u, ү→u, һ→h, і→i), Kazakh Latin 2021 letters (á ǵ ı ń ó ú ý) folded the same way, other
accents stripped.  Everything that is not a letter or a digit becomes one hyphen.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

_CYRILLIC = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh",
    "з": "z", "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts",
    "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu",
    "я": "ya",
    # Kazakh
    "ә": "a", "ғ": "g", "қ": "q", "ң": "n", "ө": "o", "ұ": "u", "ү": "u", "һ": "h", "і": "i",
    # Ukrainian, Belarusian, Kyrgyz, Uzbek letters, so that no name yields an empty slug
    "є": "ye", "ї": "yi", "ґ": "g", "ў": "u", "ҳ": "h", "ӣ": "i", "ӯ": "u", "ҷ": "j",
}  # fmt: skip
_LATIN = {"ı": "i", "ß": "ss", "æ": "ae", "ø": "o", "œ": "oe", "ł": "l", "đ": "d", "þ": "th"}
_TABLE = str.maketrans({**_CYRILLIC, **_LATIN})
_NON_WORD = re.compile(r"[^a-z0-9]+")


def transliterate(text: str) -> str:
    """Lower-case Latin transliteration of ``text`` (spaces and punctuation kept)."""
    latin = text.lower().translate(_TABLE)
    decomposed = unicodedata.normalize("NFKD", latin)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def slugify(name: str, max_length: int = 80) -> str:
    """URL slug of ``name``: Latin letters, digits and single hyphens.

    A name with nothing to transliterate (emoji, CJK) gets a stable ``u-<hash>`` slug;
    only a blank name gives ``""``.

    >>> slugify("Пенсия 2026")
    'pensiya-2026'
    >>> slugify("Қызылорда облысы")
    'qyzylorda-oblysy'
    """
    slug = _NON_WORD.sub("-", transliterate(name)).strip("-")
    if len(slug) > max_length:
        slug = slug[:max_length].rsplit("-", 1)[0] or slug[:max_length]
    if slug or not name.strip():
        return slug
    return "u-" + hashlib.sha1(name.strip().encode()).hexdigest()[:10]
