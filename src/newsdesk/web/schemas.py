"""API models: what a client sends (``*In``) apart from what it gets back (``*Out``)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

Rubric = Literal["society", "economy", "technology", "sports", "entertainment", "science", "other", "not_news"]
Kind = Literal["article", "headline"]
Lang = Literal["ru", "kk", "en", "other"]  # records.LANGS
TagKind = Literal["topic", "place", "story", "person", "organisation"]  # records.TAG_KINDS


class ArticleIn(BaseModel):
    """A new article.  It needs a title or a text; the engine adds language, tags and entities."""

    model_config = ConfigDict(extra="forbid")

    id: str | None = Field(None, max_length=64, description="Your id for it; one of ours is made when absent.")
    kind: Kind = "article"
    url: str | None = Field(None, description="Canonical URL of the original.")
    source: str | None = Field(None, max_length=200)
    author: str | None = Field(None, max_length=300)
    title: str = ""
    lead: str = ""
    text: str = Field("", description="Body; paragraphs separated by blank lines.")
    published_at: datetime | None = Field(None, description="ISO 8601; a time without zone is Asia/Almaty. "
                                                              "Left out: the time the article is created.")
    lang: str | None = Field(None, max_length=8, description="ru, kk, en or other; detected when absent.")
    rubric: Rubric | None = None
    section: str | None = Field(None, max_length=200, description="The outlet's own section label.")
    tags: list[str] = Field(default_factory=list, description="The editor's tags, primary first.")
    rejected_tags: list[str] = Field(default_factory=list, description="Engine tags the editor takes off: the "
                                                                       "engine neither applies nor suggests them.")


class ArticlePatch(BaseModel):
    """Changes to an article: only the fields sent are changed (``tags`` replaces the editor's tags)."""

    model_config = ConfigDict(extra="forbid")

    kind: Kind | None = None
    url: str | None = None
    source: str | None = Field(None, max_length=200)
    author: str | None = Field(None, max_length=300)
    title: str | None = None
    lead: str | None = None
    text: str | None = None
    published_at: datetime | None = None
    lang: str | None = Field(None, max_length=8)
    rubric: Rubric | None = None
    section: str | None = Field(None, max_length=200)
    tags: list[str] | None = None
    rejected_tags: list[str] | None = Field(None, description="Engine tags the editor takes off (replaces the list).")


class TagScoreOut(BaseModel):
    tag: str
    confidence: float | None


class EntityOut(BaseModel):
    name: str
    type: str
    mentions: int
    slug: str
    kazakh_name: str | None = Field(None, description="A person's Kazakh spelling, when a Kazakh text named them.")


class ArticleOut(BaseModel):
    id: str
    page_url: str = Field(description="Path of the article's page on this site.")
    kind: Kind
    url: str | None
    source: str | None
    author: str | None
    title: str
    lead: str
    text: str
    published_at: datetime | None
    fetched_at: datetime | None
    updated_at: datetime | None
    lang: str | None
    rubric: str | None
    rubric_confidence: float | None
    section: str | None
    tags: list[str] = Field(description="Final tags, primary first.")
    tag_labels: list[str] = Field(default_factory=list, description="The final tags as the article's page names "
                                  "them: a place in Kazakh on a Kazakh article («Балқаш» for the tag «Балхаш»).")
    tag_slugs: list[str]
    tag_kinds: dict[str, str]
    editor_tags: list[str]
    rejected_tags: list[str] = Field(default_factory=list, description="Engine tags the editor took off.")
    editor_fields: list[str] = Field(default_factory=list, description="The fields an editor set through the API: "
                                                                       "the source's later records keep them.")
    auto_tags: list[TagScoreOut]
    suggested_tags: list[TagScoreOut]
    entities: list[EntityOut]
    thread_id: str | None
    duplicate_of: str | None
    revision: int
    nlp_version: str | None


class ArticleList(BaseModel):
    items: list[ArticleOut]
    next_cursor: str | None = Field(description="Pass as ?cursor= for the next page; null on the last.")


class TagOut(BaseModel):
    slug: str
    name: str
    kind: str
    count: int
    page_url: str


class TagList(BaseModel):
    items: list[TagOut]
    next_cursor: str | None


class FacetOut(BaseModel):
    name: str
    count: int
    page_url: str


class FacetList(BaseModel):
    items: list[FacetOut]
    next_cursor: str | None = None


class ErrorDetail(BaseModel):
    code: str
    message: str
    field: str | None


class ErrorOut(BaseModel):
    """Every API error has this shape."""

    error: ErrorDetail


class TagMergeIn(BaseModel):
    """Tags spelled several ways, merged into the one to keep (`GET /api/v1/audit/variants` lists them)."""

    model_config = ConfigDict(extra="forbid")

    tags: list[str] = Field(min_length=1, max_length=100, description="The variants to merge away.")
    into: str = Field(min_length=1, max_length=200, description="The tag every article keeps instead.")


class TagMergeOut(BaseModel):
    into: str
    slug: str
    merged: list[str]
    articles: int = Field(description="Articles whose tags changed (the engine's tags and suggestions included).")
    edited: int = Field(description="Of them, articles whose editor tags changed.")
    page_url: str


ERROR_TEXTS = {400: "Bad request", 401: "Missing or wrong bearer token", 404: "Not found",
               409: "Conflict with what is stored", 413: "Body over NEWSDESK_MAX_WRITE_BYTES",
               414: "Query string too long", 422: "Invalid input; `error.field` names the parameter"}


def errors(*codes: int, **texts: str) -> dict[int | str, dict[str, Any]]:
    """The ``responses`` of a route that answers with these error codes, each as `ErrorOut`
    (``texts``: a route's own description of a code, keyed ``e404`` and so on)."""
    return {code: {"model": ErrorOut, "description": texts.get(f"e{code}", ERROR_TEXTS[code])} for code in codes}


# --- stories, entities, trending, the audit ------------------------------------------------------------------

class TagRefOut(BaseModel):
    name: str
    slug: str
    kind: str


class CardOut(BaseModel):
    """An article as a list shows it: no body."""

    id: str
    kind: Kind
    title: str
    lead: str
    url: str | None
    source: str | None
    published_at: datetime | None
    lang: str | None
    rubric: str | None
    thread_id: str | None
    duplicate_of: str | None
    page_url: str
    link: str | None = Field(description="Where the card leads: its page, or a headline's original URL.")
    primary_tag: TagRefOut | None
    tags: list[TagRefOut]


class StoryOut(BaseModel):
    id: str
    title: str
    lang: str | None
    rubric: str | None
    page_url: str
    score: float
    sources: int = Field(description="Independent sources (outlets of originals).")
    growth: int
    size: int
    first_published: datetime | None
    last_published: datetime | None
    articles: list[str]


class StoryList(BaseModel):
    items: list[StoryOut]
    next_cursor: str | None = Field(description="Pass as ?cursor= for the next page; null on the last.")


class StoryCopyOut(BaseModel):
    id: str
    source: str | None
    page_url: str


class TimelineCardOut(CardOut):
    copies: list[StoryCopyOut] = Field(description="Reprints of this article the story holds.")
    folded: bool = Field(description="A reprint of an earlier card: the page shows it under its original.")


class KeyEntityOut(BaseModel):
    name: str
    slug: str
    type: str
    kazakh_name: str | None
    mentions: int
    articles: int


class StoryDetailOut(BaseModel):
    id: str
    title: str
    lang: str | None
    rubric: str | None
    page_url: str
    size: int
    sources: list[str] = Field(description="Outlets of the originals.")
    reprinted_by: list[str] = Field(description="Outlets that only reprinted them.")
    first_published: datetime | None
    last_published: datetime | None
    timeline: list[TimelineCardOut]
    people: list[KeyEntityOut]
    organisations: list[KeyEntityOut]
    places: list[KeyEntityOut]


class TrendOut(BaseModel):
    tag: str
    slug: str
    page_url: str
    window_hours: int
    count: int
    expected: float
    ratio: float
    score: float


class TrendList(BaseModel):
    items: list[TrendOut]
    next_cursor: str | None = Field(description="Pass as ?cursor= for the next page; null on the last.")


class RelatedList(BaseModel):
    items: list[CardOut]
    next_cursor: None = Field(None, description="Always null: related news is one short list (`limit`), "
                              "not paged.")


class FeatureOut(BaseModel):
    feature: str
    weight: float


class VoteOut(BaseModel):
    reader: str
    share: float
    top: str
    top_probability: float
    rubric_probability: float


class AuditNoteOut(BaseModel):
    score: float
    better: str | None


class TagReasonOut(BaseModel):
    tag: str
    origin: Literal["editor", "auto", "suggested"]
    kind: str
    confidence: float | None = None
    classifier_confidence: float | None = None
    because: list[FeatureOut]
    audit: AuditNoteOut | None = Field(None, description="An editor tag the audit doubts.")


class ExplainOut(BaseModel):
    id: str
    rubric: str | None
    rubric_confidence: float | None
    rubric_given_by_editor: bool
    rubric_because: list[FeatureOut]
    rubric_votes: list[VoteOut]
    tags: list[TagReasonOut]


class EntityPageOut(BaseModel):
    name: str
    slug: str
    type: str
    kazakh_name: str | None
    articles: int
    mentions: int
    page_url: str
    items: list[CardOut]
    next_cursor: str | None = Field(description="Pass as ?after= for the next page; null on the last.")


class AuditFlagOut(BaseModel):
    article_id: str
    tag: str
    score: float
    better: str | None
    title: str
    page_url: str


class AuditList(BaseModel):
    items: list[AuditFlagOut]
    next_cursor: str | None = Field(description="Pass as ?cursor= for the next page; null on the last.")


class VariantTagOut(BaseModel):
    tag: str
    articles: int
    page_url: str


class VariantGroupOut(BaseModel):
    tags: list[VariantTagOut]
    reason: str
    keep: str


class VariantList(BaseModel):
    items: list[VariantGroupOut]
    next_cursor: None = Field(None, description="Always null: the groups are listed whole.")
