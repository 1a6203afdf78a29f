"""Segments of several conditions over contact attributes (all/any; equals, is one of,
contains, date before/after, is empty), counted before saving, checked with a message per
condition, used by waves; single-attribute segments of before still select the same."""
from pathlib import Path

import pytest
from distribution_helpers import email_wave, unit

from appliance.core import settings
from appliance.distribution import importer, lists
from appliance.org import units as units_service
from appliance.org.scope import Scope

MIGRATION = Path(__file__).resolve().parents[2] / "migrations" / "0056_segment_conditions.sql"
PEOPLE = [  # name, level, city, joined
    ("甲", "gold", "Shanghai", "2025-03-01"),
    ("乙", "silver", "上海浦东", "2026-06-15"),
    ("丙", "gold", "Beijing", "2026-11-30 10:00"),
    ("丁", "", "Hangzhou", ""),
]


@pytest.fixture
def people(database):
    root = unit(database, "GROUP")
    lines = ["name,email,phone,unit,language,level,city,joined"]
    lines += [f"{name},p{n}@example.com,1380000{n:04d},EAST-01,zh_CN,{level},{city},{joined}"
              for n, (name, level, city, joined) in enumerate(PEOPLE)]
    everyone = {u["code"]: u for u in units_service.list_units(database, Scope([root["path"]]))}
    importer.import_contacts(database, "p.csv", "\n".join(lines).encode(), root, everyone, None)
    return root


def count(database, root, rule):
    return lists.preview_count(database, root, rule)


def cond(attribute, op, value=""):
    return {"attribute": attribute, "op": op, "value": value}


def test_all_conditions_must_hold_and_any_needs_one(database, people):
    both = [cond("level", "equals", "gold"), cond("city", "contains", "shang")]
    assert count(database, people, {"match": "all", "conditions": both}) == 1
    assert count(database, people, {"match": "any", "conditions": both}) == 2


@pytest.mark.parametrize("condition, expected", [
    (cond("level", "in", "gold, silver"), 3),
    (cond("level", "in", "silver，platinum"), 1),          # a full-width comma separates too
    (cond("city", "contains", "上海"), 1),
    (cond("city", "contains", "SHANGHAI"), 1),              # contains ignores case
    (cond("city", "contains", "%"), 0),                     # a LIKE wildcard is plain text
    (cond("joined", "before", "2026-01-01"), 1),
    (cond("joined", "after", "2026-06-15"), 1),             # after the day, not on it
    (cond("joined", "after", "2020-01-01"), 3),             # an empty value is no date
    (cond("level", "empty"), 1),
    (cond("nickname", "empty"), 4),                         # nobody has the attribute
])
def test_each_comparison_selects_the_right_contacts(database, people, condition, expected):
    assert count(database, people, {"conditions": [condition]}) == expected


def test_a_segment_form_with_a_bad_condition_is_refused_per_condition_in_chinese(
        as_user, database, people):
    client = as_user("alice")
    client.post("/language", data={"language": "zh_CN"})
    response = client.post("/distribution/lists", data={
        "kind": "segment", "name": "坏的", "unit_id": str(people["id"]), "match": "all",
        "attribute": ["level", "joined", "bad name!"], "op": ["equals", "before", "equals"],
        "value": ["gold", "31/12/2026", "x"]})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "条件 2：请按 YYYY-MM-DD 输入日期" in page and "条件 3：" in page
    assert database.execute("SELECT COUNT(*) FROM contact_lists").fetchone()[0] == 0


def test_the_count_is_previewed_without_saving_and_the_segment_then_saved(as_user, database,
                                                                          people):
    client = as_user("alice")
    client.post("/language", data={"language": "zh_CN"})
    form = {"kind": "segment", "name": "金卡上海", "unit_id": str(people["id"]), "match": "any",
            "attribute": ["level", "city", ""], "op": ["equals", "contains", "equals"],
            "value": ["gold", "上海", ""]}
    response = client.post("/distribution/lists", data={**form, "action": "preview"})
    assert response.status_code == 200
    assert "此分群目前选中 3 位联系人" in response.get_data(as_text=True)
    assert database.execute("SELECT COUNT(*) FROM contact_lists").fetchone()[0] == 0
    assert client.post("/distribution/lists", data={**form, "action": "save"}).status_code == 302
    saved = lists.list_lists(database, Scope([people["path"]]))[0]
    assert saved["members"] == 3 and saved["rule"]["match"] == "any"
    assert len(saved["rule"]["conditions"]) == 2       # the blank row is dropped


def test_a_wave_to_a_segment_of_several_conditions_reaches_only_its_contacts(
        database, people, relay):
    from distribution_helpers import start_and_send
    settings.set_many(database, {"distribution.quiet_start": "", "distribution.quiet_end": ""})
    segment = lists.create(database, people, "金卡新会员", "segment", {"conditions": [
        cond("level", "equals", "gold"), cond("joined", "after", "2026-01-01")]})
    email_wave(database, segment)
    start_and_send(database)
    assert [m.rcpt_tos for m in relay.messages] == [["p2@example.com"]]


def test_a_single_attribute_segment_of_before_is_migrated_and_selects_the_same(database,
                                                                               people):
    database.execute("INSERT INTO contact_lists (unit_id, name, kind, filter, created_at) VALUES "
                     "(?, '旧', 'segment', '{\"attribute\": \"level\", \"value\": \"gold\", "
                     "\"language\": \"zh_CN\"}', '2026-01-01')", (people["id"],))
    old = lists.list_lists(database, Scope([people["path"]]))[0]
    assert old["members"] == 2                          # read as one "equals" condition
    database.conn.executescript(MIGRATION.read_text())
    migrated = lists.list_lists(database, Scope([people["path"]]))[0]
    assert migrated["rule"] == {"language": "zh_CN", "match": "all", "conditions": [
        {"attribute": "level", "op": "equals", "value": "gold"}]}
    assert migrated["members"] == 2
