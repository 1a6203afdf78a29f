"""JSON under /api/v1/reports: list, create and delete subscriptions (integration tokens with
manage_reports, inside their subtree; a signed-in user may list), follow a run's progress."""
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
    return jsonify({"ok": True, "subscription": _public(sub)}), 201


@bp.route("/subscriptions")
@require("manage_reports")
def list_subscriptions():
    rows = subscriptions.list_for(get_db(), current_scope("manage_reports"))
    return jsonify({"ok": True, "subscriptions": [_public(s) for s in rows]})


@bp.route("/subscriptions/<int:sub_id>", methods=["DELETE"])
@require("manage_reports")
def delete_subscription(sub_id):
    db = get_db()
    sub = subscriptions.get_for_user(db, sub_id, current_scope("manage_reports")) or abort(404)
    subscriptions.delete(db, sub, g.user)
    return jsonify({"ok": True, "deleted": sub_id})


def _public(sub):
    return {"id": sub["id"], "name": sub["name"], "type": sub["report_type"],
            "node": sub["unit_code"], "schedule": sub["schedule"], "period": sub["period"],
            "language": sub["language"], "active": bool(sub["active"]),
            "next_run_at": sub["next_run_at"]}


@bp.route("/runs/<int:run_id>")
@require("view")
def run_status(run_id):
    run = archive.get_for_user(get_db(), run_id, current_scope("view")) or abort(404)
    return jsonify({"ok": True, "id": run["id"], "status": run["status"],
                    "progress": run["progress"], "error": bool(run["error"]),
                    "download": url_for("reports.download", run_id=run["id"])
                    if run["status"] == "ready" else None})
