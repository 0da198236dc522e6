"""Rendering: the Jinja environment (autoescaped, dates in Asia/Almaty in the page's interface language) and
the one helper every page uses, which serves the same context dict as HTML or, with ``?format=json``, as JSON."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, Response
from jinja2 import Environment, FileSystemLoader, pass_context, select_autoescape
from jinja2.runtime import Context
from markupsafe import Markup

from newsdesk import gazetteer, institutions
from newsdesk.web import i18n
from newsdesk.web.i18n import ENTITY_TYPES, LANGS, NAV_RUBRICS, Catalogue

TEMPLATES = Path(__file__).with_name("templates")
SITE_NAME = "newsdesk"
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def strip_control(value: Any) -> Any:
    """Every expression passes here: control characters never reach the page."""
    if isinstance(value, Markup):  # already built from finalized parts (macro output)
        return value
    return _CONTROL.sub("", value) if isinstance(value, str) else value


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


def tag_label(name: str, lang: str | None) -> str:
    """How a stored tag reads in ``lang``: in Kazakh a place or an institution by its Kazakh name («Қарағанды»,
    «Сыртқы істер министрлігі»), anything else as stored."""
    if lang != "kk":
        return name
    return institutions.kazakh_name(name) or gazetteer.tag_label(name, lang)


def tag_labels(article: dict[str, Any]) -> list[str]:
    """The article's final tags as its page names them: on a Kazakh article a place or an institution in
    Kazakh, and a person in the Kazakh spelling the archive met (its entity's ``kazakh_name``)."""
    lang = article.get("lang")
    people = {e["slug"]: e["kazakh_name"] for e in article.get("entities") or [] if e.get("kazakh_name")}
    return [(lang == "kk" and people.get(slug)) or tag_label(name, lang)
            for name, slug in zip(article.get("tags") or [], article.get("tag_slugs") or [], strict=False)]


def paragraphs(text: str | None) -> list[str]:
    return [p for p in (text or "").split("\n\n") if p.strip()]


def environment() -> Environment:
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(default=True),
                      finalize=strip_control, trim_blocks=True, lstrip_blocks=True, auto_reload=False)
    said = {name: _in_language(getattr(Catalogue, name)) for name in ("date", "count", "rubric_name", "lang_attr")}
    env.filters.update(paragraphs=paragraphs, entity_label=entity_label, iso=_iso, tag_label=tag_label,
                       ui_tag_label=_in_language(lambda ui, name: tag_label(name, ui.lang)),
                       lang_name=lambda code: LANGS.get(code, code or ""), trend_hint=_in_language(trend_hint), **said)
    env.globals.update(site_name=SITE_NAME, nav_rubrics=NAV_RUBRICS, langs=LANGS, entity_types=ENTITY_TYPES,
                       ui_langs=[(code, LANGS[code]) for code in i18n.UI_LANGS])
    return env


def _in_language(function: Callable[..., Any]) -> Callable[..., Any]:
    """A filter that says its value in the page's interface language (the ``ui`` catalogue of the context)."""
    @pass_context
    def filter_(context: Context, *args: Any) -> Any:
        return function(context["ui"], *args)

    return filter_


def trend_hint(ui: Catalogue, tag: dict[str, Any]) -> str:
    """What a trending pill's count counts: «3 материала за 48 часов»; for a burst over the tag's own baseline
    «12 материалов за сутки, обычно 0,6»."""
    count = ui.count(tag["count"], "материал")
    if not tag.get("rising"):
        return ui.text("{count} за 48 часов", count=count)
    usual = f"{tag['usual']:.1f}".replace(".", ",")
    hours = tag["window_hours"]
    if hours in (24, 168):
        key = "{count} за сутки, обычно {usual}" if hours == 24 else "{count} за 7 дней, обычно {usual}"
        return ui.text(key, count=count, usual=usual)
    return ui.text("{count} за {hours} ч, обычно {usual}", count=count, hours=hours, usual=usual)


def _iso(value: datetime | None) -> str:
    return value.isoformat() if value else ""


def wants_json(request: Request) -> bool:
    return request.query_params.get("format") == "json"


def render(request: Request, template: str, context: dict[str, Any], status: int = 200,
           content_lang: str | None = None) -> Response:
    """The page ``template`` over ``context``, or ``context`` itself as JSON with ``?format=json``, in the
    interface language the reader chose (the cookie), else the one of ``content_lang`` (`i18n.choose`).
    Its ``Msg`` values (titles) are said in that language."""
    ui = i18n.choose(request.cookies.get(i18n.COOKIE), content_lang)
    context = {key: ui.resolve(value) for key, value in context.items()}
    headers = {"Vary": "Cookie"}  # the page depends on the reader's choice
    if wants_json(request):
        return json_response(context, status, headers)
    headers["Content-Language"] = ui.lang
    env: Environment = request.app.state.templates
    here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    html = env.get_template(template).render(context, page_path=request.url.path, here=here, ui=ui, _=ui.html,
                                             has_route=request.app.state.has_route)
    return HTMLResponse(html, status, headers)


def json_response(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    body = json.dumps(data, ensure_ascii=False, default=_default, separators=(",", ":"))
    return Response(body, status, headers=headers, media_type="application/json")


def _default(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, set | tuple):
        return list(value)
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")
