"""The draft API under bad input, CSRF, scope, and the survey pages."""
import json
import re

import pytest

from appliance.core.db import query_one

GOOD = {"schema": 1, "languages": ["zh_CN", "en"], "default_language": "zh_CN",
        "title": {"zh_CN": "标题", "en": "Title"},
        "pages": [{"key": "p1", "questions": [
            {"key": "q1", "type": "nps", "text": {"zh_CN": "推荐？", "en": "Recommend?"},
             "metric": "nps", "required": True},
            {"key": "q2", "type": "text", "text": {"zh_CN": "为什么？", "en": "Why?"},
             "display_if": {"question": "q1", "op": "lte", "value": 6}}]}]}


def put(client, survey_id, body, **kwargs):
    data = body if isinstance(body, (bytes, str)) else json.dumps(body)
    return client.put(f"/api/v1/surveys/{survey_id}/draft", data=data,
                      content_type="application/json", **kwargs)


def with_question(**fields):
    document = json.loads(json.dumps(GOOD))
    document["pages"][0]["questions"][0].update(fields)
    return document


def test_a_valid_draft_is_saved_and_reported_valid(as_user, make_survey):
    survey_id = make_survey()
    response = put(as_user("pat"), survey_id, GOOD)
    assert response.status_code == 200
    assert response.json == {**response.json, "ok": True, "valid": True, "problems": []}


@pytest.mark.parametrize("document, expected", [
    (with_question(required="yes"), "required"),
    (with_question(colour="red"), "colour"),
    (with_question(type="slider"), "slider"),
    (with_question(scale=99, type="rating"), "scale"),
    (with_question(text="not an object"), "text"),
    (with_question(display_if={"question": ["q9"], "op": "eq"}), "key"),
    ({**GOOD, "pages": [{"key": "p1", "questions": [], "skip_to": "x"}]}, "skip_to"),
])
def test_it_stores_work_in_progress_and_reports_problems(as_user, make_survey, app,
                                                         document, expected):
    survey_id = make_survey()
    response = put(as_user("pat"), survey_id, document)
    assert response.status_code == 200, response.json
    assert response.json["ok"] and not response.json["valid"]
    assert any(expected in p for p in response.json["problems"])
    publish = as_user("pat").post(f"/api/v1/surveys/{survey_id}/publish")
    assert publish.status_code == 400 and publish.json["problems"]


@pytest.mark.parametrize("body, status", [
    (b"[1, 2]", 400),
    (b'"just text"', 400),
    (b"{not json", 400),
    (b'{"pages": "none"}', 400),
    (b'{"pages": [{"questions": ["q1"]}]}', 400),
    (b'{"pages": [{"questions": []}], "x": "\xff\xfe bad bytes"}', 400),
    (b'{"pages": [{"questions": [{"text": {"en": "\\ud800"}}]}]}', 400),
    (b'{"pages": [{"questions": [{"min": 1e400}]}]}', 400),
    (("[" * 200 + "]" * 200).encode(), 400),
    (('{"pages": [{"questions": [], "a": ' + "[" * 200 + "]" * 200 + "}]}").encode(), 400),
    (("[" * 100_000).encode(), 400),
])
def test_it_refuses_what_can_never_be_a_survey(as_user, make_survey, app, body, status):
    survey_id = make_survey()
    with app.app_context():
        from appliance.core.db import get_db
        before = query_one(get_db(), "SELECT draft FROM surveys WHERE id = ?", (survey_id,))
    response = put(as_user("pat"), survey_id, body)
    assert response.status_code == status
    assert response.json["ok"] is False and response.json["error"]
    with app.app_context():
        from appliance.core.db import get_db
        assert query_one(get_db(), "SELECT draft FROM surveys WHERE id = ?", (survey_id,)) == before


