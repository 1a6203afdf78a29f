"""Pages for org units, users and the audit log; every read goes through the Scope."""
import csv
import io

from flask import (Blueprint, Response, abort, flash, g, redirect, render_template, request,
                   url_for)
from flask_babel import gettext as _

from ..core import audit
from ..core.db import get_db, query_all
from ..core.errors import ValidationError
from ..core.forms import Form
from ..core.roles import ROLE_DESCRIPTIONS, ROLE_LABELS, ROLES, require
from . import audit_csv, audit_words
from .audit_csv import safe_cell
from . import audit_log as audit_log_service
from . import unit_import
from . import units as units_service
from . import users as users_service
from .scope import current_scope, require_in_scope

bp = Blueprint("org", __name__, url_prefix="/org")


def get_unit_for_user(unit_id, capability="view", write=False):
    """The unit, or 404 outside the user's scope for the capability (write: manage units)."""
    capability = "manage_units" if write else capability
    unit = units_service.get_unit(get_db(), unit_id)
    require_in_scope(unit["path"] if unit else None, capability)
    return unit


def get_user_for_user(user_id, capability="manage_users", write=False):
    """A user is reachable when any of their roles sits inside the caller's scope."""
    user = users_service.get_user(get_db(), user_id)
    if user is None:
        abort(404)
    roles = users_service.memberships(get_db(), user_id)
    if not any(current_scope(capability).contains_path(m["unit_path"]) for m in roles):
        abort(404)
    user["memberships"] = roles
    return user


@bp.route("/units")
@require("view")
def units():
    search = request.args.get("q", "")[:100]
    rows = units_service.list_units(get_db(), current_scope(), search)
    return render_template("org/units.html", units=rows, search=search,
                           type_labels=units_service.TYPE_LABELS)


@bp.route("/units/<int:unit_id>")
@require("view")
def unit_detail(unit_id):
    unit = get_unit_for_user(unit_id)
    children = sorted(query_all(get_db(), "SELECT * FROM units WHERE parent_id = ?", (unit_id,)),
                      key=lambda child: units_service.natural_key(child["code"]))
    return render_template("org/unit.html", unit=unit, children=children,
                           ancestors=units_service.ancestors(get_db(), unit),
                           type_labels=units_service.TYPE_LABELS)


@bp.route("/units/new", methods=["GET", "POST"])
@require("manage_units")
def unit_new():
    parent = get_unit_for_user(request.values.get("parent_id", type=int), "manage_units") \
        if request.values.get("parent_id") else None
    errors = {}
    if request.method == "POST":
        try:
            form = _unit_form()
            if parent is None:
                raise ValidationError({"parent_id": _("Choose the parent unit.")})
            unit = units_service.create_unit(get_db(), form["code"], form["name"],
                                             form["type"], parent, form["name_en"])
            flash(_("Unit %(name)s created.", name=unit["name"]), "success")
            return redirect(url_for("org.unit_detail", unit_id=unit["id"]))
        except ValidationError as exc:
            errors = exc.errors
    return _unit_form_page(None, parent, errors)


@bp.route("/units/<int:unit_id>/edit", methods=["GET", "POST"])
@require("manage_units")
def unit_edit(unit_id):
    unit = get_unit_for_user(unit_id, write=True)
    errors = {}
    if request.method == "POST":
        try:
            form = _unit_form()
            parent = None
            if unit["parent_id"] is not None:
                parent = get_unit_for_user(request.form.get("parent_id", type=int) or -1,
                                           "manage_units")
            units_service.update_unit(get_db(), unit, form["code"], form["name"], form["type"],
                                      parent, form["name_en"], request.form.get("active") == "1")
            flash(_("Unit saved."), "success")
            return redirect(url_for("org.unit_detail", unit_id=unit_id))
        except ValidationError as exc:
            errors = exc.errors
    return _unit_form_page(unit, None, errors)


def _unit_form():
    form = Form(request.form)
    values = {"code": form.text("code", max_length=40), "name": form.text("name", max_length=100),
              "name_en": form.text("name_en", required=False, max_length=100),
              "type": form.choice("type", units_service.UNIT_TYPES)}
    form.check()
    return values


def _unit_form_page(unit, parent, errors):
    candidates = units_service.list_units(get_db(), current_scope("manage_units"))
    return render_template("org/unit_form.html", unit=unit, parent=parent, errors=errors,
                           form=request.form, candidates=candidates,
                           types=units_service.UNIT_TYPES,
                           type_labels=units_service.TYPE_LABELS), 400 if errors else 200


