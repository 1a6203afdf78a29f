"""The survey service: templates, drafts, versions, status, settings, audit."""
import json

import pytest

from appliance.core.db import query_all
from appliance.core.errors import ValidationError
from appliance.org import units as units_service
from appliance.surveys import definition, service, starter_designs

from survey_helpers import actor


@pytest.mark.parametrize("key", sorted(starter_designs.TEMPLATES))
def test_every_template_is_valid_in_both_languages(key):
    document = starter_designs.build(key)
    assert definition.validate(document) == []
    for _page, question in definition.questions(document):
        assert question["text"]["zh_CN"] and question["text"]["en"]


def test_restaurant_template_has_touchpoints_metrics_logic_and_piping():
    document = starter_designs.build("restaurant_visit")
    touchpoints = {q.get("touchpoint") for _p, q in definition.questions(document)}
    assert {"ordering", "serving", "environment", "checkout"} <= touchpoints
    why = definition.question_map(document)["q2"]
    assert why["display_if"] == {"question": "q1", "op": "lte", "value": 6}
    assert "{{q1}}" in why["text"]["zh_CN"]
    assert definition.visible_questions(document, {"q1": 9}, {}, "p2")[0]["key"] == "q3"
    assert definition.visible_questions(document, {"q1": 5}, {}, "p2")[0]["key"] == "q2"


@pytest.mark.parametrize("key", sorted(starter_designs.TEMPLATES))
def test_no_starter_design_pipes_an_answer_into_its_own_page(key):
    document = starter_designs.build(key)
    for page in document["pages"]:
        on_page = {q["key"] for q in page["questions"]}
        for question in page["questions"]:
            for _part, texts in definition.piped_texts(question):
                piped = {m[1] for text in texts.values() for m in definition.PIPE.findall(text)}
                assert not piped & on_page, (page["key"], question["key"])


def same_page_piping():
    document = starter_designs.build("restaurant_visit")
    first, second = document["pages"][0], document["pages"][1]
    first["questions"].append(second["questions"].pop(0))   # "您给了 {{q1}} 分" beside q1
    return document


def test_publish_refuses_piping_an_answer_into_its_own_page_naming_the_question(database):
    problems = definition.validate(same_page_piping())
    assert any(p.startswith("question q2: piping {{q1}}") and "same page" in p
               and "move q2 to a later page" in p for p in problems), problems
    unit = units_service.get_unit_by_code(database, "GROUP")
    survey = service.create(database, unit, "x", document=same_page_piping())
    with pytest.raises(ValidationError):
        service.publish(database, survey)


def empty_options_and_missing_english():
    document = starter_designs.build("ces_service")
    choice = definition.question_map(document)["q2"]
    choice["choices"] = [{"key": "a", "text": {"zh_CN": "", "en": ""}},
                         {"key": "b", "text": {"zh_CN": " ", "en": ""}}]
    rating = definition.question_map(document)["q1"]
    rating["text"] = {"zh_CN": "方面 1"}   # declared English text missing
    return document


def test_publish_check_lists_empty_options_and_missing_english_texts():
    problems = definition.validate(empty_options_and_missing_english())
    assert "question q2 choice a: the text is empty" in problems, problems
    assert "question q2 choice b: the text is empty" in problems
    assert "question q1: the English text is missing" in problems
    document = empty_options_and_missing_english()
    document["languages"] = ["zh_CN"]   # English no longer declared: only the empty options
    assert sorted(definition.validate(document)) == ["question q2 choice a: the text is empty",
                                                     "question q2 choice b: the text is empty"]


@pytest.mark.parametrize("key", sorted(starter_designs.TEMPLATES))
def test_it_creates_and_publishes_each_template(database, key):
    pat = actor(database, "pat")
    unit = units_service.get_unit_by_code(database, "GROUP")
    survey = service.create(database, unit, key, key, pat)
    version = service.publish(database, survey, pat)
    assert version["version"] == 1 and version["document"] == starter_designs.build(key)
    assert service.published_version(database, survey["id"])["id"] == version["id"]
    assert service.get_survey(database, survey["id"])["status"] == "published"