def test_a_ten_megabyte_body_gets_413(as_user, make_survey):
    body = b'{"pages": [{"questions": []}], "pad": "' + b"x" * (10 * 1024 * 1024) + b'"}'
    response = put(as_user("pat"), make_survey(), body)
    assert response.status_code == 413 and response.json["ok"] is False


def test_emoji_are_kept_and_control_characters_removed(as_user, make_survey, app):
    survey_id = make_survey()
    client = as_user("pat")
    document = with_question(text={"zh_CN": "推荐吗？😀\x07\x1b", "en": "Tab\there\nline"})
    assert put(client, survey_id, document).json["valid"]
    saved = client.get(f"/api/v1/surveys/{survey_id}/draft").json["document"]
    assert saved["pages"][0]["questions"][0]["text"] == {"zh_CN": "推荐吗？😀", "en": "Tab\there\nline"}


def test_script_tags_are_stored_as_text_and_rendered_inert(as_user, make_survey):
    survey_id = make_survey()
    client = as_user("pat")
    evil = "<script>alert(1)</script>"
    document = json.loads(json.dumps(GOOD))
    document["title"] = {"zh_CN": evil, "en": evil}
    document["intro"] = {"zh_CN": evil}
    document["hidden_fields"] = ["unit"]
    for question in document["pages"][0]["questions"]:
        question["text"] = {"zh_CN": evil + "{{hidden.unit}}", "en": evil}
        question["help"] = {"zh_CN": evil}
    document["pages"][0]["title"] = {"zh_CN": evil}
    document["languages"] = ["zh_CN"]   # the texts above are Chinese only
    assert put(client, survey_id, document).json["valid"]
    for url in (f"/surveys/{survey_id}/preview?lang=zh_CN", f"/surveys/{survey_id}/design",
                f"/surveys/{survey_id}", "/surveys"):
        html = client.get(url).get_data(as_text=True)
        assert "<script>alert" not in html, url
    preview = client.get(f"/surveys/{survey_id}/preview?lang=zh_CN").get_data(as_text=True)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in preview
    assert client.get(f"/api/v1/surveys/{survey_id}/draft").json["document"]["title"]["en"] == evil


def test_the_draft_api_requires_the_csrf_token(as_user, make_survey, app):
    survey_id = make_survey()
    client = as_user("pat")
    app.config["WTF_CSRF_ENABLED"] = True
    refused = put(client, survey_id, GOOD)
    assert refused.status_code == 400 and refused.json["ok"] is False
    html = client.get(f"/surveys/{survey_id}/design").get_data(as_text=True)
    token = html.split('data-csrf="')[1].split('"')[0]
    accepted = put(client, survey_id, GOOD, headers={"X-CSRFToken": token})
    assert accepted.status_code == 200 and accepted.json["ok"]
    assert client.post(f"/api/v1/surveys/{survey_id}/publish", headers={"X-CSRFToken": token}).json["ok"]


def test_scope_charlie_cannot_see_an_east_survey_and_bob_sees_group_surveys_read_only(
        as_user, make_survey):
    east = make_survey("EAST-01", name="East store survey")
    group = make_survey("GROUP", name="Group survey")
    charlie, bob = as_user("charlie"), as_user("bob")
    for url in (f"/surveys/{east}", f"/surveys/{east}/preview", f"/api/v1/surveys/{east}/draft"):
        assert charlie.get(url).status_code == 404, url
    assert "East store survey" not in charlie.get("/surveys").get_data(as_text=True)
    listing = bob.get("/surveys").get_data(as_text=True)
    assert "East store survey" in listing and "Group survey" in listing
    assert bob.get(f"/surveys/{group}").status_code == 200
    assert bob.get(f"/surveys/{group}/design").status_code == 403
    assert bob.get(f"/api/v1/surveys/{group}/draft").status_code == 403   # one rule for drafts
    assert put(bob, group, GOOD).status_code == 403
    assert put(charlie, east, GOOD).status_code == 403   # no survey-design role at all
    assert as_user("erin").get(f"/surveys/{east}").status_code == 200


