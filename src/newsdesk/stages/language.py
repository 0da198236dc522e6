"""The language stage: ``lang`` for every record that did not bring one, and for a record whose Russian or
Kazakh the text contradicts (unless an editor set it through the API)."""

from __future__ import annotations

import logging

from newsdesk import lang
from newsdesk.records import LANGS, Article

log = logging.getLogger(__name__)
_SWAPPABLE = ("ru", "kk")  # an outlet's feed labels its other language's items as its own (Tengrinews: 5 of 349)


class LangStage:
    name = "lang"

    def __call__(self, article: Article) -> None:
        if article.lang not in LANGS:
            article.lang = lang.detect(article.text[:4000])
        elif article.lang in _SWAPPABLE and "lang" not in article.editor_fields:
            found = lang.detect(article.text[:4000])
            if found in _SWAPPABLE and found != article.lang:
                log.info("%s: labelled %s, written in %s", article.origin or article.id, article.lang, found)
                article.lang = found