def test_publishing_again_makes_version_two_and_leaves_version_one_frozen(database):
    pat = actor(database, "pat")
    survey = service.create(database, units_service.get_unit_by_code(database, "GROUP"),
                            "NPS", "relational_nps", pat)
    first = service.publish(database, survey, pat)
    edited = json.loads(json.dumps(survey["document"]))
    edited["title"]["en"] = "Relationship survey 2026"
    survey = service.get_survey(database, survey["id"])
    assert service.save_draft(database, survey, edited, pat) == []
    survey = service.get_survey(database, survey["id"])
    assert survey["draft_changed"] and survey["published_version"] == 1
    second = service.publish(database, survey, pat)
    assert second["version"] == 2
    assert service.get_version(database, first["id"])["document"]["title"]["en"] == \
        "Relationship survey (NPS)"
    assert service.published_version(database, survey["id"])["document"]["title"]["en"] == \
        "Relationship survey 2026"
    with pytest.raises(ValidationError):
        service.publish(database, service.get_survey(database, survey["id"]), pat)


def test_versions_cannot_be_updated_in_the_database(database, make_survey):
    pat = actor(database, "pat")
    survey = service.get_survey(database, make_survey(template="ces_service"))
    version = service.publish(database, survey, pat)
    with pytest.raises(Exception, match="frozen"):
        database.execute("UPDATE survey_versions SET document = '{}' WHERE id = ?", (version["id"],))


def test_an_incomplete_draft_is_stored_but_cannot_be_published(database, make_survey):
    pat = actor(database, "pat")
    survey = service.get_survey(database, make_survey())
    document = definition.new_document()
    document["pages"][0]["questions"].append({"key": "q1", "type": "single_choice",
                                              "text": {"zh_CN": "选择"}, "choices": []})
    problems = service.save_draft(database, survey, document, pat)
    assert any("two choices" in p for p in problems)
    assert service.get_survey(database, survey["id"])["document"] == document
    with pytest.raises(ValidationError):
        service.publish(database, service.get_survey(database, survey["id"]), pat)
    assert service.published_version(database, survey["id"]) is None


def test_close_reopen_and_accepting_responses(database, make_survey):
    pat = actor(database, "pat")
    survey = service.get_survey(database, make_survey(template="transactional_csat"))
    assert service.accepting_responses(survey) == (False, "not_published")
    with pytest.raises(ValidationError):
        service.set_status(database, survey, "closed", pat)
    service.publish(database, survey, pat)
    survey = service.get_survey(database, survey["id"])
    assert service.accepting_responses(survey) == (True, "")
    service.set_status(database, survey, "closed", pat)
    assert service.accepting_responses(survey) == (False, "closed")
    service.set_status(database, survey, "published", pat)
    survey["closes_at"] = "2000-01-01T00:00:00.000000Z"
    assert service.accepting_responses(survey) == (False, "closed")


def test_duplicate_copies_the_design_as_a_new_draft(database, make_survey):
    pat = actor(database, "pat")
    original = service.get_survey(database, make_survey(template="mall_journey"))
    service.publish(database, original, pat)
    copy = service.duplicate(database, original, None, pat)
    assert copy["id"] != original["id"] and copy["status"] == "draft"
    assert copy["document"] == original["document"] and copy["unit_id"] == original["unit_id"]


def test_every_change_is_audited(database, make_survey):
    pat = actor(database, "pat")
    survey = service.get_survey(database, make_survey(template="employee_enps"))
    service.publish(database, survey, pat)
    service.set_status(database, service.get_survey(database, survey["id"]), "closed", pat)
    actions = [r["action"] for r in query_all(
        database, "SELECT action FROM audit_log WHERE entity = 'survey' AND entity_id = ? "
                  "ORDER BY id", (str(survey["id"]),))]
    assert actions == ["survey.create", "survey.publish", "survey.close"]