def test_only_survey_managers_design_and_publish(as_user, make_survey):
    survey_id = make_survey(template="relational_nps")
    for user in ("dave", "erin", "bob"):
        client = as_user(user)
        assert client.get("/surveys/new").status_code == 403
        assert client.post(f"/api/v1/surveys/{survey_id}/publish").status_code == 403
        assert client.get(f"/surveys/{survey_id}/settings").status_code == 403
    assert as_user("alice").post(f"/api/v1/surveys/{survey_id}/publish").json["version"] == 1


def test_new_survey_from_a_template_through_the_page(as_user, app):
    from survey_helpers import unit_id
    client = as_user("pat")
    assert "Restaurant visit" in client.get("/surveys/new").get_data(as_text=True)
    response = client.post("/surveys/new", data={"name": "Dinner 2026", "template": "restaurant_visit",
                                                 "unit_id": unit_id(app, "EAST")})
    assert response.status_code == 302 and response.location.endswith("/design")
    bad = client.post("/surveys/new", data={"name": "", "template": "nope", "unit_id": "999"})
    assert bad.status_code == 400


def test_settings_versions_close_and_duplicate_pages(as_user, make_survey):
    survey_id = make_survey(template="transactional_csat")
    client = as_user("pat")
    form = {"name": "CSAT after visit", "opens_at": "2026-01-01T09:00",
            "closes_at": "2026-12-31T18:00", "quota_total": "500", "quota_per_unit": "50",
            "close_message_zh_CN": "已结束", "close_message_en": "Closed"}
    assert client.post(f"/surveys/{survey_id}/settings", data=form).status_code == 302
    assert client.get(f"/surveys/{survey_id}/settings").get_data(as_text=True).count("2026-01-01T09:00") == 1
    wrong = client.post(f"/surveys/{survey_id}/settings",
                        data={**form, "closes_at": "2025-01-01T00:00", "quota_per_unit": "900"})
    assert wrong.status_code == 400
    client.post(f"/api/v1/surveys/{survey_id}/publish")
    page = client.get(f"/surveys/{survey_id}").get_data(as_text=True)
    assert "v1" in page and "CSAT after visit" in page
    assert client.get(f"/surveys/{survey_id}/preview?version=1").status_code == 200
    assert client.get(f"/surveys/{survey_id}/preview?version=7").status_code == 404
    assert client.post(f"/surveys/{survey_id}/close").status_code == 302
    assert "badge bad" in client.get(f"/surveys/{survey_id}").get_data(as_text=True)
    copy = client.post(f"/surveys/{survey_id}/duplicate")
    assert copy.status_code == 302 and f"/surveys/{survey_id}/" not in copy.location


def test_the_preview_can_be_framed_by_the_designer_only(as_user, make_survey):
    survey_id = make_survey(template="mall_journey")
    response = as_user("pat").get(f"/surveys/{survey_id}/preview")
    assert "frame-ancestors 'self'" in response.headers["Content-Security-Policy"]
    html = response.get_data(as_text=True)
    assert "跳到第 6 页" in html or "go to page 6" in html


def test_piping_may_only_refer_to_earlier_questions_and_known_hidden_fields(as_user, make_survey):
    survey_id, client = make_survey(), as_user("pat")
    good = json.loads(json.dumps(GOOD))
    good["hidden_fields"] = ["unit"]
    why = good["pages"][0]["questions"].pop()
    why["text"] = {"zh_CN": "为什么给{{q1}}分？（{{hidden.unit}}）", "en": "Why {{ q1 }}?"}
    good["pages"].append({"key": "p2", "questions": [why]})
    assert put(client, survey_id, good).json["problems"] == []
    bad = json.loads(json.dumps(good))
    bad["pages"][0]["questions"][0]["text"] = {"zh_CN": "{{q2}} 之后？", "en": "{{hidden.shop}}"}
    problems = put(client, survey_id, bad).json["problems"]
    assert any("{{q2}}" in p and "earlier" in p for p in problems)
    assert any("{{hidden.shop}}" in p for p in problems)
    assert client.post(f"/api/v1/surveys/{survey_id}/publish").status_code == 400


