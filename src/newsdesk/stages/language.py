"""The language stage: ``lang`` for every record that did not bring one."""

from __future__ import annotations

from newsdesk import lang
from newsdesk.records import LANGS, Article


class LangStage:
    name = "lang"

    def __call__(self, article: Article) -> None:
        if article.lang not in LANGS:
            article.lang = lang.detect(article.text[:4000])
