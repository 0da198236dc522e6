"""Online story threading: each arriving article joins the thread of the same event or opens one.

Two articles are *linked* when they tell the same story: the probability that they do, a logistic
function of the cosine of their TF-IDF vectors (`similarity.py`: lemmas, the title counted thrice, names
boosted, numbers kept) and of their dense sentence vectors (`dense.py`: multilingual-e5-small), reaches
``dense_threshold``.  Weights and threshold are fitted on real labelled same-story pairs (see
``bench/threads.py``).  Without dense vectors (``NEWSDESK_DENSE=0``, or an article with no text) the
TF-IDF cosine alone must reach ``threshold``.  A thread is a set of linked articles: an arriving article
joins the thread of its closest linked article, and if it links to several threads they are merged into
the one that started first.  Because a link depends only on the two articles, the threads come out the
same whatever the arrival order, as long as the articles arrive within the window of each other.

Articles in different languages (a Russian and a Kazakh telling of one event) share few lemmas, so
across languages the link is the dense vectors' cosine alone: at least ``cross_threshold``, found on the
`crosslingual.LanguageShelf` of active articles' vectors (calibrated in ``bench/threads.py``).

An article is compared only with articles active in a time window (default 72 h) and, among those, only
with the few that share its salient lemmas (an inverted index from salient terms to active articles),
so the cost per article depends on how much news is active, not on the size of the archive.

    threader = Threader(Vectorizer(frequencies))
    thread_id = threader.add(article)        # the id of the article that opened the thread
    threader.pop_changes()                   # {absorbed thread id: surviving id} since the last call
    threader.threads()                       # active `Thread`s: title, members, key terms
    rethread(articles)                       # {article id: thread id} for a period, order-independent
    rethread(articles, context=before)       # ... continuing the stories of the window before it
    rank_threads(threads, now)               # stories for the home page, best first
    thread_title(articles)                   # the title of a stored thread
    stored_thread(thread_id, articles)       # a stored thread as a `Thread`, for its row

Thread ids are article ids: the article that opened the thread online, the earliest published one
after `rethread` (which replays the articles in publication order).
"""

from __future__ import annotations

import heapq
import logging
import math
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

import numpy as np

from newsdesk import dense as dense_vectors
from newsdesk.crosslingual import LanguageShelf
from newsdesk.errors import InputError
from newsdesk.records import Article
from newsdesk.similarity import (
    DocumentFrequencies,
    Sparse,
    TextLemmas,
    TextVector,
    Vectorizer,
    VectorOptions,
    analyse,
    cosine,
    top_terms,
    truncate,
)

log = logging.getLogger(__name__)

STATE_VERSION = 3  # 3: items carry their language; 2: dense vectors; older states still load (items without)
_FUTURE_SKEW = timedelta(hours=1)
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class ThreadOptions:
    window: timedelta = timedelta(hours=72)  # articles further apart than this are never linked
    threshold: float = 0.425  # without dense vectors: link two articles whose cosine is at least this
    dense: bool = True  # compare dense vectors too (when `dense.available()`)
    link_weights: tuple[float, float, float] = (6.215, 45.866, -44.517)  # logit(same) = w·(cosine, dense, 1)
    dense_threshold: float = 0.6  # with dense vectors: link when that probability reaches this
    cross_threshold: float = 0.91  # articles in different languages: link when their dense cosine reaches this
    candidates: int = 40  # active articles scored per arrival: those sharing the most salient weight
    min_overlap: float = 0.04  # ... and at least this dot product over salient terms (a lower bound)
    item_terms: int = 120  # an active article's vector is kept truncated to its strongest terms
    centroid_terms: int = 300  # a thread's centroid (for its title and key terms) likewise
    max_posting: int = 5_000  # a salient term shared by more active articles is too common to search by
    max_members: int = 1_000  # a long-running thread remembers only its latest members (the archive has all)


@dataclass(frozen=True, slots=True)
class Member:
    article_id: str
    published_at: datetime
    source: str | None = None
    title: str = ""
    duplicate_of: str | None = None
    lang: str = ""  # "" when unknown (states saved before members kept it)


