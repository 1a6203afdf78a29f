"""Designer tools in headless Chromium: the piping picker, nested condition groups, drag and drop."""
import json

import pytest
from survey_helpers import PASSWORD

from appliance.core import db
from appliance.surveys import service
from helpers import screenshot, touch_drag

pytestmark = pytest.mark.browser


def t(zh, en):
    return {"zh_CN": zh, "en": en}


DOC = {"schema": 1, "languages": ["zh_CN", "en"], "default_language": "zh_CN",
       "title": t("门店体验", "Store visit"), "hidden_fields": ["unit", "channel"],
       "pages": [{"key": "p1", "questions": [
           {"key": "q1", "type": "nps", "text": t("推荐可能性", "Recommend?"), "metric": "nps"},
           {"key": "q2", "type": "single_choice", "text": t("用餐方式", "How did you eat?"),
            "choices": [{"key": "a", "text": t("堂食", "In the store")},
                        {"key": "b", "text": t("外卖", "Delivery")}]},
           {"key": "q3", "type": "text", "text": t("原因", "Why")}]},
           {"key": "p2", "questions": [
               {"key": "q4", "type": "text", "text": t("其他建议", "Anything else?")}]}]}


def open_designer(app, live_server, browser, doc=DOC, **context_options):
    """Log pat in (Chinese UI), store doc as the draft of a new survey, open its designer."""
    with app.app_context():
        database = db.get_db()
        database.execute("UPDATE users SET language = 'zh_CN' WHERE username = 'pat'")
        database.commit()
        from appliance.org import units as units_service
        survey = service.create(database, units_service.get_unit_by_code(database, "GROUP"),
                                "门店体验", document=json.loads(json.dumps(doc)))
    server = live_server(app)
    context = browser.new_context(**{"viewport": {"width": 1400, "height": 1000},
                                     "locale": "zh-CN", **context_options})
    page = context.new_page()
    page.failures = []
    page.on("pageerror", lambda error: page.failures.append(str(error)))
    page.goto(server.url + "/login")
    page.fill("input[name=username]", "pat")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.goto(f"{server.url}/surveys/{survey['id']}/design")
    page.wait_for_selector(".q-card[data-key=q1]")
    return page, survey["id"]


def saved_draft(app, survey_id):
    with app.app_context():
        return service.get_survey(db.get_db(), survey_id)["document"]


def wait_saved(page):
    from playwright.sync_api import expect
    expect(page.locator("#save-state")).to_have_text("已保存", timeout=10_000)


def test_the_piping_picker_inserts_a_placeholder_at_the_cursor(app, live_server, browser):
    page, survey_id = open_designer(app, live_server, browser)
    page.click(".q-card[data-key=q3] .q-head")
    picker = page.locator(".q-card.open select.pipe-picker[data-for=text]")
    options = picker.locator("option").all_text_contents()
    assert not any("Q" in o for o in options)    # Q1 and Q2 are on q3's own page: not pipeable
    page.click(".q-card[data-key=q4] .q-head")
    options = picker.locator("option").all_text_contents()
    assert any("Q1" in o for o in options) and any("Q3" in o for o in options)
    assert not any("Q4" in o for o in options)   # only questions of earlier pages
    assert any("unit" in o for o in options)
    box = page.locator(".q-card.open textarea[data-field='text.zh_CN']")
    box.fill("为什么给分？")
    box.evaluate("el => el.setSelectionRange(4, 4)")            # after 为什么给
    picker.select_option("{{q1}}")
    assert box.input_value() == "为什么给{{q1}}分？"
    english = page.locator(".q-card.open textarea[data-field='text.en']")
    english.fill("Why, ")
    picker.select_option("{{hidden.unit}}")                     # into the box last focused
    assert english.input_value() == "Why, {{hidden.unit}}"
    page.locator(".q-card.open select.pipe-picker[data-for=help]").select_option("{{q2}}")
    wait_saved(page)
    question = saved_draft(app, survey_id)["pages"][1]["questions"][0]
    assert question["text"] == {"zh_CN": "为什么给{{q1}}分？", "en": "Why, {{hidden.unit}}"}
    assert question["help"] == {"zh_CN": "{{q2}}"}             # the help text has its own picker
    assert page.failures == []
    page.context.close()


