"""Lemmas of an article's text, computed once per batch and shared by the stages that need them."""

from __future__ import annotations

from newsdesk.analyze import lemmas
from newsdesk.records import Article


class LemmaCache:
    def __init__(self) -> None:
        self._cache: dict[str, list[str]] = {}

    def of(self, article: Article) -> list[str]:
        key = article.id or str(id(article))
        if key not in self._cache:
            self._cache[key] = lemmas(article.text, article.lang)
        return self._cache[key]

    def clear(self) -> None:
        self._cache.clear()
