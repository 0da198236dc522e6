"""Threads of a set of articles, by `newsdesk.threads`: grouped, titled, ranked and categorised.

`threads.rethread` groups a period order-independently (publication order, IDF fitted on the articles
of that language); its ``{article id: thread id}`` is then replayed through a `Threader` with
``restore`` (no decisions, a window wide enough that nothing expires; each vector computed once for
both passes) to get the `Thread` views with
their most representative headline, and `threads.rank_threads` orders them as the home page does.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from newsdesk.records import Article
from newsdesk.similarity import DocumentFrequencies, TextLemmas, TextVector, Vectorizer, analyse
from newsdesk.tgnews.analysis import majority
from newsdesk.threads import Thread, Threader, ThreadOptions, published, rank_threads, rethread

# The contest's time limits leave no room for dense vectors (~0.1 s per article): TF-IDF alone, as measured.
_TFIDF = ThreadOptions(dense=False)
_EVERYTHING = ThreadOptions(window=timedelta(days=3650), dense=False)  # for replaying: no thread expires


@dataclass(frozen=True, slots=True)
class Story:
    title: str
    category: str
    article_ids: tuple[str, ...]  # publication order
    score: float


def fit(lemmas: Iterable[TextLemmas]) -> DocumentFrequencies:
    """IDF over the lemmas of a set of articles."""
    return DocumentFrequencies.fit(t.title + t.body for t in lemmas)


def stories(articles: Sequence[Article], lemmas: Mapping[str, TextLemmas] | None = None,
            frequencies: DocumentFrequencies | None = None, now: datetime | None = None) -> list[Story]:
    """Ranked stories of ``articles`` (one language, news only), best first.

    ``lemmas`` by article id spares the analysis of articles already analysed; ``frequencies`` (IDF)
    defaults to those of ``articles``; ``now`` (the ranking's clock) to the newest article.
    """
    if not articles:
        return []
    lemmas = dict(lemmas or {})
    for article in articles:
        if article.id not in lemmas:
            lemmas[article.id or ""] = analyse(article)
    vectorizer = _Memo(frequencies or fit(lemmas[a.id or ""] for a in articles), learn=False)
    assigned = rethread(articles, vectorizer, _TFIDF, lemmas)
    views = _views(articles, assigned, vectorizer, lemmas)
    rubric = {a.id: a.rubric for a in articles}
    clock = now or max(published(a, None) for a in articles)
    return [Story(r.thread.title, majority(rubric[m.article_id] for m in r.thread.members),
                  tuple(m.article_id for m in r.thread.members), r.score)
            for r in rank_threads(views, clock)]


class _Memo(Vectorizer):
    """A non-learning vectorizer that computes each article's vector once for both passes."""

    def __init__(self, frequencies: DocumentFrequencies, learn: bool = False) -> None:
        super().__init__(frequencies, learn=False)
        self._vectors: dict[int, TextVector] = {}

    def vector(self, text: TextLemmas) -> TextVector:
        found = self._vectors.get(id(text))
        if found is None:
            found = self._vectors[id(text)] = super().vector(text)
        return found


def _views(articles: Sequence[Article], assigned: Mapping[str, str], vectorizer: Vectorizer,
           lemmas: Mapping[str, TextLemmas]) -> list[Thread]:
    replay = Threader(vectorizer, _EVERYTHING)
    for article in sorted(articles, key=lambda a: (published(a, None), a.id or "")):
        replay.restore(article, assigned[article.id or ""], lemmas[article.id or ""])
    return replay.threads()
