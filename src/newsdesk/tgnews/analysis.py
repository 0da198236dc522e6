"""What the contest asks of each article, answered by newsdesk's own stages.

    language    pipeline stage ``lang`` (`newsdesk.lang.detect`)     ru, kk, en or other
    news?       pipeline stage ``rubric`` (`newsdesk.rubrics`)        rubric != not_news
    category    the same rubric                                       one of CATEGORIES

Only these stages of `pipeline.default_stages()` run: entities, tags and the rest are not part of the
protocol and would cost the thousand-pages-in-seconds budget.  The contest judged English and Russian;
we add Kazakh.  Pages in any other language are listed by ``languages`` and left out of everything else.

While `newsdesk.rubrics` has no stage in the default pipeline, `RubricCall` calls its ``predict``;
without the module or its model every page of a contest language counts as news in category ``other``
(a warning says so once).
"""

from __future__ import annotations

import importlib
import logging
from collections import Counter
from collections.abc import Callable, Iterable
from functools import lru_cache

from newsdesk.pipeline import Pipeline, Stage, default_stages
from newsdesk.records import Article

log = logging.getLogger(__name__)

CONTEST_LANGS = ("en", "ru", "kk")
LANG_ORDER = (*CONTEST_LANGS, "other")
CATEGORIES = ("society", "economy", "technology", "sports", "entertainment", "science", "other")
NOT_NEWS = "not_news"
_RUBRIC_STAGES = ("rubric", "rubrics")

Predict = Callable[[Article], tuple[str, float]]


class RubricCall:
    """A pipeline stage calling `newsdesk.rubrics.predict` on articles in the contest's languages."""

    name = "rubric"

    def __call__(self, article: Article) -> None:
        if article.rubric or article.lang not in CONTEST_LANGS:
            return
        predict = _predictor()
        if predict is None:
            return
        article.rubric, article.rubric_confidence = predict(article)


@lru_cache(maxsize=1)
def _predictor() -> Predict | None:
    try:
        rubrics = importlib.import_module("newsdesk.rubrics")
        rubrics.default_model()  # loaded now, not inside the first request
    except (ModuleNotFoundError, FileNotFoundError) as exc:
        log.warning("no rubric model (%s): every page counts as news in category 'other'", exc)
        return None
    return rubrics.predict  # type: ignore[no-any-return]


def stages(rubric: bool = True) -> list[Stage]:
    """The protocol's stages of the default pipeline, in its order (``rubric=False``: language only)."""
    wanted = ("lang", *_RUBRIC_STAGES) if rubric else ("lang",)
    chosen = [s for s in default_stages() if s.name in wanted]
    if rubric and not any(s.name in _RUBRIC_STAGES for s in chosen):
        chosen.append(RubricCall())
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