@dataclass(frozen=True, slots=True)
class Thread:
    """A story: its members in publication order, the most representative title and key lemmas."""

    id: str
    title: str
    members: tuple[Member, ...]
    terms: tuple[str, ...] = ()

    @property
    def first_at(self) -> datetime:
        return self.members[0].published_at

    @property
    def last_at(self) -> datetime:
        return self.members[-1].published_at


@dataclass(slots=True)
class _Item:
    """An active article: what linking needs."""

    id: str
    thread: str
    at: float  # publication timestamp
    terms: Sparse
    keys: tuple[str, ...]
    dense: np.ndarray | None = None
    lang: str | None = None


@dataclass(slots=True)
class _Active:
    id: str
    first_at: datetime
    last_at: datetime
    members: list[Member] = field(default_factory=list)
    titles: list[Sparse] = field(default_factory=list)  # members' title vectors, same order
    centroid: Sparse = field(default_factory=dict)  # sum of member vectors, truncated
    items: set[str] = field(default_factory=set)  # ids of its articles still active


class _ItemIndex:
    """Active articles, an inverted index from salient terms to them, their dense vectors by language and
    their expiry heap."""

    def __init__(self) -> None:
        self.items: dict[str, _Item] = {}
        self.postings: dict[str, dict[str, float]] = {}  # term -> {item id: its weight}
        self.expiry: list[tuple[float, str]] = []
        self.shelf = LanguageShelf()

    def add(self, item: _Item) -> None:
        self.items[item.id] = item
        for term in item.keys:
            self.postings.setdefault(term, {})[item.id] = item.terms.get(term, 0.0)
        if item.dense is not None and item.lang:
            self.shelf.add(item.id, item.lang, item.dense)
        heapq.heappush(self.expiry, (item.at, item.id))

    def expire(self, horizon: float) -> Iterable[_Item]:
        while self.expiry and self.expiry[0][0] < horizon:
            _, item_id = heapq.heappop(self.expiry)
            item = self.items.pop(item_id, None)
            if item is not None:
                self._unpost(item)
                yield item

    def _unpost(self, item: _Item) -> None:
        if item.lang:
            self.shelf.remove(item.id, item.lang)
        for term in item.keys:
            posting = self.postings[term]
            posting.pop(item.id, None)
            if not posting:
                del self.postings[term]

    def candidates(self, vector: TextVector, limit: int, max_posting: int, least: float) -> list[_Item]:
        """Active articles with the largest dot product with ``vector`` over salient terms (≥ ``least``)."""
        hits: dict[str, float] = {}
        get = hits.get
        for term in vector.top:
            posting = self.postings.get(term)
            if posting and len(posting) <= max_posting:
                weight = vector.terms[term]
                for item_id, other in posting.items():
                    hits[item_id] = get(item_id, 0.0) + weight * other
        best = heapq.nlargest(limit, hits, key=hits.__getitem__)
        return [self.items[i] for i in best if hits[i] >= least]

    def across(self, dense: np.ndarray, lang: str, least: float) -> list[tuple[_Item, float]]:
        """Active articles in other languages than ``lang`` whose dense cosine with ``dense`` is ≥ ``least``."""
        return [(self.items[key], cosine) for key, cosine in self.shelf.closest(dense, lang, least)]


def published(article: Article, clock: datetime | None) -> datetime:
    """The article's time on the stream: published_at, but never much after it was fetched."""
    when = article.published_at or article.fetched_at or clock
    if when is None:
        raise InputError("an article needs published_at (or fetched_at) to be threaded",
                         article.origin, "published_at")
    if article.fetched_at and when > article.fetched_at + _FUTURE_SKEW:
        return article.fetched_at  # a date in the future would move the clock and expire everything
    return when


def article_id(article: Article) -> str:
    if not article.id:
        raise InputError("an article needs an id to be threaded", article.origin, "id")
    return article.id