@bp.route("/units/import", methods=["GET", "POST"])
@require("manage_units")
def unit_import_page():
    if request.method == "GET":
        return render_template("org/unit_import.html", problems=[])
    scope = current_scope("manage_units")
    top = _top_unit_in(scope)
    try:
        text = _import_text()
        missing = request.form.get("missing")   # "deactivate" or "keep" once confirmed
        if missing is None:
            plan = unit_import.plan_import(get_db(), text, scope, top)
            if plan.missing:
                return render_template("org/unit_import_confirm.html", plan=plan, text=text)
        plan = unit_import.import_units(get_db(), text, scope, top,
                                        deactivate_missing=missing == "deactivate")
    except unit_import.ImportRejected as exc:
        return render_template("org/unit_import.html", problems=exc.problems), 400
    flash(_("Import done: %(c)s units created, %(u)s changed, %(d)s deactivated.",
            c=len(plan.create), u=len(plan.update),
            d=len(plan.missing) if missing == "deactivate" else 0), "success")
    return redirect(url_for("org.units"))


def _import_text():
    """The uploaded file, or the text carried over by the confirmation step."""
    if request.form.get("text") is not None:
        return request.form["text"]
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        raise unit_import.ImportRejected([(0, _("Choose a CSV file."))])
    return unit_import.decode(upload.read())


def _top_unit_in(scope):
    rows = units_service.list_units(get_db(), scope, limit=1)
    return rows[0] if rows else abort(403)


@bp.route("/units/export.csv")
@require("export")
def units_export():
    rows = units_service.list_units(get_db(), current_scope("export"))
    by_id = {r["id"]: r["code"] for r in rows}
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["code", "name", "type", "parent_code", "name_en"])
    for r in rows:
        writer.writerow([safe_cell(v) for v in (r["code"], r["name"], r["type"],
                                                by_id.get(r["parent_id"], ""), r["name_en"])])
    audit.record_export(get_db(), "export.units", "unit", after={"rows": len(rows)})
    return Response("\ufeff" + out.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": "attachment; filename=units.csv"})


@bp.route("/users")
@require("manage_users")
def users():
    rows = users_service.list_users(get_db(), current_scope("manage_users"))
    for row in rows:
        row["memberships"] = users_service.memberships(get_db(), row["id"])
    return render_template("org/users.html", users=rows, role_labels=ROLE_LABELS)


@bp.route("/users/new", methods=["GET", "POST"])
@bp.route("/users/<int:user_id>/edit", methods=["GET", "POST"])
@require("manage_users")
def user_form(user_id=None):
    user = get_user_for_user(user_id) if user_id else None
    errors = {}
    if request.method == "POST":
        form = Form(request.form)
        unit = get_unit_for_user(request.form.get("unit_id", type=int) or -1, "manage_users")
        values = dict(display_name=form.text("display_name", max_length=100),
                      email=form.text("email", required=False, max_length=254),
                      role=form.choice("role", ROLES),
                      language=form.choice("language", ("zh_CN", "en"), required=False))
        try:
            form.check()
            if user:
                users_service.update_user(get_db(), user, unit=unit,
                                          active=request.form.get("active") == "1", **values)
            else:
                user = users_service.create_user(
                    get_db(), form.text("username", max_length=64), password=request.form.get(
                        "password", ""), unit=unit, must_change_password=True, **values)
            flash(_("User %(name)s saved.", name=user["username"]), "success")
            return redirect(url_for("org.users"))
        except ValidationError as exc:
            errors = exc.errors
    return render_template("org/user_form.html", user=user, errors=errors, form=request.form,
                           email=users_service.email_of(user) if user else "",
                           units=units_service.list_units(get_db(), current_scope("manage_users")),
                           roles=ROLES, role_labels=ROLE_LABELS,
                           role_descriptions=ROLE_DESCRIPTIONS), 400 if errors else 200


@bp.route("/users/<int:user_id>/password", methods=["POST"])
@require("manage_users")
def user_reset_password(user_id):
    user = get_user_for_user(user_id)
    try:
        users_service.reset_password(get_db(), user, request.form.get("password", ""))
    except ValidationError as exc:
        flash(" ".join(str(v) for v in exc.errors.values()), "error")
        return redirect(url_for("org.user_form", user_id=user_id))
    flash(_("Password reset; %(name)s must change it at next login.", name=user["username"]),
          "success")
    return redirect(url_for("org.users"))


@bp.route("/audit")
@require("view_audit")
def audit_log():
    filters = audit_log_service.Filters.parse(request.args)
    number = request.args.get("page", 1, type=int)
    rows, older = audit_log_service.page(get_db(), current_scope("view_audit"), filters, number)
    return render_template("org/audit.html", entries=audit_words.describe(get_db(), rows),
                           filters=filters, query=filters.query(), page=max(1, number),
                           older=older)


@bp.route("/audit/export.csv")
@require("view_audit")
def audit_export():
    filters = audit_log_service.Filters.parse(request.args)
    rows = audit_words.describe(get_db(), audit_log_service.entries(
        get_db(), current_scope("view_audit"), filters=filters,
        limit=audit_log_service.EXPORT_LIMIT))
    audit.record_export(get_db(), "export.audit", "audit_log",
                        after={**filters.query(), "rows": len(rows)})
    return Response("\ufeff" + audit_csv.render(rows), mimetype="text/csv",
                    headers={"Content-Disposition": "attachment; filename=audit-log.csv"})
