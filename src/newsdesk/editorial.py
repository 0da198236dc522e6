"""What editors run over a whole archive: train the outlet's tag model, re-tag, audit editor tags,
rebuild story threads for a period, re-analyse entities after an upgrade.  The CLI verbs ``train``,
``audit``, ``rethread`` and ``reanalyse`` call these."""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path

import numpy as np
from sqlalchemy import ColumnElement, Connection, delete, exists, select, update

from newsdesk import dense, rubrics, tags
from newsdesk.kazakh import russian_letters
from newsdesk.records import ARTICLE, RUBRICS, Article
from newsdesk.similarity import analyse
from newsdesk.slug import slugify
from newsdesk.stages.lemmas import LemmaCache
from newsdesk.stages.people import PEOPLE_KEY, EntityStage
from newsdesk.stages.rubric import MODEL as RUBRIC_MODEL
from newsdesk.stages.tagging import MODEL as TAG_MODEL
from newsdesk.stages.tagging import TagStage, load_tag_model, tag_model_age
from newsdesk.stages.threading import KEY as THREAD_KEY
from newsdesk.stages.threading import refresh_rubrics, save_stories
from newsdesk.store.audit import AUDIT_KEY, editor_tagged_count, save_audit, save_variants, stored_audit
from newsdesk.store.db import Archive
from newsdesk.store.meta import get_meta, set_meta
from newsdesk.store.modelstore import load_model, save_model
from newsdesk.store.queries import article_dicts, to_record
from newsdesk.store.stories import ENTITY_MOVES, STORY_MOVES
from newsdesk.store.vectors import save_vectors, stored_vectors
from newsdesk.store.writer import ARTICLE_ENTITIES, ARTICLE_TAGS, ARTICLES, ENTITIES, Writer
from newsdesk.surnames import PeopleIndex
from newsdesk.tag_variants import Variants, find_variants
from newsdesk.threads import Threader, ThreadOptions, rethread

log = logging.getLogger(__name__)
PAGE = 500
Progress = Callable[[int], None]


@dataclass(frozen=True, slots=True)
class Flag:
    """An editor tag that does not fit its article (``newsdesk audit --json`` prints these)."""

    article_id: str
    tag: str
    score: float
    better: str | None
    title: str = ""


def stored_articles(conn: Connection, since: datetime | None = None, kind: str | None = ARTICLE,
                    where: tuple[ColumnElement[bool], ...] = ()) -> Iterator[Article]:
    """Stored articles as records, oldest first (a page of ids at a time), those matching ``where``."""
    query = select(ARTICLES.c.id).where(*where).order_by(ARTICLES.c.published_at, ARTICLES.c.id)
    if since is not None:
        query = query.where(ARTICLES.c.published_at >= since)
    if kind is not None:
        query = query.where(ARTICLES.c.kind == kind)
    ids = list(conn.scalars(query))
    for start in range(0, len(ids), PAGE):
        yield from (to_record(d) for d in article_dicts(conn, ids[start:start + PAGE]))


def train_tags(archive: Archive, progress: Progress | None = None) -> tuple[tags.TagModel, list[Flag]]:
    """Learn the outlet's tags from its editor tags, store the model in the archive, re-tag every
    article with it, and audit every editor tag with models that did not see its article."""
    with archive.engine.connect() as conn:
        articles = [a for a in stored_articles(conn) if a.editor_tags]
    model, found = tags.audit_archive(articles)
    flags = [Flag(a.id or "", f.tag, f.score, f.better, a.title) for a, f in found]
    with archive.engine.begin() as conn:
        save_model(conn, TAG_MODEL, model.save, model.meta)
        save_audit(conn, [asdict(f) for f in flags])
        save_variants(conn, [v.as_dict() for v in editor_tag_variants(conn, articles)])
    retag(archive, model, progress, flags)
    log.info("tag model: %d tags from %d articles; %d editor tags flagged", len(model.tags), len(articles), len(flags))
    return model, flags


