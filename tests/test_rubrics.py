"""Rubric model: training on an inline corpus, prediction, explanations, bad input, the shipped model."""

from __future__ import annotations

import json

import numpy as np
import pytest

from newsdesk import dense, rubric_corpus, rubrics
from newsdesk.errors import InputError
from newsdesk.records import Article
from newsdesk.rubrics import RUBRICS, RubricModel, TrainOptions

CORPUS = [
    ("sports", "Казахстан обыграл Сербию в футбольном матче", "Сборная забила два гола во втором тайме."),
    ("sports", "«Кайрат» вышел в финал Кубка", "Футболисты выиграли матч со счётом 2:1, гол забил нападающий."),
    ("sports", "Боксёр Сарсенбаев стал чемпионом мира", "Спортсмен победил в финале турнира нокаутом."),
    ("sports", "Теннисистка Рыбакина выиграла турнир", "В финале матча спортсменка победила соперницу."),
    ("economy", "Нацбанк сохранил базовую ставку", "Инфляция замедлилась, курс тенге укрепился к доллару."),
    ("economy", "Цены на нефть выросли", "Баррель нефти Brent подорожал, биржевые котировки растут."),
    ("economy", "Бюджет получит больше налогов", "Налоговые поступления и инфляция: банк оценил рост экономики."),
    ("economy", "Курс тенге снизился", "На бирже доллар подорожал, банк и инвесторы ждут решения по ставке."),
    ("society", "Полиция задержала мошенников", "Суд арестовал подозреваемых в краже, возбуждено уголовное дело."),
    ("society", "Мажилис принял закон о дольщиках", "Депутаты одобрили закон, суд и полиция получат новые полномочия."),
    ("society", "В ДТП на трассе пострадали пять человек", "Полиция выясняет причины аварии, водитель задержан."),
    ("society", "Аким провёл приём граждан", "Жители пожаловались на дороги, полиция и суд рассмотрят жалобы."),
]


def article(title: str, lead: str = "", lang: str | None = "ru", rubric: str | None = None) -> Article:
    return Article(title=title, lead=lead, lang=lang, rubric=rubric)


@pytest.fixture(scope="module")
def tiny() -> RubricModel:
    corpus = [article(t, lead, rubric=r) for r, t, lead in CORPUS]
    return rubrics.train(corpus, TrainOptions(min_df=1, folds=2, c=1.0), meta={"corpora": ["inline"]})


@pytest.mark.parametrize(("title", "lead", "expected"), [
    ("Футболисты сыграли вничью", "Матч завершился без голов, турнир продолжится.", "sports"),
    ("Инфляция ускорилась", "Банк поднял ставку, тенге и доллар на бирже.", "economy"),
    ("Суд арестовал водителя", "Полиция возбудила уголовное дело после ДТП.", "society"),
])
def test_tiny_model_predicts_and_explains(tiny: RubricModel, title: str, lead: str, expected: str) -> None:
    rubric, confidence = tiny.predict(article(title, lead))
    assert rubric == expected
    assert 1 / 3 < confidence <= 1
    words = tiny.explain(article(title, lead), k=5)
    assert words and all(weight > 0 for _, weight in words)
    assert all(isinstance(word, str) and word for word, _ in words)


def test_explanation_names_the_deciding_words(tiny: RubricModel) -> None:
    words = [word for word, _ in tiny.explain(article("Матч и гол", "Футбольный матч, гол в финале."))]
    assert {"матч", "гол"} & {w.removesuffix(" (title)") for w in words}


def test_explanation_of_a_given_rubric(tiny: RubricModel) -> None:
    """The API explains the stored rubric, which an editor or the dense head may have made differ."""
    probe = article("Матч и гол", "Футбольный матч, гол в финале, банк и ставка.")
    assert tiny.predict(probe)[0] == "sports"
    economy = {w.removesuffix(" (title)") for w, _ in tiny.explain(probe, rubric="economy")}
    assert economy and economy <= {"банк", "ставка"}
    assert tiny.explain(probe, rubric="no_such_rubric") == []


def test_parts_without_a_head_are_the_words_alone(tiny: RubricModel) -> None:
    probe = article("Инфляция ускорилась", "Банк поднял ставку.")
    parts = tiny.parts(probe)
    assert parts["dense"] is None and parts["share"] == 0.0
    assert max(parts["words"], key=parts["words"].get) == "economy"
    assert parts["words"]["economy"] == pytest.approx(tiny.predict(probe)[1])
    assert tiny.parts(article("Инфляция", lang="uz")) == {}