def test_a_group_inside_the_display_logic_is_edited_and_said_in_words(app, live_server, browser):
    from playwright.sync_api import expect
    from appliance.surveys import logic_in_words
    page, survey_id = open_designer(app, live_server, browser)
    page.click(".q-card[data-key=q3] .q-head")
    logic = page.locator(".q-card.open .logic-box")
    logic.locator("button.add-condition").click()               # Q2 = 堂食
    logic.locator("button.add-group").click()                   # and (any of: Q2 = 堂食)
    group = logic.locator(".cond-group")
    group.locator("button.add-to-group").click()
    group.locator(".cond-row").nth(1).locator("select").first.select_option("h:channel")
    group.locator(".cond-row").nth(1).locator("input.value-input").fill("app")
    group.locator(".cond-row").nth(0).locator("select").first.select_option("q:q1")
    wait_saved(page)
    condition = saved_draft(app, survey_id)["pages"][0]["questions"][2]["display_if"]
    assert condition == {"all": [{"question": "q2", "op": "eq", "value": "a"},
                                 {"any": [{"question": "q1", "op": "lte", "value": 6},
                                          {"hidden": "channel", "op": "eq", "value": "app"}]}]}
    said = logic_in_words.show_rule(condition, saved_draft(app, survey_id), "zh_CN")
    assert "(Q1「推荐可能性」 ≤ 6 或 隐藏字段 channel = app)" in said
    expect(logic.locator(".rule-words")).to_have_text(said)
    expect(page.locator(".q-card.open .q-head .rule-words")).to_have_text(said)
    screenshot(page, "designer_nested_zh")
    group.locator(".cond-group-head select").select_option("all")
    wait_saved(page)
    assert "any" not in saved_draft(app, survey_id)["pages"][0]["questions"][2]["display_if"]["all"][1]
    group.locator(".cond-group-head button.danger").click()      # the group goes, Q2 = 堂食 stays
    wait_saved(page)
    assert saved_draft(app, survey_id)["pages"][0]["questions"][2]["display_if"] == \
        {"question": "q2", "op": "eq", "value": "a"}
    assert page.failures == []
    page.context.close()


def keys(document):
    return [[q["key"] for q in p["questions"]] for p in document["pages"]]


def test_a_question_dragged_to_another_page_is_saved_there(app, live_server, browser):
    page, survey_id = open_designer(app, live_server, browser)
    target = page.locator(".q-card[data-key=q4]")
    page.locator(".q-card[data-key=q2] .q-head").drag_to(target, target_position={"x": 200, "y": 5})
    wait_saved(page)
    assert keys(saved_draft(app, survey_id)) == [["q1", "q3"], ["q2", "q4"]]
    assert page.locator(".page-block[data-page=p2] .q-card").first.get_attribute("data-key") == "q2"
    last = page.locator(".page-block[data-page=p1]")
    page.locator(".q-card[data-key=q4] .q-head").drag_to(last, target_position={"x": 200, "y": 5})
    wait_saved(page)   # dropped above q1's middle: first on page 1
    assert keys(saved_draft(app, survey_id)) == [["q4", "q1", "q3"], ["q2"]]
    page.locator(".q-card[data-key=q4] .q-tools button[title=下移]").click()   # keyboard path too
    wait_saved(page)
    assert keys(saved_draft(app, survey_id)) == [["q1", "q4", "q3"], ["q2"]]
    page.locator(".q-card[data-key=q2] .q-tools button[title=上移]").click()   # up into page 1
    wait_saved(page)
    assert keys(saved_draft(app, survey_id)) == [["q1", "q4", "q3", "q2"], []]
    assert page.failures == []
    page.context.close()


def test_a_question_dragged_by_touch_on_a_tablet_is_saved_there(app, live_server, browser):
    page, survey_id = open_designer(app, live_server, browser, has_touch=True,
                                    viewport={"width": 1180, "height": 820})
    target = page.locator(".q-card[data-key=q4]").bounding_box()
    touch_drag(page, page.locator(".q-card[data-key=q2] .drag-grip"), target["y"] + 5)
    wait_saved(page)
    assert keys(saved_draft(app, survey_id)) == [["q1", "q3"], ["q2", "q4"]]
    assert page.locator(".q-card.open").count() == 0      # a drag is not a tap on the row
    page.locator(".q-card[data-key=q2] .q-head .q-text").tap()   # a tap still opens it
    page.wait_for_selector(".q-card.open[data-key=q2]")
    screenshot(page, "designer_tablet_zh")
    assert page.failures == []
    page.context.close()
