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
    while checked < limit:
        moment = clock.utcnow()
        tick = Tick(db, moment, policies)
        with transaction(db):
            due = query_all(db, "SELECT t.*, u.path AS at_path, u.parent_id AS at_parent "
                                "FROM tickets t JOIN units u ON u.id = "
                                "COALESCE(t.escalated_unit_id, t.unit_id) "
                                "WHERE t.next_check_at <= ? ORDER BY t.next_check_at LIMIT ?",
                                (tick.now, CHUNK))
            escalated += sum(tick.check(ticket) for ticket in due)
        checked += len(due)
        if len(due) < CHUNK:
            break
    return checked, escalated


class Tick:
    """One chunk's checks at one moment; what every ticket escalated to the same unit
    shares (its calendar's next check, its managers) is worked out once."""

    def __init__(self, db, moment, policies):
        self.db, self.moment, self.now, self.policies = db, moment, clock.iso(moment), policies
        self._next_check, self._managers = {}, {}

    def cas(self, ticket, **columns):
        sets = ", ".join(f"{k} = ?" for k in columns)
        return self.db.execute(
            f"UPDATE tickets SET {sets} WHERE id = ? AND escalation_level = ? "
            f"AND next_check_at = ?", [*columns.values(), ticket["id"],
                                       ticket["escalation_level"], ticket["next_check_at"]]
        ).rowcount

    def check(self, ticket):
        """1 if the ticket escalated now, else 0 (rescheduled, or at its top level)."""
        if ticket["status"] not in ACTIVE:
            self.cas(ticket, next_check_at=None)
            return 0
        if ticket["due_at"] and ticket["due_at"] > self.now:
            self.cas(ticket, next_check_at=ticket["due_at"])
            return 0
        breach = {"ack_breached": 1} if ticket["status"] == "open" else {"resolve_breached": 1}
        kind = "ack" if "ack_breached" in breach else "resolve"
        policy = self.policies[ticket["priority"]]
        if ticket["escalation_level"] >= policy["max_levels"] or not ticket["at_parent"]:
            self.cas(ticket, next_check_at=None, **breach)
            return 0
        target, level = ticket["at_parent"], ticket["escalation_level"] + 1
        managers = self.managers(target)
        if policy["reassign"] and managers:
            breach["assignee_id"] = managers[0]
        if not self.cas(ticket, escalation_level=level, escalated_unit_id=target,
                        next_check_at=self.next_check(ticket, policy), updated_at=self.now,
                        **breach):
            return 0   # another runner escalated this breach first
        event(self.db, ticket["id"], "escalated",
              {"level": level, "unit_id": target, "breach": kind,
               "reassigned": "assignee_id" in breach}, at=self.now)
        notify.add(self.db, managers, "escalation", ticket["unit_id"],
                   {"title": ticket["title"], "level": level}, ticket_id=ticket["id"],
                   at=self.now)
        return 1

    def next_check(self, ticket, policy):
        key = (ticket["at_parent"], policy["escalate_minutes"])
        if key not in self._next_check:
            calendar = sla.calendar_for_unit(self.db, {"path": _parent_path(ticket["at_path"])})
            self._next_check[key] = clock.iso(sla.deadline(
                self.db, None, self.moment, policy["escalate_minutes"], calendar or {}))
        return self._next_check[key]

    def managers(self, unit_id):
        if unit_id not in self._managers:
            self._managers[unit_id] = [u["id"] for u in users_service.users_with_role(
                self.db, [unit_id], ["unit_manager"])]
        return self._managers[unit_id]


def _parent_path(path):
    return path.rstrip("/").rsplit("/", 1)[0] + "/"