class Threader:
    """Online single-link threader over a sliding window; its state is bounded by the window."""

    def __init__(self, vectorizer: Vectorizer | None = None, options: ThreadOptions | None = None):
        self.vectorizer = vectorizer or Vectorizer()
        self.options = options or ThreadOptions()
        self.clock: datetime | None = None  # latest publication time seen
        self._threads: dict[str, _Active] = {}
        self._items = _ItemIndex()
        self._thread_of: dict[str, str] = {}  # article id -> thread id, for active threads
        self._changes: dict[str, str] = {}
        self.stats: Counter[str] = Counter()  # articles, scored (cosines computed), opened, merged, expired
        self.on_expiry: Callable[[Thread], None] | None = None  # hears of each thread leaving the window

    def __len__(self) -> int:
        return len(self._threads)

    @property
    def active_articles(self) -> int:
        return len(self._items.items)

    @property
    def index_size(self) -> int:
        """Entries in the inverted index of active articles."""
        return sum(len(posting) for posting in self._items.postings.values())

    def add(self, article: Article, lemmas: TextLemmas | None = None, dense: np.ndarray | None = None) -> str:
        """Thread one article and return its thread id (merges are reported by `pop_changes`).

        A copy (``duplicate_of`` set to an active article) joins its original's thread unexamined.  Pass
        ``lemmas`` and ``dense`` (its `dense.embed` vector) when already computed.
        """
        known = self._thread_of.get(article_id(article))
        if known:
            self._revise(known, article, lemmas)
            return known  # already threaded: a new revision of the article keeps its thread
        when = published(article, self.clock)
        member = _member(article, when)
        self._advance(when)
        original = self._thread_of.get(article.duplicate_of or "")
        if original:
            return self._attach(self._threads[original], member, {})
        vector = self.vectorizer.vector(lemmas or analyse(article))
        dense = self._dense(article, dense)
        linked = self._linked(vector, when.timestamp(), dense, article.lang)
        self.stats["articles"] += 1
        thread = linked[0] if linked else self._open(member)
        for other in linked[1:]:
            thread = self._merge(thread, other)
        self._attach(thread, member, vector.title)
        self._absorb(thread, member, vector, dense, article.lang)
        return thread.id

    def join(self, article: Article, thread_id: str) -> bool:
        """A copy whose original the archive keeps in thread ``thread_id`` joins it unexamined, when that
        thread is active; False when it is not (the caller files the copy under the stored thread)."""
        when = published(article, self.clock)
        self._advance(when)
        thread = self._threads.get(thread_id)
        if thread is None:
            return False
        self._attach(thread, _member(article, when), {})
        return True

    def restore(self, article: Article, thread_id: str, lemmas: TextLemmas | None = None,
                dense: np.ndarray | None = None) -> None:
        """Put back an article threaded by an earlier run (e.g. from the archive) without deciding anew."""
        when = published(article, self.clock)
        member = _member(article, when)
        self._advance(when)
        thread = self._threads.get(thread_id) or self._open(Member(thread_id, when))
        vector = self.vectorizer.vector(lemmas or analyse(article))
        self._attach(thread, member, vector.title)
        self._absorb(thread, member, vector, self._dense(article, dense), article.lang)

    def _revise(self, thread_id: str, article: Article, lemmas: TextLemmas | None) -> None:
        """A new revision of a member: its headline, language, source and copy link as they are now (the
        story's title reads the members' headlines); it keeps its place in the thread and its link."""
        thread = self._threads.get(thread_id)
        for i, member in enumerate(thread.members if thread else []):
            if member.article_id != article.id:
                continue
            now = replace(member, title=article.title, lang=article.lang or "", source=article.source,
                          duplicate_of=article.duplicate_of)
            if now != member and thread is not None:
                learn, self.vectorizer.learn = self.vectorizer.learn, False  # the same document, not a new one
                try:
                    thread.titles[i] = self.vectorizer.vector(lemmas or analyse(article)).title
                finally:
                    self.vectorizer.learn = learn
                thread.members[i] = now
            return

    def _dense(self, article: Article, given: np.ndarray | None) -> np.ndarray | None:
        if given is not None or not self.options.dense:
            return given
        return dense_vectors.embed(article)

    def pop_changes(self) -> dict[str, str]:
        """Threads merged since the last call: ``{absorbed thread id: surviving thread id}``."""
        changes, self._changes = self._changes, {}
        return changes

    def threads(self) -> list[Thread]:
        return [self._view(t) for t in self._threads.values()]

    def thread(self, thread_id: str) -> Thread | None:
        active = self._threads.get(thread_id)
        return self._view(active) if active else None

    def thread_of(self, article_id: str) -> str | None:
        return self._thread_of.get(article_id)

    def members_of(self, thread_id: str) -> list[str]:
        """The article ids an active thread keeps (empty when it is not active)."""
        thread = self._threads.get(thread_id)
        return [m.article_id for m in thread.members] if thread else []

    def remove(self, article_id: str) -> str | None:
        """Forget a deleted article: out of its thread (whose title and span no longer count it) and of the
        active articles; a thread left with no article goes, unheard by `on_expiry`.  Returns its thread
        id, or None when the article is not in an active thread.  The thread's centroid (a sum) loses the
        article's strongest terms, those its active entry keeps (`ThreadOptions.item_terms`)."""
        thread_id = self._thread_of.pop(article_id, None)
        thread = self._threads.get(thread_id or "")
        item = self._items.items.pop(article_id, None)
        if item is not None:
            self._items._unpost(item)  # its expiry entry stays in the heap and is skipped when it comes
            if thread is not None:
                self._subtract_centroid(thread, item.terms)
        if thread is None:
            return thread_id
        kept = [(m, t) for m, t in zip(thread.members, thread.titles, strict=True) if m.article_id != article_id]
        thread.members, thread.titles = [m for m, _ in kept], [t for _, t in kept]
        thread.items.discard(article_id)
        if not thread.members:
            del self._threads[thread.id]
        else:
            thread.first_at = min(m.published_at for m in thread.members)
            thread.last_at = max(m.published_at for m in thread.members)
        return thread_id

    def _linked(self, vector: TextVector, at: float, dense: np.ndarray | None = None,
                lang: str | None = None) -> list[_Active]:
        """Threads with an active article linked to ``vector``, the closest first."""
        best = dict[str, float]()
        for item, similarity in self._links(vector, at, dense, lang):
            if similarity > best.get(item.thread, 0.0):
                best[item.thread] = similarity
        threads = [self._threads[t] for t in best]
        threads.sort(key=lambda t: (-best[t.id], t.first_at, t.id))
        return threads

    def _links(self, vector: TextVector, at: float, dense: np.ndarray | None,
               lang: str | None) -> Iterator[tuple[_Item, float]]:
        """Active articles within the window linked to the arriving one, with the strength of the link:
        the probability of the same story (the TF-IDF cosine without dense vectors), across languages
        the dense cosine."""
        options, window = self.options, self.options.window.total_seconds()
        w_cosine, w_dense, bias = options.link_weights
        for item in self._items.candidates(vector, options.candidates, options.max_posting, options.min_overlap):
            if abs(item.at - at) > window:
                continue
            self.stats["scored"] += 1
            similarity = cosine(vector.terms, item.terms)
            if dense is not None and item.dense is not None:
                logit = w_cosine * similarity + w_dense * float(dense @ item.dense) + bias
                similarity = 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, logit))))
                if similarity >= options.dense_threshold:
                    yield item, similarity
            elif similarity >= options.threshold:
                yield item, similarity
        if dense is not None and lang:
            yield from ((item, c) for item, c in self._items.across(dense, lang, options.cross_threshold)
                        if abs(item.at - at) <= window)

    def _open(self, member: Member) -> _Active:
        self.stats["opened"] += 1
        thread = _Active(member.article_id, member.published_at, member.published_at)
        self._threads[thread.id] = thread
        return thread

    def _attach(self, thread: _Active, member: Member, title: Sparse) -> str:
        thread.members.append(member)
        thread.titles.append(title)
        thread.first_at = min(thread.first_at, member.published_at)
        thread.last_at = max(thread.last_at, member.published_at)
        self._thread_of[member.article_id] = thread.id
        if len(thread.members) > self.options.max_members * 1.1:
            self._forget_oldest(thread)
        return thread.id

    def _forget_oldest(self, thread: _Active) -> None:
        cut = len(thread.members) - self.options.max_members
        for member in thread.members[:cut]:
            if self._thread_of.get(member.article_id) == thread.id and member.article_id not in thread.items:
                del self._thread_of[member.article_id]
        del thread.members[:cut], thread.titles[:cut]

    def _absorb(self, thread: _Active, member: Member, vector: TextVector, dense: np.ndarray | None,
                lang: str | None) -> None:
        terms = truncate(vector.terms, self.options.item_terms)
        self._items.add(_Item(member.article_id, thread.id, member.published_at.timestamp(), terms, vector.top,
                              dense, lang))
        thread.items.add(member.article_id)
        self._add_centroid(thread, vector.terms)

    def _add_centroid(self, thread: _Active, terms: Mapping[str, float]) -> None:
        centroid = thread.centroid
        for term, weight in terms.items():
            centroid[term] = centroid.get(term, 0.0) + weight
        if len(centroid) > 2 * self.options.centroid_terms:
            thread.centroid = truncate(centroid, self.options.centroid_terms)

    @staticmethod
    def _subtract_centroid(thread: _Active, terms: Mapping[str, float]) -> None:
        centroid = thread.centroid
        for term, weight in terms.items():
            left = centroid.get(term, 0.0) - weight
            if left > 1e-9:
                centroid[term] = left
            else:
                centroid.pop(term, None)

    def _merge(self, a: _Active, b: _Active) -> _Active:
        keep, gone = sorted((a, b), key=lambda t: (t.first_at, t.id))
        for member, title in zip(gone.members, gone.titles, strict=True):
            self._attach(keep, member, title)
        for item_id in gone.items:
            self._items.items[item_id].thread = keep.id
        keep.items |= gone.items
        self._add_centroid(keep, gone.centroid)
        del self._threads[gone.id]
        self._changes = {old: keep.id if new == gone.id else new for old, new in self._changes.items()}
        self._changes[gone.id] = keep.id
        self.stats["merged"] += 1
        log.debug("merged thread %s into %s", gone.id, keep.id)
        return keep

    def _advance(self, when: datetime) -> None:
        if self.clock is None or when > self.clock:
            self.clock = when
        horizon = (self.clock - self.options.window).timestamp()
        for item in self._items.expire(horizon):
            thread = self._threads.get(item.thread)
            if thread:
                thread.items.discard(item.id)
                if not thread.items:
                    self._drop(thread)

    def _drop(self, thread: _Active) -> None:
        self.stats["expired"] += 1
        if self.on_expiry is not None:
            self.on_expiry(self._view(thread))
        del self._threads[thread.id]
        for member in thread.members:
            if self._thread_of.get(member.article_id) == thread.id:
                del self._thread_of[member.article_id]

    def _view(self, thread: _Active) -> Thread:
        members = tuple(sorted(thread.members, key=lambda m: (m.published_at, m.article_id)))
        return Thread(thread.id, _title(thread), members, top_terms(thread.centroid, 10))

    def to_state(self) -> dict[str, Any]:
        """A JSON-able snapshot: clock, IDF counts, active threads and articles (not the options)."""
        items = [[i.id, i.thread, i.at, i.terms, list(i.keys), _encoded(i.dense), i.lang]
                 for i in self._items.items.values()]
        return {
            "version": STATE_VERSION,
            "clock": self.clock.isoformat() if self.clock else None,
            "frequencies": self.vectorizer.frequencies.to_dict(),
            "threads": [_dump_thread(t) for t in self._threads.values()],
            "items": items,
        }

    @classmethod
    def from_state(cls, state: Mapping[str, Any], options: ThreadOptions | None = None,
                   vector_options: VectorOptions | None = None) -> Threader:
        if state.get("version") not in (1, 2, STATE_VERSION):
            raise InputError(f"thread state version {state.get('version')!r}, expected {STATE_VERSION}; "
                             "rebuild it with rethread()", field="version")
        vectorizer = Vectorizer(DocumentFrequencies.from_dict(state["frequencies"]), vector_options)
        threader = cls(vectorizer, options)
        threader.clock = datetime.fromisoformat(state["clock"]) if state["clock"] else None
        for data in state["threads"]:
            threader._load_thread(data)
        for item_id, thread, at, terms, keys, *rest in state["items"]:
            vector = dense_vectors.decode(rest[0]) if rest and rest[0] else None
            lang = rest[1] if len(rest) > 1 else None
            threader._items.add(_Item(item_id, thread, at, dict(terms), tuple(keys), vector, lang))
            threader._threads[thread].items.add(item_id)
        return threader

    def _load_thread(self, data: Mapping[str, Any]) -> None:
        members = [Member(m[0], datetime.fromisoformat(m[1]), m[2], m[3], m[4], m[5] if len(m) > 5 else "")
                   for m in data["members"]]
        thread = self._open(Member(data["id"], members[0].published_at))
        for member, title in zip(members, data["titles"], strict=True):
            self._attach(thread, member, title)
        thread.centroid = dict(data["centroid"])


