"""Logic rules in words on the server (words.py), including a group inside a group."""
from appliance.surveys import definition, logic_in_words as words


def t(zh, en):
    return {"zh_CN": zh, "en": en}


DOC = {"schema": 1, "languages": ["zh_CN", "en"], "default_language": "zh_CN",
       "title": t("门店", "Store"), "hidden_fields": ["channel"],
       "pages": [{"key": "p1", "questions": [
           {"key": "q1", "type": "nps", "text": t("推荐可能性", "Recommend?")},
           {"key": "q2", "type": "single_choice", "text": t("用餐方式", "How?"),
            "choices": [{"key": "a", "text": t("堂食", "In store")},
                        {"key": "b", "text": t("外卖", "Delivery")}]}]},
           {"key": "p2", "questions": [{"key": "q3", "type": "text", "text": t("原因", "Why")}]}]}
NESTED = {"all": [{"question": "q1", "op": "lte", "value": 6},
                  {"any": [{"question": "q2", "op": "eq", "value": "b"},
                           {"hidden": "channel", "op": "eq", "value": "app"}]}]}


def test_a_group_inside_a_group_is_said_in_brackets_in_both_languages():
    assert words.show_rule(NESTED, DOC, "zh_CN") == \
        "显示条件：Q1「推荐可能性」 ≤ 6 且 (Q2「用餐方式」 = 「外卖」 或 隐藏字段 channel = app)"
    assert words.show_rule(NESTED, DOC, "en") == \
        'Show when Q1 “Recommend?” is at most 6 and (Q2 “How?” is “Delivery” or hidden field channel is app)'


def test_any_of_groups_and_a_one_item_group_need_no_brackets():
    either = {"any": [{"all": [{"question": "q1", "op": "gte", "value": 9},
                               {"question": "q2", "op": "answered"}]},
                      {"all": [{"question": "q2", "op": "eq", "value": "a"}]}]}
    assert words.condition_words(either, DOC, "en") == \
        '(Q1 “Recommend?” is at least 9 and Q2 “How?” is answered) or Q2 “How?” is “In store”'
    rule = {"if": either, "page": "end"}
    assert words.skip_rule(rule, DOC, "zh_CN") == \
        "如果 (Q1「推荐可能性」 ≥ 9 且 Q2「用餐方式」 已作答) 或 Q2「用餐方式」 = 「堂食」，结束问卷"


def test_nested_groups_are_valid_and_listed_with_every_rule():
    doc = {**DOC, "pages": [DOC["pages"][0], {**DOC["pages"][1], "display_if": NESTED}]}
    assert definition.validate(doc) == []
    assert words.all_rules(doc, "en") == [words.show_rule(NESTED, doc, "en")]
    assert definition.evaluate(NESTED, {"q1": 3, "q2": "b"}, {}) is True
    assert definition.evaluate(NESTED, {"q1": 3, "q2": "a"}, {"channel": "web"}) is False
