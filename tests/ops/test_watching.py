"""Watching the appliance: /healthz details only for loopback or an admin, the job
runner's heartbeat and the queue's oldest item, /metrics, request logs without personal data."""
import io
import json
import logging

from helpers import token_client
from ops_helpers import publish_contact_survey

from appliance.core import db, jobs, logs, queue
from appliance.core.db import transaction

REMOTE = {"REMOTE_ADDR": "10.1.2.3"}


def test_anonymous_healthz_from_another_host_shows_no_details(client):
    body = client.get("/healthz", environ_base=REMOTE).get_json()
    assert body["ok"] is True and set(body) == {"ok", "status", "database", "setup_completed",
                                           "job_runner", "backup"}
    assert set(body["job_runner"]) == {"alive"} and set(body["backup"]) == {"ok"}


def test_healthz_from_loopback_shows_queue_age_and_backup(app, client):
    with app.app_context(), transaction(db.get_db()):
        queue.enqueue(db.get_db(), "nobody.handles", {"n": 1})
    body = client.get("/healthz").get_json()
    assert body["queue"]["pending"] >= 1 and body["queue"]["oldest_pending_age_seconds"] >= 0
    assert body["backup"]["ok"] is False and body["backup"]["last_ok_at"] is None


def test_a_runner_busy_with_a_backlog_is_alive_by_its_heartbeat(app, monkeypatch):
    monkeypatch.setattr(jobs, "HEARTBEAT_SECONDS", 0)
    jobs._record(app, "queue.drain", started=True)
    with app.app_context():
        database = db.get_db()
        database.execute("UPDATE job_runs SET heartbeat_at = NULL, last_finished_at = NULL")
        assert not jobs.runner_alive(jobs.runner_state(database), app.config)
        jobs.Heartbeat(app, "queue.drain")()       # what drain_queue calls between batches
        state = jobs.runner_state(database)
        assert state["last_finished_at"] is None and jobs.runner_alive(state, app.config)


def test_metrics_in_prometheus_text_from_loopback_or_with_the_token(app, client):
    client.get("/healthz")
    text = client.get("/metrics").get_data(as_text=True)
    for name in ("tingjian_http_requests_total{", "tingjian_queue_jobs{status=\"pending\"}",
                 "tingjian_queue_oldest_pending_age_seconds", "tingjian_job_runner_alive",
                 "tingjian_backup_age_seconds -1", "# TYPE tingjian_http_requests_total counter"):
        assert name in text
    assert client.get("/metrics", environ_base=REMOTE).status_code == 403
    assert client.get("/metrics", headers={"X-Forwarded-For": "10.9.9.9"}).status_code == 403
    app.config["METRICS_TOKEN"] = "scrape-me"
    assert client.get("/metrics", environ_base=REMOTE,
                      headers={"Authorization": "Bearer scrape-me"}).status_code == 200
    assert client.get("/metrics", environ_base=REMOTE,
                      headers={"Authorization": "Bearer wrong"}).status_code == 403


def test_intake_counts_accepted_and_rejected(app, client):
    client = token_client(app)
    token = publish_contact_survey(app)
    client.post("/api/v1/responses", json={"token": token, "answers": {"nps": 9}})
    client.post("/api/v1/responses", json={"token": token, "answers": {"nps": 99}})
    text = client.get("/metrics").get_data(as_text=True)
    assert 'tingjian_intake_total{result="accepted"} 1' in text
    assert 'tingjian_intake_total{result="rejected"} 1' in text


def test_request_log_has_one_line_with_a_request_id_and_no_personal_data(app, client):
    client = token_client(app)
    token = publish_contact_survey(app)
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(logs.RequestIdFilter())
    handler.setFormatter(logs.JsonFormatter())
    root = logging.getLogger()
    root.addHandler(handler)
    level, root.level = root.level, logging.DEBUG
    try:
        answers = {"nps": 3, "contact.consent": True,
                   "contact": {"name": "李雷", "phone": "13912345678", "email": "li.lei@example.com"}}
        response = client.post("/api/v1/responses?phone=13912345678", json={"token": token, "answers": answers},
                               headers={"X-Request-Id": "req-42"})
        assert response.status_code == 201 and response.headers["X-Request-Id"] == "req-42"
        client.post("/api/v1/responses", json={"token": token, "answers": {**answers, "nps": 11}})
        with app.app_context():
            queue.run_until_idle(db.get_db())
    finally:
        root.removeHandler(handler)
        root.level = level
    captured = stream.getvalue()
    assert "13912345678" not in captured and "li.lei@example.com" not in captured and "李雷" not in captured
    lines = [json.loads(line) for line in captured.splitlines()]
    requests = [line for line in lines if line["logger"] == "tingjian.request"]
    assert [r["status"] for r in requests] == [201, 400]
    assert requests[0]["request_id"] == "req-42" and requests[0]["path"] == "/api/v1/responses"
    assert requests[1]["request_id"] not in ("-", "req-42")
