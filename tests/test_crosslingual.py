"""Active articles' dense vectors by language (newsdesk.crosslingual)."""

from __future__ import annotations

import numpy as np

from newsdesk.crosslingual import LanguageShelf


def _unit(*values: float) -> np.ndarray:
    vector = np.array(values, dtype=np.float32)
    return vector / np.linalg.norm(vector)


def test_finds_close_articles_in_other_languages_only() -> None:
    shelf = LanguageShelf()
    shelf.add("ru-1", "ru", _unit(1, 0, 0))
    shelf.add("ru-2", "ru", _unit(0, 1, 0))
    shelf.add("kk-1", "kk", _unit(1, 0.1, 0))
    hits = shelf.closest(_unit(1, 0.05, 0), "kk", 0.9)
    assert [key for key, _ in hits] == ["ru-1"]  # kk-1 is as close, but in the asking language
    assert hits[0][1] > 0.99
    assert {key for key, _ in shelf.closest(_unit(1, 0.05, 0), "en", 0.9)} == {"ru-1", "kk-1"}
    assert shelf.closest(_unit(0, 0, 1), "kk", 0.5) == []


def test_removed_rows_are_forgotten_and_reused() -> None:
    shelf = LanguageShelf()
    shelf.add("a", "ru", _unit(1, 0))
    shelf.add("b", "ru", _unit(0, 1))
    shelf.remove("a", "ru")
    shelf.remove("missing", "ru")
    shelf.remove("b", "en")  # another language's shelf: nothing there
    assert shelf.closest(_unit(1, 0), "kk", 0.5) == [] and len(shelf) == 1
    shelf.add("c", "ru", _unit(1, 0))
    assert shelf.closest(_unit(1, 0), "kk", 0.5) == [("c", 1.0)] and len(shelf) == 2


def test_grows_past_its_first_rows() -> None:
    shelf = LanguageShelf()
    rng = np.random.default_rng(0)
    vectors = rng.normal(size=(200, 8)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    for i, vector in enumerate(vectors):
        shelf.add(f"ru-{i}", "ru", vector)
    assert len(shelf) == 200
    assert [key for key, _ in shelf.closest(vectors[150], "kk", 0.999)] == ["ru-150"]
