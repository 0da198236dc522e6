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
# Common news nouns, four forms each: nominative, possessive, a case form, plural (written by hand, 2026-12-08).
# Scored by how many forms share the nominative's stem (`news_noun_scores`).
NEWS_NOUNS = """
аудан ауданы ауданында аудандар | күн күні күнде күндер | тасқын тасқыны тасқыннан тасқындар
тұрғын тұрғыны тұрғынның тұрғындар | шығын шығыны шығынды шығындар | мән мәні мәнде мәндер
түн түні түнде түндер | қазан қазаны қазанда қазандар | сайлау сайлауы сайлауда сайлаулар
заң заңы заңда заңдар | жоспар жоспары жоспарда жоспарлар | ауыл ауылы ауылда ауылдар
мектеп мектебі мектепте мектептер | қала қаласы қалада қалалар | облыс облысы облыста облыстар
жол жолы жолда жолдар | су суы суда сулар | үй үйі үйде үйлер | жер жері жерде жерлер
ел елі елде елдер | бала баласы балаға балалар | жұмыс жұмысы жұмыста жұмыстар
баға бағасы бағаны бағалар | теңге теңгесі теңгені теңгелер | оқиға оқиғасы оқиғаны оқиғалар
әкім әкімі әкімнің әкімдер | маман маманы маманның мамандар | өзен өзені өзенде өзендер
орман орманы орманда ормандар | аурухана ауруханасы ауруханада ауруханалар
дәрігер дәрігері дәрігерге дәрігерлер | жоба жобасы жобаны жобалар
мемлекет мемлекеті мемлекетте мемлекеттер | кеңес кеңесі кеңесте кеңестер
заман заманы заманда замандар | тіл тілі тілде тілдер | отан отаны отанда отанның
майдан майданы майданда майдандар | құрылыс құрылысы құрылыста құрылыстар
бағдарлама бағдарламасы бағдарламаны бағдарламалар | салық салығы салықты салықтар
мұнай мұнайы мұнайдан мұнайдың | өрт өрті өртте өрттер | ай айы айда айлар
жиын жиыны жиында жиындар | шекара шекарасы шекарада шекаралар
жаңалық жаңалығы жаңалықты жаңалықтар | нысан нысаны нысанда нысандар | адам адамы адамға адамдар
уақыт уақыты уақытта уақыттар | зауыт зауыты зауытта зауыттар | арман арманы арманға армандар
орын орны орында орындар | ақын ақыны ақынның ақындар | қаржы қаржысы қаржыны қаржылар
жүргізуші жүргізушісі жүргізушіні жүргізушілер | жылу жылуы жылуды жылудың
"""
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


def news_nouns() -> list[list[str]]:
    return [group.split() for group in NEWS_NOUNS.replace("\n", "|").split("|") if group.strip()]


def news_noun_scores(stem: Callable[[str], str]) -> dict[str, float]:
    """How many inflected forms share their nominative's stem, and how many nouns have all forms agree."""
    groups = news_nouns()
    same = [stem(form) == stem(group[0]) for group in groups for form in group[1:]]
    whole = sum(all(stem(form) == stem(group[0]) for form in group) for group in groups)
    return {"nouns": len(groups), "forms": len(same), "share": sum(same), "whole": whole}


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
