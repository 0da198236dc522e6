"""Rendering: the Jinja environment (autoescaped, Russian dates in Asia/Almaty) and the one helper
every page uses, which serves the same context dict as HTML or, with ``?format=json``, as JSON."""

from __future__ import annotations

import json
import re
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import Request
from fastapi.responses import HTMLResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from newsdesk import gazetteer, institutions

ALMATY = ZoneInfo("Asia/Almaty")
TEMPLATES = Path(__file__).with_name("templates")
MONTHS = ("января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября",
          "октября", "ноября", "декабря")
RUBRICS = {"society": "Общество", "economy": "Экономика", "technology": "Технологии", "sports": "Спорт",
           "entertainment": "Культура", "science": "Наука", "other": "Разное", "not_news": "Не новости"}
NAV_RUBRICS = ("society", "economy", "technology", "sports", "entertainment", "science")
LANGS = {"ru": "Русский", "kk": "Қазақша", "en": "English"}
ENTITY_TYPES = {"PER": "Люди", "ORG": "Организации", "LOC": "Места"}
SITE_NAME = "newsdesk"
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def ru_date(value: datetime | None, with_time: bool = True) -> str:
    """«24 ноября 2026, 14:05» in Asia/Almaty."""
    if value is None:
        return ""
    local = value.astimezone(ALMATY)
    text = f"{local.day} {MONTHS[local.month - 1]} {local.year}"
    return f"{text}, {local:%H:%M}" if with_time else text


def strip_control(value: Any) -> Any:
    """Every expression passes here: control characters never reach the page."""
    if isinstance(value, Markup):  # already built from finalized parts (macro output)
        return value
    return _CONTROL.sub("", value) if isinstance(value, str) else value


def ru_count(count: int, one: str, few: str, many: str) -> str:
    """«1 материал», «3 материала», «11 материалов»: the count with its Russian plural form."""
    if count % 10 == 1 and count % 100 != 11:
        word = one
    elif count % 10 in (2, 3, 4) and count % 100 not in (12, 13, 14):
        word = few
    else:
        word = many
    return f"{count} {word}"


def entity_label(name: str, kind: str, lang: str | None, kazakh: str | None = None) -> str:
    """How an entity reads on an article in ``lang``: a place, an institution or a person in Kazakh on Kazakh
    pages (entities are stored under their Russian names, one entity in both languages; ``kazakh``: the
    person's Kazakh spelling the archive met)."""
    if lang != "kk":
        return name
    if kind == "PER":
        return kazakh or name
    kazakh = gazetteer.kazakh_name(name) if kind == "LOC" else institutions.kazakh_name(name) if kind == "ORG" else None
    return kazakh or name


def tag_labels(article: dict[str, Any]) -> list[str]:
    """The article's final tags as its page names them: on a Kazakh article a place in Kazakh, and a person
    in the Kazakh spelling the archive met (its entity's ``kazakh_name``)."""
    lang = article.get("lang")
    people = {e["slug"]: e["kazakh_name"] for e in article.get("entities") or [] if e.get("kazakh_name")}
    return [(lang == "kk" and people.get(slug)) or gazetteer.tag_label(name, lang)
            for name, slug in zip(article.get("tags") or [], article.get("tag_slugs") or [], strict=False)]


def paragraphs(text: str | None) -> list[str]:
    return [p for p in (text or "").split("\n\n") if p.strip()]


def environment() -> Environment:
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(default=True),
                      finalize=strip_control, trim_blocks=True, lstrip_blocks=True, auto_reload=False)
    env.filters.update(ru_date=ru_date, ru_count=ru_count, paragraphs=paragraphs, entity_label=entity_label,
                       rubric_name=lambda r: RUBRICS.get(r, r or ""),
                       lang_name=lambda code: LANGS.get(code, code or ""), iso=_iso, tag_label=gazetteer.tag_label)
    env.globals.update(site_name=SITE_NAME, nav_rubrics=[(r, RUBRICS[r]) for r in NAV_RUBRICS],
                       langs=LANGS, entity_types=ENTITY_TYPES)
    return env


def _iso(value: datetime | None) -> str:
    return value.isoformat() if value else ""


def wants_json(request: Request) -> bool:
    return request.query_params.get("format") == "json"


def render(request: Request, template: str, context: dict[str, Any], status: int = 200) -> Response:
    """The page ``template`` over ``context``, or ``context`` itself as JSON with ``?format=json``."""
    if wants_json(request):
        return json_response(context, status)
    env: Environment = request.app.state.templates
    html = env.get_template(template).render(context, page_path=request.url.path,
                                             has_route=request.app.state.has_route)
    return HTMLResponse(html, status)


def json_response(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    body = json.dumps(data, ensure_ascii=False, default=_default, separators=(",", ":"))
    return Response(body, status, headers=headers, media_type="application/json")


def _default(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, set | tuple):
        return list(value)
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")
