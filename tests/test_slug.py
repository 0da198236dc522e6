from __future__ import annotations

import pytest

from newsdesk.slug import slugify, transliterate


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Пенсия 2026", "pensiya-2026"),
        ("Қызылорда облысы", "qyzylorda-oblysy"),
        ("Ұлытау облысы", "ulytau-oblysy"),
        ("Өскемен", "oskemen"),
        ("Әзірбайжан", "azirbayzhan"),
        ("Ғылым және Һ", "gylym-zhane-h"),
        ("Нұр-Сұлтан", "nur-sultan"),
        ("Шанхайская организация сотрудничества", "shankhayskaya-organizatsiya-sotrudnichestva"),
        ("Ёлка", "elka"),
        ("Kaspi.kz", "kaspi-kz"),
        ("Qaraǵandy oblysy", "qaragandy-oblysy"),
        ("Türkistan", "turkistan"),
        ("  Абылай   хан!! ", "abylay-khan"),
        ("", ""),
        ("   ", ""),
    ],
)
def test_slugify(name: str, slug: str) -> None:
    assert slugify(name) == slug


def test_untransliterable_name_gets_stable_hash_slug() -> None:
    assert slugify("😀") == slugify("😀") != slugify("🎉")
    assert slugify("😀").startswith("u-")


def test_long_name_cut_at_word_boundary() -> None:
    slug = slugify("слово " * 40, max_length=20)
    assert len(slug) <= 20 and not slug.endswith("-") and slug.startswith("slovo-slovo")


def test_transliterate_keeps_spaces() -> None:
    assert transliterate("Алма-Ата 1997") == "alma-ata 1997"
