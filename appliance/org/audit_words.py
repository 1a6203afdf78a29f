"""The audit log in words: the object an entry is about and a summary of what changed."""
import json

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..core.db import query_all

ENTITY_LABELS = {
    "unit": _l("unit"), "user": _l("user"), "settings": _l("settings"), "survey": _l("survey"),
    "response": _l("response"), "api_token": _l("API token"), "text_item": _l("text"),
    "text_import": _l("text import"),
}
SETTINGS_LABELS = {"organisation": _l("organisation"), "smtp": _l("email relay")}
HIDDEN_KEYS = {"id", "path", "depth", "created_at", "updated_at", "parent_id"}
MAX_CHANGES = 8
MAX_VALUE = 60


def describe(db, rows):
    """Add "object" and "summary" (words) to each row of a page of audit entries."""
    names = _names(db, rows)
    for row in rows:
        row["object"] = _object(row, names)
        row["summary"] = summary(row.get("before"), row.get("after"))
    return rows


def _names(db, rows):
    ids = {kind: sorted({int(r["entity_id"]) for r in rows
                         if r["entity"] == kind and str(r["entity_id"]).isdigit()})
           for kind in ("unit", "user")}
    names = {}
    if ids["unit"]:
        marks = ",".join("?" * len(ids["unit"]))
        for r in query_all(db, f"SELECT id, name, code FROM units WHERE id IN ({marks})",
                           ids["unit"]):
            names[("unit", str(r["id"]))] = f"{r['name']} ({r['code']})"
    if ids["user"]:
        marks = ",".join("?" * len(ids["user"]))
        for r in query_all(db, f"SELECT id, username FROM users WHERE id IN ({marks})",
                           ids["user"]):
            names[("user", str(r["id"]))] = r["username"]
    return names


def _object(row, names):
    kind, ident = row["entity"], str(row["entity_id"] or "")
    word = str(ENTITY_LABELS.get(kind, kind))
    if kind == "settings":
        return f"{word}: {SETTINGS_LABELS.get(ident, ident)}"
    name = names.get((kind, ident))
    if name:
        return f"{word} {name}"
    return f"{word} #{ident}" if ident else word


def summary(before, after):
    """'name: A → B; active: 1 → 0' for a change, 'code = X; name = Y' for a creation."""
    old, new = _load(before), _load(after)
    if old is None and isinstance(new, dict):
        old = {}
    if new is None and isinstance(old, dict):
        new = {}
    if not isinstance(old, dict) or not isinstance(new, dict):
        return _short(new if new is not None else old)
    keys = [k for k in sorted(set(old) | set(new)) if k not in HIDDEN_KEYS]
    if old and new:
        parts = [f"{k}: {_short(old.get(k))} → {_short(new.get(k))}"
                 for k in keys if old.get(k) != new.get(k)]
        if not parts:
            return _("no visible change")
    else:
        parts = [f"{k} = {_short((new or old).get(k))}" for k in keys]
    more = len(parts) - MAX_CHANGES
    text = "; ".join(parts[:MAX_CHANGES])
    return text + (" " + _("and %(n)s more", n=more) if more > 0 else "")


def _load(text):
    if not text:
        return None
    try:
        return json.loads(text)
    except ValueError:
        return text


def _short(value):
    if value is None or value == "":
        return "—"
    if isinstance(value, (list, dict)):
        value = json.dumps(value, ensure_ascii=False)
    text = str(value)
    return text if len(text) <= MAX_VALUE else text[:MAX_VALUE - 1] + "…"
