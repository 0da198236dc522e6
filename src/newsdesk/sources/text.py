"""Plain-text page dumps: the article, then the site's headline feed as «tag label» / «headline» lines.

    Землетрясение ощутили в Алматы          ← title
    24 ноября 2026, 14:05                   ← optional date line
    Paragraph…                              ← body (blank-line or line separated)
    Поделиться                              ← navigation noise, dropped
    Алматы                                  ← tag label   ┐ the headline feed: each pair
    В Алматы произошел пожар на СТО         ← headline    ┘ becomes a headline-only record
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from newsdesk.errors import InputError
from newsdesk.records import HEADLINE, Article, Origin
from newsdesk.sources.fields import clean_line, parse_date, stable_id

NOISE = {
    "поделиться", "читайте также", "главные новости", "последние новости", "новости", "реклама",
    "комментарии", "подписаться", "подпишитесь", "все новости", "еще новости", "ещё новости",
    "лента новостей", "популярное", "смотрите также", "бөлісу", "жаңалықтар", "соңғы жаңалықтар",
    "share", "advertisement", "read more", "меню", "поиск", "войти",
}
NOISE_PREFIXES = ("нашли ошибку", "если вы нашли ошибку", "қате тапсаңыз", "подпишитесь на", "читайте нас в",
                  "все права защищены", "©")
_SENTENCE_END = ".!?:;,»\"…"
_DATE_LINE = re.compile(r"^\d{1,2}[ .][а-яёәғқңөұүһі0-9]+[ .]\d{4}", re.I)


def is_noise(line: str) -> bool:
    low = line.casefold()
    return low in NOISE or low.startswith(NOISE_PREFIXES)


def is_label(line: str) -> bool:
    return 0 < len(line) <= 40 and len(line.split()) <= 4 and line[-1] not in _SENTENCE_END and not _is_date(line)


def is_headline(line: str) -> bool:
    return len(line.split()) >= 3 and len(line) <= 300 and not line.endswith(":")


def _is_date(line: str) -> bool:
    if not _DATE_LINE.match(line):
        return False
    try:
        return parse_date(line) is not None
    except InputError:
        return False


def split_feed(lines: list[str]) -> tuple[list[str], list[tuple[str, str]]]:
    """Split non-empty lines into the article part and the trailing (label, headline) pairs."""
    lines = [line for line in lines if not is_noise(line)]
    end, pairs = len(lines), []
    while end >= 2 and is_label(lines[end - 2]) and is_headline(lines[end - 1]):
        pairs.append((lines[end - 2], lines[end - 1]))
        end -= 2
    if len(pairs) < 2:
        return lines, []
    return lines[:end], pairs[::-1]


def read_text(text: str, name: str, source: str | None = None) -> Iterator[Article | InputError]:
    origin = Origin(name)
    blocks = [clean_line(line) for line in text.replace("\r\n", "\n").split("\n")]
    article_lines, pairs = split_feed([b for b in blocks if b])
    if not article_lines and not pairs:
        yield InputError("empty file: no article and no headlines", origin)
        return
    source = source or name.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    if article_lines:
        yield _article(article_lines, origin, source)
    yield from _headlines(pairs, name, source)


def _article(lines: list[str], origin: Origin, source: str) -> Article:
    title, rest = lines[0], lines[1:]
    published = None
    if rest and _is_date(rest[0]):
        published, rest = parse_date(rest[0], origin), rest[1:]
    while rest and is_label(rest[-1]):  # trailing navigation the noise list doesn't know
        rest = rest[:-1]
    return Article(id=stable_id(source, title), title=title, paragraphs=rest, source=source,
                   published_at=published, origin=origin)


def _headlines(pairs: list[tuple[str, str]], name: str, source: str) -> Iterator[Article]:
    merged: dict[str, Article] = {}
    for number, (label, headline) in enumerate(pairs, start=1):
        record = merged.get(headline.casefold())
        if record is None:
            merged[headline.casefold()] = Article(
                id=stable_id(source, "headline", headline), kind=HEADLINE, title=headline,
                source=source, editor_tags=[label], origin=Origin(name, number))
        elif label.casefold() not in {t.casefold() for t in record.editor_tags}:
            record.editor_tags.append(label)
    yield from merged.values()
