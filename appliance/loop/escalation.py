"""The escalation tick: tickets whose next_check_at has come are looked at, in short
transactions of CHUNK rows. A breached ticket moves one level up the org tree (the
parent unit's managers are notified and see it in "escalated to me"), by a
compare-and-set on (escalation_level, next_check_at), so one breach escalates once
however many runners tick; the next check is one escalation interval later, until the
policy's top level or the top of the tree. Still breached there, it is escalated past
the top once: the top of the tree's contacts are told and the timeline says so. The
schedule is the data: a restart loses nothing.

Who is told at a unit: its unit managers; without any, its programme managers; without
those either, the contacts of the top (unit managers, else programme managers, else the
admins of the top unit), so every escalation reaches a person."""
import contextlib

from ..core import clock
from ..core.db import connect, query_all, transaction
from ..org import lookups
from ..org import units as units_service
from ..org import users as users_service
from . import notify, sla
from .tickets import ACTIVE, event

CHUNK = 250
CONTACT_ROLES = (["unit_manager"], ["programme_manager"])
TOP_ROLES = (*CONTACT_ROLES, ["admin"])


def tick(app):
    with app.app_context(), contextlib.closing(connect(app.config["DATABASE"])) as db:
        run(db)


def run(db, limit=20_000):
    """Check every due ticket (up to limit). Returns (checked, escalated): tickets moved up
    a level (an escalation past the top moves none)."""
    checked = escalated = 0
    policies = {p["priority"]: p for p in sla.policies(db)}
    while checked < limit:
        tick = Tick(db, clock.utcnow(), policies)
        with transaction(db):
            due = _with_position(db, query_all(
                db, "SELECT t.* FROM tickets t WHERE t.next_check_at <= ? "
                    "ORDER BY t.next_check_at LIMIT ?", (tick.now, CHUNK)))
            escalated += sum(tick.check(ticket) for ticket in due)
        checked += len(due)
        if len(due) < CHUNK:
            break
    return checked, escalated


def _with_position(db, due):
    """Each ticket with at_path / at_parent: where it stands now in the org tree."""
    units = lookups.units_by_id(db, (t["escalated_unit_id"] or t["unit_id"] for t in due))
    for ticket in due:
        unit = units.get(ticket["escalated_unit_id"] or ticket["unit_id"]) or {}
        ticket.update(at_path=unit.get("path", "/"), at_parent=unit.get("parent_id"))
    return due


class Tick:
    """One chunk's checks at one moment; what every ticket escalated to the same unit
    shares (its calendar's next check, its contacts) is worked out once."""

    def __init__(self, db, moment, policies):
        self.db, self.moment, self.now, self.policies = db, moment, clock.iso(moment), policies
        self._next_check, self._people = {}, {}

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
            if self.cas(ticket, next_check_at=None, **breach) and policy["max_levels"]:
                self.past_the_top(ticket, kind)
            return 0
        target, level = ticket["at_parent"], ticket["escalation_level"] + 1
        managers = self.people(target, [["unit_manager"]])
        if policy["reassign"] and managers:
            breach["assignee_id"] = managers[0]["id"]
        if not self.cas(ticket, escalation_level=level, escalated_unit_id=target,
                        next_check_at=self.next_check(ticket, policy), updated_at=self.now,
                        **breach):
            return 0   # another runner escalated this breach first
        self.tell(ticket, self.contacts(target), "escalated",
                  {"level": level, "unit_id": target, "breach": kind,
                   "reassigned": "assignee_id" in breach})
        return 1

    def past_the_top(self, ticket, kind):
        """Still breached at the last level: the top's contacts hear of it, once."""
        self.tell(ticket, self.top_contacts(), "escalated_top",
                  {"level": ticket["escalation_level"], "breach": kind, "top": True})

    def tell(self, ticket, people, kind, detail):
        people = list({p["id"]: p for p in people}.values())
        detail["notified"] = [p["display_name"] for p in people]
        event(self.db, ticket["id"], kind, detail, at=self.now)
        notify.add(self.db, [p["id"] for p in people], "escalation", ticket["unit_id"],
                   {"title": ticket["title"], "level": detail["level"],
                    "top": bool(detail.get("top"))}, ticket_id=ticket["id"], at=self.now)

    def next_check(self, ticket, policy):
        key = (ticket["at_parent"], policy["escalate_minutes"])
        if key not in self._next_check:
            parent = lookups.units_by_id(self.db, [ticket["at_parent"]])[ticket["at_parent"]]
            calendar = sla.calendar_for_unit(self.db, parent)
            self._next_check[key] = clock.iso(sla.deadline(
                self.db, None, self.moment, policy["escalate_minutes"], calendar or {}))
        return self._next_check[key]

    def people(self, unit_id, role_sets):
        """The users of the first of role_sets that anyone holds on the unit."""
        key = (unit_id, tuple(map(tuple, role_sets)))
        if key not in self._people:
            self._people[key] = next(
                (found for roles in role_sets
                 if (found := users_service.users_with_role(self.db, [unit_id], roles))), [])
        return self._people[key]

    def contacts(self, unit_id):
        return self.people(unit_id, CONTACT_ROLES) or self.top_contacts()

    def top_contacts(self):
        root = units_service.root_unit(self.db)
        return self.people(root["id"], TOP_ROLES) if root else []
