"""Reading tickets, always inside a Scope: the queue (mine, my unit, escalated to me,
overdue first), one ticket, and the API's list."""
import re

from ..core import clock
from ..core.db import query_all, query_one
from .tickets import ACTIVE

PAGE_SIZE = 50
LARGE_SCOPE = 200   # units; above this the queue is read in deadline order
VIEWS = ("all", "mine", "unit", "escalated", "overdue")
STATUSES = ("active", "open", "acknowledged", "in_progress", "resolved", "closed", "any")
SELECT = ("SELECT t.id, t.unit_id, t.response_id, t.rule_id, t.title, t.summary, t.status, "
          "t.priority, t.assignee_id, t.root_cause, t.escalation_level, t.escalated_unit_id, "
          "t.ack_due_at, t.resolve_due_at, t.due_at, t.opened_at, t.acknowledged_at, "
          "t.resolved_at, t.closed_at, t.recovered, t.followup_sent_at, t.reopen_count, "
          "u.code AS unit_code, u.name AS unit_name, u.path AS unit_path, "
          "a.username AS assignee, a.display_name AS assignee_name, r.name AS rule_name "
          "FROM tickets t JOIN units u ON u.id = t.unit_id "
          "LEFT JOIN users a ON a.id = t.assignee_id LEFT JOIN alert_rules r ON r.id = t.rule_id")


def read_filters(args):
    status = args.get("status", "active")
    return {"view": args.get("view") if args.get("view") in VIEWS else "all",
            "status": status if status in STATUSES else None,
            "priority": args.get("priority", "") if args.get("priority") in
            ("urgent", "high", "normal", "low") else "",
            "unit": args.get("unit", "").strip()[:40], "q": args.get("q", "").strip()[:100]}


def scope_sql(db, scope, column="t.unit_id"):
    """scope.sql(column), except that a scope holding the top of the tree restricts nothing
    (so the top admin's queue walks the deadline index instead of testing 100,000 rows),
    and a scope of very many units tests membership without steering the plan
    (SQLite's unary + keeps it on the deadline index; PostgreSQL reads it as the number)."""
    root = db.execute("SELECT path FROM units WHERE parent_id IS NULL ORDER BY id LIMIT 1"
                      ).fetchone()
    if root and root[0] in scope.root_paths:
        return "1", []
    where, params = scope.sql(column)
    if scope.root_paths and _units_in(db, scope) > LARGE_SCOPE:
        where, params = scope.sql("+" + column)
    return where, params


def _units_in(db, scope):
    likes = " OR ".join("path LIKE ?" for _ in scope.root_paths)
    return db.execute(f"SELECT COUNT(*) FROM units WHERE {likes}",
                      [p + "%" for p in scope.root_paths]).fetchone()[0]


def _where(db, scope, filters, user):
    where, params = scope_sql(db, scope)
    clauses, params = [where], list(params)
    status = filters.get("status") or "active"
    if status == "active":
        clauses.append("t.due_at IS NOT NULL")   # every unresolved ticket has a deadline
    elif status != "any":
        clauses.append("t.status = ?")
        params.append(status)
    view = filters.get("view", "all")
    if view == "mine":
        clauses.append("t.assignee_id = ?")
        params.append(user["id"])
    elif view == "unit":
        clauses.append("t.unit_id IN (" + ", ".join(
            str(int(m["unit_id"])) for m in user["memberships"]) + ")")
    elif view == "escalated":
        clauses.append("t.escalated_unit_id IN (SELECT id FROM units WHERE " + (" OR ".join(
            "path LIKE ?" for _m in user["memberships"]) or "0") + ")")
        params += [m["unit_path"] + "%" for m in user["memberships"]]
    elif view == "overdue":
        clauses.append("t.due_at < ?")
        params.append(clock.now_iso())
    if filters.get("priority"):
        clauses.append("t.priority = ?")
        params.append(filters["priority"])
    if filters.get("unit"):
        clauses.append("t.unit_id IN (SELECT id FROM units WHERE path LIKE "
                       "(SELECT path FROM units WHERE code = ?) || '%')")
        params.append(filters["unit"])
    if filters.get("q"):
        like = "%" + re.sub(r"([%_\\])", r"\\\1", filters["q"]) + "%"
        clauses.append("(t.title LIKE ? ESCAPE '\\' OR t.summary LIKE ? ESCAPE '\\' "
                       "OR CAST(t.id AS TEXT) = ?)")
        params += [like, like, filters["q"].lstrip("#")]
    return " AND ".join(clauses), params


def _order(filters):
    status = filters.get("status") or "active"
    return "t.due_at, t.id" if status == "active" else "t.id DESC"


def list_tickets(db, scope, filters, user, page=1, page_size=PAGE_SIZE):
    """(rows, more?) for the queue: overdue first (the earliest deadline first)."""
    where, params = _where(db, scope, filters, user)
    rows = query_all(db, f"{SELECT} WHERE {where} ORDER BY {_order(filters)} LIMIT ? OFFSET ?",
                     params + [page_size + 1, (max(page, 1) - 1) * page_size])
    return rows[:page_size], len(rows) > page_size


def counts(db, scope, user):
    """Overdue tickets and the user's own unresolved ones (the queue's tabs), each counted
    on its own index."""
    where, params = scope_sql(db, scope)
    count = "SELECT COUNT(*) FROM tickets t WHERE t.due_at IS NOT NULL AND {} AND " + where
    return {"overdue": db.execute(count.format("t.due_at < ?"),
                                  [clock.now_iso(), *params]).fetchone()[0],
            "mine": db.execute(count.format("t.assignee_id = ?"),
                               [user["id"], *params]).fetchone()[0]}


def get_ticket(db, scope, ticket_id):
    where, params = scope.sql("t.unit_id")
    return query_one(db, f"{SELECT} WHERE t.id = ? AND {where}", [ticket_id, *params])


def api_rows(db, scope, unit_code, status, limit=500, before=None):
    """GET /api/v1/tickets: the PRODUCT.md shape, newest first (page on with before=id)."""
    filters = {"status": status or "any", "unit": unit_code}
    where, params = _where(db, scope, filters, {"id": 0, "memberships": []})
    if before:
        where += " AND t.id < ?"
        params.append(before)
    rows = query_all(db, f"{SELECT} WHERE {where} ORDER BY t.id DESC LIMIT ?",
                     params + [limit])
    return [{"id": r["id"], "unit": r["unit_code"], "status": r["status"],
             "priority": r["priority"], "response_id": r["response_id"], "rule": r["rule_name"],
             "opened_at": r["opened_at"], "due_at": r["due_at"],
             "escalation_level": r["escalation_level"]} for r in rows]


def is_active(ticket):
    return ticket["status"] in ACTIVE
