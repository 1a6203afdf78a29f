"""What other domains ask of the org tree, so they never query its tables themselves."""
from ..core.db import query_all, query_one
from .scope import Scope


def units_by_id(db, unit_ids):
    """{id: unit row} for these ids."""
    ids = sorted({int(i) for i in unit_ids if i is not None})
    if not ids:
        return {}
    rows = query_all(db, f"SELECT * FROM units WHERE id IN ({', '.join('?' * len(ids))})", ids)
    return {row["id"]: row for row in rows}


def with_unit_fields(db, rows, key="unit_id"):
    """The rows (dicts) with unit_code, unit_name, unit_name_en and unit_path beside them."""
    units = units_by_id(db, (row[key] for row in rows))
    for row in rows:
        unit = units.get(row[key]) or {}
        row.update(unit_code=unit.get("code"), unit_name=unit.get("name"),
                   unit_name_en=unit.get("name_en"), unit_path=unit.get("path"))
    return rows


def subtree_sql(db, unit_id, column):
    """A WHERE fragment restricting column to the subtree of one unit (nothing if unknown)."""
    unit = query_one(db, "SELECT path FROM units WHERE id = ?", (unit_id,))
    return Scope([unit["path"]] if unit else []).sql(column)


def path_sql(unit_path, column):
    """A WHERE fragment restricting column to the subtree under a unit path."""
    return Scope([unit_path]).sql(column)


def unit_in_subtree(db, root_id, code):
    """The unit with this code under (or equal to) the unit root_id, or None."""
    return query_one(db, "SELECT u.* FROM units u JOIN units root ON root.id = ? "
                         "WHERE u.code = ? AND u.path LIKE root.path || '%'", (root_id, code))


def count_by_type(db, scope):
    """[{type, n}] of active units in the scope, from the top level down."""
    where, params = scope.sql("id")
    return query_all(db, f"SELECT type, COUNT(*) AS n FROM units WHERE {where} AND active = 1 "
                         f"GROUP BY type ORDER BY MIN(depth)", params)


def leaf_units(db):
    """Units without children (the stores and branches), in id order."""
    return query_all(db, "SELECT u.* FROM units u WHERE NOT EXISTS "
                         "(SELECT 1 FROM units c WHERE c.parent_id = u.id) ORDER BY u.id")


def active_subtree(db, scope, under_paths):
    """Active units in the scope under every one of under_paths, with their child counts."""
    where, params = scope.sql("u.id")
    sql = (f"SELECT u.*, (SELECT COUNT(*) FROM units c WHERE c.parent_id = u.id) AS children "
           f"FROM units u WHERE u.active = 1 AND {where}")
    for path in under_paths:
        sql += " AND u.path LIKE ?"
        params = [*params, path + "%"]
    return query_all(db, sql + " ORDER BY u.path", params)


def unit_in_scope(db, scope, unit_id):
    unit = query_one(db, "SELECT path FROM units WHERE id = ?", (unit_id,))
    return unit is not None and scope.contains_path(unit["path"])


def display_names(db, user_ids):
    """{user id: display name}."""
    return {user_id: row["display_name"] for user_id, row in user_names(db, user_ids).items()}


def user_names(db, user_ids):
    """{user id: {"username", "display_name"}} (the assignee columns of a list)."""
    ids = sorted({int(i) for i in user_ids if i is not None})
    if not ids:
        return {}
    rows = query_all(db, f"SELECT id, username, display_name FROM users WHERE id IN "
                         f"({', '.join('?' * len(ids))})", ids)
    return {row["id"]: row for row in rows}


def code_subtree_sql(db, code, column):
    """A WHERE fragment restricting column to the subtree of the unit with this code
    (matching nothing when no unit has it)."""
    unit = query_one(db, "SELECT path FROM units WHERE code = ?", (code,))
    return Scope([unit["path"]] if unit else []).sql(column)


def root_path(db):
    """The path of the top of the tree, or None before there is one."""
    row = query_one(db, "SELECT path FROM units WHERE parent_id IS NULL ORDER BY id LIMIT 1")
    return row["path"] if row else None


def count_under(db, paths):
    """How many units lie under (or at) any of these paths."""
    if not paths:
        return 0
    likes = " OR ".join("path LIKE ?" for _ in paths)
    return db.execute(f"SELECT COUNT(*) FROM units WHERE {likes}",
                      [p + "%" for p in paths]).fetchone()[0]


def all_units(db):
    """Every unit row, by path (the metrics tree cache reads them in one plain query)."""
    return query_all(db, "SELECT * FROM units ORDER BY path")


def unit_paths(db):
    """{id: path} of every unit (summaries roll up along these)."""
    return dict(db.execute("SELECT id, path FROM units").fetchall())


def top_unit_ids(db, scope):
    """The ids of the highest units of a scope, none inside another (a user with roles at
    a region and at one of its stores reaches the region once)."""
    paths = sorted(scope.root_paths, key=len)
    tops = [p for i, p in enumerate(paths) if not any(p.startswith(q) for q in paths[:i])]
    if "/" in tops:
        return [r[0] for r in db.execute("SELECT id FROM units WHERE parent_id IS NULL")]
    return [int(p.strip("/").split("/")[-1]) for p in tops]


def children_in_scope(db, scope, parent_ids):
    """Active units whose parent is one of parent_ids, inside the scope."""
    ids = sorted({int(i) for i in parent_ids})
    if not ids:
        return []
    where, params = scope.sql("u.id")
    return query_all(db, f"SELECT u.* FROM units u WHERE u.active = 1 AND u.parent_id IN "
                         f"({', '.join('?' * len(ids))}) AND {where} ORDER BY u.path",
                     [*ids, *params])
