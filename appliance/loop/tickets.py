"""Tickets: opened by an alert, moved through open > acknowledged > in progress > resolved >
closed (and reopened), assigned, annotated, called back; every change on the timeline.

Services open the transaction and write the timeline row with the change, so a change
is all there or not at all. Deadlines are business time in the unit's calendar (loop.sla).
"""
import json

from flask_babel import lazy_gettext as _l

from ..core import audit, clock
from ..core.db import query_all, query_one, transaction
from ..core.errors import ValidationError
from ..org import units as units_service
from ..org import users as users_service
from ..org.scope import Scope
from . import kpis, notify, sla

ACTIVE = ("open", "acknowledged", "in_progress")
STATUS_LABELS = {"open": _l("Open"), "acknowledged": _l("Acknowledged"),
                 "in_progress": _l("In progress"), "resolved": _l("Resolved"),
                 "closed": _l("Closed")}
ACTIONS = {  # action -> (statuses it may start from, status it leads to)
    "acknowledge": (("open",), "acknowledged"),
    "start": (("open", "acknowledged"), "in_progress"),
    "resolve": (ACTIVE, "resolved"),
    "close": (("resolved",), "closed"),
    "reopen": (("resolved", "closed"), "in_progress"),
}
ACTION_LABELS = {"acknowledge": _l("Acknowledge"), "start": _l("Start work"),
                 "resolve": _l("Resolve"), "close": _l("Close"), "reopen": _l("Reopen")}


def event(db, ticket_id, kind, detail=None, actor=None, at=None):
    db.execute("INSERT INTO ticket_events (ticket_id, at, user_id, username, kind, detail) "
               "VALUES (?, ?, ?, ?, ?, ?)",
               (ticket_id, at or clock.now_iso(), actor["id"] if actor else None,
                actor["username"] if actor else "system", kind,
                json.dumps(detail or {}, ensure_ascii=False)))


def open_for_alert(db, rule, alert_id, facts, unit, matched=(), calendar=None, memo=None):
    """Insert the alert's ticket (inside the alert's transaction). Returns its id.
    memo: a dict remembering each unit's policy, calendar and manager over a batch."""
    policy, calendar, managers = _opening(db, rule["priority"], unit, calendar,
                                          {} if memo is None else memo)
    now = clock.utcnow()
    ack_due = clock.iso(sla.deadline(db, unit, now, policy["ack_minutes"], calendar))
    resolve_due = clock.iso(sla.deadline(db, unit, now, policy["resolve_minutes"], calendar))
    summary = (" / ".join(item["text"] for item in facts["items"]) if facts
               else ", ".join(matched))[:2000]
    ticket_id = db.execute(
        "INSERT INTO tickets (unit_id, response_id, rule_id, alert_id, title, summary, priority, "
        "assignee_id, ack_due_at, resolve_due_at, due_at, next_check_at, opened_at, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (unit["id"], facts["response"]["id"] if facts else None, rule["id"], alert_id,
         rule["name"], summary,
         rule["priority"], managers[0]["id"] if managers else None, ack_due, resolve_due,
         ack_due, ack_due, clock.iso(now), clock.iso(now))).lastrowid
    event(db, ticket_id, "opened", {"rule": rule["name"], "priority": rule["priority"]})
    return ticket_id


def _opening(db, priority, unit, calendar, memo):
    key = ("opening", priority, unit["id"])
    if key not in memo:
        found = calendar if calendar is not None else sla.calendar_for_unit(db, unit)
        memo[key] = (sla.policy(db, priority), found or {},   # {}: no calendar, 24/7
                     users_service.users_with_role(db, [unit["id"]], ["unit_manager"]))
    return memo[key]


def get(db, ticket_id):
    return query_one(db, "SELECT * FROM tickets WHERE id = ?", (ticket_id,))


def _update(db, ticket, **columns):
    columns["updated_at"] = clock.now_iso()
    db.execute(f"UPDATE tickets SET {', '.join(f'{k} = ?' for k in columns)} WHERE id = ?",
               [*columns.values(), ticket["id"]])


def _illegal(ticket, action):
    return ValidationError({"action": _l("A ticket that is %(status)s cannot be %(action)s.",
                                         status=STATUS_LABELS[ticket["status"]],
                                         action=_l("acknowledged") if action == "acknowledge"
                                         else ACTION_LABELS.get(action, action))},
                           message=str(_l("This change is not allowed now.")))


def change_status(db, ticket, action, actor, send_followup=False):
    """Apply an action of ACTIONS. Raises ValidationError when the state does not allow it."""
    if action not in ACTIONS:
        raise ValidationError({"action": _l("Unknown action.")})
    with transaction(db):
        ticket = get(db, ticket["id"])   # the current state, inside the write lock
        starts, target = ACTIONS[action]
        if ticket["status"] not in starts:
            raise _illegal(ticket, action)
        _update(db, ticket, status=target, **_timing(db, ticket, action))
        event(db, ticket["id"], "status", {"from": ticket["status"], "to": target}, actor)
        audit.record(db, f"ticket.{action}", "ticket", ticket["id"], ticket["unit_id"],
                     before={"status": ticket["status"]}, after={"status": target})
        if action == "resolve" and send_followup:
            from . import followup
            followup.send(db, get(db, ticket["id"]), actor)
    return get(db, ticket["id"])


