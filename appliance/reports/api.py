"""JSON under /api/v1/reports: create a subscription, follow a run's progress."""
from flask import Blueprint, abort, g, jsonify, request, url_for

from ..core import json_input
from ..core.db import get_db
from ..core.errors import ValidationError
from ..core.security import require
from ..org.scope import current_scope
from . import archive, subscriptions

bp = Blueprint("reports_api", __name__, url_prefix="/api/v1/reports")


@bp.route("/subscriptions", methods=["POST"])
@require("manage_reports")
def create_subscription():
    body = json_input.read(request)
    if not isinstance(body, dict):
        raise ValidationError({"body": "Send a JSON object."}, "The request body is not JSON.")
    db = get_db()
    sub = subscriptions.create(db, subscriptions.read(db, body, current_scope("manage_reports")),
                               g.user)
    return jsonify({"ok": True, "subscription": {
        "id": sub["id"], "name": sub["name"], "type": sub["report_type"], "node": sub["unit_code"],
        "schedule": sub["schedule"], "period": sub["period"], "language": sub["language"],
        "next_run_at": sub["next_run_at"]}}), 201


@bp.route("/runs/<int:run_id>")
@require("view")
def run_status(run_id):
    run = archive.get_for_user(get_db(), run_id, current_scope("view")) or abort(404)
    return jsonify({"ok": True, "id": run["id"], "status": run["status"],
                    "progress": run["progress"], "error": bool(run["error"]),
                    "download": url_for("reports.download", run_id=run["id"])
                    if run["status"] == "ready" else None})
