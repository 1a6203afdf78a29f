"""The escalation tick: tickets whose next_check_at has come are looked at, in short
transactions of CHUNK rows. A breached ticket moves one level up the org tree (the
parent unit's managers are notified and see it in "escalated to me"), by a
compare-and-set on (escalation_level, next_check_at), so one breach escalates once
however many runners tick; the next check is one escalation interval later, until the
policy's top level or the top of the tree. The schedule is the data: a restart loses
nothing."""
import contextlib

from ..core import clock
from ..core.db import connect, query_all, transaction
from ..org import users as users_service
from . import notify, sla
from .tickets import ACTIVE, event

CHUNK = 250


def tick(app):
    with app.app_context(), contextlib.closing(connect(app.config["DATABASE"])) as db:
        run(db)


def run(db, limit=20_000):
    """Check every due ticket (up to limit). Returns (checked, escalated)."""
    checked = escalated = 0
    policies = {p["priority"]: p for p in sla.policies(db)}
    calendars = {}
    while checked < limit:
        now = clock.now_iso()
        with transaction(db):
            due = query_all(db, "SELECT t.*, u.path AS at_path, u.parent_id AS at_parent "
                                "FROM tickets t JOIN units u ON u.id = "
                                "COALESCE(t.escalated_unit_id, t.unit_id) "
                                "WHERE t.next_check_at <= ? ORDER BY t.next_check_at LIMIT ?",
                                (now, CHUNK))
            for ticket in due:
                escalated += _check(db, ticket, now, policies[ticket["priority"]], calendars)
        checked += len(due)
        if len(due) < CHUNK:
            break
    return checked, escalated


def _cas(db, ticket, **columns):
    sets = ", ".join(f"{k} = ?" for k in columns)
    return db.execute(f"UPDATE tickets SET {sets} WHERE id = ? AND escalation_level = ? "
                      f"AND next_check_at = ?", [*columns.values(), ticket["id"],
                                                 ticket["escalation_level"],
                                                 ticket["next_check_at"]]).rowcount


def _check(db, ticket, now, policy, calendars):
    if ticket["status"] not in ACTIVE:
        _cas(db, ticket, next_check_at=None)
        return 0
    if ticket["due_at"] and ticket["due_at"] > now:
        _cas(db, ticket, next_check_at=ticket["due_at"])
        return 0
    breach = {"ack_breached": 1} if ticket["status"] == "open" else {"resolve_breached": 1}
    if ticket["escalation_level"] >= policy["max_levels"] or not ticket["at_parent"]:
        _cas(db, ticket, next_check_at=None, **breach)
        return 0
    target = ticket["at_parent"]
    if target not in calendars:
        calendars[target] = sla.calendar_for_unit(db, {"path": _parent_path(ticket["at_path"])})
    next_check = clock.iso(sla.deadline(db, None, clock.parse(now), policy["escalate_minutes"],
                                        calendars[target] or {}))
    if not _cas(db, ticket, escalation_level=ticket["escalation_level"] + 1,
                escalated_unit_id=target, next_check_at=next_check, updated_at=now, **breach):
        return 0
    level = ticket["escalation_level"] + 1
    event(db, ticket["id"], "escalated", {"level": level, "unit_id": target,
                                          "breach": "ack" if "ack_breached" in breach else "resolve"})
    managers = [u["id"] for u in users_service.users_with_role(db, [target], ["unit_manager"])]
    notify.add(db, managers, "escalation", ticket["unit_id"],
               {"title": ticket["title"], "level": level}, ticket_id=ticket["id"])
    return 1


def _parent_path(path):
    return path.rstrip("/").rsplit("/", 1)[0] + "/"