def _encoded(vector: np.ndarray | None) -> str | None:
    return None if vector is None else dense_vectors.encode(vector)


def _dump_thread(thread: _Active) -> dict[str, Any]:
    members = [[m.article_id, m.published_at.isoformat(), m.source, m.title, m.duplicate_of, m.lang]
               for m in thread.members]
    return {"id": thread.id, "centroid": thread.centroid, "members": members, "titles": thread.titles}


def _member(article: Article, when: datetime) -> Member:
    return Member(article_id(article), when, article.source, article.title, article.duplicate_of, article.lang or "")


def _title(thread: _Active) -> str:
    """The headline most like the others (the greatest sum of title cosines; the earliest on ties), among
    the members in the thread's main language: a story told twice in Russian and once in Kazakh is titled
    in Russian, and the reverse (on a tie, Russian: the site's own language).  Compared with the texts'
    centroid, a short headline that names only the story's main person («Бишимбаев задавил ребенка?») no
    longer beats the ones that say what the story is («Что было на суде по делу Бишимбаева»)."""
    main = main_language(thread.members)
    pairs = [p for p in zip(thread.members, thread.titles, strict=True) if not main or p[0].lang == main]
    centre: dict[str, float] = {}
    for _, title in pairs:
        for term, weight in title.items():
            centre[term] = centre.get(term, 0.0) + weight
    # rounded: two headlines tie exactly in theory (each is the other's only neighbour), and the sum's order
    # (set iteration) must not decide it
    best = max(pairs, key=lambda p: (round(cosine(p[1], centre), 9), -p[0].published_at.timestamp()))
    return best[0].title