def editor_tag_variants(conn: Connection, articles: list[Article]) -> list[Variants]:
    """The editor tags of ``articles`` that look like one tag (`tag_variants`), with the archive's people."""
    saved = get_meta(conn, PEOPLE_KEY, "") or ""
    people = PeopleIndex.from_json(saved) if saved else None
    return find_variants(Counter(t for a in articles for t in set(a.editor_tags)), people)


def retag(archive: Archive, model: tags.TagModel | None, progress: Progress | None = None,
          flags: list[Flag] | None = None) -> int:
    """Re-run the tag stage over every stored record (applied, suggested, primary order); ``flags``: the
    audit just made (else the stored one), whose doubted editor tags do not lead a feed card."""
    doubted: dict[str, set[str]] = {}
    if flags is None:
        with archive.engine.connect() as conn:
            doubted = {article_id: set(found) for article_id, found in stored_audit(conn).by_article.items()}
    for flag in flags or ():
        doubted.setdefault(flag.article_id, set()).add(flag.tag)
    stage, writer, done = TagStage(LemmaCache(), model, doubted), Writer(), 0
    with archive.engine.connect() as conn:
        ids = list(conn.scalars(select(ARTICLES.c.id).order_by(ARTICLES.c.id)))
    for start in range(0, len(ids), PAGE):
        with archive.engine.begin() as conn:
            batch = [to_record(d) for d in article_dicts(conn, ids[start:start + PAGE])]
            for article in batch:
                stage(article)
            conn.execute(delete(ARTICLE_TAGS).where(ARTICLE_TAGS.c.article_id.in_([a.id for a in batch])))
            writer.write_tags(conn, batch)
        stage.lemmas.clear()
        done += len(batch)
        if progress:
            progress(done)
    return done


def reanalyse(archive: Archive, progress: Callable[[str, int, int | None], None] | None = None) -> int:
    """Give every stored record the entities today's rules find, then re-run what reads them: the rubric
    the engine chose (`reclassify`, with the archive's rubric model or the shipped one) and the tags
    (`retag`, with the archive's tag model).  Editors' tags and rubrics stay theirs; threads, copies and
    the search index are left alone (``rethread`` and ``reindex`` rebuild those).  ``progress(step, done,
    total)`` hears of each step («entities», «rubrics», «tags»; the rubrics' total is not known ahead).
    Articles are read in publication order with a fresh people index, as a new ingest would read them;
    entities no article names any more (an old rule's names) are deleted.  Returns the count."""
    stage, writer, done = EntityStage(), Writer(), 0
    with archive.engine.connect() as conn:
        stage.load(conn)
        stage.people = PeopleIndex()
        ids = list(conn.scalars(select(ARTICLES.c.id).order_by(ARTICLES.c.published_at, ARTICLES.c.id)))
        rubric_model = load_model(conn, RUBRIC_MODEL, rubrics.RubricModel.load) or rubrics.default_model()
        tag_model = load_tag_model(conn)
    for start in range(0, len(ids), PAGE):
        with archive.engine.begin() as conn:
            batch = [to_record(d) for d in article_dicts(conn, ids[start:start + PAGE])]
            for article in batch:
                article.entities = []
                stage(article)
            conn.execute(delete(ARTICLE_ENTITIES).where(ARTICLE_ENTITIES.c.article_id.in_([a.id for a in batch])))
            writer.write_entities(conn, batch)
            stage.save(conn, batch)
        done += len(batch)
        if progress:
            progress("entities", done, len(ids))
    with archive.engine.begin() as conn:
        orphans = ~exists().where(ARTICLE_ENTITIES.c.entity_id == ENTITIES.c.id)
        retired = conn.execute(select(ENTITIES.c.slug, ENTITIES.c.name, ENTITIES.c.type).where(orphans))
        _keep_moves(conn, [(r.slug, r.name, r.type) for r in retired], stage.people)
        conn.execute(delete(ENTITIES).where(orphans))
    tell = progress or (lambda _step, _done, _total: None)
    reclassify(archive, rubric_model, progress=lambda n: tell("rubrics", n, None))  # only the engine's rubrics
    retag(archive, tag_model, progress=lambda n: tell("tags", n, len(ids)))
    log.info("reanalysed %d articles", done)
    return done


