"""Reading the audit log within a scope (writing is core.audit.record)."""
from ..core.db import query_all
from . import units as units_service


def entries(db, scope, action="", limit=500):
    """Entries on units inside the scope; organisation-wide ones only for top-level admins."""
    where, params = scope.sql("a.unit_id")
    root = units_service.root_unit(db)
    if root and scope.contains_path(root["path"]):
        where = f"({where} OR a.unit_id IS NULL)"
    sql = f"SELECT a.* FROM audit_log a WHERE {where}"
    if action:
        sql += " AND a.action LIKE ?"
        params.append(action + "%")
    return query_all(db, sql + f" ORDER BY a.id DESC LIMIT {int(limit)}", params)