class _Told(Protocol):
    @property
    def source(self) -> str | None: ...
    @property
    def duplicate_of(self) -> str | None: ...


def independent_sources(items: Iterable[_Told]) -> int:
    """How many sources tell a story themselves: distinct sources of its articles that copy no other."""
    return len({i.source for i in items if i.source and not i.duplicate_of})


def main_language(members: Iterable[Member]) -> str:
    """The language most members are in (Russian on a tie); "" when none is known."""
    counts = Counter(m.lang for m in members if m.lang)
    return max(counts, key=lambda lang: (counts[lang], lang == "ru")) if counts else ""


def story_language(articles: Iterable[Article]) -> str:
    """The language most of a stored thread's articles are in (`main_language`)."""
    return main_language(_member(a, _EPOCH) for a in articles)


def thread_title(articles: Iterable[Article], vectorizer: Vectorizer | None = None,
                 lemmas: Mapping[str, TextLemmas] | None = None) -> str:
    """The most representative headline of a stored thread (`_title`: the one most like the others)."""
    vectorizer = vectorizer or Vectorizer(learn=False)
    known = lemmas or {}
    thread = _Active("", _EPOCH, _EPOCH)
    for article in articles:
        vector = vectorizer.vector(known.get(article.id or "") or analyse(article))
        thread.members.append(_member(article, published(article, _EPOCH)))
        thread.titles.append(vector.title)
        for term, weight in vector.terms.items():
            thread.centroid[term] = thread.centroid.get(term, 0.0) + weight
    return _title(thread) if thread.members else ""


