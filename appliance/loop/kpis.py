"""Closed-loop KPIs over the tickets opened in a period, inside a scope: time to
acknowledge and to resolve (hours, wall clock), SLA compliance, escalation, reopen and
recovery rates, and tickets by root cause."""
from datetime import timedelta

from ..core import clock
from ..core.db import query_all, query_one
from ..org import lookups

HOURS = "(julianday({end}) - julianday(t.opened_at)) * 24"


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
               AVG(CASE WHEN t.acknowledged_at IS NOT NULL
                   THEN {HOURS.format(end='t.acknowledged_at')} END) AS hours_to_ack,
               AVG(CASE WHEN t.resolved_at IS NOT NULL
                   THEN {HOURS.format(end='t.resolved_at')} END) AS hours_to_resolve,
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
