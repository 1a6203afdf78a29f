"""The org tree as the metrics service walks it, read through the org domain (cached
per database while the tree is unchanged)."""
from ..org import lookups
from ..org import units as org_units

_CACHE = {}


def units(db):
    """{id: unit} of every unit, each with "children" ids."""
    key = getattr(db, "path", None)
    stamp = _fingerprint(db)
    cached = _CACHE.get(key)
    if cached and cached[0] == stamp:
        return cached[1]
    rows = lookups.all_units(db)   # by path: the children are sorted below, once
    found = {u["id"]: {**u, "child_ids": []} for u in rows}
    for unit in found.values():
        if unit["parent_id"] in found:
            found[unit["parent_id"]]["child_ids"].append(unit["id"])
    for unit in found.values():   # children in the natural order of their codes
        unit["child_ids"].sort(key=lambda i: org_units.natural_key(found[i]["code"]))
    _CACHE[key] = (stamp, found)
    return found


def _fingerprint(db):
    """The org tree's fingerprint, read once per request (a dashboard asks many times)."""
    from flask import g, has_request_context
    if not has_request_context():
        return org_units.tree_fingerprint(db)
    if "metrics_tree_stamp" not in g:
        g.metrics_tree_stamp = org_units.tree_fingerprint(db)
    return g.metrics_tree_stamp


def children(db, unit_id, scope):
    """The unit's children inside the scope (a store manager's store has none)."""
    everything = units(db)
    unit = everything.get(unit_id)
    if unit is None:
        return []
    return [everything[c] for c in unit["child_ids"]
            if scope is None or scope.contains_path(everything[c]["path"])]


def subtree_ids(db, unit):
    return [u["id"] for u in units(db).values() if u["path"].startswith(unit["path"])]


def public(unit):
    return {"id": unit["id"], "code": unit["code"], "name": unit["name"],
            "name_en": unit.get("name_en", ""), "type": unit["type"],
            "leaf": not unit.get("child_ids")}


def by_code(db, code):
    return next((u for u in units(db).values() if u["code"] == code), None)


def has_children_in_scope(db, unit, scope):
    return bool(children(db, unit["id"], scope))
