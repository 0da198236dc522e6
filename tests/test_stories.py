"""Story pages, top stories, related news, trending, entities, the audit and explanations over the
bundled sample analysed by the real pipeline (see tests/conftest.py for the shared analysed copy)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from newsdesk.config import Settings
from newsdesk.records import RUBRICS
from newsdesk.web.app import create_app
from newsdesk.web.i18n import ru_count

TRUTH = json.loads((Path(__file__).resolve().parents[1] / "src/newsdesk/sample/truth.json").read_text("utf-8"))


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    db = tmp_path_factory.mktemp("stories") / "sample.db"
    with TestClient(create_app(Settings(database_url=str(db), load_sample=True))) as client:
        yield client


def test_top_stories_rank_multi_source_threads(site):
    items = site.get("/api/v1/threads?period=1209600&limit=100").json()["items"]
    assert items and all({"id", "title", "score", "sources", "page_url", "articles"} <= set(t) for t in items)
    assert [t["score"] for t in items] == sorted((t["score"] for t in items), reverse=True)
    cup = next(t for t in items if "sample-083" in t["articles"])
    assert cup["sources"] >= 2 and "sample-088" in cup["articles"]  # the exact copy sits in its original's story


def test_min_sources_filters_before_the_limit(site):
    everything = site.get("/api/v1/threads?period=1209600&limit=100").json()["items"]
    stories = [t["id"] for t in everything if t["sources"] >= 2]
    assert stories and len(stories) < len(everything)  # the sample has single items and stories
    got = site.get(f"/api/v1/threads?period=1209600&min_sources=2&limit={len(stories)}").json()["items"]
    assert [t["id"] for t in got] == stories
    first = site.get("/api/v1/threads?period=1209600&min_sources=2&limit=1").json()["items"]
    assert [t["id"] for t in first] == stories[:1]
    assert site.get("/api/v1/threads?min_sources=0").status_code == 422


def test_threads_filters_and_bad_parameters(site):
    kk = site.get("/api/v1/threads?period=1209600&lang=kk").json()["items"]
    assert kk and all(t["articles"] and t["lang"] == "kk" for t in kk)
    every = site.get("/api/v1/threads?period=1209600&limit=100").json()["items"]
    assert {t["lang"] for t in every} == {"ru", "kk"}  # each story's main language
    assert {t["rubric"] for t in every} <= set(RUBRICS) and "society" in {t["rubric"] for t in every}
    for story in kk:  # a Kazakh list of stories reads Kazakh titles
        members = [site.get(f"/api/v1/articles/{i}").json() for i in story["articles"]]
        assert story["title"] in {a["title"] for a in members if a["lang"] == "kk"}
    assert site.get("/api/v1/threads?period=5").status_code == 422
    assert site.get("/api/v1/threads?until=yesterday").status_code == 422
    assert site.get("/api/v1/threads?tag=no-such-tag").json()["items"] == []


def test_top_stories_as_they_stood_at_an_earlier_time(site):
    now = site.get("/api/v1/threads?period=86400&limit=100").json()["items"]
    cup = next(t for t in site.get("/api/v1/threads?period=1209600&limit=100").json()["items"]
               if "sample-083" in t["articles"])
    then = site.get("/api/v1/threads", params={"period": 86400, "limit": 100, "until": cup["last_published"]})
    ids = [t["id"] for t in then.json()["items"]]
    assert cup["id"] in ids  # an analyst reaches a day the default window («the last 24 h») has moved past
    assert all(t["first_published"] <= cup["last_published"] for t in then.json()["items"])
    assert ids != [t["id"] for t in now]


def test_every_story_has_its_row_though_the_sample_spans_more_than_the_window(site):
    every = site.get("/api/v1/threads?period=2592000&limit=100").json()["items"]
    assert len(every) > 30
    for story in every:  # the stored row (title, language, rubric), not a fallback
        assert story["rubric"] in RUBRICS and story["lang"] in ("ru", "kk")
        assert site.get(f"/api/v1/threads/{story['id']}").json()["rubric"] == story["rubric"]


def test_story_page_and_json_twin(site):
    story = site.get("/story/sample-083?format=json").json()["story"]
    assert story["lang"] == "ru"  # told in both languages, mostly in Russian
    rubrics = [c["rubric"] for c in story["timeline"]]
    assert rubrics.count(story["rubric"]) == max(map(rubrics.count, rubrics))  # the rubric most of its articles have
    assert story["size"] >= 3 and len(story["sources"]) >= 2
    assert [c["published_at"] for c in story["timeline"]] == sorted(c["published_at"] for c in story["timeline"])
    page = site.get("/story/sample-083")
    assert page.status_code == 200 and "Сюжет" in page.text and story["title"] in page.text
    size = ru_count(story["size"], "материал", "материала", "материалов")
    meta = f"<span>{size}</span><span>источников: {len(story['sources'])}</span><span>с "
    assert meta in page.text and "</time> по <time" in page.text  # the stylesheet puts «·» between the spans
    assert site.get("/story/no-such-story").status_code == 404


def test_a_story_names_the_outlets_that_only_reprinted_it_apart(site):
    story = site.get("/story/sample-093?format=json").json()["story"]
    copies = {c["source"] for c in story["timeline"] if c["duplicate_of"]}
    originals = {c["source"] for c in story["timeline"] if not c["duplicate_of"]}
    assert story["sources"] == sorted(originals) and story["reprinted_by"] == sorted(copies - originals)
    assert story["reprinted_by"]  # sample-098 is El Habar's copy of Dala News' sample-093
    assert f"<span>перепечатали: {', '.join(story['reprinted_by'])}</span>" in site.get("/story/sample-093").text


def test_search_shows_a_reprint_under_its_original(site):
    items = site.get("/api/v1/search", params={"q": "ощутили землетрясение магнитудой"}).json()["items"]
    ids = [i["id"] for i in items]
    original = next(i for i in items if i["id"] == "sample-093")
    assert "sample-098" not in ids and [c["id"] for c in original["copies"]] == ["sample-098"]
    assert original["copies"][0]["source"] == "El Habar"
    page = site.get("/search", params={"q": "ощутили землетрясение магнитудой"}).text
    assert 'Также: <a href="/article/sample-098">El Habar</a>' in page and "копия — под оригиналами" in page


def test_related_news_show_an_original_not_its_reprint(site):
    for article in ("sample-095", "sample-097", "sample-094", "sample-083", "sample-084"):
        items = site.get(f"/api/v1/articles/{article}/related?limit=8").json()["items"]
        assert all(i["duplicate_of"] in (None, article) for i in items), (article, items)


def test_related_thread_first_no_self_no_copies(site):
    items = site.get("/api/v1/articles/sample-083/related?limit=8").json()["items"]
    ids = [i["id"] for i in items]
    assert "sample-083" not in ids and "sample-088" not in ids  # not itself, not its exact copy
    assert items[0]["thread_id"] == "sample-083"
    groups = [i["duplicate_of"] or i["id"] for i in items]
    assert len(groups) == len(set(groups))


def test_trending_finds_the_earthquake_burst(site):
    items = site.get("/api/v1/trending").json()["items"]
    top = next(i for i in items if i["window_hours"] == 24)
    assert top["tag"] == "Землетрясение" and top["score"] > 3


def test_the_topics_strip_says_what_each_count_counts(site):
    html = site.get("/").text
    strip = re.search(r'<nav class="tags" aria-label="Главные темы">(.*?)</nav>', html, re.S).group(1)
    pills = re.findall(r'<a class="tag" href="/tag/([^"]+)" title="([^"]+)">[^<]+<small>(.*?)</small></a>', strip)
    assert len(pills) == strip.count('class="tag"')  # every pill has a count and a tooltip
    slug, hint, count = pills[0]
    assert slug == "zemletryasenie" and "↑" in count  # the burst leads, marked as rising
    assert re.fullmatch(r"\d+ материал(а|ов)? за сутки, обычно \d+,\d", hint)
    assert any(h.endswith("за 48 часов") and "↑" not in c for _, h, c in pills)  # the busiest recent tags top it up


def test_audit_flags_the_deliberately_wrong_tags(site):
    flags = site.get("/api/v1/audit").json()["items"]
    found = {(f["article_id"], f["tag"]) for f in flags}
    wrong = {(w["id"], w["tag"]) for w in TRUTH["wrong_tags"]}
    assert len(found & wrong) / len(wrong) >= 0.8
    # precision on 105 articles moves with every feature change: 7 of 12 flags before the world places'
    # entities, 7 of 15 after (bench/tags.py records 0.47 on the sample, dense vectors on)
    assert len(found & wrong) / len(found) >= 0.45
    page = site.get("/audit")
    assert page.status_code == 200
    assert 'class="note"' in page.text and "редкие теги" in page.text  # the sample has under 200 tagged articles


def test_the_audit_page_counts_the_articles_the_model_learnt_from_once(site):
    page = " ".join(site.get("/audit").text.split())
    trained = re.search(r"на (\d+) материалах с тегами редакторов; с тех пор изменений: 0", page)
    noted = re.search(r"обучена на (\d+) материалах с тегами редакторов \(меньше", page)
    assert trained and noted and trained.group(1) == noted.group(1)  # headlines' tags teach nothing: 114, not 138


def test_a_tag_the_audit_doubts_does_not_label_the_card(site):
    flagged = {(f["article_id"], f["tag"]) for f in site.get("/api/v1/audit").json()["items"]}
    doubted = [(w["id"], w["tag"]) for w in TRUTH["wrong_tags"] if (w["id"], w["tag"]) in flagged]
    assert ("sample-037", "Футбол") in doubted  # the password warning filed under «Футбол»
    for article_id, tag in doubted:
        article = site.get(f"/api/v1/articles/{article_id}").json()
        assert tag in article["editor_tags"] and article["tags"][-1] == tag  # kept, last
        cards = site.get(f"/tag/{article['tag_slugs'][-1]}?format=json").json()["items"]
        card = next(c for c in cards if c["id"] == article_id)
        assert card["primary_tag"]["name"] != tag
    page = site.get("/article/sample-037").text
    kicker = page[page.index('<a class="label"'):].split("</a>")[0]  # the first label: the article's own
    assert kicker.endswith(">Шымкент")


def test_explanations_name_words(site):
    why = site.get("/api/v1/articles/sample-037/explain").json()
    assert why["rubric_because"] and all(r["feature"] for r in why["rubric_because"])
    (words,) = why["rubric_votes"]  # dense vectors are off in tests: the words decide alone
    assert words["reader"] == "words" and words["share"] == 1.0
    assert 0 < words["rubric_probability"] <= words["top_probability"]
    assert {t["tag"] for t in why["tags"]} >= {"Футбол"}
    football = next(t for t in why["tags"] if t["tag"] == "Футбол")  # the sample's wrong tag on this article
    assert football["origin"] == "editor" and football["audit"]["score"] < 0.5
    assert football["audit"]["better"] != "Футбол"
    assert all("audit" not in t for t in why["tags"] if t["origin"] != "editor")
    assert site.get("/api/v1/articles/nope/explain").status_code == 404


def test_explained_confidence_is_the_one_the_tag_was_given_with(site):
    checked = 0
    for article_id in ("sample-037", "sample-050", "sample-083", "sample-010"):
        article = site.get(f"/api/v1/articles/{article_id}").json()
        given = {t["tag"]: t["confidence"] for t in article["auto_tags"] + article["suggested_tags"]}
        for reason in site.get(f"/api/v1/articles/{article_id}/explain").json()["tags"]:
            if reason["origin"] != "editor":
                assert reason["confidence"] == round(given[reason["tag"]], 4), reason
                checked += 1
    assert checked


def test_entity_page_lists_mentions(site):
    entity = site.get("/api/v1/entities/almaty").json()
    assert entity["type"] == "LOC" and entity["articles"] >= 5 and entity["items"]
    assert site.get("/entity/almaty").status_code == 200
    assert site.get("/api/v1/entities/nobody").json()["error"]["code"] == "not_found"


def test_an_entity_counts_the_articles_its_page_lists(site):
    mentioned = {e["slug"] for a in site.get("/api/v1/articles?limit=100").json()["items"] for e in a["entities"]}
    for slug in sorted(mentioned)[:40]:
        entity = site.get(f"/api/v1/entities/{slug}?limit=100").json()
        assert entity["articles"] == len(entity["items"]), slug  # copies stand under their originals, uncounted


def test_a_reprint_sits_under_its_original_in_the_story(site):
    story = site.get("/story/sample-062?format=json").json()["story"]
    cards = {c["id"]: c for c in story["timeline"]}
    assert cards["sample-075"]["duplicate_of"] == "sample-072" and cards["sample-075"]["folded"]
    assert cards["sample-072"]["copies"] == [{"id": "sample-075", "source": "Almaty Today",
                                              "page_url": "/article/sample-075"}]
    page = site.get("/story/sample-062").text
    assert page.count('class="card-title"') == len(cards) - 1  # the reprint is no card of its own
    assert 'Также: <a href="/article/sample-075">Almaty Today</a>' in page


def test_article_page_links_its_story(site):
    story = site.get("/article/sample-083?format=json").json()["story"]
    full = site.get("/story/sample-083?format=json").json()["story"]
    assert story == {"title": full["title"], "page_url": "/story/sample-083", "size": full["size"]}
    assert 'href="/story/sample-083"' in site.get("/article/sample-083").text


def test_a_kazakh_article_links_its_story_under_a_kazakh_headline(site):
    article = site.get("/article/sample-085?format=json").json()  # the Kazakh report of the cup final
    full = site.get(article["story"]["page_url"] + "?format=json").json()["story"]
    kazakh = [c["title"] for c in full["timeline"] if c["lang"] == "kk"]
    assert article["article"]["lang"] == "kk" and full["lang"] == "ru" and kazakh
    assert article["story"]["title"] == kazakh[0] != full["title"]
    russian = next(c["id"] for c in full["timeline"] if c["lang"] == "ru")
    assert site.get(f"/article/{russian}?format=json").json()["story"]["title"] == full["title"]


def test_a_storys_rubric_follows_its_articles_rubrics(tmp_path):
    """An editor's rubric, headline and deletion move the story's stored row, also for a story that left
    the threading window long ago (the sample spans more than it)."""
    from newsdesk.store.editing import delete_article, update_article

    with TestClient(create_app(Settings(database_url=str(tmp_path / "s.db"), load_sample=True))) as client:
        archive = client.app.state.archive
        story = client.get("/story/sample-083?format=json").json()["story"]
        ids = [c["id"] for c in story["timeline"]]
        other = next(r for r in RUBRICS if r != story["rubric"])
        for article_id in ids[: len(ids) // 2 + 1]:  # most of its articles, now filed elsewhere by an editor
            update_article(archive, article_id, {"rubric": other})
        assert client.get(f"/api/v1/threads/{story['id']}").json()["rubric"] == other
        for card in (c for c in story["timeline"] if c["title"] == story["title"]):  # the headline and its copy
            update_article(archive, card["id"], {"title": "Заголовок, который исправил редактор"})
        now = client.get(f"/story/{story['id']}?format=json").json()["story"]
        assert now["title"] != story["title"] and now["title"] in {c["title"] for c in now["timeline"]}
        rest = ids[len(ids) // 2 + 1:]
        for article_id in ids[: len(ids) // 2 + 1]:
            delete_article(archive, article_id)
        left = [client.get(f"/api/v1/articles/{i}").json()["rubric"] for i in rest]
        expected = min(left, key=lambda r: (-left.count(r), RUBRICS.index(r))) if left else None
        assert client.get(f"/api/v1/threads/{story['id']}").json()["rubric"] == expected
        for article_id in rest:
            delete_article(archive, article_id)
        assert client.get(f"/api/v1/threads/{story['id']}").status_code == 404



def walk(site, path, params, limit):
    """Every item of a ranked list, following ``next_cursor`` at ``limit`` a page."""
    seen, cursor = [], None
    for _ in range(1000):
        page = site.get(path, params={**params, "limit": limit, **({"cursor": cursor} if cursor else {})})
        assert page.status_code == 200, page.text
        body = page.json()
        assert len(body["items"]) <= limit
        seen += body["items"]
        cursor = body["next_cursor"]
        if cursor is None:
            return seen
    raise AssertionError("next_cursor never ended")


@pytest.mark.parametrize("limit", [1, 2, 7])
@pytest.mark.parametrize("params", [{"period": 2592000}, {"period": 2592000, "lang": "kk"}, {}])
def test_walking_next_cursor_visits_every_story_once(site, limit, params):
    everything = site.get("/api/v1/threads", params={**params, "limit": 100}).json()
    assert everything["next_cursor"] is None and everything["items"]
    walked = [s["id"] for s in walk(site, "/api/v1/threads", params, limit)]
    assert walked == [s["id"] for s in everything["items"]]
    assert len(set(walked)) == len(walked)


def test_more_stories_than_the_largest_page_are_reachable(site):
    first = site.get("/api/v1/threads?period=2592000&limit=50").json()
    assert len(first["items"]) == 50 and first["next_cursor"]
    rest = site.get("/api/v1/threads", params={"period": 2592000, "limit": 100, "cursor": first["next_cursor"]})
    assert rest.json()["next_cursor"] is None
    ids = [s["id"] for s in first["items"] + rest.json()["items"]]
    assert len(ids) == len(set(ids)) > 50


def test_a_cursor_of_another_query_is_refused(site):
    cursor = site.get("/api/v1/threads?period=2592000&limit=1").json()["next_cursor"]
    for other in ("/api/v1/threads?period=86400", "/api/v1/threads?period=2592000&lang=kk", "/api/v1/audit"):
        body = site.get(other, params={"cursor": cursor})
        assert body.status_code == 422 and body.json()["error"]["field"] == "cursor", (other, body.text)
        assert "another query" in body.json()["error"]["message"]
    for garbage in ("garbage!!", "eyJvIjotMX0", "WzEsMl0"):  # not base64 JSON, {"o": -1}, [1, 2]
        body = site.get("/api/v1/threads", params={"cursor": garbage})
        assert body.status_code == 422 and body.json()["error"]["field"] == "cursor"


@pytest.mark.parametrize("path", ["/api/v1/trending", "/api/v1/audit"])
def test_trending_and_audit_walk_by_cursor(site, path):
    everything = site.get(path, params={"limit": 100}).json()["items"]
    assert len(everything) > 2
    for limit in (1, 2, 7):
        assert walk(site, path, {}, limit) == everything


def test_related_news_are_one_list_not_paged(site):
    body = site.get("/api/v1/articles/sample-083/related?limit=2").json()
    assert len(body["items"]) == 2 and body["next_cursor"] is None
    described = site.get("/api/openapi.json").json()["paths"]["/api/v1/articles/{article_id}/related"]["get"]
    assert "not paged" in described["description"]