def test_save_and_load_round_trip(tiny: RubricModel, tmp_path) -> None:
    path = tmp_path / "rubrics.npz"
    tiny.save(path)
    loaded = RubricModel.load(path)
    probe = article("Банк повысил ставку", "Инфляция и курс тенге.")
    assert loaded.predict(probe) == pytest.approx(tiny.predict(probe))
    assert json.loads(path.with_suffix(".json").read_text())["meta"]["corpora"] == ["inline"]


@pytest.mark.parametrize("probe", [
    article(""),  # empty text
    article("Ққ ғғ өө"),  # no known word
    article("Елордада жаңа мектеп ашылды", "Оқушылар жаңа ғимаратта білім алады.", lang="kk"),  # not trained on
    article("Football match ends in a draw", lang="en"),
])
def test_bad_input_is_other_with_no_confidence(tiny: RubricModel, probe: Article) -> None:
    assert tiny.predict(probe) == ("other", 0.0)


@pytest.mark.parametrize("probe", [
    article(""), article("Ққ ғғ өө"), article("Сайлау нәтижелері", lang="uz"), article("Zprávy", lang="cs"),
])
def test_shipped_model_gives_no_confidence_without_words_or_language(probe: Article) -> None:
    assert rubrics.predict(probe) == ("other", 0.0)


def test_unsupported_language_has_no_explanation() -> None:
    assert rubrics.explain(article("Елордада жаңа мектеп ашылды", lang="uz")) == []


@pytest.mark.parametrize(("probe", "expected"), [
    (article("Қазақстан құрамасы Сербияны 2:1 есебімен жеңді", "Футболшылар екінші таймда екі гол соқты. "
             "Матч Астанада өтті.", lang="kk"), "sports"),
    (article("Ұлттық банк базалық мөлшерлемені 15,25% деңгейінде сақтады",
             "Инфляция баяулады, теңге бағамы нығайды.", lang="kk"), "economy"),
    (article("Striker scores twice as United beat City in the derby",
             "The goals came in the second half of the Premier League match.", lang="en"), "sports"),
    (article("Shares fall as the central bank raises interest rates",
             "Investors sold bank stocks after the decision on inflation.", lang="en"), "economy"),
])
def test_shipped_model_knows_kazakh_and_english(probe: Article, expected: str) -> None:
    rubric, confidence = rubrics.predict(probe)
    assert rubric == expected and confidence > 0.3
    assert rubrics.explain(probe)


def test_news_without_rubric_gets_one_from_a_first_model() -> None:
    corpus = [article(t, lead, rubric=r) for r, t, lead in CORPUS]
    corpus += [article(t, rubric="not_news") for t in ("Как выбрать шкаф", "Как сварить борщ", "Как научиться плавать")]
    corpus += [article("Футболисты выиграли матч", rubric="news"), article("Полиция задержала вора", rubric="news")]
    model = rubrics.train(corpus, TrainOptions(min_df=1, folds=2, c=1.0))
    assert "news" not in model.labels
    assert model.predict(article("Футболисты проиграли матч"))[0] == "sports"


def test_training_needs_two_rubrics() -> None:
    with pytest.raises(InputError, match="two rubrics"):
        rubrics.train([article("Матч", rubric="sports"), article("Гол", rubric="sports")])


def test_dense_head_reads_what_the_words_do_not_and_round_trips(dense_on: None, tmp_path) -> None:
    corpus = [article(t, lead, rubric=r) for r, t, lead in CORPUS]
    vectors = {dense.fingerprint(a): v for a, v in zip(corpus, dense.embed_many(corpus), strict=True)}
    model = rubrics.train(corpus, TrainOptions(min_df=1, folds=2, c=1.0), vectors=vectors)
    assert model.head is not None and model.head.coef.shape == (3, dense.DIM)
    probe = article("Гандболистки уступили в полуфинале", "Команда проиграла в дополнительное время.")
    vector = dense.embed(probe)
    assert model.predict(probe) == rubrics.FALLBACK  # no word the SVM knows
    assert model.predict(probe, vector=vector)[0] == "sports"  # the head reads the meaning
    known = article("Банк повысил ставку", "Инфляция и курс тенге.")
    alone, mixed = model.predict(known)[1], model.predict(known, vector=dense.embed(known))[1]
    assert model.predict(known, vector=dense.embed(known))[0] == "economy" and alone != mixed
    model.save(tmp_path / "rubrics.npz")
    loaded = RubricModel.load(tmp_path / "rubrics.npz")
    assert loaded.head is not None and loaded.head.share == model.head.share
    assert loaded.predict(probe, vector=vector) == pytest.approx(model.predict(probe, vector=vector), abs=1e-5)
    assert loaded.head.langs == ("ru", "en")
    kazakh = article("Гандболистки уступили в полуфинале", "Команда проиграла в дополнительное время.", lang="kk")
    assert model.predict(kazakh, vector=vector) == rubrics.FALLBACK  # the head is not used for Kazakh
    parts = model.parts(known, vector=dense.embed(known))
    assert parts["share"] == model.head.share and parts["words"] and parts["dense"]
    mixed_economy = (1 - parts["share"]) * parts["words"]["economy"] + parts["share"] * parts["dense"]["economy"]
    assert mixed_economy == pytest.approx(mixed)
    assert model.parts(probe, vector=vector)["share"] == 1.0  # no known word: the head decides alone


