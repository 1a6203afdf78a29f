"""`cem text train`: analysts' labels (plus the keyword rules) teach the tag model offline."""
import pytest
from text_wiring_helpers import items, link_models, seed_texts

from appliance.core import db
from appliance.text import labels

CHARGER = ["门口的充电桩坏了没法充电", "充电桩一直被占着", "地库充电桩太少了", "充电桩不能用，很不方便",
           "希望多装几个充电桩", "充电桩找了半天", "新能源车充电桩没有", "充电桩收不了电"]
OTHER = ["菜很好吃", "服务员很热情", "环境不错", "上菜很快", "价格实惠", "下次还来", "味道一般",
         "装修很漂亮", "排队太久", "结账很方便", "饮料好喝", "米饭有点硬", "汤很鲜", "甜品不错"]


@pytest.fixture
def models_dir(tmp_path, wiring_models_dir):
    """This test writes tags.joblib: its own directory, linking the session's models."""
    return link_models(wiring_models_dir, tmp_path / "own-models")


def label_chargers_as_parking(app, ids):
    with app.app_context():
        database = db.get_db()
        analyst = db.query_one(database, "SELECT id, username FROM users WHERE username = 'dave'")
        for text in CHARGER:
            item = {"id": ids[text], "unit_id": None, "sentiment": "neutral", "tags": []}
            labels.correct(database, item, "tag", "parking", True, analyst, {"parking"})


def test_training_on_labels_makes_model_tags(app, cem):
    ids = seed_texts(app, [("EAST-01", 1, "dianping", "app", t) for t in CHARGER + OTHER])
    assert not any(t["tag"] == "parking" for i in items(app) for t in i["tags"])
    label_chargers_as_parking(app, ids)
    result = cem("train")
    assert result.exit_code == 0, result.output
    assert "(8 corrected by analysts)" in result.output
    assert "parking" in result.output and "8 texts" in result.output
    seed_texts(app, [("EAST-02", 1, "dianping", "app", "充电桩又坏了，没法充电")], "new.csv")
    new = items(app, "text = ?", ("充电桩又坏了，没法充电",))[0]
    assert {"tag": "parking", "by": "model"} in new["tags"]
    labelled = items(app, "id = ?", (ids[CHARGER[0]],))[0]
    assert {"tag": "parking", "by": "analyst"} in labelled["tags"]   # the label still wins


def test_training_without_any_tags_says_why(cem):
    result = cem("train")
    assert result.exit_code == 1 and "cannot train tags yet" in result.output
