"""Raw record fields → an `Article`: ids, dates, paragraphs, tags."""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import Any
from zoneinfo import ZoneInfo

from newsdesk.errors import InputError
from newsdesk.records import ARTICLE, HEADLINE, LANGS, RUBRICS, Article, Entity, Origin, TagScore
from newsdesk.sources import glued
from newsdesk.sources.markdown import plain

ALMATY = ZoneInfo("Asia/Almaty")
MAX_FIELD = 2_000_000  # characters; longer fields are refused, not truncated

_MONTHS = {
    "январ": 1, "феврал": 2, "март": 3, "апрел": 4, "ма": 5, "июн": 6, "июл": 7,
    "август": 8, "сентябр": 9, "октябр": 10, "ноябр": 11, "декабр": 12,
    # Kazakh month names
    "қаңтар": 1, "ақпан": 2, "наурыз": 3, "сәуір": 4, "мамыр": 5, "маусым": 6, "шілде": 7,
    "тамыз": 8, "қыркүйек": 9, "қазан": 10, "қараша": 11, "желтоқсан": 12,
}
_RU_DATE = re.compile(
    r"^(\d{1,2})\s+([а-яёәғқңөұүһі]+)\s+(\d{4})(?:\s*(?:г\.?|года|ж\.?|жыл)?\s*,?\s*(?:в\s*)?(\d{1,2}):(\d{2}))?$",
    re.I,
)
# «Вчера 10:38», «Сегодня, в 14:05», «Кеше 09:12»: as pages show their newest items; read against the day
# the page was fetched.
_RELATIVE = re.compile(r"^(сегодня|вчера|позавчера|бүгін|кеше)\s*,?\s*(?:в\s*)?(\d{1,2}):(\d{2})$", re.I)
_DAYS_BACK = {"сегодня": 0, "бүгін": 0, "вчера": 1, "кеше": 1, "позавчера": 2}
# Where a record's date may be: our field first, then what scrapers and exports call it (Tengrinews'
# scrape has «published_raw» «12 апреля 2024 23:15» for a third of its items and no «published_at»).
DATE_FIELDS = ("published_at", "published", "date", "pub_date", "pubDate", "published_raw", "pub_date_raw")
FETCHED_FIELDS = ("fetched_at", "scraped_at")
_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u205f\u3000]+")


def parse_date(value: Any, origin: Origin | None = None, field: str = "published_at",
               fetched: datetime | None = None) -> datetime | None:
    """ISO 8601, RFC 822, «24 ноября 2026, 14:05», or «Вчера 10:38» counted back from ``fetched``; naive times
    are read as Asia/Almaty."""
    if value in (None, ""):
        return None
    parsed: datetime | None
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, (int, float)):
        return datetime.fromtimestamp(value, UTC)
    else:
        text = str(value).strip()
        parsed = _parse_text_date(text) or _relative_date(text, fetched, origin, field)
        if parsed is None:
            raise InputError(f"unparsable date {text[:60]!r} (use ISO 8601, e.g. 2026-11-24T14:05:00+05:00)",
                             origin, field)
    return parsed.replace(tzinfo=ALMATY) if parsed.tzinfo is None else parsed


def record_dates(raw: dict[str, Any], origin: Origin | None = None) -> tuple[datetime | None, datetime | None]:
    """A record's (published, fetched) dates, each from the first of its fields the record fills."""
    fetched = _first_date(raw, FETCHED_FIELDS, origin)
    return _first_date(raw, DATE_FIELDS, origin, fetched), fetched


def _first_date(raw: dict[str, Any], fields: tuple[str, ...], origin: Origin | None,
                fetched: datetime | None = None) -> datetime | None:
    field = next((f for f in fields if raw.get(f) not in (None, "")), None)
    return parse_date(raw[field], origin, field, fetched) if field else None


def _relative_date(text: str, fetched: datetime | None, origin: Origin | None, field: str) -> datetime | None:
    match = _RELATIVE.match(text)
    if not match:
        return None
    if fetched is None:
        raise InputError(f"relative date {text!r} needs the record's fetched_at to be read", origin, field)
    day = fetched.astimezone(ALMATY).date() - timedelta(days=_DAYS_BACK[match[1].lower()])
    try:
        return datetime(day.year, day.month, day.day, int(match[2]), int(match[3]), tzinfo=ALMATY)
    except ValueError:  # «Вчера 25:70»
        return None


def _parse_text_date(text: str) -> datetime | None:
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        pass
    try:
        return parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        pass
    return _parse_russian_date(text)