def _keep_moves(conn: Connection, retired: list[tuple[str, str, str]], people: PeopleIndex | None) -> None:
    """Where the pages of the entities no article names any more moved: a Kazakh spelling's person to the
    slug of the Russian letters (one person in both languages), a surname alone to the full name the
    archive knows for it.  Kept in meta (`stories.ENTITY_MOVES`) so old links redirect."""
    moves: dict[str, str] = {}
    for slug, name, kind in retired:
        if kind != "PER":
            continue
        full = people.lookup(name) if people is not None and len(name.split()) == 1 else None
        target = slugify(russian_letters(full or name))
        if target and target != slug:
            moves[slug] = target
    wanted = sorted(set(moves.values()))
    known: set[str] = set()
    for start in range(0, len(wanted), PAGE):
        known |= set(conn.scalars(select(ENTITIES.c.slug).where(ENTITIES.c.slug.in_(wanted[start:start + PAGE]))))
    found = {old: new for old, new in moves.items() if new in known}
    if found:
        set_meta(conn, ENTITY_MOVES, (get_meta(conn, ENTITY_MOVES) or {}) | found)
        log.info("reanalyse: %d retired entity pages redirect to their new ones", len(found))


def editor_tagged(archive: Archive) -> int:
    """How many tagged articles the stored audit learnt from: the tag model's training count (deletions and
    new articles since do not change what it learnt), or the archive's count before any training."""
    with archive.engine.connect() as conn:
        age = tag_model_age(conn)
        return age.trained_on if age is not None else editor_tagged_count(conn)


def audit_flags(archive: Archive, recompute: bool = False) -> list[Flag]:
    """Editor tags that do not fit, worst first: the stored audit, or a fresh one (retrains the model)."""
    if not recompute:
        with archive.engine.connect() as conn:
            stored = get_meta(conn, AUDIT_KEY)
        if stored is not None:
            return [Flag(**f) for f in stored]
    return train_tags(archive)[1]


def rethread_since(archive: Archive, since: datetime) -> int:
    """Rebuild the threads of every article published since ``since``; returns the articles rethreaded.

    The articles of the window before ``since`` are the context (`threads.rethread`): the period's articles
    join the stories they continue, so a story crossing ``since`` keeps its id and stays whole."""
    window = ThreadOptions().window
    with archive.engine.connect() as conn:
        articles = list(stored_articles(conn, since))
        context = list(stored_articles(conn, since - window, where=(ARTICLES.c.published_at < since,)))
        vectors = stored_vectors(conn, context + articles) if dense.available() else {}
    missing = [a for a in context + articles if a.id not in vectors]
    fresh = [(a, v) for a, v in zip(missing, dense.embed_many(missing), strict=True) if v is not None]
    vectors |= {a.id or "": v for a, v in fresh}
    lemmas = {a.id or "": analyse(a) for a in context + articles}
    assigned = rethread(articles, lemmas=lemmas, dense=vectors, context=context)
    with archive.engine.begin() as conn:
        save_vectors(conn, fresh)
        before = {a.id: a.thread_id for a in articles if a.thread_id}
        old = set(before.values()) | _merge_context(conn, context, assigned)
        for article in context + articles:
            article.thread_id = assigned.get(article.id or "", article.thread_id)
        for article in articles:
            conn.execute(update(ARTICLES).where(ARTICLES.c.id == article.id).values(thread_id=article.thread_id))
        save_stories(conn, old | set(assigned.values()), lemmas)
        _keep_story_moves(conn, before, assigned)
        set_meta(conn, THREAD_KEY, _restored(context + articles, vectors).to_state())
    return len(articles)


def _merge_context(conn: Connection, context: list[Article], assigned: dict[str, str]) -> set[str]:
    """Stories of the context that a period article merged into another: every stored article of the
    absorbed one (older ones too) moves to the survivor, as the online stage does.  Returns both ids."""
    merges = {a.thread_id: assigned[a.id] for a in context if a.id in assigned and a.thread_id != assigned[a.id]}
    for absorbed, survivor in merges.items():
        conn.execute(update(ARTICLES).where(ARTICLES.c.thread_id == absorbed).values(thread_id=survivor))
    return {i for pair in merges.items() for i in pair if i}


