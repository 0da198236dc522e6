"""JSON lines: one record a line (schema in docs/formats.md); bad lines are reported, not fatal."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import BinaryIO

from newsdesk.errors import InputError
from newsdesk.records import Article, Origin
from newsdesk.sources.decode import detect_encoding, is_binary
from newsdesk.sources.fields import article_from_dict

MAX_LINE = 16 * 1024 * 1024  # bytes; a longer line is skipped without being held in memory


def read_jsonl(stream: BinaryIO, name: str, source: str | None = None) -> Iterator[Article | InputError]:
    head = stream.peek(65536)[:65536] if hasattr(stream, "peek") else b""
    if is_binary(head):
        yield InputError("binary file, not JSON lines", Origin(name))
        return
    encoding = detect_encoding(head) if head else "utf-8"
    for number, line in enumerate(_lines(stream), start=1):
        origin = Origin(name, number)
        if line is None:
            yield InputError(f"line longer than {MAX_LINE // 1048576} MB, skipped", origin)
        elif line.strip():
            yield _record(line, encoding, origin, source)


def read_json_document(data: bytes, name: str, source: str | None = None) -> Iterator[Article | InputError]:
    """A whole .json document: an array of records, or a single record object."""
    try:
        doc = json.loads(data.decode(detect_encoding(data[:65536]), errors="replace"))
    except json.JSONDecodeError as exc:
        yield InputError(f"invalid JSON document: {exc.msg} at line {exc.lineno} column {exc.colno}", Origin(name))
        return
    records = doc if isinstance(doc, list) else [doc]
    for number, raw in enumerate(records, start=1):
        try:
            yield article_from_dict(raw, Origin(name, number if isinstance(doc, list) else None), source)
        except InputError as exc:
            yield exc


def _lines(stream: BinaryIO) -> Iterator[bytes | None]:
    """Lines of at most MAX_LINE bytes; None stands for an over-long line (its rest is drained)."""
    while True:
        line = stream.readline(MAX_LINE + 1)
        if not line:
            return
        if len(line) > MAX_LINE and not line.endswith(b"\n"):
            while (chunk := stream.readline(MAX_LINE)) and not chunk.endswith(b"\n"):
                pass
            yield None
        else:
            yield line


def _record(line: bytes, encoding: str, origin: Origin, source: str | None) -> Article | InputError:
    try:
        raw = json.loads(line.decode(encoding, errors="replace").rstrip("\r\n"))  # columns of this line
    except json.JSONDecodeError as exc:
        return InputError(f"invalid JSON: {exc.msg} at column {exc.colno}", origin)
    try:
        return article_from_dict(raw, origin, source)
    except InputError as exc:
        return exc
