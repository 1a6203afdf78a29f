from flask import (Blueprint, current_app, g, jsonify, render_template, request,
                   send_from_directory)

from ..core import mail, queue, settings
from ..core.db import get_db
from ..core.jobs import runner_alive, runner_state
from ..core.roles import ROLE_LABELS, has_capability, login_required
from ..ops import status as ops_status
from ..org import audit_log
from ..org import lookups
from ..org import units as units_service
from ..org.scope import current_scope

bp = Blueprint("home", __name__)
health = Blueprint("health", __name__)


@bp.route("/")
@login_required
def index():
    db = get_db()
    scope = current_scope()
    by_type = lookups.count_by_type(db, scope)
    context = {"by_type": by_type, "type_labels": units_service.TYPE_LABELS,
               "role_labels": ROLE_LABELS, "org_name": settings.get(db, "org.name")}
    if has_capability(g.user, "view_audit"):
        context["queue"] = queue.stats(db)
        context["runner"] = runner_state(db)
        context["backup"] = ops_status.backup_health(db, current_app.config["BACKUP_HOUR"] >= 0)
        context["recent"] = audit_log.entries(db, current_scope("view_audit"), limit=8)
        context["mail_verified"] = mail.verified(db)
    return render_template("home/index.html", **context)


def _may_see_details():
    """Host names, PIDs and queue counts: for loopback callers (not through a proxy)
    and signed-in administrators; everyone else sees only the status."""
    direct_loopback = (request.remote_addr in ("127.0.0.1", "::1")
                       and "X-Forwarded-For" not in request.headers)
    return direct_loopback or has_capability(g.get("user"), "view_audit")


@health.route("/favicon.ico")
def favicon():
    """For pages without an icon link (respondent pages, posters): served from the package."""
    return send_from_directory(current_app.static_folder, "img/favicon.ico",
                               mimetype="image/vnd.microsoft.icon", max_age=86400)


@health.route("/healthz")
def healthz():
    """The database and job-runner state for anyone (a load balancer, a watchdog); the
    details (runner, queue, backups) only from loopback or for an administrator."""
    db = get_db()
    try:
        db.execute("SELECT 1").fetchone()
        database = "ok"
    except Exception as exc:  # report, never raise, from the health check
        database = f"error: {exc}"
    last_run = runner_state(db)
    backup = ops_status.backup_health(db, scheduled=current_app.config["BACKUP_HOUR"] >= 0)
    body = {"ok": database == "ok", "database": database,
            "setup_completed": bool(settings.get(db, "setup.completed")),
            "job_runner": {"alive": runner_alive(last_run, current_app.config)},
            "backup": {"ok": backup["ok"]}}
    body["status"] = "ok" if body["ok"] else "unavailable"
    if _may_see_details():
        body["job_runner"]["last_run"] = last_run
        body["queue"] = {**queue.stats(db),
                         "oldest_pending_age_seconds": queue.oldest_pending_age_seconds(db)}
        body["backup"] = backup
    elif database != "ok":
        body["database"] = "error"   # the error text (paths, hosts) is for the operator only
    return jsonify(body), 200 if body["ok"] else 503