def test_no_dense_head_without_vectors_for_every_rubric() -> None:
    corpus = [article(t, lead, rubric=r) for r, t, lead in CORPUS]
    some = {dense.fingerprint(a): np.ones(dense.DIM, dtype=np.float32) for a in corpus if a.rubric != "society"}
    assert rubrics.train(corpus, TrainOptions(min_df=1, folds=2), vectors=some).head is None
    assert rubrics.train(corpus, TrainOptions(min_df=1, folds=2)).head is None


def test_shipped_model_loads_from_the_package() -> None:
    model = rubrics.default_model()
    assert set(model.labels) == set(RUBRICS)
    assert model.langs == ("ru", "kk", "en")
    counts = {c["name"]: c["articles"] for c in model.meta["corpora"]}
    assert counts["tgcontest_markup_v0"] and counts["tgcontest_news_detect"]
    assert counts["newsdesk_labels_ru"] >= 4_000 and counts["newsdesk_labels_en_kk"] >= 1_000
    assert rubrics.DEFAULT_PATH.stat().st_size < 5_000_000


@pytest.mark.parametrize(("title", "lead", "expected"), [
    ("Сборная Казахстана по футболу обыграла Сербию", "Футболисты забили два гола во втором тайме матча.", "sports"),
    ("Нацбанк сохранил базовую ставку на уровне 15,25%", "Инфляция замедлилась, курс тенге укрепился.", "economy"),
    ("Гороскоп на завтра для всех знаков зодиака", "Овнам стоит быть осторожнее.", "other"),
    ("Как выбрать зимние шины: 7 советов", "Рассказываем, на что смотреть при покупке.", "not_news"),
])
def test_shipped_model_on_clear_cases(title: str, lead: str, expected: str) -> None:
    rubric, confidence = rubrics.predict(article(title, lead))
    assert rubric == expected
    assert confidence > 0.3


def test_corpus_never_reads_the_test_splits(tmp_path) -> None:
    folder = tmp_path / rubric_corpus.CONTEST
    folder.mkdir()
    rows = [{"id": f"g{i}", "title": "Матч", "text": "Гол", "label": "sports", "split": split, "lang": "ru"}
            for i, split in enumerate(["training", "honey", "exam"])]
    (folder / "toloka_gold.jsonl").write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    assert [a.id for a in rubric_corpus.contest_gold_training(tmp_path)] == ["g0"]
    assert sorted(a.id for a in rubric_corpus.contest_gold_test(tmp_path)) == ["g1", "g2"]


def test_corpus_maps_weak_labels_onto_the_contest_set() -> None:
    mapped = set(rubric_corpus.TELEGRAM_MAP.values()) | set(rubric_corpus.SECTION_MAP.values())
    assert mapped <= set(RUBRICS)
    assert rubric_corpus.SECTION_MAP["sport"] == "sports"
    assert rubric_corpus.SECTION_MAP["business"] == "economy"


def test_our_labels_are_well_formed() -> None:
    labels = rubric_corpus.our_labels()
    assert set(labels) <= set(rubric_corpus.LABELLED_FILES)
    rows = [value for corpus in labels.values() for value in corpus.values()]
    assert len(rows) >= 5_000 and {rubric for _, rubric in rows} == set(RUBRICS)
    assert {lang for lang, _ in rows} == {"ru", "en", "kk"}


def test_a_bad_label_line_names_the_file_and_line(tmp_path) -> None:
    path = tmp_path / "labels.tsv"
    path.write_text("# corpus, id, lang, rubric\ntgc2019\tx1\tru\tsports\ntgc2019\tx2\tru\tfootball\n")
    with pytest.raises(InputError, match="labels.tsv:3"):
        rubric_corpus.our_labels(path)


@pytest.mark.shared
def test_every_label_finds_its_text(shared_data) -> None:
    found = rubric_corpus.corpora(shared_data, ["newsdesk_labels_ru", "newsdesk_labels_en_kk"])
    labelled = sum(len(corpus) for corpus in rubric_corpus.our_labels().values())
    assert sum(len(a) for a in found.values()) == labelled
    assert all(a.text.strip() and a.rubric in RUBRICS for a in found["newsdesk_labels_en_kk"])