def _keep_story_moves(conn: Connection, before: Mapping[str | None, str | None], assigned: dict[str, str]) -> None:
    """Stories whose id the rethread retired (no article keeps it): their pages redirect to the story that
    took most of their articles (`stories.moved_story`)."""
    taken: dict[str, Counter[str]] = {}
    for article_id, old in before.items():
        taken.setdefault(old or "", Counter())[assigned.get(article_id or "", old or "")] += 1
    kept = set(conn.scalars(select(ARTICLES.c.thread_id).where(ARTICLES.c.thread_id.in_(list(taken)))))
    gone = {old: counts.most_common(1)[0][0] for old, counts in taken.items() if old not in kept}
    if gone:
        moves: dict[str, str] = get_meta(conn, STORY_MOVES) or {}
        moves = {old: gone.get(new, new) for old, new in moves.items() if old not in kept} | gone
        set_meta(conn, STORY_MOVES, moves)


def _restored(articles: list[Article], vectors: dict[str, np.ndarray]) -> Threader:
    """An online threader holding the rethreaded articles (and the context before them), so arrivals
    continue their threads."""
    threader = Threader()
    for article in sorted(articles, key=lambda a: (a.published_at or a.fetched_at, a.id or "")):
        if article.thread_id:
            threader.restore(article, article.thread_id, dense=vectors.get(article.id or ""))
    return threader


def train_own_rubrics(archive: Archive, data: Path | None = None,
                      progress: Progress | None = None) -> rubrics.RubricModel:
    """Learn the outlet's rubrics from the archive's articles whose rubric an editor gave (with the labelled
    sets in ``data`` when given), keep the model in the archive (the rubric stage uses it from then on),
    and re-classify the articles whose rubric the engine chose."""
    from newsdesk.rubric_training import train_outlet

    with archive.engine.connect() as conn:
        editors = (ARTICLES.c.rubric.in_(RUBRICS), ARTICLES.c.rubric_confidence.is_(None))
        labelled = list(stored_articles(conn, where=editors))
        vectors = stored_vectors(conn, labelled) if dense.available() else {}
    known = {dense.fingerprint(a): vectors[a.id] for a in labelled if a.id in vectors}
    model = train_outlet(labelled, data, known)
    with archive.engine.begin() as conn:
        save_model(conn, RUBRIC_MODEL, model.save, model.meta)
    reclassify(archive, model, progress)
    return model


def reclassify(archive: Archive, model: rubrics.RubricModel, progress: Progress | None = None) -> int:
    """Give every article whose rubric the engine chose (not an editor) the rubric ``model`` gives it,
    reading the dense vectors the archive keeps (an article without one is left to the SVM)."""
    with archive.engine.connect() as conn:
        ids = list(conn.scalars(select(ARTICLES.c.id).where(ARTICLES.c.rubric_confidence.is_not(None))
                                .order_by(ARTICLES.c.id)))
    lemmas, done, moved = LemmaCache(), 0, set()
    for start in range(0, len(ids), PAGE):
        with archive.engine.begin() as conn:
            batch = [to_record(d) for d in article_dicts(conn, ids[start:start + PAGE])]
            vectors = stored_vectors(conn, batch) if model.head is not None else {}
            for article in batch:
                rubric, confidence = rubrics.predict(article, lemmas.of(article), model, vectors.get(article.id or ""))
                conn.execute(update(ARTICLES).where(ARTICLES.c.id == article.id)
                             .values(rubric=rubric, rubric_confidence=round(float(confidence), 4)))
                if rubric != article.rubric:
                    moved.add(article.thread_id)
        lemmas.clear()
        done += len(batch)
        if progress:
            progress(done)
    with archive.engine.begin() as conn:  # the stories of the articles that moved: the rubric most of them have
        changed = refresh_rubrics(conn, moved)
    log.info("reclassified %d articles; %d stories changed rubric", done, changed)
    return done


def train_rubrics(data: Path, out: Path) -> dict:
    """Rebuild the shipped rubric model from the labelled sets in ``data`` (../shared/data)."""
    from newsdesk.rubric_training import train_default

    model = train_default(data)
    model.save(out)
    return model.meta
