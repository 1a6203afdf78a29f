"""The root-cause taxonomy: configurable keys with a Chinese and an English name."""
import re

from flask_babel import lazy_gettext as _l

from ..core import audit
from ..core.db import query_all, query_one, transaction
from ..core.forms import Form

KEY = re.compile(r"^[a-z][a-z0-9_]{0,39}$")


def all_causes(db):
    return query_all(db, "SELECT * FROM root_causes ORDER BY position, key")


def name_of(cause, language):
    return cause["name_zh"] if language == "zh_CN" else cause["name_en"]


def save(db, data):
    """Add or rename a cause, or switch it on/off (a cause in use is never deleted)."""
    form = Form(data)
    key = form.text("key", max_length=40)
    if key and not KEY.match(key):
        form.error("key", _l("Key: lower-case letters, digits and '_', starting with a letter."))
    values = {"key": key, "name_zh": form.text("name_zh", max_length=60),
              "name_en": form.text("name_en", max_length=60),
              "active": int(data.get("active", "1") == "1")}
    form.check()
    before = query_one(db, "SELECT * FROM root_causes WHERE key = ?", (key,))
    with transaction(db):
        db.execute("INSERT INTO root_causes (key, name_zh, name_en, active, position) "
                   "VALUES (?, ?, ?, ?, (SELECT COALESCE(MAX(position), 0) + 1 FROM root_causes)) "
                   "ON CONFLICT(key) DO UPDATE SET name_zh = excluded.name_zh, "
                   "name_en = excluded.name_en, active = excluded.active",
                   (values["key"], values["name_zh"], values["name_en"], values["active"]))
        audit.record(db, "loop.root_cause", "root_cause", key, None, before=before, after=values)
