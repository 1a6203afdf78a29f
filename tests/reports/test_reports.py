"""Reports over the real metrics layer: the same NPS as the metrics API, a region's report
holds only its region, subscriptions delivered once by email, bad input refused whole."""
import email
import threading

import pytest

from appliance.core import clock, db, queue
from appliance.reports import render, runs
from report_fixtures import seed_responses, unit, use_relay, year_to_date

pytestmark = pytest.mark.filterwarnings("ignore::ResourceWarning")


@pytest.fixture
def reporting(app):
    seed_responses(app)
    return app


def _pdf_of(app, code, read_pdf, language="zh_CN"):
    date_from, date_to = year_to_date()
    with app.app_context():
        document, report = render.build(db.get_db(), "executive", unit(app, code), date_from,
                                        date_to, language)
    return read_pdf(document), report


def test_the_reports_nps_is_the_metrics_apis_nps(reporting, as_user, read_pdf):
    date_from, date_to = year_to_date()
    body = as_user("alice").get(f"/api/v1/metrics?node=GROUP&from={date_from}&to={date_to}"
                                ).get_json()
    text, _report = _pdf_of(reporting, "GROUP", read_pdf)
    shown = f"{body['nps']['score']:.1f}"
    assert body["nps"]["n"] > 1000
    assert f"NPS\n{shown}" in text.replace(" ", "") or f"NPS{shown}" in text.replace(" ", "")


def test_a_regional_report_holds_only_its_region(reporting, read_pdf):
    text, report = _pdf_of(reporting, "EAST", read_pdf)
    names = [row["name"] for row in report["league"]["rows"]]
    assert names and set(names) <= {"上海一店", "杭州一店"}
    assert "广州一店" not in text and "华南区" not in text


def _subscribe(client, **changes):
    body = {"name": "周报", "report_type": "executive", "node": "EAST",
            "schedule": "weekly mon 08:00", "period": "last_month", "language": "zh_CN",
            "users": ["dave"], "emails": ["board@example.com"], **changes}
    body["emails"] = "\n".join(body["emails"])
    return client.post("/reports/subscriptions/new", data=body)


def _make_due(app):
    with app.app_context(), db.transaction(db.get_db()):
        db.get_db().execute("UPDATE report_subscriptions SET next_run_at = ?",
                            (clock.in_seconds(-60),))


def _drain(app):
    with app.app_context():
        runs.tick(app)
        queue.run_until_idle(db.get_db())


def test_a_due_subscription_is_emailed_with_its_pdf(reporting, as_user, smtp_server):
    use_relay(reporting, smtp_server.port)
    assert _subscribe(as_user("alice")).status_code == 302
    _make_due(reporting)
    _drain(reporting)
    assert sorted(m.rcpt_tos[0] for m in smtp_server.messages) == \
        ["board@example.com", "dave@example.com"]
    message = email.message_from_bytes(smtp_server.messages[0].content)
    pdfs = [p for p in message.walk() if p.get_content_type() == "application/pdf"]
    assert len(pdfs) == 1 and pdfs[0].get_payload(decode=True).startswith(b"%PDF")
    _drain(reporting)   # a later tick, a restart: nothing is sent again
    assert len(smtp_server.messages) == 2


def test_two_runners_and_a_crash_send_each_report_once(reporting, as_user, smtp_server):
    use_relay(reporting, smtp_server.port)
    _subscribe(as_user("alice"), emails=["a@example.com"], users=[])
    _make_due(reporting)
    with reporting.app_context():
        crashed = db.connect(reporting.config["DATABASE"])
        runs.plan_due(crashed)
        assert runs.claim_run(crashed, "runner-that-dies") is not None   # then it dies
        with db.transaction(crashed):
            crashed.execute("UPDATE report_runs SET claimed_at = ?",
                            (clock.in_seconds(-runs.STALE_SECONDS - 1),))
    runners = [threading.Thread(target=_drain, args=(reporting,)) for _ in range(2)]
    for runner in runners:
        runner.start()
    for runner in runners:
        runner.join(120)
    _drain(reporting)
    assert [m.rcpt_tos for m in smtp_server.messages] == [["a@example.com"]]
    with reporting.app_context():
        rows = db.get_db().execute("SELECT status FROM report_runs").fetchall()
    assert [r[0] for r in rows] == ["ready"]


def test_a_user_recipient_gets_the_part_they_may_see(reporting, as_user):
    _subscribe(as_user("alice"), node="GROUP", users=["bob", "dave"], emails=[])
    _make_due(reporting)
    with reporting.app_context():
        runs.plan_due(db.get_db())
        codes = [r[0] for r in db.get_db().execute(
            "SELECT u.code FROM report_runs r JOIN units u ON u.id = r.unit_id ORDER BY u.code")]
    assert codes == ["EAST", "EAST-01"]


