"""Language of a text: ru, kk, en or other (interface; see the language stage)."""

from __future__ import annotations

import re

KK_LETTERS = set("әғқңөұүһіӘҒҚҢӨҰҮҺІ")
_CYR = re.compile(r"[а-яёА-ЯЁ]")
_LAT = re.compile(r"[a-zA-Z]")


def detect(text: str) -> str:
    if any(ch in KK_LETTERS for ch in text):
        return "kk"
    cyr, lat = len(_CYR.findall(text)), len(_LAT.findall(text))
    if cyr == 0 and lat == 0:
        return "other"
    return "ru" if cyr >= lat else "en"