def _parse_russian_date(text: str) -> datetime | None:
    match = _RU_DATE.match(text)
    if not match:
        return None
    day, month_word, year, hour, minute = match.groups()
    word = month_word.lower()
    month = next((n for stem, n in sorted(_MONTHS.items(), key=lambda kv: -len(kv[0])) if word.startswith(stem)), None)
    if month is None:
        return None
    try:
        return datetime(int(year), month, int(day), int(hour or 0), int(minute or 0))
    except ValueError:
        return None


def clean_line(text: str) -> str:
    """One line of text: a line break or another control character is a space («Заголовок\nв две строки»,
    «Нулевой\0байт» are two words each), runs of spaces collapsed."""
    return _SPACES.sub(" ", _CONTROL.sub(" ", text)).strip()


# An Instagram post embedded in a page, as its text fallback: «Посмотреть эту публикацию в Instagram
# Публикация от TengriNews (@tengrinewskz)» (Tengrinews has one in 26 of its 349 articles).
_EMBED = re.compile(r"(?:Посмотреть эту публикацию в Instagram|View this post on Instagram)\s*"
                    r"(?:(?:Публикация от|A post shared by) [^()\n]{1,80}\(@[\w.]+\))?")
# Tengrinews' «read also» box scraped into the body: «Продолжение■<headline><date time>■<headline><date time>»,
# glued to the text around it (62 boxes in 62 of its 349 articles, all its «■»).  Other stories' headlines:
# left in, they gave this story their people («Продолжение■Токаев») and places.
_TEASERS = re.compile(r"Продолжение(?:■[^■\n]{5,300}?(?:\d{1,2} [а-яё]+ \d{4}|Вчера|Сегодня),? \d{1,2}:\d{2})+")
# A block or bullet symbol (with an emoji's variation selector) starts a list item: a paragraph of its own,
# whatever it was glued to («Итоги:■Первое» → «Итоги:», «■ Первое»).
BULLET_MARKS = "■▪▫●•◾◽◼◻□◆◇►▶➤"  # the ones news bodies and Telegram posts of our data use
BULLETS = re.compile(rf"\s*((?:[{BULLET_MARKS}]\ufe0f?)+)\s*")
_BREAK = "\ue000"  # a private-use character: where a removed box was, a paragraph ends
# A sentence ending glued to the next one («17 апреля.Судья начала…», «…врач."Чтобы…»), as pages scraped
# without their paragraph breaks come: after a lower-case word, a number or a closing quote, before a
# capitalised word (or a quote opening one); and a paragraph that ends without a stop glued to one of the
# words paragraphs open with («…объявили эвакуациюРанее сообщалось…»), which no word has inside it.
_GLUE = re.compile(r"(?<=[а-яёa-z0-9»\")][.!?…])(?=[\"«]?[А-ЯЁA-Z](?:[а-яёa-z]|\s))"
                   r"|(?<=[а-яё»\")])(?=(?:Также|Напомним|Ранее|Отметим|Сообщается|Кроме того|При этом|Читайте также"
                   r"|Как сообщалось|Между тем|Тем временем)\b)"
                   r"|(?<=\.(?:kz|ru|kg|uz))(?=[А-ЯЁ](?:[а-яё]|\s))")  # «…сайт primeminister.kzПервый вице-премьер…»
_NEWLINE = re.compile("\n")  # inside a cleaned paragraph: where ``_spaced`` cut it
# A site's name glued to the word after it: «Tengrinews.kzпубликует» → «Tengrinews.kz публикует».
_SITE_GLUE = re.compile(r"(?<=[A-Za-z]\.(?:kz|ru|kg|uz))(?=[а-яёәғқңөұүһі])|(?<=[A-Za-z]\.com)(?=[а-яё])")


