"""What the contest asks of each article, answered by newsdesk's own stages.

    language    pipeline stage ``lang`` (`newsdesk.lang.detect`)     ru, kk, en or other
    news?       pipeline stage ``rubric`` (`newsdesk.rubrics`)        rubric != not_news
    category    the same rubric                                       one of CATEGORIES

Only these stages of `pipeline.default_stages()` run (with ``forget``, which drops the lemmas the rubric
stage cached once a batch is saved): entities, tags and the rest are not part of the protocol and would
cost the thousand-pages-in-seconds budget.  The contest judged English and Russian; we add Kazakh.  Pages
in any other language are listed by ``languages`` and left out of everything else, so the rubric stage
runs only on en, ru and kk.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterable

from sqlalchemy import Connection

from newsdesk.pipeline import Pipeline, Stage, default_stages
from newsdesk.records import Article

log = logging.getLogger(__name__)

CONTEST_LANGS = ("en", "ru", "kk")
LANG_ORDER = (*CONTEST_LANGS, "other")
CATEGORIES = ("society", "economy", "technology", "sports", "entertainment", "science", "other")
NOT_NEWS = "not_news"
RUBRIC = "rubric"


class ContestLanguages:
    """A pipeline stage run only on articles in the contest's languages (load and save pass through)."""

    def __init__(self, stage: Stage) -> None:
        self.stage = stage
        self.name = stage.name

    def __call__(self, article: Article) -> None:
        if article.lang in CONTEST_LANGS:
            self.stage(article)

    def load(self, conn: Connection) -> None:
        if hasattr(self.stage, "load"):
            self.stage.load(conn)

    def save(self, conn: Connection, articles: list[Article]) -> None:
        if hasattr(self.stage, "save"):
            self.stage.save(conn, articles)


def stages(rubric: bool = True) -> list[Stage]:
    """The protocol's stages of the default pipeline, in its order (``rubric=False``: language only)."""
    wanted = ("lang", RUBRIC, "forget") if rubric else ("lang",)
    chosen = [ContestLanguages(s) if s.name == RUBRIC else s for s in default_stages() if s.name in wanted]
    if rubric and not any(s.name == RUBRIC for s in chosen):
        raise RuntimeError("the default pipeline has no rubric stage; tgnews needs it for news and categories")
    return chosen


def pipeline(rubric: bool = True) -> Pipeline:
    return Pipeline(stages(rubric))


def lang_code(article: Article) -> str:
    return article.lang if article.lang in CONTEST_LANGS else "other"


def is_news(article: Article) -> bool:
    return article.lang in CONTEST_LANGS and article.rubric != NOT_NEWS


def category(article: Article) -> str:
    return article.rubric if article.rubric in CATEGORIES else "other"


def majority(rubrics: Iterable[str | None]) -> str:
    """A thread's category: the most common category of its articles (ties: the contest's order)."""
    counts = Counter(r if r in CATEGORIES else "other" for r in rubrics)
    return max(CATEGORIES, key=lambda c: (counts[c], -CATEGORIES.index(c)))


def warm(rubric: bool = True, lemmas: bool = True) -> None:
    """Load the models the stages use lazily (language detector, rubric model, lemmatizer)."""
    from newsdesk.similarity import analyse

    sample = Article(id="warm-up", title="Токаев подписал закон о бюджете", lead="Президент подписал закон.",
                     paragraphs=["The president signed the budget law on Monday."])
    pipeline(rubric).enrich(sample)
    if lemmas:
        analyse(sample)