def stored_thread(thread_id: str, articles: list[Article], vectorizer: Vectorizer | None = None,
                  lemmas: Mapping[str, TextLemmas] | None = None) -> Thread:
    """A stored story as a `Thread` from all its articles, not only those an online threader still holds:
    its row then counts the articles before a rethread's period too."""
    members = sorted((_member(a, published(a, _EPOCH)) for a in articles), key=lambda m: (m.published_at, m.article_id))
    return Thread(thread_id, thread_title(articles, vectorizer, lemmas), tuple(members))


def rethread(articles: Iterable[Article], vectorizer: Vectorizer | None = None,
             options: ThreadOptions | None = None,
             lemmas: Mapping[str, TextLemmas] | None = None,
             dense: Mapping[str, np.ndarray] | None = None,
             context: Iterable[Article] = ()) -> dict[str, str]:
    """Thread a period from scratch: ``{article id: thread id}``, independent of the input order.

    Articles are replayed in publication order (ties by id), so a thread's id is the id of its earliest
    article.  Pass ``lemmas`` and ``dense`` vectors (by article id) to skip computing them again.

    ``context`` is what the online threader would have had active when the period began: the articles of
    the window before it, each with its stored ``thread_id``.  They are put back as they are, not threaded
    anew, so an article of the period joins the story it continues instead of opening a second one.  When
    a period article links two context stories they merge, as online; the context articles whose story was
    absorbed are then in the result too, with the surviving id.
    """
    threader = Threader(vectorizer, options)
    known, vectors = lemmas or {}, dense or {}
    before = _put_back(threader, context, known, vectors)
    ordered = sorted((a for a in articles if a.id not in before), key=lambda a: (published(a, None), article_id(a)))
    assigned = {a.id or "": threader.add(a, known.get(a.id or ""), vectors.get(a.id or "")) for a in ordered}
    log.info("rethreaded %d articles after %d of context: %s", len(assigned), len(before), dict(threader.stats))
    changes = threader.pop_changes()
    moved = {a: changes[t] for a, t in before.items() if t in changes}
    return resolve(assigned, changes) | moved


