"""Readers for every input a newsroom has: JSON lines, RSS/Atom, HTML pages, text dumps,
directories, .zip and .gz archives, URLs and standard input.

`read(target)` yields `Article` records and, for input that cannot be used, `InputError`
values: one bad record never stops the rest of the batch.
"""

from __future__ import annotations

import gzip
import io
import re
import sys
import threading
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO, cast

from newsdesk.errors import FormatError, InputError
from newsdesk.records import Article, Origin
from newsdesk.sources.decode import decode
from newsdesk.sources.feeds import read_feed
from newsdesk.sources.html import read_html
from newsdesk.sources.jsonl import read_json_document, read_jsonl
from newsdesk.sources.text import read_text

FORMATS = ("auto", "jsonl", "rss", "atom", "html", "text")
STDIN_WAITING = threading.Event()  # set while a read of standard input waits for its next bytes
STDIN_ENDED = threading.Event()  # set when `interrupt_stdin` ended such a read: what was read is all the input


class StopReading(Exception):  # noqa: N818 - a signal, not an error
    """Raised into a read of standard input that waits for more (`interrupt_stdin`): the input ends there."""


def interrupt_stdin() -> None:
    """End a read of standard input that is waiting for its next line (a live pipe, a first Ctrl-C): called in
    the main thread's signal handler, it raises `StopReading` there, and what was read is the whole input (its
    records are analysed and stored: `STDIN_ENDED`); otherwise it does nothing."""
    if STDIN_WAITING.is_set():
        STDIN_WAITING.clear()
        STDIN_ENDED.set()
        raise StopReading


class _Stdin:
    """Standard input that says when it waits (`STDIN_WAITING`), so a first Ctrl-C can end a live pipe's read."""

    def __init__(self, stream: BinaryIO) -> None:
        self._stream = stream

    def _waiting(self, call: Callable[[], bytes]) -> bytes:
        STDIN_WAITING.set()
        try:
            return call()
        finally:
            STDIN_WAITING.clear()

    def peek(self, size: int = 0) -> bytes:
        peek = getattr(self._stream, "peek", None)
        return self._waiting(lambda: peek(size)) if peek is not None else b""

    def read(self, size: int = -1) -> bytes:
        return self._waiting(lambda: self._stream.read(size))

    def readline(self, size: int = -1) -> bytes:
        return self._waiting(lambda: self._stream.readline(size))
MAX_DOCUMENT = 64 * 1024 * 1024  # bytes for a whole-document format (feed, page, dump)
Item = Article | InputError

# ``scheme://`` (RFC 3986 scheme names; two letters or more, so a Windows drive «C://» stays a path).
_URL = re.compile(r"([a-z][a-z0-9+.-]+)://", re.I)
_SUFFIXES = {".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "jsonl", ".rss": "rss", ".xml": "rss",
             ".atom": "atom", ".html": "html", ".htm": "html", ".txt": "text", ".text": "text"}


def read(target: str, fmt: str = "auto", source: str | None = None) -> Iterator[Item]:
    """Every record in a path, URL, directory, archive or '-' (standard input)."""
    if fmt not in FORMATS:
        raise FormatError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    scheme = _URL.match(target)
    if target == "-":
        yield from read_stream(cast(BinaryIO, _Stdin(sys.stdin.buffer)), "<stdin>", fmt, source)
    elif scheme is None:
        yield from _read_path(Path(target), fmt, source)
    elif scheme[1].lower() in ("http", "https"):
        yield from _read_url(target, fmt, source)
    else:  # as a path it would be «ftp:/host/x» (Path folds the //) and "no such file": name the real reason
        yield InputError(f"unsupported URL scheme {scheme[1]!r} (http, https or a file path)", Origin(target))


def _read_url(url: str, fmt: str, source: str | None) -> Iterator[Item]:
    from newsdesk.fetch import fetch_document

    try:
        doc = fetch_document(url)
    except Exception as exc:  # noqa: BLE001 - any fetch failure is one rejected input
        yield InputError(f"cannot fetch: {exc}", Origin(url))
        return
    yield from read_stream(io.BufferedReader(io.BytesIO(doc.body)), doc.url, fmt, source, doc.content_type)


