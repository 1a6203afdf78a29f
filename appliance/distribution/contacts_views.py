"""Staff pages: contacts (import, export, one contact, erasure), lists and segments, rules."""
import csv
import io

from flask import (Blueprint, Response, abort, flash, redirect, render_template, request,
                   url_for)
from flask_babel import gettext as _

from ..core.db import get_db
from ..core.errors import ValidationError
from ..core.security import require
from ..org import units as units_service
from ..org.scope import current_scope
from . import contacts, importer, keys, lists, replies, rules, segments

bp = Blueprint("contacts", __name__, url_prefix="/distribution")
CAP = "manage_distribution"
MAX_UPLOAD = 20 * 1024 * 1024


def my_units():
    return units_service.list_units(get_db(), current_scope(CAP))


def unit_in_scope(unit_id):
    unit = units_service.get_unit(get_db(), unit_id) if unit_id else None
    if unit is None or not current_scope(CAP).contains_path(unit["path"]):
        raise ValidationError({"unit_id": _("Choose a unit in your part of the organisation.")})
    return unit


def get_contact_for_user(contact_id):
    contact = contacts.get_contact(get_db(), current_scope(CAP), contact_id)
    if contact is None:
        abort(404)
    return contact


def _index_page(status=200, **extra):
    db = get_db()
    search = request.args.get("q", "").strip()[:200]
    page = max(request.args.get("page", 1, type=int), 1)
    rows, more = contacts.list_contacts(db, current_scope(CAP), search, page)
    return render_template("distribution/contacts.html", rows=rows, more=more, page=page,
                           search=search, units=my_units(),
                           total=contacts.count_in_scope(db, current_scope(CAP)),
                           lists=lists.list_lists(db, current_scope(CAP)),
                           errors=extra.pop("errors", {}), form=extra.pop("form", {}),
                           **extra), status


@bp.route("/contacts")
@require(CAP)
def index():
    return _index_page()


@bp.route("/contacts/import", methods=["POST"])
@require(CAP)
def import_file():
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        return _index_page(400, errors={"file": _("Choose a CSV or XLSX file.")})
    raw = upload.read(MAX_UPLOAD + 1)
    upload.close()
    if len(raw) > MAX_UPLOAD:
        return _index_page(400, errors={"file": _("The file is larger than 20 MB.")})
    db = get_db()
    try:
        unit = unit_in_scope(request.form.get("unit_id", type=int))
        target = _list_for_import(db, unit, request.form.get("list_name", "").strip()[:100])
        created, updated = importer.import_contacts(
            db, upload.filename, raw, unit, _units_by_code(), target)
    except importer.ImportRejected as rejected:
        return _index_page(400, problems=rejected.problems[:importer.MAX_BAD_SHOWN],
                           problem_count=len(rejected.problems))
    except ValidationError as exc:
        return _index_page(400, errors=exc.errors)
    flash(_("Imported: %(c)s new contacts, %(u)s updated.", c=created, u=updated), "success")
    return redirect(url_for("contacts.index"))


def _units_by_code():
    return {u["code"]: u for u in my_units()}


def _list_for_import(db, unit, name):
    if not name:
        return None
    found = lists.by_name(db, unit, name)
    return found["id"] if found else lists.create(db, unit, name, "static")


@bp.route("/contacts/export.csv")
@require("export_personal")
def export():
    db, scope = get_db(), current_scope(CAP)
    importer.record_export(db, scope)
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer)
    for row in importer.export_rows(db, scope, keys.keyring()):
        writer.writerow([_safe_cell(v) for v in row])
    return Response(buffer.getvalue(), mimetype="text/csv; charset=utf-8",
                    headers={"Content-Disposition": "attachment; filename=contacts.csv"})


def _safe_cell(value):
    """No formula injection: a cell starting with = + - @ is quoted as text."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


@bp.route("/contacts/<int:contact_id>")
@require(CAP)
def detail(contact_id):
    db = get_db()
    contact = contacts.reveal(get_contact_for_user(contact_id))
    history = db.execute(
        "SELECT i.id, i.status, i.channel, i.sent_at, i.responded_at, i.nps, w.name AS wave_name "
        "FROM invitations i JOIN waves w ON w.id = i.wave_id WHERE i.contact_id = ? "
        "ORDER BY i.id DESC LIMIT 50", (contact_id,)).fetchall()
    return render_template("distribution/contact.html", contact=contact, history=history,
                           optouts=contacts.opted_out_channels(db, contact_id),
                           replies=replies.replies_of(db, contact_id))


@bp.route("/contacts/<int:contact_id>/erase", methods=["POST"])
@require(CAP)
def erase(contact_id):
    contact = get_contact_for_user(contact_id)
    contacts.erase(get_db(), contact)
    flash(_("The contact and the personal data of their invitations were erased."), "success")
    return redirect(url_for("contacts.index"))


@bp.route("/lists", methods=["POST"])
@require(CAP)
def create_list():
    kind = "segment" if request.form.get("kind") == "segment" else "static"
    rule = segments.from_form(request.form) if kind == "segment" else {}
    try:
        unit = unit_in_scope(request.form.get("unit_id", type=int))
        if request.form.get("action") == "preview":
            count = lists.preview_count(get_db(), unit, rule)
            return _index_page(form=request.form, conditions=rule["conditions"],
                               preview_count=count)
        lists.create(get_db(), unit, request.form.get("name", "").strip(), kind, rule)
    except ValidationError as exc:
        return _index_page(400, errors=exc.errors, form=request.form,
                           conditions=rule.get("conditions", []))
    flash(_("The list was saved."), "success")
    return redirect(url_for("contacts.index") + "#lists")


@bp.route("/rules", methods=["GET", "POST"])
@require("manage_settings")
def distribution_rules():
    errors, values = {}, rules.get_rules(get_db())
    if request.method == "POST":
        try:
            rules.save_rules(get_db(), request.form)
            flash(_("The distribution rules were saved."), "success")
            return redirect(url_for("contacts.distribution_rules"))
        except ValidationError as exc:
            errors, values = exc.errors, request.form
    return render_template("distribution/rules.html", errors=errors, values=values), \
        400 if errors else 200
