"""Telegram's Markdown in a post's text, read as the words it marks.

Posts exported from Telegram channels carry the client's markup: ``**bold**``, ``__italic__``,
``~~struck~~``, ```code```, and links ``[words](https://…)``, often an empty one ``[\\n](https://t.me/…)``
holding a picture.  Of the 22,099 posts of ``ru_telegram_news_posts``, 13,312 have a link, 10,023 bold
and 1,605 italic; a post's first line is its title, so «**Срочно**» headed the feed.  The words stay,
the marks and the addresses go.  A ``**`` after a letter is no mark («ЛГБТ**», «за**ался»): only pairs on
one line are read.
"""

from __future__ import annotations

import re

_LINK = re.compile(r"\[([^\[\]]*)\]\((?:https?|tg)://[^\s()]+\)")
# A mark opens after no letter and closes after its words, a space allowed before the closing mark, as Telegram
# writes «**Kokoc Group **— группа…»; «за**ался», «ЛГБТ**» open nothing.
_PAIRS = [re.compile(rf"(?<![^\W\d_]){mark}(?=\S)([^{char}\n]+?){mark}")
          for mark, char in ((r"\*\*", "*"), ("__", "_"), ("~~", "~"), ("`", "`"))]
_EMPTY = re.compile(r"\*\*([ \t]*)\*\*")  # a bold closed and opened again around a space: «гайд** **по»


def plain(text: str) -> str:
    """``text`` without Telegram's Markdown: «**Срочно**» → «Срочно», «[сайте](https://x.kz)» → «сайте»."""
    if not any(mark in text for mark in ("](", "**", "__", "~~", "`")):
        return text
    text = _LINK.sub(lambda m: m.group(1) if m.group(1).strip() else " ", text)  # «[сообщает ](…)Следственный»
    text = _EMPTY.sub(r"\1", text)
    for pair in _PAIRS:
        text = pair.sub(r"\1", text)
    return text
