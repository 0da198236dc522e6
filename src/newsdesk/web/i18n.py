"""The interface language: our own message catalogue, Russian and Kazakh.

Templates and handlers write Russian, and that Russian is the key: ``_("Ещё новости")`` in a template,
``Msg("Поиск: {q}", {"q": q})`` in Python (resolved by ``render``).  The Russian catalogue is the key
itself; the Kazakh one is the dict in ``kk_messages.py``, loaded with this module, so a lookup is one
dict lookup.  Counts name a noun by its Russian singular («материал») and come out as «3 материала» or
«3 материал»: Kazakh puts a noun after a numeral in the singular.

Which language a page speaks (``choose``): the reader's explicit choice (the ``ui_lang`` cookie, set by
``/ui/kk`` and ``/ui/ru``), else the page's own content language when it is Kazakh (``/lang/kk``, a
Kazakh article, a mostly Kazakh story), else Russian.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from markupsafe import Markup, escape
from starlette.requests import cookie_parser
from starlette.types import Scope

from newsdesk.web import kk_messages

ALMATY = ZoneInfo("Asia/Almaty")
COOKIE = "ui_lang"
UI_LANGS = ("ru", "kk")
DEFAULT = "ru"
TEXT_LANGS = ("ru", "kk", "en")  # content languages whose text carries a lang attribute when it needs one

RU_MONTHS = ("января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября",
             "октября", "ноября", "декабря")
RU_NOUNS = {"материал": ("материал", "материала", "материалов"),
            "упоминание": ("упоминание", "упоминания", "упоминаний"),
            "совпадение": ("совпадение", "совпадения", "совпадений"),
            "копия": ("копия", "копии", "копий"),
            "источник": ("источник", "источника", "источников")}
RUBRICS = {"society": "Общество", "economy": "Экономика", "technology": "Технологии", "sports": "Спорт",
           "entertainment": "Культура", "science": "Наука", "other": "Разное", "not_news": "Не новости"}
NAV_RUBRICS = ("society", "economy", "technology", "sports", "entertainment", "science")
LANGS = {"ru": "Русский", "kk": "Қазақша", "en": "English"}  # content languages, each named in itself
ENTITY_TYPES = {"PER": "Люди", "ORG": "Организации", "LOC": "Места"}


@dataclass(frozen=True)
class Msg:
    """A message a handler puts in a page's context (its title); ``render`` says it in the page's language."""

    msgid: str
    params: Mapping[str, Any] = field(default_factory=dict)


def ru_count(count: int, one: str, few: str, many: str) -> str:
    """«1 материал», «3 материала», «11 материалов»: the count with its Russian plural form."""
    if count % 10 == 1 and count % 100 != 11:
        word = one
    elif count % 10 in (2, 3, 4) and count % 100 not in (12, 13, 14):
        word = few
    else:
        word = many
    return f"{count} {word}"


def local_date(value: datetime | None, months: tuple[str, ...], with_time: bool = True) -> str:
    """«24 ноября 2026, 14:05» (or «24 қараша 2026, 14:05») in Asia/Almaty."""
    if value is None:
        return ""
    local = value.astimezone(ALMATY)
    text = f"{local.day} {months[local.month - 1]} {local.year}"
    return f"{text}, {local:%H:%M}" if with_time else text


def ru_date(value: datetime | None, with_time: bool = True) -> str:
    return local_date(value, RU_MONTHS, with_time)


@dataclass(frozen=True)
class Catalogue:
    """One interface language: its messages (Russian key → text; empty for Russian), months and nouns."""

    lang: str
    messages: Mapping[str, str]
    months: tuple[str, ...]
    nouns: Mapping[str, str]  # Russian singular → "{n} …"; a noun missing here is counted in Russian

    def text(self, msgid: str, **params: Any) -> str:
        """The message as plain text (for titles and JSON), ``params`` filled in."""
        found = self.messages.get(msgid, msgid)
        return found.format(**params) if params else found

    def html(self, msgid: str, **params: Any) -> str:
        """The message for a template (``_``): ``params`` are escaped unless they are Markup."""
        found = self.messages.get(msgid, msgid)
        if not params:
            return found
        return Markup(escape(found)).format(**{k: _clean(v) for k, v in params.items()})

    def resolve(self, value: Any) -> Any:
        return self.text(value.msgid, **value.params) if isinstance(value, Msg) else value

    def date(self, value: datetime | None, with_time: bool = True) -> str:
        return local_date(value, self.months, with_time)

    def count(self, count: int, noun: str) -> str:
        pattern = self.nouns.get(noun)
        return pattern.format(n=count) if pattern is not None else ru_count(count, *RU_NOUNS[noun])

    def rubric_name(self, code: str | None) -> str:
        return self.text(RUBRICS[code]) if code in RUBRICS else code or ""

    def lang_attr(self, lang: str | None) -> Markup:
        """`` lang="kk"`` for text in a language the reader should hear as such: Kazakh and English text
        always, Russian text on a page that does not speak Russian."""
        if lang in TEXT_LANGS and (lang != "ru" or self.lang != "ru"):
            return Markup(' lang="{}"').format(lang)
        return Markup("")


def _clean(value: Any) -> Any:
    """Control characters never reach the page (as ``render.strip_control`` does for every expression)."""
    if isinstance(value, str) and not isinstance(value, Markup):
        return "".join(ch for ch in value if ch >= " " and ch != "\x7f" or ch in "\t\n\r")
    return value


CATALOGUES = {
    "ru": Catalogue("ru", {}, RU_MONTHS, {}),
    "kk": Catalogue("kk", kk_messages.MESSAGES, kk_messages.MONTHS, kk_messages.NOUNS),
}


def choose(cookie: str | None, content_lang: str | None = None) -> Catalogue:
    """The reader's choice when they made one, else Kazakh for Kazakh content, else Russian."""
    if cookie in UI_LANGS:
        return CATALOGUES[cookie]
    return CATALOGUES["kk" if content_lang == "kk" else DEFAULT]


def mostly(langs: Iterable[str | None]) -> str | None:
    """The language more than half of ``langs`` are in (a story's articles), else None."""
    counts = Counter(langs)
    top = counts.most_common(1)
    return top[0][0] if top and top[0][1] * 2 > sum(counts.values()) else None


def cache_variant(scope: Scope) -> bytes:
    """The part of a request a cached page depends on besides its URL: the reader's interface choice
    (``b""`` without one; an unknown cookie value counts as none)."""
    for name, value in scope["headers"]:
        if name == b"cookie":
            chosen = cookie_parser(value.decode("latin-1")).get(COOKIE)
            return chosen.encode() if chosen in UI_LANGS else b""
    return b""