def paragraphs(text: str) -> list[str]:
    """Split a body into paragraphs on blank lines, or on single newlines when there are none.  A body
    that comes as one block with its sentences glued together («…17 апреля.Судья начала…») is split
    where they are glued; inside paragraphs a glued sentence only gets its space back.  Instagram
    embeds' fallback text and Tengrinews' «read also» headlines go; a bullet («■», «•») starts a paragraph."""
    text = _EMBED.sub(" ", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = _TEASERS.sub(_BREAK, text)  # a break that does not turn a one-block body into lines
    blocks = re.split(r"\n\s*\n", text) if re.search(r"\n\s*\n", text) else text.split("\n")
    cleaned = [_SITE_GLUE.sub(" ", p) for p in (clean_line(b.replace("\n", " ")) for b in blocks) if p]
    if len(cleaned) == 1:
        return [piece for item in _items(cleaned[0]) for piece in unglued(item)]
    return [" ".join(unglued(item)) for p in cleaned for item in _items(p)]


def _items(paragraph: str) -> list[str]:
    """``paragraph`` cut before its bullets, each keeping its bullet and a space after it, and where a box
    was removed: «Итоги:■Первое» → «Итоги:», «■ Первое»."""
    marked = BULLETS.sub(lambda m: f"{_BREAK}{m.group(1)} ", paragraph)
    return [item.strip() for item in marked.split(_BREAK) if item.strip() and not BULLETS.fullmatch(item)]


def unglued(paragraph: str) -> list[str]:
    """``paragraph`` cut where a sentence is glued to the next, except inside quotes («"Эксперт.Медиа"»), with
    words glued inside a sentence spaced apart («13 апреляИран» → «13 апреля Иран», see ``glued``)."""
    text = _spaced(paragraph)
    cuts = sorted({m.start() for m in _GLUE.finditer(text) if _outside_quotes(text[:m.start()])}
                  | {m.start() for m in _NEWLINE.finditer(text)})
    if not cuts:
        return [text]
    bounds = [0, *cuts, len(text)]
    return [piece for a, b in zip(bounds, bounds[1:], strict=False) if (piece := text[a:b].strip())]


def _spaced(paragraph: str) -> str:
    """Glued words apart, outside quotes: a space inside a sentence, a line break (a cut for ``unglued``)
    where the right word opens one («пресс-службы АкордыПрезидент провел…»)."""
    parts, last = [], 0
    for split in glued.splits(paragraph):
        if _outside_quotes(paragraph[:split.at]):
            parts += [paragraph[last:split.at], "\n" if split.opens else " "]
            last = split.at
    return "".join(parts) + paragraph[last:]


def _outside_quotes(before: str) -> bool:
    """Whether a glue point follows no quote opened in the last few words («ООО "Эксперт.Медиа"» is a name,
    a stray quote much earlier does not matter)."""
    start = max(0, len(before) - 30)
    if before.rfind("«", start) > before.rfind("»", start):
        return False
    last = before.rfind('"', start)
    return not (last >= 0 and (last == 0 or before[last - 1].isspace()))  # a quote after a space opens


def stable_id(*parts: str | None) -> str:
    key = "\x1f".join(p or "" for p in parts)
    return "nd-" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]


def text_field(raw: dict[str, Any], name: str, origin: Origin | None) -> str:
    value = raw.get(name)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise InputError(f"expected a string, got {type(value).__name__}", origin, name)
    if len(value) > MAX_FIELD:
        raise InputError(f"{len(value):,} characters is over the {MAX_FIELD:,} limit", origin, name)
    return value


def tag_list(raw: dict[str, Any], name: str, origin: Origin | None) -> list[str]:
    value = raw.get(name)
    if value in (None, ""):
        return []
    if isinstance(value, str):
        value = [t for t in value.split(",")]
    if not isinstance(value, list) or not all(isinstance(t, str) for t in value):
        raise InputError("expected a list of strings", origin, name)
    seen: dict[str, None] = {}
    for tag in value:
        tag = clean_line(tag)
        if tag and tag.casefold() not in {s.casefold() for s in seen}:
            seen[tag] = None
    return list(seen)


ARTICLE_KEYS = {"title", "text", "body", "lead", "summary", "url"}