def _put_back(threader: Threader, context: Iterable[Article], lemmas: Mapping[str, TextLemmas],
              vectors: Mapping[str, np.ndarray]) -> dict[str, str]:
    """Restore the threaded ``context`` articles in publication order; returns ``{article id: thread id}``."""
    threaded = sorted((a for a in context if a.thread_id), key=lambda a: (published(a, None), article_id(a)))
    for article in threaded:
        threader.restore(article, article.thread_id or "", lemmas.get(article.id or ""), vectors.get(article.id or ""))
    return {a.id or "": a.thread_id or "" for a in threaded}


def resolve(assigned: Mapping[str, str], changes: Mapping[str, str]) -> dict[str, str]:
    """Apply thread merges (``{absorbed: surviving}``) to an ``{article id: thread id}`` mapping."""
    return {article: changes.get(thread, thread) for article, thread in assigned.items()}


@dataclass(frozen=True, slots=True)
class RankOptions:
    half_life: timedelta = timedelta(hours=12)  # freshness halves every half-life since the last article
    growth_window: timedelta = timedelta(hours=6)  # articles this recent measure how fast a story grows
    growth_weight: float = 0.5


@dataclass(frozen=True, slots=True)
class RankedThread:
    thread: Thread
    score: float
    sources: int  # independent sources: distinct sources of its non-duplicate articles
    growth: int  # non-duplicate articles in the growth window
    age: timedelta  # since its latest article


def rank_threads(threads: Iterable[Thread], now: datetime,
                 options: RankOptions | None = None) -> list[RankedThread]:
    """Order stories for the home page and ``/api/v1/threads``, best first.

    ``score = (ln(1 + sources) + growth_weight · ln(1 + growth)) · 2^(−age / half_life)``

    where ``sources`` counts distinct sources among the thread's articles that are not copies of
    another (``duplicate_of`` unset), ``growth`` counts those articles published in the last
    ``growth_window`` and ``age`` is the time since its latest article.  Articles after ``now`` are
    ignored.  Ties: the more recent story first, then by id.
    """
    options = options or RankOptions()
    ranked = [r for r in (_rank(t, now, options) for t in threads) if r is not None]
    ranked.sort(key=lambda r: (-r.score, -r.thread.last_at.timestamp(), r.thread.id))
    return ranked


def _rank(thread: Thread, now: datetime, options: RankOptions) -> RankedThread | None:
    seen = [m for m in thread.members if m.published_at <= now]
    if not seen:
        return None
    originals = [m for m in seen if not m.duplicate_of] or seen
    sources = len({m.source or "" for m in originals})
    growth = sum(1 for m in originals if m.published_at > now - options.growth_window)
    age = now - max(m.published_at for m in seen)
    freshness = 0.5 ** (age / options.half_life)
    score = (math.log1p(sources) + options.growth_weight * math.log1p(growth)) * freshness
    return RankedThread(thread, score, sources, growth, age)
