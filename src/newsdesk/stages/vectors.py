"""An article's dense vector (`newsdesk.dense`), computed once per batch and shared by the stages that
read it: the rubric's dense head and story threads."""

from __future__ import annotations

import numpy as np

from newsdesk import dense
from newsdesk.records import Article


class VectorCache:
    def __init__(self) -> None:
        self._cache: dict[str, np.ndarray | None] = {}

    def of(self, article: Article) -> np.ndarray | None:
        """The vector, or None when dense vectors are off or the article has no text."""
        key = article.id or str(id(article))
        if key not in self._cache:
            self._cache[key] = dense.embed(article)
        return self._cache[key]

    def clear(self) -> None:
        self._cache.clear()
