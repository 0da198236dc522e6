"""Acronyms linked to the names they stand for: «ШОС» ↔ «Шанхайская организация сотрудничества».

An ``AcronymIndex`` is a plain object the caller keeps and persists as JSON: entity extraction
``learn``s a pair whenever a text gives both («Шанхайской организации сотрудничества (ШОС)»), and
``lookup``s an acronym a later text uses alone. It starts from our own short list of acronyms
Kazakhstan news uses all the time.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

# acronym → (name, type): our own list of the most frequent ones in Kazakhstan news.
KNOWN = {
    "ООН": ("Организация Объединённых Наций", "ORG"),
    "НАТО": ("Организация Североатлантического договора", "ORG"),
    "ШОС": ("Шанхайская организация сотрудничества", "ORG"),
    "СНГ": ("Содружество Независимых Государств", "ORG"),
    "ОДКБ": ("Организация Договора о коллективной безопасности", "ORG"),
    "ЕАЭС": ("Евразийский экономический союз", "ORG"),
    "ЕС": ("Европейский союз", "ORG"),
    "ОБСЕ": ("Организация по безопасности и сотрудничеству в Европе", "ORG"),
    "ВОЗ": ("Всемирная организация здравоохранения", "ORG"),
    "МВФ": ("Международный валютный фонд", "ORG"),
    "ВТО": ("Всемирная торговая организация", "ORG"),
    "МВД": ("Министерство внутренних дел", "ORG"),
    "МИД": ("Министерство иностранных дел", "ORG"),
    "КНБ": ("Комитет национальной безопасности", "ORG"),
    "МЧС": ("Министерство по чрезвычайным ситуациям", "ORG"),
    "АФМ": ("Агентство по финансовому мониторингу", "ORG"),
    "НБК": ("Национальный банк Казахстана", "ORG"),
    "ЕНПФ": ("Единый накопительный пенсионный фонд", "ORG"),
    "ЦИК": ("Центральная избирательная комиссия", "ORG"),
    "КТЖ": ("Қазақстан темір жолы", "ORG"),
    "США": ("Соединённые Штаты Америки", "LOC"),
    "РФ": ("Российская Федерация", "LOC"),
    "РК": ("Республика Казахстан", "LOC"),
    "КНР": ("Китайская Народная Республика", "LOC"),
    "ОАЭ": ("Объединённые Арабские Эмираты", "LOC"),
    "СССР": ("Союз Советских Социалистических Республик", "LOC"),
}
# Capitalised abbreviations that are not names of anything: never entities on their own.
NOT_NAMES = frozenset(
    [
        "ТОО",
        "АО",
        "ОАО",
        "ЗАО",
        "ООО",
        "ПАО",
        "ИП",
        "РГП",
        "ГКП",
        "КГП",
        "НАО",
        "СМИ",
        "ДТП",
        "ВВП",
        "НДС",
        "ЧС",
        "ЖКХ",
        "ИИН",
        "БИН",
        "МРП",
        "МЗП",
        "ПМСП",
        "ВИЧ",
        "СПИД",
        "ОРВИ",
        "ЕНТ",
        "ВУЗ",
        "ТВ",
        "ГЭС",
        "ТЭЦ",
        "АЭС",
        "НПЗ",
        "КПП",
        "ЛЭП",
        "IT",
        "ИТ",
        "ПО",
        "ЧП",
        "ФИО",
    ]
)


@dataclass
class AcronymIndex:
    """Acronym → (full name, entity type); learnable, JSON-serialisable."""

    expansions: dict[str, tuple[str, str]] = field(default_factory=lambda: dict(KNOWN))

    def lookup(self, acronym: str) -> tuple[str, str] | None:
        return self.expansions.get(acronym)

    def learn(self, acronym: str, name: str, type_: str) -> None:
        """Remember that ``acronym`` stands for ``name`` (the latest text wins)."""
        if acronym not in NOT_NAMES and acronym != name:
            self.expansions[acronym] = (name, type_)

    def to_json(self) -> str:
        return json.dumps({k: list(v) for k, v in sorted(self.expansions.items())}, ensure_ascii=False)

    @classmethod
    def from_json(cls, data: str) -> AcronymIndex:
        return cls({k: (v[0], v[1]) for k, v in json.loads(data).items()})


def initials_fit(acronym: str, name: str) -> bool:
    """Could ``acronym`` abbreviate ``name``? Its first letter must begin the name, and its
    letters must appear in order among the name's letters («ЕАЭС» ← «Евразийский экономический союз»)."""
    letters = [ch for ch in acronym.lower() if ch.isalpha()]
    low = name.lower()
    if not letters or not low or letters[0] != low[0]:
        return False
    pos = 0
    for ch in letters:
        pos = low.find(ch, pos)
        if pos < 0:
            return False
        pos += 1
    return True
