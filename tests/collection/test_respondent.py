"""The respondent pages: every question type without JavaScript, logic, resume, refusals."""
import json
import re

from collection_helpers import count, link_for, publish_survey

from appliance.collection import links
from appliance.core import db, settings

PAGE2_FORM = {"choice": "other", "choice.other": "朋友推荐", "multi": ["a", "c"], "drop": "y",
              "effort": "6", "grid.r1": "1", "grid.r2": "3", "rank.m": "2", "rank.n": "3",
              "rank.o": "1"}
PAGE3_FORM = {"comment": "很好 👍", "visits": "3", "day": "2026-01-15", "contact.name": "王小明",
              "contact.phone": "13800138000", "contact.email": "wang@example.com",
              "contact.consent": "yes"}


def form_state(html):
    page = re.search(r'name="_page" value="([^"]+)"', html).group(1)
    token = re.search(r'name="_rt" value="([^"]+)"', html).group(1)
    return {"_page": page, "_rt": token}


def answer(client, url, values):
    """GET the current page, POST its form with values; return the POST response."""
    page = client.get(url)
    assert page.status_code == 200, page.get_data(as_text=True)[:300]
    return client.post(url, data={**form_state(page.get_data(as_text=True)), **values})


def stored(app):
    with app.app_context():
        return db.query_one(db.get_db(), "SELECT * FROM responses ORDER BY id DESC LIMIT 1")


def test_every_question_type_answered_without_javascript(app, client, public_token):
    url = f"/s/{public_token}?order_id=A-9&channel=sms"
    html = client.get(url).get_data(as_text=True)
    scripts = re.findall(r'<script src="([^"]+)"', html)
    assert scripts == ["/static/collection/respond_save.js"]   # an enhancement, the form works without it
    assert html.count("<script") == 1 and 'type="radio" id="i-nps-10"' in html
    assert "推荐可能性" in html and 'lang="zh-CN"' in html
    first = answer(client, url, {"nps": "7", "stars": "4", "faces": "5"})
    assert first.status_code == 302
    page2 = client.get(url).get_data(as_text=True)
    assert 'name="grid.r1"' in page2 and 'name="rank.m"' in page2 and "<select" in page2
    assert page2.count("<script") == 2   # ranking.js only on a page with a ranking question
    assert '<script src="/static/collection/ranking.js" defer></script>' in page2
    assert answer(client, url, PAGE2_FORM).status_code == 302
    done = answer(client, url, PAGE3_FORM)
    assert done.status_code == 302 and "/thanks" in done.headers["Location"]
    assert "谢谢您的反馈" in client.get(done.headers["Location"]).get_data(as_text=True)
    row = stored(app)
    answers = json.loads(row["answers"])
    assert row["status"] == "complete" and row["nps"] == 7 and row["csat"] == 4
    assert answers["rank"] == ["o", "m", "n"] and answers["grid"] == {"r1": 1, "r2": 3}
    assert answers["multi"] == ["a", "c"] and answers["choice.other"] == "朋友推荐"
    assert json.loads(row["hidden"]) == {"order_id": "A-9", "channel": "sms"}
    assert row["channel"] == "sms" and "contact" not in answers


def test_language_from_query_or_accept_language(client, public_token):
    assert "How likely to recommend?" in client.get(f"/s/{public_token}?lang=en").get_data(
        as_text=True)
    english = client.get(f"/s/{public_token}", headers={"Accept-Language": "en-US,en;q=0.9"})
    assert 'lang="en"' in english.get_data(as_text=True)
    chinese = client.get(f"/s/{public_token}", headers={"Accept-Language": "zh-CN,zh;q=0.9"})
    assert "下一页" in chinese.get_data(as_text=True)


