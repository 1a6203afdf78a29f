from flask import Blueprint, current_app, g, jsonify, render_template

from ..core import queue, settings
from ..core.db import get_db
from ..core.jobs import runner_alive, runner_state
from ..core.security import ROLE_LABELS, has_capability, login_required
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
        context["recent"] = audit_log.entries(db, current_scope("view_audit"), limit=8)
    return render_template("home/index.html", **context)


@health.route("/healthz")
def healthz():
    db = get_db()
    try:
        db.execute("SELECT 1").fetchone()
        database = "ok"
    except Exception as exc:  # report, never raise, from the health check
        database = f"error: {exc}"
    last_run = runner_state(db)
    body = {"ok": database == "ok", "database": database,
            "setup_completed": bool(settings.get(db, "setup.completed")),
            "job_runner": {"alive": runner_alive(last_run, current_app.config),
                           "last_run": last_run},
            "queue": queue.stats(db)}
    return jsonify(body), 200 if body["ok"] else 503