def _read_path(path: Path, fmt: str, source: str | None) -> Iterator[Item]:
    if path.is_dir():
        for child in sorted(p for p in path.rglob("*") if _readable(p)):
            yield from _read_path(child, fmt, source)
    elif not path.exists():
        yield InputError("no such file or directory", Origin(str(path)))
    elif path.suffix.lower() == ".zip":
        yield from _read_zip(path, fmt, source)
    elif path.suffix.lower() == ".gz":
        with gzip.open(path, "rb") as stream:
            yield from _guard_gzip(read_stream(cast(BinaryIO, stream), str(path)[:-3], fmt, source), path)
    else:
        with path.open("rb") as stream:
            yield from read_stream(stream, str(path), fmt, source)


def _readable(path: Path) -> bool:
    """Files a directory walk reads: visible, with an extension of a format we know (or none)."""
    suffix = path.suffix.lower()
    return (path.is_file() and not path.name.startswith(".")
            and (suffix in _SUFFIXES or suffix in (".gz", ".zip", "")))


def _guard_gzip(items: Iterator[Item], path: Path) -> Iterator[Item]:
    try:
        yield from items
    except (OSError, EOFError) as exc:
        yield InputError(f"broken gzip archive: {exc}", Origin(str(path)))


def _read_zip(path: Path, fmt: str, source: str | None) -> Iterator[Item]:
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile as exc:
        yield InputError(f"broken zip archive: {exc}", Origin(str(path)))
        return
    with archive:
        for info in sorted(archive.infolist(), key=lambda i: i.filename):
            if not info.is_dir():
                with archive.open(info) as stream:
                    yield from read_stream(cast(BinaryIO, stream), f"{path}!{info.filename}", fmt, source)


def read_stream(stream: BinaryIO, name: str, fmt: str = "auto", source: str | None = None,
                content_type: str | None = None) -> Iterator[Item]:
    """Records of one file-like input, its format given or detected."""
    head = stream.peek(4096)[:4096] if hasattr(stream, "peek") else b""
    if fmt == "auto":
        fmt = detect_format(name, head, content_type)
    if fmt == "jsonl" and not _json_document(name, head):
        yield from read_jsonl(stream, name, source)
        return
    data = stream.read(MAX_DOCUMENT + 1)
    if len(data) > MAX_DOCUMENT:
        yield InputError(f"document larger than {MAX_DOCUMENT // 1048576} MB, skipped", Origin(name))
        return
    yield from _read_document(data, name, fmt, source, content_type)


def _read_document(data: bytes, name: str, fmt: str, source: str | None, content_type: str | None) -> Iterator[Item]:
    if not data.strip():
        yield InputError("empty file", Origin(name))
        return
    if fmt in ("rss", "atom"):
        yield from read_feed(data, name, source)
        return
    if fmt == "jsonl":
        yield from read_json_document(data, name, source)
        return
    try:
        text = decode(data, Origin(name), _declared_charset(content_type, data))
    except InputError as exc:
        yield exc
        return
    reader: Callable[[str, str, str | None], Iterator[Item]] = read_html if fmt == "html" else read_text
    yield from reader(text, name, source)


def _json_document(name: str, head: bytes) -> bool:
    """A .json file holding one document (an array of records, or one pretty-printed object)."""
    if not name.lower().endswith(".json"):
        return False
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    return start == b"[" or (start == b"{" and b"\n" in head.strip() and not head.rstrip().endswith(b"}\n"))


def _declared_charset(content_type: str | None, data: bytes) -> str | None:
    for text in (content_type or "", data[:2048].decode("ascii", errors="ignore")):
        low = text.lower()
        if "charset=" in low:
            return low.split("charset=", 1)[1].split(";")[0].strip(" \"'/>")
    return None


def detect_format(name: str, head: bytes, content_type: str | None = None) -> str:
    """Guess the format from the content first, then the content type and file name."""
    sniff = head.lstrip(b"\xef\xbb\xbf \t\r\n")[:1024].lower()
    if sniff.startswith(b"{"):
        return "jsonl"
    if sniff.startswith(b"<?xml") or sniff.startswith((b"<rss", b"<feed", b"<rdf")):
        return "atom" if b"<feed" in sniff else "rss"
    if sniff.startswith((b"<!doctype html", b"<html")) or b"<html" in sniff or b"<body" in sniff:
        return "html"
    ctype = (content_type or "").lower()
    if "xml" in ctype or "rss" in ctype:
        return "rss"
    if "html" in ctype:
        return "html"
    if "json" in ctype:
        return "jsonl"
    return _SUFFIXES.get(Path(name.split("!")[-1]).suffix.lower(), "text")