def test_a_detractor_must_explain_and_sees_the_piped_score(app, client, public_token):
    url = f"/s/{public_token}"
    refused = answer(client, url, {"nps": "3"})
    assert refused.status_code == 400
    html = refused.get_data(as_text=True)
    assert "请回答此题" in html and "为什么给这个分数？" in html
    assert answer(client, url, {"nps": "3", "why": "太慢了"}).status_code == 302
    assert "您给了 3 分" in client.get(url).get_data(as_text=True)   # piped on the next page


def test_skip_logic_skips_a_page_and_its_required_question(app, client, public_token):
    url = f"/s/{public_token}"
    assert answer(client, url, {"nps": "10"}).status_code == 302
    assert 'name="_page" value="p3"' in client.get(url).get_data(as_text=True)
    assert answer(client, url, {}).status_code == 302
    assert stored(app)["status"] == "complete"


def test_answers_to_hidden_questions_and_unknown_fields_are_rejected(app, client, public_token):
    url = f"/s/{public_token}"
    assert answer(client, url, {"nps": "9", "why": "not shown to promoters"}).status_code == 400
    assert answer(client, url, {"nps": "9", "surprise": "1"}).status_code == 400
    assert answer(client, url, {"nps": "11"}).status_code == 400
    assert answer(client, url, {"nps": "abc"}).status_code == 400
    assert count(app) == 0


def test_a_partial_response_resumes_on_the_same_device(app, client, public_token):
    url = f"/s/{public_token}"
    answer(client, url, {"nps": "7"})
    row = stored(app)
    assert row["status"] == "partial" and row["current_page"] == "p2"
    assert 'value="p2"' in client.get(url).get_data(as_text=True)
    assert 'value="p1"' in app.test_client().get(url).get_data(as_text=True)   # another device


def test_sending_a_page_twice_changes_nothing(app, client, public_token):
    url = f"/s/{public_token}"
    state = form_state(client.get(url).get_data(as_text=True))
    client.post(url, data={**state, "nps": "7"})
    again = client.post(url, data={**state, "nps": "2"})
    assert again.status_code == 302 and count(app) == 1 and stored(app)["nps"] == 7


def test_a_final_page_sent_twice_at_once_counts_once(app, client, public_token):
    from appliance.collection import admission, intake
    answer(client, f"/s/{public_token}", {"nps": "7"})
    partial = stored(app)   # both requests read the response while it was still partial
    with app.app_context():
        database = db.get_db()
        visit = admission.open_visit(database, public_token, {})
        assert intake.complete(database, visit, {"nps": 7}, partial) == partial["id"]
        assert intake.complete(database, visit, {"nps": 2}, partial) == partial["id"]
        published = database.execute("SELECT COUNT(*) FROM events "
                                     "WHERE name = 'response.accepted'").fetchone()[0]
    assert published == 1 and stored(app)["nps"] == 7 and stored(app)["status"] == "complete"


def test_a_closed_survey_says_so_in_the_respondents_language(app, client):
    survey = publish_survey(app, closes_at="2020-01-01T00:00:00.000000Z",
                            close_message={"en": "Closed for the season."})
    token = link_for(app, survey["id"])
    english = client.get(f"/s/{token}?lang=en")
    assert english.status_code == 410 and "Closed for the season." in english.get_data(as_text=True)
    assert "问卷已结束" in client.get(f"/s/{token}").get_data(as_text=True)
    assert client.post(f"/s/{token}", data={"nps": "9"}).status_code == 410


def test_a_full_survey_stops_taking_answers(app, client):
    survey = publish_survey(app, quota_per_unit=1)
    token = link_for(app, survey["id"], "EAST-01")
    assert client.post("/api/v1/responses", json={"token": token, "answers": {"nps": 9}}).status_code == 201
    page = client.get(f"/s/{token}?lang=en")
    assert page.status_code == 410 and "This survey is full" in page.get_data(as_text=True)
    other_store = link_for(app, survey["id"], "EAST-02")
    assert client.get(f"/s/{other_store}").status_code == 200


