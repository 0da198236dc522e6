"""Bytes → text: UTF-8, or the Cyrillic code pages Russian sites still serve (windows-1251, KOI8-R)."""

from __future__ import annotations

import codecs

from newsdesk.errors import InputError

_CYRILLIC_LOWER = set("абвгдеёжзийклмнопрстуфхцчшщъыьэюя")


def is_binary(sample: bytes) -> bool:
    """NUL bytes or many control characters: not a text format we read."""
    if not sample:
        return False
    if b"\x00" in sample[:8192]:
        return True
    controls = sum(1 for b in sample[:8192] if b < 9 or 13 < b < 32)
    return controls / min(len(sample), 8192) > 0.05


def detect_encoding(sample: bytes, declared: str | None = None) -> str:
    """The encoding of a text sample; a declared charset is checked, not trusted."""
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    try:
        sample.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as exc:
        if exc.start > len(sample) - 4:  # a multi-byte character cut by the sample's end
            return "utf-8"
    candidates = ["cp1251", "koi8_r"]
    known = _known(declared) if declared else None
    if known and known not in ("utf-8", "ascii"):
        candidates.insert(0, known)
    return max(candidates, key=lambda enc: _russian_score(sample, enc))


def _known(name: str) -> str | None:
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def _russian_score(sample: bytes, encoding: str) -> float:
    """Share of lower-case Cyrillic letters: real Russian text is mostly lower case."""
    text = sample.decode(encoding, errors="replace")
    letters = [ch for ch in text if "\u0400" <= ch <= "\u04ff"]
    if not letters:
        return 0.0
    return sum(ch in _CYRILLIC_LOWER for ch in letters) / len(letters)


def decode(data: bytes, origin: object, declared: str | None = None) -> str:
    """Decode a whole file; binary input is an error naming the file."""
    if is_binary(data):
        raise InputError("binary file, not text (expected JSON lines, RSS/Atom, HTML or plain text)", origin)
    encoding = detect_encoding(data[:65536], declared)
    return data.decode(encoding, errors="replace")
