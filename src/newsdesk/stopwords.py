"""Our stop-word lists (lemmas): Russian, Kazakh and English function words of news text.

Kazakh and English entries are stemmed at import with the same stemmers the analyzer uses, so
``lemma in KK_STOPWORDS`` holds for every form the analyzer produces.
"""

from __future__ import annotations

from newsdesk import kazakh

_RU = """
а без более бы был быть в вам вас ведь весь во вот впрочем все всегда всего вы где да даже для до
другой его ее её ей ему если есть еще ещё же за здесь и из или им их к как какой когда кто куда ли
либо между мной мочь мы на над надо не него нее неё нет ни нибудь ничего но ну о об один он она
они оно опять от перед по под после потом потому почти при про раз с сам свой себя сейчас со так
также такой там тем то тогда того тоже только тот ту тут у уж уже хоть чем через что чтоб чтобы
чуть эта эти это этот я который которая которое которые её этой этом этого
"""
_KK = """
және мен бен пен да де та те ол олар бұл осы сол мұндай сондай осындай деп үшін туралы бойынша
арқылы сияқты ғана тек әр бір барлық бәрі өз емес еді екен болып болды болады болған бар жоқ ма
ме ба бе па пе кейін дейін шейін қатысты байланысты сәйкес сондықтан себебі алайда бірақ әрі не
немесе яғни дегенмен егер онда мұнда сонда қазір енді әлі тағы оның олардың мұның соның біз
сіз сен мен менің біздің сіздің
"""
_EN = """
a an and are as at be been but by can for from had has have he her his i in is it its not of on
or our she that the their they this to was we were will with would you
"""


def _english(words: list[str]) -> frozenset[str]:
    import Stemmer

    stemmer = Stemmer.Stemmer("english")
    return frozenset(stemmer.stemWords(words)) | frozenset(words)


RU_STOPWORDS = frozenset(_RU.split())
KK_STOPWORDS = frozenset(kazakh.stem(w) for w in _KK.split()) | frozenset(_KK.split())
EN_STOPWORDS = _english(_EN.split())