def test_an_invitation_is_answered_once(app, client, survey):
    with app.app_context():
        token = links.create_invitations(db.get_db(), survey["id"], 1)[0]["token"]
    url = f"/s/{token}"
    answer(client, url, {"nps": "10"})
    assert answer(client, url, {}).status_code == 302
    assert client.get(url).status_code == 409
    assert "您已作答" in app.test_client().get(url).get_data(as_text=True)
    api = client.post("/api/v1/responses", json={"token": token, "answers": {"nps": 9}})
    assert api.status_code == 409 and count(app) == 1


def test_invitation_contacts_are_encrypted(app, survey):
    with app.app_context():
        made = links.create_invitations(db.get_db(), survey["id"], [{"email": "a@b.cn"}])
        raw = db.query_one(db.get_db(), "SELECT contact_enc FROM links WHERE token = ?",
                           (made[0]["token"],))["contact_enc"]
    assert raw.startswith("enc1:") and "a@b.cn" not in raw


def test_the_honeypot_stores_nothing(app, client, public_token):
    url = f"/s/{public_token}"
    trap = answer(client, url, {"nps": "9", "contact-website": "http://spam"})
    assert trap.status_code == 302 and "/thanks" in trap.headers["Location"]
    assert count(app) == 0


def test_page_posts_are_rate_limited_per_address(app, client, public_token):
    with app.app_context():
        settings.set_many(db.get_db(), {"collection.rate_ip_per_minute": 2})
    url = f"/s/{public_token}"
    codes = [client.post(url, data={"_page": "p1", "nps": "x"}).status_code for _ in range(3)]
    assert codes == [400, 400, 429]


def test_bad_form_input_gets_a_clear_4xx(app, client, public_token):
    url = f"/s/{public_token}"
    state = form_state(client.get(url).get_data(as_text=True))
    big = client.post(url, data={**state, "nps": "9", "x": "y" * 10_000_000})
    assert big.status_code == 413
    bad_bytes = client.post(url, data=b"_page=p1&nps=3&why=\xff\xfe",
                            content_type="application/x-www-form-urlencoded")
    assert bad_bytes.status_code == 400
    control = answer(client, url, {"nps": "3", "why": "bell\x07"})
    assert control.status_code == 400 and count(app) == 0


def test_unknown_link_is_a_friendly_404(client):
    page = client.get("/s/doesnotexist?lang=en")
    assert page.status_code == 404 and "Link not found" in page.get_data(as_text=True)


def back(client, url, values):
    """GET the current page, press Back with values; return the POST response."""
    page = client.get(url).get_data(as_text=True)
    return client.post(url, data={**form_state(page), "_nav": "back", **values})


def test_back_returns_to_the_previous_page_keeping_the_answers(app, client, public_token):
    url = f"/s/{public_token}"
    first = client.get(url).get_data(as_text=True)
    assert 'name="_nav"' not in first   # nothing before the first page
    answer(client, url, {"nps": "7", "stars": "4"})
    page2 = client.get(url).get_data(as_text=True)
    assert '<button type="submit" class="back" name="_nav" value="back" formnovalidate>上一页' in page2
    assert page2.index('class="go"') < page2.index('class="back"')   # Enter still means Next
    went = back(client, url, PAGE2_FORM)
    assert went.status_code == 302
    row = stored(app)
    assert row["current_page"] == "p1" and json.loads(row["answers"])["multi"] == ["a", "c"]
    page1 = client.get(url).get_data(as_text=True)
    assert 'value="p1"' in page1 and 'id="i-nps-7" name="nps" value="7" checked' in page1
    assert 'id="i-stars-4" name="stars" value="4" checked' in page1
    assert answer(client, url, {"nps": "7", "stars": "4"}).status_code == 302
    again = client.get(url).get_data(as_text=True)
    assert 'value="p2"' in again and 'name="multi" value="c" checked' in again
    assert 'value="朋友推荐"' in again and 'value="2" selected' in again


