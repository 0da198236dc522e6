"""Typed records that move through the pipeline stages.

An `Article` is built by a source parser (``sources/``), enriched by the
stages listed in ``pipeline.py`` and persisted by ``store/``.  Stages are
pure functions over these records; none of them touches the database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

ARTICLE = "article"
HEADLINE = "headline"

LANGS = ("ru", "kk", "en", "other")  # what a record's `lang` may be; `lang.detect` gives the same
RUBRICS = ("society", "economy", "technology", "sports", "entertainment", "science", "other", "not_news")
TAG_KINDS = ("topic", "place", "story", "person", "organisation")
ENTITY_TYPES = ("PER", "ORG", "LOC")


@dataclass(frozen=True, slots=True)
class Origin:
    """Where a record came from, for error messages: file (or URL) and line, or its number among a feed's items."""

    path: str
    line: int | None = None
    item: int | None = None

    def __str__(self) -> str:
        if self.item:
            return f"{self.path} item {self.item}"
        return f"{self.path}:{self.line}" if self.line else self.path


@dataclass(slots=True)
class Entity:
    name: str  # normalised (nominative) form
    type: str  # PER, ORG or LOC
    mentions: int = 1
    slug: str = ""
    spans: list[tuple[int, int]] = field(default_factory=list)  # offsets into Article.text
    kazakh_name: str | None = None  # a person's Kazakh spelling an archive met (restored from an export)


@dataclass(slots=True)
class TagScore:
    """An engine decision about a tag: applied or suggested, with its confidence."""

    tag: str
    confidence: float
    kind: str = "topic"


@dataclass(slots=True)
class Article:
    title: str = ""
    lead: str = ""
    paragraphs: list[str] = field(default_factory=list)
    id: str | None = None
    kind: str = ARTICLE
    url: str | None = None
    source: str | None = None
    author: str | None = None
    published_at: datetime | None = None
    fetched_at: datetime | None = None
    lang: str | None = None
    rubric: str | None = None  # one of RUBRICS
    section: str | None = None  # the outlet's own section label, kept as given
    rubric_confidence: float | None = None
    editor_tags: list[str] = field(default_factory=list)
    rejected_tags: list[str] = field(default_factory=list)  # engine tags an editor took off: never put back
    auto_tags: list[TagScore] = field(default_factory=list)
    suggested_tags: list[TagScore] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)  # final order, primary first
    tag_kinds: dict[str, str] = field(default_factory=dict)  # tag name -> kind, when known
    entities: list[Entity] = field(default_factory=list)
    thread_id: str | None = None
    duplicate_of: str | None = None
    nlp_version: str | None = None  # set when the engine's stages ran (or were restored from an export)
    # Fields an editor set through the API («tags», «rubric», «title»… as `store.editing.EDITABLE` names them):
    # a record that arrives with them is the editor's write; the source's later records of the article keep them.
    editor_fields: set[str] = field(default_factory=set)
    origin: Origin | None = None

    @property
    def body(self) -> str:
        """Body paragraphs joined by blank lines (how the archive stores them)."""
        return "\n\n".join(self.paragraphs)

    @property
    def text(self) -> str:
        """Title, lead and body as one text for the language stages."""
        return "\n\n".join(part for part in (self.title, self.lead, self.body) if part)
