"""`cem text train` also retrains sentiment on the analysts' corrected sentiments, keeps
them for later rebuilds, and still reports the held-out figures of the packaged corpus."""
import json
import shutil

import pytest
from click.testing import CliRunner
from text_wiring_helpers import SHIPPED, seed_texts

from appliance.core import db
from appliance.core.config import TEXT_CONFIG_DIR
from appliance.text import labels
from appliance.textengine.build import ENTERPRISE_FILE, built_version, expected_version
from appliance.text.cli import text_cli

CORRECTED = ["这家店的服务让人无语", "上菜速度一言难尽", "价格嘛，懂的都懂", "环境还行吧就那样"]


@pytest.fixture
def models_dir(tmp_path, wiring_models_dir):
    """Sentiment is rebuilt here: a copy of the session's models, not links to them."""
    target = tmp_path / "own-models"
    target.mkdir()
    for name in SHIPPED:
        if (wiring_models_dir / name).exists():
            shutil.copy(wiring_models_dir / name, target / name)
    return target


def test_corrected_sentiments_retrain_the_sentiment_model(app, cem, models_dir):
    ids = seed_texts(app, [("EAST-01", 1, "dianping", "app", t) for t in CORRECTED])
    with app.app_context():
        database = db.get_db()
        analyst = db.query_one(database, "SELECT id, username FROM users WHERE username = 'dave'")
        for text in CORRECTED:
            item = {"id": ids[text], "unit_id": None, "sentiment": "neutral", "tags": []}
            labels.correct(database, item, "sentiment", "negative", True, analyst, set())
        assert labels.sentiment_labels(database) == {"zh": [(t, 0) for t in CORRECTED]}
    before = built_version(models_dir)
    result = cem("train")
    assert "retraining sentiment with 4 zh corrected texts" in result.output
    assert "zh: held-out accuracy 0.8" in result.output
    meta = json.loads((models_dir / "meta.json").read_text())
    assert meta["enterprise_labels"] == {"zh": 4} and meta["version"] != before
    assert json.loads((models_dir / ENTERPRISE_FILE).read_text())["zh"][0] == [CORRECTED[0], 0]
    # an upgrade's `build-models --if-needed` keeps what the analysts taught
    assert expected_version(TEXT_CONFIG_DIR, models_dir) == meta["version"]
    rebuilt = CliRunner().invoke(text_cli, ["build-models", "--if-needed",
                                            "--models-dir", str(models_dir)])
    assert "up to date" in rebuilt.output
