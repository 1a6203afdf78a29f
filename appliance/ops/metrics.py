"""GET /metrics: Prometheus text exposition, from loopback or with the metrics_token.

Counters that add up across processes (core.counters: requests, intake accepted and
rejected, emails sent and failed) and gauges read from the database (queue depth and the
age of its oldest pending item, job-runner ticks and liveness, backup age)."""
import hmac
import time

from flask import Blueprint, Response, abort, current_app, request

from ..core import counters, jobs, queue
from ..core.db import get_db
from . import status

bp = Blueprint("ops_metrics", __name__)
LOOPBACK = {"127.0.0.1", "::1"}
HELP = {
    "tingjian_http_requests_total": ("counter", "HTTP requests answered, by method and status class."),
    "tingjian_intake_total": ("counter", "Survey submissions accepted or rejected (4xx)."),
    "tingjian_emails_total": ("counter", "Emails handed to the SMTP relay, sent or failed."),
    "tingjian_queue_jobs": ("gauge", "Work queue items by status (pending includes unread events)."),
    "tingjian_queue_oldest_pending_age_seconds": ("gauge", "Age of the oldest work waiting."),
    "tingjian_job_ticks_total": ("counter", "Job-runner ticks finished, by job."),
    "tingjian_job_runner_alive": ("gauge", "1 when the job runner finished a tick or reported progress lately."),
    "tingjian_backup_age_seconds": ("gauge", "Seconds since the last good backup (-1: none yet)."),
    "tingjian_backup_last_failed": ("gauge", "1 when the newest backup attempt failed."),
}


def allowed():
    """Loopback without a proxy in between, or the configured bearer token."""
    token = current_app.config["METRICS_TOKEN"]
    given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    if token and given and hmac.compare_digest(given, token):
        return True
    return request.remote_addr in LOOPBACK and "X-Forwarded-For" not in request.headers


@bp.get("/metrics")
def metrics():
    if not allowed():
        abort(403)
    samples = list(counters.totals(current_app.config["DATA_DIR"]).items()) + gauges(get_db())
    return Response(render(samples), mimetype="text/plain; version=0.0.4")


def gauges(db):
    found = [(("tingjian_queue_jobs", (("status", name),)), n) for name, n in queue.stats(db).items()]
    found.append((("tingjian_queue_oldest_pending_age_seconds", ()), queue.oldest_pending_age_seconds(db)))
    found += [(("tingjian_job_ticks_total", (("job", job),)), n) for job, n in jobs.job_ticks(db).items()]
    alive = jobs.runner_alive(jobs.runner_state(db), current_app.config)
    found.append((("tingjian_job_runner_alive", ()), int(alive)))
    health = status.backup_health(db)
    age = health["age_hours"]
    found.append((("tingjian_backup_age_seconds", ()), -1 if age is None else round(age * 3600)))
    found.append((("tingjian_backup_last_failed", ()), int(bool(health["last_error"]))))
    return found


def render(samples):
    lines, described = [], set()
    for (name, labels), value in sorted(samples, key=lambda s: (s[0][0], s[0][1])):
        if name not in described and name in HELP:
            kind, text = HELP[name]
            lines += [f"# HELP {name} {text}", f"# TYPE {name} {kind}"]
            described.add(name)
        label_text = ",".join(f'{k}="{_escape(v)}"' for k, v in labels)
        lines.append(f"{name}{{{label_text}}} {value}" if labels else f"{name} {value}")
    lines.append(f"tingjian_scrape_time_seconds {time.time():.3f}")
    return "\n".join(lines) + "\n"


def _escape(value):
    return str(value).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
