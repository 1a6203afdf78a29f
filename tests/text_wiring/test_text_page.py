"""/text within the user's scope: hot words, what changed, sentiment, tags, sensitive hits,
verbatims; an analyst's corrections; bad input answered with a 4xx."""
import pytest
from helpers import csrf_token_from, make_app, unit_id
from text_wiring_helpers import day, items

from appliance.core import db

SOUTH_WORD = "烧鹅"


def page(client, **query):
    response = client.get("/text/", query_string=query)
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    return response.get_data(as_text=True)


def test_the_page_shows_words_sentiment_tags_and_sensitive_hits(as_user, seeded):
    html = page(as_user("alice"))
    assert "Text analytics" in html and "Hot words" in html and "What changed" in html
    assert 'class="w' in html and SOUTH_WORD in html          # the word cloud
    assert "Service attitude" in html and "Price" in html      # tag names from the taxonomy
    assert "seg-negative" in html and "seg-positive" in html   # the monthly sentiment chart
    assert "Regulator · 消协" in html and "Media exposure · 曝光" in html
    assert "<script" not in html and "style=" not in html      # CSP: script-src/style-src 'self'


def test_the_page_speaks_chinese(app, seeded):
    client = app.test_client()
    client.post("/login", data={"username": "alice", "password": "Correct-Horse-42"})
    with app.app_context():
        db.get_db().execute("UPDATE users SET language = 'zh_CN' WHERE username = 'alice'")
    html = page(client)
    assert "服务态度" in html and "价格" in html               # taxonomy names in Chinese


def test_filters_narrow_the_verbatims(as_user, seeded, app):
    client = as_user("alice")
    html = page(client, unit_id=unit_id(app, "EAST-02"))
    assert "酸菜鱼" in html and SOUTH_WORD not in html
    html = page(client, tag="price")
    assert "价格实惠" in html and "排队等了" not in html
    html = page(client, word=SOUTH_WORD, source="meituan")
    assert "烧鹅很好吃" in html and "洗手间很脏" not in html
    assert "The waiter was rude" not in page(client)           # older than the default period
    assert "The waiter was rude" in page(client, date_from=day(365))


def test_bob_never_sees_south_texts(as_user, seeded, app):
    bob = as_user("bob")
    html = page(bob)
    assert "服务员态度很差" in html and SOUTH_WORD not in html and "曝光" not in html
    assert "酸菜鱼" not in html                                 # EAST-02 is not his either
    south_item = seeded["广州店洗手间很脏，菜里有头发，要曝光"]
    assert bob.get(f"/text/items/{south_item}").status_code == 404
    assert bob.get("/text/", query_string={"unit_id": unit_id(app, "SOUTH-01")}).status_code == 404
    assert "烧鹅很好吃" not in page(bob, word=SOUTH_WORD, source="meituan")
    charlie = as_user("charlie")
    assert SOUTH_WORD in page(charlie) and "服务员态度很差" not in page(charlie)
    assert charlie.get(f"/text/items/{south_item}").status_code == 200


def label(client, item_id, **form):
    return client.post(f"/text/items/{item_id}/label", data=form)


def test_an_analyst_corrects_sentiment_and_tags(as_user, seeded, app):
    dave = as_user("dave")   # analyst on EAST
    item_id = seeded["排队等了一个小时，太慢了"]
    response = label(dave, item_id, field="sentiment", value="neutral")
    assert response.status_code == 302
    assert label(dave, item_id, field="tag", value="parking", present="1").status_code == 302
    assert label(dave, item_id, field="tag", value="waiting", present="0").status_code == 302
    item = items(app, "id = ?", (item_id,))[0]
    assert item["sentiment"] == "neutral" and item["sentiment_by"] == "analyst"
    tags = {t["tag"]: t["by"] for t in item["tags"]}
    assert tags.get("parking") == "analyst" and "waiting" not in tags
    with app.app_context():
        database = db.get_db()
        assert database.execute("SELECT COUNT(*) FROM text_labels WHERE item_id = ?",
                                (item_id,)).fetchone()[0] == 3
        audit = db.query_all(database, "SELECT * FROM audit_log WHERE action = 'text.label'")
        assert len(audit) == 3 and audit[0]["username"] == "dave"
        assert audit[0]["unit_id"] == unit_id(app, "EAST-01")
    html = dave.get(f"/text/items/{item_id}").get_data(as_text=True)
    assert "Correction saved" in html and "tx-by-analyst" in html
    assert "排队等了一个小时" in page(dave, tag="parking")


