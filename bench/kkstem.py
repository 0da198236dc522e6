"""Kazakh stemmer comparison for bench/language.py.

1. A paradigm table we wrote (real Kazakh word forms, grouped by the word they are forms of):
   pairwise *collapse* (forms of one word get one stem) and *over-merge* (forms of different
   words get one stem). The groups include traps: «қала» (city) vs «қалалық» (urban), «бас» (head)
   vs «басшы» (leader), «алтын» (gold) vs «алты» (six), «пенсия» vs «пенсионер».
2. KazNERD valid: every PERSON token shaped like a Russian-style surname (-ов -ев -ин -ова -ева
   -ина) and every GPE token ending in -стан or -ия, plus any suffix: the gold stem is the name
   without the suffix («Тоқаевтың» → «тоқаев», «Германияда» → «германия»). No name in this test
   is on the stripper's protected list unless it is one of our gazetteer's places.
3. KazNERD valid: distinct word types vs distinct stems (how much the vocabulary shrinks).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from itertools import combinations
from pathlib import Path

from langdata import read_jsonl

GROUPS = {
    "алматы": "Алматы Алматыда Алматының Алматыға Алматыдан Алматыны Алматыдағы",
    "астана": "Астана Астанада Астананың Астанаға Астанадан Астанадағы",
    "өскемен": "Өскемен Өскеменде Өскеменнің Өскеменге",
    "семей": "Семей Семейде Семейдің Семейге",
    "атырау": "Атырау Атырауда Атыраудың Атырауға",
    "шымкент": "Шымкент Шымкентте Шымкенттің Шымкентке",
    "қазақстан": "Қазақстан Қазақстанның Қазақстанда Қазақстанға Қазақстаннан Қазақстанды",
    "тоқаев": "Тоқаев Тоқаевтың Тоқаевқа Тоқаевты",
    "қала": "қала қаланың қалада қалаға қаладан қалалар қалалардың қаласы қаласында қалаларында",
    "қалалық": "қалалық қалалықтар",
    "облыс": "облыс облысы облыстың облысында облыстар облыстарда облысқа облыстан",
    "жыл": "жыл жылы жылдың жылға жылдан жылдар жылғы жылдары",
    "ел": "ел елі елдің елге елде елден елдер елдерде",
    "мектеп": "мектеп мектебі мектепте мектепке мектептер мектептің мектептерде",
    "президент": "президент президенті президенттің президентке Президентінің",
    "министрлік": "министрлік министрлігі министрлікке министрлігінің министрлікте",
    "халық": "халық халқы халықтың халыққа халықтар",
    "жұмыс": "жұмыс жұмысы жұмыстар жұмыстары жұмысқа жұмыста",
    "бала": "бала балалар балаларға баласы балаға",
    "үкімет": "үкімет үкіметі үкіметтің үкіметке",
    "пенсия": "пенсия пенсиясы пенсияның пенсияға пенсиялар",
    "пенсионер": "пенсионер пенсионерлер пенсионерлерге",
    "банк": "банк банкі банкке банктің банктер",
    "баға": "баға бағасы бағаның бағалар",
    "су": "су суы судың суға судан",
    "жол": "жол жолы жолдың жолда жолдар",
    "бол": "болды болады болған болып",
    "айт": "айтты айтады айтқан айтып",
    "кел": "келді келеді келген келіп",
    "шешім": "шешім шешімі шешімнің шешімдер",
    "білім": "білім білімі білімнің білімге",
    "ақша": "ақша ақшаны ақшасы ақшаның",
    "алтын": "алтын алтынның алтынға",
    "алты": "алты алтыға",
    "жалақы": "жалақы жалақысы жалақының",
    "бас": "бас басы",
    "басшы": "басшы басшысы басшылар",
    "тау": "тау таулар тауда",
    # a possessive, then the accusative or the ablative («жер сілкінісінен кейін»)
    "сілкініс": "сілкініс сілкінісі сілкінісін сілкінісінен сілкінісінің сілкіністер",
    "зейнетақы": "зейнетақы зейнетақысы зейнетақысын зейнетақысынан зейнетақыны",
    "жиналыс": "жиналыс жиналысы жиналысын жиналыстар",
    "тұрғын": "тұрғын тұрғындар тұрғынның тұрғындары",
    "жақын": "жақын жақынның",
    "жақ": "жағы жағынан жаққа",
    "ой": "ой ойы ойлар ойларын",
    "ойла": "ойлаймын",
}
_CASE = "|тың|тің|дың|дің|ның|нің|қа|ке|ға|ге|ты|ті|ны|ні|та|те|да|де|тан|тен|дан|ден|пен|мен|тағы|тегі|дағы|дегі"
_SURNAME = re.compile(rf"^(.+?(?:ова|ева|ина|ов|ев|ин))({_CASE})$")
_COUNTRY = re.compile(rf"^(.+?(?:стан|ия))({_CASE})$")
_TURKISH = str.maketrans(
    {"а": "a", "ә": "e", "б": "b", "в": "v", "г": "g", "ғ": "ğ", "д": "d", "е": "e", "ж": "c", "з": "z",
     "и": "i", "й": "y", "к": "k", "қ": "k", "л": "l", "м": "m", "н": "n", "ң": "n", "о": "o", "ө": "ö",
     "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ұ": "u", "ү": "ü", "ф": "f", "х": "h", "һ": "h",
     "ц": "ts", "ч": "ç", "ш": "ş", "щ": "ş", "ъ": "", "ы": "ı", "і": "i", "ь": "", "э": "e", "ю": "yu",
     "я": "ya", "ё": "yo"}
)  # fmt: skip


def stemmers() -> dict[str, Callable[[str], str]]:
    import Stemmer

    from newsdesk import kazakh

    turkish = Stemmer.Stemmer("turkish")
    return {
        "no stemming (lower case)": str.lower,
        "Snowball Turkish on a Turkish-style transliteration": lambda w: turkish.stemWord(
            w.lower().translate(_TURKISH)
        ),
        "newsdesk.kazakh (ours)": kazakh.stem,
    }


def paradigm_scores(stem: Callable[[str], str]) -> dict[str, float]:
    forms = [(lemma, f) for lemma, text in GROUPS.items() for f in text.split()]
    stems = [(lemma, stem(f)) for lemma, f in forms]
    same = [a[1] == b[1] for a, b in combinations(stems, 2) if a[0] == b[0]]
    other = [a[1] == b[1] for a, b in combinations(stems, 2) if a[0] != b[0]]
    return {"forms": len(forms), "collapse": sum(same) / len(same), "over_merge_pairs": sum(other)}


def kaznerd_names(data: Path) -> list[tuple[str, str]]:
    """(token, gold stem) for surname-shaped PERSON tokens and -стан/-ия GPE tokens."""
    out = []
    for row in read_jsonl(data / "kk_ner_kaznerd/valid.jsonl.gz"):
        for tok, tag in zip(row["tokens"], row["tags"], strict=True):
            pattern = _SURNAME if tag.endswith("PERSON") else _COUNTRY if tag.endswith("GPE") else None
            match = pattern.match(tok.lower().replace("ё", "е")) if pattern else None
            if match:
                out.append((tok, match.group(1)))
    return out


def name_scores(names: list[tuple[str, str]], stem: Callable[[str], str]) -> dict[str, float]:
    right = sum(1 for tok, gold in names if stem(tok).lower() == gold)
    inflected = [(tok, gold) for tok, gold in names if tok.lower() != gold]
    right_inflected = sum(1 for tok, gold in inflected if stem(tok).lower() == gold)
    over = sum(1 for tok, gold in names if len(stem(tok)) < len(gold))
    return {
        "tokens": len(names),
        "inflected": len(inflected),
        "accuracy": right / len(names),
        "inflected_accuracy": right_inflected / max(1, len(inflected)),
        "over_stripped": over / len(names),
    }


def kaznerd_words(data: Path) -> list[str]:
    words = []
    for row in read_jsonl(data / "kk_ner_kaznerd/valid.jsonl.gz"):
        words.extend(t for t in row["tokens"] if re.fullmatch(r"[а-яәғқңөұүһіА-ЯӘҒҚҢӨҰҮҺІёЁ-]+", t))
    return words


def vocabulary(words: list[str], stem: Callable[[str], str]) -> dict[str, float]:
    types = {w.lower() for w in words}
    stems = {stem(w) for w in types}
    return {"types": len(types), "stems": len(stems), "reduction": 1 - len(stems) / len(types)}