def piping_in_help_and_labels(help_text, choice_text, row_text):
    """q1 NPS, q2 single choice whose help and choice a pipe texts, q3 a matrix with a piped row."""
    document = json.loads(json.dumps(GOOD))
    document["hidden_fields"], document["languages"] = ["unit"], ["zh_CN"]
    document["pages"][0]["questions"][1:] = []
    document["pages"] += [
        {"key": "p2", "questions": [
            {"key": "q2", "type": "single_choice", "text": {"zh_CN": "再来吗？"},
             "help": {"zh_CN": help_text},
             "choices": [{"key": "a", "text": {"zh_CN": choice_text}},
                         {"key": "b", "text": {"zh_CN": "不会"}}]}]},
        {"key": "p3", "questions": [
            {"key": "q3", "type": "matrix", "text": {"zh_CN": "评价"},
             "rows": [{"key": "r1", "text": {"zh_CN": row_text}}],
             "scale": [{"value": v, "text": {"zh_CN": str(v)}} for v in (1, 2)]}]}]
    return document


def test_piping_in_help_choices_and_rows_must_refer_to_earlier_answers(as_user, make_survey):
    survey_id, client = make_survey(), as_user("pat")
    good = piping_in_help_and_labels("您给了 {{q1}} 分", "会，在{{hidden.unit}}", "{{q2}} 的体验")
    assert put(client, survey_id, good).json["problems"] == []
    preview = client.get(f"/surveys/{survey_id}/preview?lang=zh_CN").get_data(as_text=True)
    text = re.sub(r"<[^>]+>", "", preview)   # piped answers are marked for the test mode
    assert "您给了 [Q1] 分" in text and "会，在[unit]" in text and "[Q2] 的体验" in text
    assert '<span class="r-pipe" data-pipe="q1">[Q1]</span>' in preview
    bad = piping_in_help_and_labels("{{q3}} 之前", "会，{{q2}}", "{{hidden.shop}}")
    problems = put(client, survey_id, bad).json["problems"]
    assert any(p.startswith("question q2 help: piping {{q3}}") for p in problems), problems
    assert any(p.startswith("question q2 choice a: piping {{q2}}") for p in problems), problems
    assert any(p.startswith("question q3 row r1: piping {{hidden.shop}}") for p in problems)
    assert len(problems) == 3
    assert client.post(f"/api/v1/surveys/{survey_id}/publish").status_code == 400


def test_publishing_problems_are_told_in_the_designers_language(as_user, make_survey):
    """definition.validate stays pure (English str); the API words each problem for its reader."""
    survey_id = make_survey()
    document = json.loads(json.dumps(GOOD))
    document["pages"][0]["questions"].append(
        {"key": "q3", "type": "single_choice", "text": {"zh_CN": "选一个", "en": "Pick"},
         "choices": [{"key": "a", "text": {"zh_CN": "甲", "en": ""}}]})
    designer = as_user("pat")
    designer.post("/language", data={"language": "zh_CN", "next": "/"})
    problems = put(designer, survey_id, document).json["problems"]
    assert "问题 q3：至少需要两个选项" in problems, problems
    assert "问题 q3 的选项 a：缺少英文文字" in problems, problems
    publish = designer.post(f"/api/v1/surveys/{survey_id}/publish")
    assert publish.status_code == 400 and "问题 q3：至少需要两个选项" in publish.json["problems"]
    designer.post("/language", data={"language": "en", "next": "/"})
    problems = designer.get(f"/api/v1/surveys/{survey_id}/draft").json["problems"]
    assert "question q3: needs at least two choices" in problems, problems
    assert "question q3 choice a: the English text is missing" in problems, problems
