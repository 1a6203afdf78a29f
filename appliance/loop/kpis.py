"""Closed-loop KPIs over the tickets opened in a period, inside a scope: time to
acknowledge and to resolve, SLA compliance, escalation, reopen and recovery rates, and
tickets by root cause.

Durations are business hours of the ticket's unit calendar, the clock its SLA runs on
(loop.sla.elapsed_minutes): a ticket opened on Friday evening and resolved on Monday
morning took the working hours in between, not the weekend. They are kept on the ticket
when it is acknowledged and resolved (tickets._timing), so the summary averages columns;
the loop.kpi_durations job fills in tickets from before those columns existed."""
import contextlib
from datetime import timedelta

from ..core import clock
from ..core.db import connect, query_all, query_one, transaction
from ..org import lookups
from ..org import units as units_service
from . import sla

BACKFILL_CHUNK = 500


def business_minutes(db, ticket, end_iso):
    """Business minutes from the ticket's opening to end_iso in its unit's calendar."""
    unit = units_service.get_unit(db, ticket["unit_id"])
    return round(sla.elapsed_minutes(db, unit, clock.parse(ticket["opened_at"]),
                                     clock.parse(end_iso), None if unit else {}), 2)


def backfill_tick(app):
    with app.app_context(), contextlib.closing(connect(app.config["DATABASE"])) as db:
        while backfill(db):
            pass


def backfill(db, limit=BACKFILL_CHUNK):
    """Fill the business durations of up to limit tickets that lack them. Returns how many."""
    with transaction(db):
        rows = query_all(db, "SELECT id, unit_id, opened_at, acknowledged_at, resolved_at, "
                             "ack_business_minutes, resolve_business_minutes FROM tickets "
                             "WHERE (acknowledged_at IS NOT NULL AND ack_business_minutes IS NULL) "
                             "OR (resolved_at IS NOT NULL AND resolve_business_minutes IS NULL) "
                             "LIMIT ?", (limit,))
        for row in rows:
            db.execute("UPDATE tickets SET ack_business_minutes = ?, "
                       "resolve_business_minutes = ? WHERE id = ?",
                       (_filled(db, row, "ack"), _filled(db, row, "resolve"), row["id"]))
    return len(rows)


def _filled(db, row, kind):
    end = row["acknowledged_at" if kind == "ack" else "resolved_at"]
    known = row[f"{kind}_business_minutes"]
    return known if known is not None or end is None else business_minutes(db, row, end)


def summary(db, scope, days=30, unit_code=""):
    where, params = scope.sql("t.unit_id")
    since = clock.iso(clock.utcnow() - timedelta(days=days))
    clauses = f"{where} AND t.opened_at >= ?"
    params = [*params, since]
    if unit_code:
        subtree, more = lookups.code_subtree_sql(db, unit_code, "t.unit_id")
        clauses += f" AND {subtree}"
        params += more
    row = query_one(db, f"""
        SELECT COUNT(*) AS tickets,
               AVG(t.ack_business_minutes) / 60.0 AS hours_to_ack,
               AVG(t.resolve_business_minutes) / 60.0 AS hours_to_resolve,
               SUM(t.resolved_at IS NOT NULL) AS resolved,
               SUM(t.resolved_at IS NOT NULL AND t.ack_breached = 0 AND t.resolve_breached = 0)
                   AS within_sla,
               SUM(t.escalation_level > 0) AS escalated, SUM(t.reopen_count > 0) AS reopened,
               SUM(t.recovered IS NOT NULL) AS followed_up, SUM(t.recovered = 1) AS recovered,
               SUM(t.due_at IS NOT NULL) AS active, SUM(t.due_at < ?) AS overdue
        FROM tickets t WHERE {clauses}""", [clock.now_iso(), *params])
    n = row["tickets"] or 0
    causes = query_all(db, f"SELECT t.root_cause AS key, COUNT(*) AS n FROM tickets t "
                           f"WHERE {clauses} GROUP BY t.root_cause ORDER BY n DESC", params)
    return {"days": days, "tickets": n, "active": row["active"] or 0,
            "overdue": row["overdue"] or 0,
            "hours_to_ack": _round(row["hours_to_ack"]),
            "hours_to_resolve": _round(row["hours_to_resolve"]),
            "sla_compliance": _share(row["within_sla"], row["resolved"]),
            "escalation_rate": _share(row["escalated"], n),
            "reopen_rate": _share(row["reopened"], n),
            "recovery_rate": _share(row["recovered"], row["followed_up"]),
            "followed_up": row["followed_up"] or 0, "by_root_cause": causes}


def _round(value):
    return None if value is None else round(value, 1)


def _share(part, whole):
    return None if not whole else round(100.0 * (part or 0) / whole, 1)