def test_who_may_not_correct(as_user, seeded):
    east_item = seeded["排队等了一个小时，太慢了"]
    south_item = seeded["广州店烧鹅很好吃，价格也不贵"]
    assert label(as_user("erin"), east_item, field="sentiment", value="neutral").status_code == 403
    assert label(as_user("bob"), east_item, field="sentiment", value="neutral").status_code == 403
    assert label(as_user("dave"), south_item, field="sentiment", value="neutral").status_code == 404
    html = as_user("erin").get(f"/text/items/{east_item}").get_data(as_text=True)
    assert "Save sentiment" not in html


@pytest.mark.parametrize("form", [
    {}, {"field": "sentiment"}, {"field": "sentiment", "value": "furious"},
    {"field": "tag", "value": "no_such_tag"}, {"field": "tag", "value": "x" * 100_000},
    {"field": "colour", "value": "red"}, {"field": ["tag", "sentiment"], "value": "\x00"},
])
def test_bad_corrections_get_a_400_and_change_nothing(as_user, seeded, app, form):
    item_id = seeded["排队等了一个小时，太慢了"]
    before = items(app, "id = ?", (item_id,))[0]
    response = label(as_user("dave"), item_id, **form)
    assert response.status_code == 400
    assert "Choose" in response.get_data(as_text=True)
    assert items(app, "id = ?", (item_id,))[0] == before


def test_unknown_items_and_odd_queries_are_not_errors(as_user, seeded):
    dave = as_user("dave")
    assert dave.get("/text/items/999999").status_code == 404
    assert dave.get("/text/items/abc").status_code == 404
    assert label(dave, 999999, field="sentiment", value="neutral").status_code == 404
    assert dave.get("/text/items/1/label").status_code == 405
    for query in ({"date_from": "garbage", "date_to": "2026-13-45"}, {"unit_id": "x"},
                  {"page": "-3"}, {"date_from": "2026-06-01", "date_to": "2020-01-01"},
                  {"survey_id": "1 OR 1=1", "sentiment": "'; DROP TABLE text_items"},
                  {"tag": "t" * 5000, "word": "\x00"}):
        assert dave.get("/text/", query_string=query).status_code == 200, query
    assert dave.get("/text/", query_string={"unit_id": "999999"}).status_code == 404


def test_a_correction_without_its_csrf_token_is_refused(data_dir, models_dir, seeded):
    app = make_app(data_dir)
    app.config.update(WTF_CSRF_ENABLED=True, TEXT_MODELS_DIR=str(models_dir))
    client = app.test_client()
    token = csrf_token_from(client.get("/login").get_data(as_text=True))
    client.post("/login", data={"username": "dave", "password": "Correct-Horse-42",
                                "csrf_token": token})
    item_id = seeded["排队等了一个小时，太慢了"]
    assert label(client, item_id, field="sentiment", value="neutral").status_code == 400
    html = client.get(f"/text/items/{item_id}").get_data(as_text=True)
    response = label(client, item_id, field="sentiment", value="neutral",
                     csrf_token=csrf_token_from(html))
    assert response.status_code == 302


def test_the_nav_shows_text_analytics_to_every_role(as_user):
    assert 'href="/text/"' in as_user("erin").get("/").get_data(as_text=True)
    assert as_user("erin").get("/text/").status_code == 200