@pytest.mark.parametrize("changes, field", [
    ({"node": "SOUTH"}, "node"), ({"node": "NOPE"}, "node"),
    ({"schedule": "every tuesday-ish"}, "schedule"), ({"schedule": "monthly 31 08:00"}, "schedule"),
    ({"emails": ["not-an-address"]}, "emails"), ({"users": ["ghost"]}, "users"),
    ({"users": [], "emails": []}, "recipients"), ({"period": "forever"}, "period")])
def test_bad_subscriptions_are_refused_whole(app, as_user, changes, field):
    from appliance.org import users as users_service
    with app.app_context():
        users_service.create_user(db.get_db(), "petra", "Petra", "petra@example.com",
                                  "Correct-Horse-42", "programme_manager", unit(app, "EAST"))
    response = _subscribe(as_user("petra"), **changes)
    assert response.status_code == 400
    assert f'id="e-{field}"' in response.get_data(as_text=True) or \
        f'class="error"' in response.get_data(as_text=True)
    with app.app_context():
        assert db.get_db().execute("SELECT COUNT(*) FROM report_subscriptions").fetchone()[0] == 0
        assert db.get_db().execute("SELECT COUNT(*) FROM report_recipients").fetchone()[0] == 0


def test_generate_now_is_rendered_by_the_job_runner_and_downloads_are_scoped(reporting, as_user):
    dave = as_user("dave")
    date_from, date_to = year_to_date()
    page = dave.post("/reports/generate", data={"report_type": "executive", "node": "EAST",
                                                "date_from": str(date_from),
                                                "date_to": str(date_to), "language": "en"})
    assert page.status_code == 302
    run_id = int(page.headers["Location"].rstrip("/").split("/")[-1])
    assert dave.get(f"/api/v1/reports/runs/{run_id}").get_json()["status"] == "queued"
    with reporting.app_context():
        assert runs.render_next(db.get_db(), reporting.config["DATA_DIR"]) == "ready"
    status = dave.get(f"/api/v1/reports/runs/{run_id}").get_json()
    assert status["progress"] == 100 and status["download"]
    download = dave.get(status["download"])
    assert download.status_code == 200 and download.data.startswith(b"%PDF")
    assert as_user("charlie").get(status["download"]).status_code == 404
    with reporting.app_context():
        audit = db.get_db().execute("SELECT username FROM audit_log WHERE action = "
                                    "'report.download'").fetchall()
    assert [a[0] for a in audit] == ["dave"]


def test_generate_now_refuses_a_node_outside_the_scope(app, as_user):
    response = as_user("bob").post("/reports/generate", data={
        "report_type": "executive", "node": "SOUTH-01", "date_from": "2026-01-01",
        "date_to": "2025-01-01", "language": "zh_CN"})
    assert response.status_code == 400
    with app.app_context():
        assert db.get_db().execute("SELECT COUNT(*) FROM report_runs").fetchone()[0] == 0


def test_cem_report_render_writes_a_pdf(reporting, tmp_path, read_pdf):
    from click.testing import CliRunner
    from appliance import cli
    date_from, date_to = year_to_date()
    out = tmp_path / "unit.pdf"
    result = CliRunner().invoke(cli.main, ["report", "render", "--type", "unit", "--node",
                                           "EAST-01", "--from", str(date_from), "--to",
                                           str(date_to), "--out", str(out)],
                                env={"TINGJIAN_DATA_DIR": reporting.config["DATA_DIR"]})
    assert result.exit_code == 0, result.output
    assert "上海一店" in read_pdf(out.read_bytes())
    bad = CliRunner().invoke(cli.main, ["report", "render", "--node", "EAST", "--from",
                                        "yesterday", "--to", str(date_to), "--out", str(out)],
                             env={"TINGJIAN_DATA_DIR": reporting.config["DATA_DIR"]})
    assert bad.exit_code == 2 and "YYYY-MM-DD" in bad.output


RAG_WORDS = {"green": "已达标", "amber": "接近目标", "red": "未达标"}


def test_kpi_tiles_show_the_indicator_trees_targets_and_status(reporting, as_user, read_pdf):
    from appliance.metrics import demo as metrics_demo
    with reporting.app_context():
        metrics_demo.seed(db.get_db(), {}, echo=lambda *_a: None)   # the tree with targets
    date_from, date_to = year_to_date()
    tree = {i["key"]: i for i in as_user("alice").get(
        f"/api/v1/metrics?node=GROUP&from={date_from}&to={date_to}").get_json()["indicators"]}
    text, report = _pdf_of(reporting, "GROUP", read_pdf)
    index, nps, csat = report["kpis"][:3]
    assert (index["value"], index["target"]) == (f"{tree['cx_index']['score']:.1f}", "60")
    assert nps["label"] == "NPS" and nps["target"] == f"{tree['loyalty']['target'] * 2 - 100:.1f}"
    assert csat["target"] == f"{tree['satisfaction']['target']}%"
    flat = text.replace(" ", "")
    for tile, node in ((index, "cx_index"), (nps, "loyalty"), (csat, "satisfaction")):
        assert f"目标{tile['target']}·{RAG_WORDS[tree[node]['rag']]}" in flat