def article_from_dict(raw: dict[str, Any], origin: Origin | None = None, source: str | None = None) -> Article:
    """Build an Article from the documented JSON-lines schema (see docs/formats.md)."""
    if not isinstance(raw, dict):
        raise InputError(f"expected a JSON object, got {type(raw).__name__}", origin)
    title = clean_line(plain(text_field(raw, "title", origin)))
    body = plain(text_field(raw, "text", origin) or text_field(raw, "body", origin))
    lead = clean_line(plain(text_field(raw, "lead", origin) or text_field(raw, "summary", origin)))
    if not title and not body.strip() and not lead:
        known = ARTICLE_KEYS & raw.keys()
        if raw and not known:  # some other JSON (a config, ground truth…), not an article record
            keys = ", ".join(sorted(map(str, raw))[:5]) + (", …" if len(raw) > 5 else "")
            raise InputError(f"not an article record: none of title, text, lead, url (it has {keys})", origin)
        raise InputError("a record needs a title or a text; both are missing or empty", origin, "title")
    url = clean_line(text_field(raw, "url", origin)) or None
    published, fetched = record_dates(raw, origin)
    body_paragraphs = paragraphs(body)
    if title and len(body_paragraphs) > 1 and body_paragraphs[0] == title:
        body_paragraphs = body_paragraphs[1:]  # the title again (368 of Kazinform's 400 scraped articles)
    art = Article(
        title=title,
        lead=lead,
        paragraphs=body_paragraphs,
        url=url,
        source=clean_line(text_field(raw, "source", origin)) or source,
        author=clean_line(text_field(raw, "author", origin)) or None,
        published_at=published,
        fetched_at=fetched,
        lang=_lang(raw, origin),
        rubric=_rubric(raw, origin),
        section=_section(raw, origin),
        editor_tags=tag_list(raw, "editor_tags" if "editor_tags" in raw else "tags", origin),
        rejected_tags=tag_list(raw, "rejected_tags", origin),
        kind=HEADLINE if raw.get("kind") == HEADLINE else ARTICLE,
        origin=origin,
    )
    if not art.title and art.paragraphs:  # a post: its first line is its headline, said once
        art.title = art.paragraphs[0][:200]
        if len(art.paragraphs) > 1 and len(art.paragraphs[0]) <= 200:
            art.paragraphs = art.paragraphs[1:]
    art.id = _record_id(raw, art, origin)
    if raw.get("nlp_version"):
        _restore_learned(art, raw, origin)
    return art


def _lang(raw: dict[str, Any], origin: Origin | None) -> str | None:
    """The record's language, one of LANGS in any case and with a region dropped («RU», «kk-KZ»), or None
    to have it detected.  Another code is refused: stored as given it matches no page or filter, and
    detected over it is silently not what the record said."""
    given = clean_line(text_field(raw, "lang", origin))
    code = re.split(r"[-_]", given.lower(), maxsplit=1)[0]
    if code and code not in LANGS:
        raise InputError(f"unknown language {given[:20]!r}: use ru, kk, en or other, or leave it out to have it "
                         "detected", origin, "lang")
    return code or None


def _rubric(raw: dict[str, Any], origin: Origin | None) -> str | None:
    """An input rubric from our set is the editor's; any other label is kept only as the section."""
    value = clean_line(text_field(raw, "rubric", origin)).lower()
    return value if value in RUBRICS else None


def _section(raw: dict[str, Any], origin: Origin | None) -> str | None:
    if "section" in raw:
        return clean_line(text_field(raw, "section", origin)) or None
    rubric = clean_line(text_field(raw, "rubric", origin))
    return rubric if rubric and rubric.lower() not in RUBRICS else None


def _record_id(raw: dict[str, Any], art: Article, origin: Origin | None) -> str:
    given = raw.get("id")
    if given in (None, ""):
        return stable_id(art.url) if art.url else stable_id(art.source, art.title, art.body[:500])
    if not isinstance(given, (str, int)) or len(str(given)) > 64:
        raise InputError("an id is a string of at most 64 characters", origin, "id")
    return str(given)


def _scores(values: Any) -> list[TagScore]:
    return [TagScore(str(s["tag"]), float(s.get("confidence") or 0.0))
            for s in values or [] if isinstance(s, dict) and s.get("tag")]


def _entity(e: dict[str, Any]) -> Entity:
    return Entity(str(e["name"]), str(e.get("type", "")), int(e.get("mentions") or 1), str(e.get("slug") or ""),
                  kazakh_name=str(e["kazakh_name"]) if e.get("kazakh_name") else None)


def _restore_learned(art: Article, raw: dict[str, Any], origin: Origin | None) -> None:
    """An exported record carries what the engine learned; keep it instead of recomputing."""
    art.tags = tag_list(raw, "tags", origin)
    art.tag_kinds = {k: v for k, v in (raw.get("tag_kinds") or {}).items() if isinstance(v, str)}
    art.auto_tags = [TagScore(s.tag, s.confidence, art.tag_kinds.get(s.tag, "topic"))
                     for s in _scores(raw.get("auto_tags"))]
    art.suggested_tags = _scores(raw.get("suggested_tags"))
    art.entities = [_entity(e) for e in raw.get("entities") or [] if isinstance(e, dict) and e.get("name")]
    art.thread_id = raw.get("thread_id") or None
    art.duplicate_of = raw.get("duplicate_of") or None
    art.rubric_confidence = raw.get("rubric_confidence")
    art.nlp_version = str(raw.get("nlp_version") or "") or None