def test_back_discards_an_invalid_page_without_an_error(app, client, public_token):
    url = f"/s/{public_token}"
    answer(client, url, {"nps": "7"})
    went = back(client, url, {"multi": ["a", "b", "c"], "grid.r1": "9"})   # too many, out of range
    assert went.status_code == 302
    row = stored(app)
    assert row["current_page"] == "p1" and json.loads(row["answers"]) == {"nps": 7}
    page1 = client.get(url).get_data(as_text=True)
    assert 'role="alert"' not in page1 and 'value="p1"' in page1


def test_back_follows_the_skip_logic(app, client, public_token):
    url = f"/s/{public_token}?lang=en"
    answer(client, url, {"nps": "10"})
    page3 = client.get(url).get_data(as_text=True)
    assert 'value="p3"' in page3 and ">Back</button>" in page3
    assert back(client, url, {"comment": "ok"}).status_code == 302
    assert stored(app)["current_page"] == "p1"   # p2 was skipped on the way
    assert json.loads(stored(app)["answers"]) == {"nps": 10, "comment": "ok"}


def test_answers_changed_after_going_back_replace_the_old_ones(app, client, public_token):
    url = f"/s/{public_token}"
    answer(client, url, {"nps": "3", "why": "太慢", "stars": "2"})
    back(client, url, PAGE2_FORM)
    answer(client, url, {"nps": "10"})   # a promoter now: no "why", no stars, p2 skipped
    assert 'value="p3"' in client.get(url).get_data(as_text=True)
    assert answer(client, url, {"comment": "好"}).status_code == 302
    row = stored(app)
    assert row["status"] == "complete" and json.loads(row["answers"]) == {"nps": 10, "comment": "好"}


def leave(client, url, token, values):
    """What respond_save.js sends when the respondent hides or closes the tab."""
    html = client.get(url).get_data(as_text=True)
    save_url = re.search(r'data-save-url="([^"]+)"', html).group(1).replace("&amp;", "&")
    assert save_url.startswith(f"/s/{token}/save")
    return client.post(save_url, data={**form_state(html), **values})


def test_a_half_typed_comment_is_kept_when_the_respondent_leaves_page_two(app, client,
                                                                          public_token):
    url = f"/s/{public_token}"
    answer(client, url, {"nps": "10"})          # a promoter: on to p3, the comment page
    assert leave(client, url, public_token, {"comment": "服务很好，就是停车"}).status_code == 204
    row = stored(app)
    assert row["status"] == "partial" and row["current_page"] == "p3"   # saved, not moved on
    assert json.loads(row["answers"]) == {"nps": 10, "comment": "服务很好，就是停车"}
    again = client.get(url).get_data(as_text=True)   # the respondent comes back
    assert "服务很好，就是停车" in again and 'name="_page" value="p3"' in again
    assert answer(client, url, {"comment": "服务很好，就是停车难"}).status_code == 302
    assert stored(app)["status"] == "complete"


def test_leaving_keeps_only_valid_answers_and_never_completes(app, client, public_token):
    url = f"/s/{public_token}"
    answer(client, url, {"nps": "10"})
    leave(client, url, public_token, {"comment": "好", "visits": "not a number"})
    row = stored(app)
    assert json.loads(row["answers"]) == {"nps": 10, "comment": "好"}
    assert row["status"] == "partial"


def test_leaving_the_first_page_starts_a_partial_response_with_the_resume_cookie(
        app, client, public_token):
    url = f"/s/{public_token}"
    response = leave(client, url, public_token, {"nps": "4"})
    assert response.status_code == 204 and "tj_r" in response.headers.get("Set-Cookie", "")
    assert json.loads(stored(app)["answers"]) == {"nps": 4}
    assert 'id="i-nps-4" name="nps" value="4" checked' in client.get(url).get_data(as_text=True)
    assert client.post(f"/s/{public_token}/save", data={"nps": "5"}).status_code == 204  # no page
