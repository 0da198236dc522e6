"""The tag stage: place and entity tags, the outlet's tag model (applied above its threshold,
suggested below), and the feed-card order of the article's tags."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from sqlalchemy import Connection

from newsdesk import gazetteer, tags
from newsdesk.records import HEADLINE, Article, TagScore
from newsdesk.stages.lemmas import LemmaCache
from newsdesk.store.audit import editor_tagged_count, stored_audit
from newsdesk.store.modelstore import load_model, model_info, save_model

MODEL = "tags"
SUGGEST = 5  # tags the model is asked for


def load_tag_model(conn: Connection) -> tags.TagModel | None:
    """The archive's tag model (trained by `newsdesk train`), or None before the first training."""
    return load_model(conn, MODEL, tags.TagModel.load)


def learn(conn: Connection, article: Article) -> bool:
    """Teach the archive's tag model an article its editor has just tagged (`TagModel.update`: new
    tags are added) and keep the model; False when there is no model yet (`newsdesk train` makes it)."""
    model = load_tag_model(conn)
    if model is None or not article.editor_tags:
        return False
    model.update(article)
    model.meta = model.meta | {"editor_updates": int(model.meta.get("editor_updates", 0)) + 1,
                               "updated_at": datetime.now(UTC).isoformat(timespec="seconds")}
    save_model(conn, MODEL, model.save, model.meta)
    return True


@dataclass(frozen=True, slots=True)
class TagModelAge:
    """How far the archive's tag model is behind its editors: `TagModel.update` learns each editor's save
    at once, but a tag new to a large archive gets its classifier only when the model is trained again."""

    trained_at: datetime | None
    trained_on: int  # tagged articles the model was trained on
    tagged: int  # tagged articles the archive holds now
    editor_saves: int  # articles editors tagged through the API since (each one taught the model a step)

    @property
    def changes(self) -> int:
        """Tagged articles added since the training, or editors' saves, whichever is more."""
        return max(self.tagged - self.trained_on, self.editor_saves)


def tag_model_age(conn: Connection) -> TagModelAge | None:
    """The stored tag model's age (None before the first `newsdesk train`)."""
    info = model_info(conn, MODEL)
    if info is None:
        return None
    meta = info["meta"] or {}
    trained = meta.get("trained_at")
    return TagModelAge(datetime.fromisoformat(trained) if trained else None, int(meta.get("articles", 0)),
                       editor_tagged_count(conn), int(meta.get("editor_updates", 0)))


LEADING_KINDS = ("topic", "story")


def feed_order(article: Article, model: tags.TagModel | None, doubted: Collection[str] = ()) -> list[str]:
    """The article's tags for its feed card, primary first: the editor's tags and the outlet's topic
    tags (by `tags.choose_primary`: specificity and confidence), then the places, people and
    organisations the engine found — a card is labelled «Землетрясение», not «ДЧС».  Editor tags the
    audit doubts (``doubted``) go last of all."""
    ranked = tags.choose_primary(article, model, doubted)
    editor = set(article.editor_tags)
    lead = [t for t in ranked
            if t not in doubted and (t in editor or article.tag_kinds.get(t, "topic") in LEADING_KINDS)]
    return lead + [t for t in ranked if t not in lead]  # `choose_primary` put the doubted ones last


def _keys(tag: str) -> tuple[tuple[str, ...], str]:
    """What makes two names one tag on an article: the same words (`tags.same_tag`) or the same tag page
    (the slug: the entity «Sputnik» is the editor's «спутник», «Дональд Трамп» their «Доналд Трамп»)."""
    return tags.same_tag(tag), gazetteer.tag_slug(tag)


def _untaken(scored: list[TagScore], taken: set[object]) -> list[TagScore]:
    """The scores whose tag is not one of ``taken`` nor of an earlier score; ``taken`` grows by them."""
    kept = []
    for score in scored:
        keys = _keys(score.tag)
        if not taken.intersection(keys):
            kept.append(score)
            taken.update(keys)
    return kept


class TagStage:
    name = "tags"

    def __init__(self, lemmas: LemmaCache, model: tags.TagModel | None = None,
                 doubted: Mapping[str, Collection[str]] | None = None) -> None:
        self.lemmas = lemmas
        self.model = model
        self._loaded = model is not None
        self.doubted = doubted if doubted is not None else {}  # article id -> its editor tags the audit flags
        self._fixed = doubted is not None
        self._spellings: dict[tuple[str, ...], str] | None = None  # the model's tags by `tags.same_tag`

    def load(self, conn: Connection) -> None:
        if not self._loaded:
            self.model = load_tag_model(conn)
            self._loaded = True
        if not self._fixed:  # the stored audit of the last `newsdesk train` (parsed once per saved version)
            self.doubted = stored_audit(conn).by_article

    def __call__(self, article: Article) -> None:
        applied, suggested = self._model_tags(article)
        found = tags.merge(tags.place_tags(article), self._spelled(tags.entity_tags(article)), applied)
        taken: set[object] = {key for t in [*article.editor_tags, *article.rejected_tags] for key in _keys(t)}
        article.auto_tags = _untaken(found, taken)
        article.suggested_tags = _untaken(suggested, taken)
        for scored in article.auto_tags:
            article.tag_kinds.setdefault(scored.tag, scored.kind)
        kinds = tags.ENTITY_KINDS
        named = {tags.same_tag(e.name): kinds[e.type] for e in article.entities if e.type in kinds}
        for tag in article.editor_tags:  # «Бишимбаев Куандык» is the person the text names «Куандык Бишимбаев»
            article.tag_kinds.setdefault(tag, named.get(tags.same_tag(tag)) or tags.tag_kind(tag, article))
        article.tags = feed_order(article, self.model, self.doubted.get(article.id or "", ()))

    def _spelled(self, found: list[TagScore]) -> list[TagScore]:
        """Entity tags as the outlet's editors spell the same words: «Куандык Бишимбаев» is their «Бишимбаев
        Куандык», one tag page, not two."""
        if self.model is None:
            return found
        if self._spellings is None:
            known = [*self.model.tags, *(self.model.lexicon.forms if self.model.lexicon is not None else [])]
            self._spellings = {}
            for tag in known:
                self._spellings.setdefault(tags.same_tag(tag), tag)
        return [replace(t, tag=self._spellings.get(tags.same_tag(t.tag), t.tag)) for t in found]

    def _model_tags(self, article: Article) -> tuple[list[TagScore], list[TagScore]]:
        if self.model is None or not self.model.tags:
            return [], []
        applied, suggested = tags.apply(article, self.model, SUGGEST, self.lemmas.of(article))
        if article.kind == HEADLINE:  # a bare headline is too short to tag with confidence: offer only
            return [], applied + suggested
        return applied, suggested