def _timing(db, ticket, action):
    now, timing = clock.now_iso(), {}
    if ticket["status"] == "open":   # acknowledged by whatever moves it on
        timing.update(acknowledged_at=now,
                      ack_business_minutes=kpis.business_minutes(db, ticket, now),
                      ack_breached=int(ticket["ack_breached"] or now > ticket["ack_due_at"]),
                      due_at=ticket["resolve_due_at"], next_check_at=ticket["resolve_due_at"])
    if action == "resolve":
        timing.update(resolved_at=now, due_at=None, next_check_at=None,
                      resolve_business_minutes=kpis.business_minutes(db, ticket, now),
                      resolve_breached=int(ticket["resolve_breached"] or
                                           now > ticket["resolve_due_at"]))
    elif action == "close":
        timing.update(closed_at=now)
    elif action == "reopen":
        policy = sla.policy(db, ticket["priority"])
        unit = units_service.get_unit(db, ticket["unit_id"])
        due = clock.iso(sla.deadline(db, unit, clock.utcnow(), policy["resolve_minutes"]))
        timing.update(resolved_at=None, closed_at=None, reopen_count=ticket["reopen_count"] + 1,
                      resolve_business_minutes=None,
                      resolve_due_at=due, due_at=due, next_check_at=due, recovered=None)
    return timing


def may_handle(user, ticket_unit_path):
    return Scope.for_user(user, "handle_tickets").contains_path(ticket_unit_path)


def check_assignee(db, ticket, username):
    """The user to assign (None for '') if they may handle the ticket's unit, else ValidationError."""
    if not username:
        return None
    unit = units_service.get_unit(db, ticket["unit_id"])
    assignee = users_service.get_user_by_username(db, username)
    if assignee is None or not assignee["active"]:
        raise ValidationError({"assignee": _l("No active user is called %(name)s.",
                                              name=username[:64])})
    assignee["memberships"] = users_service.memberships(db, assignee["id"])
    if not may_handle(assignee, unit["path"]):
        raise ValidationError({"assignee": _l("%(name)s does not handle tickets of %(unit)s.",
                                              name=assignee["username"], unit=unit["name"])})
    return assignee


def assign(db, ticket, username, actor, assignee=False):
    """Assign to a user who may handle tickets of the ticket's unit ('' unassigns)."""
    assignee = check_assignee(db, ticket, username) if assignee is False else assignee
    with transaction(db):
        _update(db, ticket, assignee_id=assignee["id"] if assignee else None)
        event(db, ticket["id"], "assigned", {"to": assignee["username"] if assignee else ""}, actor)
        if assignee and assignee["id"] != actor["id"]:
            notify.add(db, [assignee["id"]], "assigned", ticket["unit_id"],
                       {"title": ticket["title"], "by": actor["display_name"]},
                       ticket_id=ticket["id"], email=False)


def bulk(db, chosen, action, username, actor):
    """Acknowledge or assign many tickets: every check first, then all in one transaction."""
    if action == "acknowledge":
        illegal = [t["id"] for t in chosen if t["status"] != "open"]
        if illegal:
            raise ValidationError({"ids": _l("Only open tickets can be acknowledged: #%(ids)s",
                                             ids=", #".join(map(str, illegal)))})
    assignees = {t["id"]: check_assignee(db, t, username) for t in chosen if action == "assign"}
    with transaction(db):
        for ticket in chosen:
            if action == "acknowledge":
                change_status(db, ticket, "acknowledge", actor)
            else:
                assign(db, ticket, username, actor, assignees[ticket["id"]])


def add_note(db, ticket, text, actor):
    text = (text or "").strip()
    if not text or len(text) > 4000:
        raise ValidationError({"note": _l("Write a note of at most 4,000 characters.")})
    with transaction(db):
        event(db, ticket["id"], "note", {"text": text}, actor)
        _update(db, ticket)


def set_root_cause(db, ticket, key, actor):
    if key and key not in {c["key"] for c in root_causes(db)}:
        raise ValidationError({"root_cause": _l("Choose a root cause from the list.")})
    with transaction(db):
        _update(db, ticket, root_cause=key)
        event(db, ticket["id"], "root_cause", {"key": key}, actor)


def log_callback(db, ticket, reached, outcome, actor):
    if reached not in ("yes", "no"):
        raise ValidationError({"reached": _l("Say whether the customer was reached.")})
    if len(outcome or "") > 1000:
        raise ValidationError({"outcome": _l("At most %(n)s characters.", n=1000)})
    with transaction(db):
        event(db, ticket["id"], "callback", {"reached": reached == "yes",
                                             "outcome": (outcome or "").strip()}, actor)
        _update(db, ticket)


def set_due(db, ticket, due_utc, actor):
    """A new deadline for the running SLA timer; it must lie in the future."""
    if ticket["status"] not in ACTIVE:
        raise ValidationError({"due_at": _l("Only an unresolved ticket has a deadline.")})
    if due_utc <= clock.utcnow():
        raise ValidationError({"due_at": _l("The due date is in the past.")})
    due = clock.iso(due_utc)
    column = "ack_due_at" if ticket["status"] == "open" else "resolve_due_at"
    with transaction(db):
        _update(db, ticket, **{column: due, "due_at": due, "next_check_at": due})
        event(db, ticket["id"], "due", {"from": ticket["due_at"], "to": due}, actor)


def reveal_contact(db, ticket, actor):
    """Write the audit row of a contact reveal (the caller shows the contact)."""
    with transaction(db):
        audit.record(db, "ticket.contact_reveal", "ticket", ticket["id"], ticket["unit_id"],
                     after={"response_id": ticket["response_id"]}, actor=actor)
        event(db, ticket["id"], "contact_revealed", {}, actor)


def root_causes(db, active_only=True):
    sql = "SELECT * FROM root_causes" + (" WHERE active = 1" if active_only else "")
    return query_all(db, sql + " ORDER BY position, key")


def timeline(db, ticket_id):
    rows = query_all(db, "SELECT * FROM ticket_events WHERE ticket_id = ? ORDER BY id",
                     (ticket_id,))
    for row in rows:
        row["detail"] = json.loads(row["detail"])
    return rows
