"""The ticket queue (phone first), one ticket and its actions, the KPI page."""
from datetime import datetime
from zoneinfo import ZoneInfo

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from ..collection import responses_query
from ..core.db import get_db
from ..core.errors import ValidationError
from ..core.i18n import current_language
from ..core.security import has_capability, require
from ..org.scope import current_scope
from ..text import display_names as text_words
from ..text import store as text_store
from . import display, followup, kpis, notify, queries, sla, tickets

bp = Blueprint("tickets", __name__, url_prefix="/tickets")


def get_ticket_for_user(ticket_id, write=False):
    """The ticket if the user may see it (404 otherwise); write: may they change it (403)."""
    ticket = queries.get_ticket(get_db(), current_scope("view"), ticket_id)
    if ticket is None:
        abort(404)
    if write and not tickets.may_handle(g.user, ticket["unit_path"]):
        abort(403)
    return ticket


@bp.route("/")
@require("view")
def index():
    db = get_db()
    filters = queries.read_filters(request.args)
    page = max(request.args.get("page", 1, type=int) or 1, 1)
    rows, more = queries.list_tickets(db, current_scope("view"), filters, g.user, page)
    return render_template("loop/queue.html", rows=rows, more=more, page=page, filters=filters,
                           counts=queries.counts(db, current_scope("view"), g.user),
                           status_labels=tickets.STATUS_LABELS,
                           priority_labels=sla.PRIORITY_LABELS,
                           may_handle=has_capability(g.user, "handle_tickets"))


@bp.route("/<int:ticket_id>")
@require("view")
def detail(ticket_id, contact=None, status=200):
    db = get_db()
    ticket = get_ticket_for_user(ticket_id)
    notify.mark_ticket_read(db, g.user["id"], ticket_id)
    response = responses_query.get_response(db, current_scope("view"), ticket["response_id"] or 0)
    return render_template(
        "loop/ticket.html", ticket=ticket, response=response, contact=contact,
        items=text_store.items_for_response(db, ticket["response_id"] or 0),
        events=tickets.timeline(db, ticket_id), causes=tickets.root_causes(db),
        status_labels=tickets.STATUS_LABELS, priority_labels=sla.PRIORITY_LABELS,
        action_labels=tickets.ACTION_LABELS, categories=text_words.CATEGORIES,
        actions=[a for a, (starts, _t) in tickets.ACTIONS.items() if ticket["status"] in starts],
        may_handle=tickets.may_handle(g.user, ticket["unit_path"]),
        may_reveal=current_scope("reveal_contact").contains_path(ticket["unit_path"]),
        followup_ready=bool(followup.survey_id(db)),
        language=current_language()), status


@bp.post("/<int:ticket_id>/status")
@require("handle_tickets")
def change_status(ticket_id):
    ticket = get_ticket_for_user(ticket_id, write=True)
    tickets.change_status(get_db(), ticket, request.form.get("action", ""), g.user,
                          send_followup=bool(request.form.get("followup")))
    flash(_("Ticket updated."), "success")
    return redirect(url_for("tickets.detail", ticket_id=ticket_id))


@bp.post("/<int:ticket_id>/<any(assign, note, root_cause, callback, due):what>")
@require("handle_tickets")
def change(ticket_id, what):
    db, form = get_db(), request.form
    ticket = get_ticket_for_user(ticket_id, write=True)
    if what == "assign":
        tickets.assign(db, ticket, form.get("assignee", "").strip()[:64], g.user)
    elif what == "note":
        tickets.add_note(db, ticket, form.get("note", ""), g.user)
    elif what == "root_cause":
        tickets.set_root_cause(db, ticket, form.get("root_cause", ""), g.user)
    elif what == "callback":
        tickets.log_callback(db, ticket, form.get("reached", ""), form.get("outcome", ""), g.user)
    else:
        tickets.set_due(db, ticket, _local_moment(form.get("due_at", "")), g.user)
    flash(_("Ticket updated."), "success")
    return redirect(url_for("tickets.detail", ticket_id=ticket_id))


def _local_moment(text):
    """'YYYY-MM-DDTHH:MM' in the organisation's time zone -> an aware datetime."""
    try:
        moment = datetime.strptime(text.strip(), "%Y-%m-%dT%H:%M")
    except ValueError:
        raise ValidationError({"due_at": _("Enter a date and time.")}) from None
    return moment.replace(tzinfo=ZoneInfo(display.timezone_name()))


@bp.post("/<int:ticket_id>/contact")
@require("reveal_contact")
def reveal(ticket_id):
    db = get_db()
    ticket = get_ticket_for_user(ticket_id)
    if not current_scope("reveal_contact").contains_path(ticket["unit_path"]):
        abort(403)
    response = responses_query.get_response(db, current_scope("view"), ticket["response_id"] or 0)
    contact = responses_query.contact_of(response) if response else {}
    tickets.reveal_contact(db, ticket, g.user)
    return detail(ticket_id, contact=contact or {"": {}})


@bp.post("/bulk")
@require("handle_tickets")
def bulk():
    db, action = get_db(), request.form.get("bulk_action", "")
    ids = [i for i in request.form.getlist("ids", type=int) if i][:200]
    if not ids or action not in ("acknowledge", "assign"):
        raise ValidationError({"ids": _("Choose tickets and what to do with them.")})
    chosen = [get_ticket_for_user(i, write=True) for i in ids]
    tickets.bulk(db, chosen, action, request.form.get("assignee", "").strip()[:64], g.user)
    flash(_("%(n)s tickets updated.", n=len(chosen)), "success")
    return redirect(url_for("tickets.index"))


@bp.route("/kpis")
@require("view")
def kpi_page():
    days = request.args.get("days", 30, type=int)
    days = days if days in (7, 30, 90, 365) else 30
    unit = request.args.get("unit", "").strip()[:40]
    figures = kpis.summary(get_db(), current_scope("view"), days, unit)
    return render_template("loop/kpis.html", k=figures, days=days, unit=unit,
                           causes={c["key"]: c for c in tickets.root_causes(get_db(), False)},
                           language=current_language())
