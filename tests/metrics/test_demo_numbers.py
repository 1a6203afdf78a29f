"""`cem demo` leaves numbers a newcomer sees at once: every demo response already in the
summaries (no job runner has run), and a response rate from its wave's recorded sends."""
import re

from click.testing import CliRunner

from appliance import create_app
from appliance.cli import main
from appliance.core import localtime
from appliance.core.db import get_db
from appliance.metrics import service, tree


def demo(tmp_path, responses):
    env = {"TINGJIAN_DATA_DIR": str(tmp_path), "TINGJIAN_MIN_FREE_DISK_MB": "1"}
    result = CliRunner().invoke(main, ["demo", "--responses", str(responses)], env=env)
    assert result.exit_code == 0, result.output
    return result.output


def test_the_demo_counts_its_responses_and_its_response_rate_before_any_job_runs(tmp_path):
    output = demo(tmp_path, 3000)
    assert "folded into the metrics summaries" in output
    app = create_app({"data_dir": str(tmp_path), "jobs": False}, environ={})
    with app.app_context():
        db = get_db()
        root = tree.by_code(db, "DEMO")
        today = localtime.today(db)
        stored = db.execute("SELECT COUNT(*) FROM responses WHERE status = 'complete' "
                            "AND held = 0").fetchone()[0]
        year = service.summary(db, root, today.replace(year=today.year - 1), today)
        assert year["responses"] >= stored - 200     # the wave's few answers may wait
        assert year["responses"] >= 3000
        rate = year["response_rate"]
        assert rate["sent"] == 300 and 60 < rate["responded"] < 180, rate
    password = re.search(r"pm\s+(\S+)\s+programme_manager", output).group(1)
    app.config.update(WTF_CSRF_ENABLED=False)
    client = app.test_client()
    client.post("/login", data={"username": "pm", "password": password})
    page = client.get("/").get_data(as_text=True)
    assert "Response rate" in page or "回复率" in page
