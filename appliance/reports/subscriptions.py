"""Report subscriptions: reading the form or JSON, checking it whole, saving it (audit-logged,
external addresses encrypted), listing them inside the user's scope."""
from flask import current_app
from flask_babel import lazy_gettext as _l

from ..core import audit, clock, crypto, settings
from ..core.db import query_all, transaction
from ..core.forms import Form
from ..org import units as units_service
from ..org import users as users_service
from ..org.lookups import with_unit_fields
from ..core.security import CAPABILITIES
from . import schedule as schedules

TYPES = ("executive", "unit", "survey")
LANGUAGES = ("zh_CN", "en")
MAX_RECIPIENTS = 50


def keyring():
    return crypto.Keyring.load(current_app.config["DATA_DIR"])


def read(db, data, owner_scope):
    """Checked values of a subscription form (a dict of strings or lists), or ValidationError
    naming every field that is wrong; nothing is saved here."""
    form = Form(data)
    values = {"name": form.text("name", max_length=120),
              "report_type": form.choice("report_type", TYPES),
              "period": form.choice("period", schedules.PERIODS),
              "language": form.choice("language", LANGUAGES),
              "schedule": form.text("schedule", max_length=40)}
    unit = units_service.get_unit_by_code(db, form.text("node", max_length=64))
    if unit is None or not owner_scope.contains_path(unit["path"]):
        form.error("node", _l("Choose a unit inside your part of the organisation."))
    values["unit"] = unit
    try:
        schedules.parse(values["schedule"])
    except schedules.ScheduleError:
        form.error("schedule", _l("The schedule is not understood: write e.g. "
                                  "“weekly mon 08:00”, “monthly 1 08:00” or “quarterly 1 08:00”."))
    values["user_ids"] = _user_ids(db, data, form)
    values["emails"] = _emails(data, form)
    if not form.errors.get("recipients") and not (values["user_ids"] or values["emails"]):
        form.error("recipients", _l("Add at least one recipient."))
    form.check()
    return values


def _list(data, name):
    if hasattr(data, "getlist"):
        return data.getlist(name)
    value = data.get(name) or []
    return value if isinstance(value, list) else [value]


def _user_ids(db, data, form):
    ids = []
    names = [n for raw in _list(data, "users") for n in str(raw).replace(",", " ").split()]
    for raw in names:
        user = users_service.get_user_by_username(db, str(raw).strip()) if raw else None
        if user is None or not user["active"]:
            form.error("users", _l("“%(name)s” is not an active user.", name=str(raw)[:60]))
        elif user["id"] not in ids:
            ids.append(user["id"])
    return ids


def _emails(data, form):
    raw = data.get("emails") or ""
    items = raw if isinstance(raw, list) else raw.replace(",", "\n").replace(";", "\n").split("\n")
    emails = []
    for item in (str(i).strip() for i in items):
        if not item:
            continue
        if len(item) > 254 or not users_service.EMAIL_PATTERN.match(item):
            form.error("emails", _l("“%(address)s” is not an email address.", address=item[:80]))
        elif item.lower() not in (e.lower() for e in emails):
            emails.append(item)
    if len(emails) > MAX_RECIPIENTS:
        form.error("emails", _l("At most %(n)s addresses.", n=MAX_RECIPIENTS))
    return emails


def create(db, values, actor):
    """Save a checked subscription and its recipients in one transaction."""
    tz = settings.get(db, "org.timezone") or "Asia/Shanghai"
    now = clock.now_iso()
    first = schedules.next_run(values["schedule"], clock.utcnow(), tz)
    ring = keyring()
    with transaction(db):
        sub_id = db.execute(
            "INSERT INTO report_subscriptions (name, report_type, unit_id, schedule, period, "
            "language, next_run_at, created_by, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (values["name"], values["report_type"], values["unit"]["id"],
             values["schedule"].strip().lower(), values["period"], values["language"],
             clock.iso(first), actor["id"] if actor else None, now, now)).lastrowid
        for user_id in values["user_ids"]:
            db.execute("INSERT INTO report_recipients (subscription_id, user_id) VALUES (?, ?)",
                       (sub_id, user_id))
        for email in values["emails"]:
            db.execute("INSERT INTO report_recipients (subscription_id, email_enc) VALUES (?, ?)",
                       (sub_id, ring.encrypt(email)))
        audit.record(db, "report.subscribe", "report_subscription", sub_id, values["unit"]["id"],
                     after=_summary(values), actor=actor)
    return get(db, sub_id)


def _summary(values):
    return {"name": values["name"], "type": values["report_type"], "node": values["unit"]["code"],
            "schedule": values["schedule"], "period": values["period"],
            "language": values["language"], "users": values["user_ids"],
            "external_addresses": len(values["emails"])}


def get(db, sub_id):
    rows = with_unit_fields(db, query_all(db, "SELECT * FROM report_subscriptions WHERE id = ?",
                                          (sub_id,)))
    return rows[0] if rows else None


def get_for_user(db, sub_id, scope):
    sub = get(db, sub_id)
    return sub if sub and scope.contains_path(sub["unit_path"]) else None


def list_for(db, scope):
    fragment, params = scope.sql("s.unit_id")
    return with_unit_fields(db, query_all(
        db, "SELECT s.*, (SELECT COUNT(*) FROM report_recipients r WHERE r.subscription_id = s.id) "
            f"AS recipients FROM report_subscriptions s WHERE {fragment} ORDER BY s.id", params))


def set_active(db, sub, active, actor):
    with transaction(db):
        db.execute("UPDATE report_subscriptions SET active = ?, updated_at = ? WHERE id = ?",
                   (1 if active else 0, clock.now_iso(), sub["id"]))
        audit.record(db, "report.subscription_resume" if active else "report.subscription_pause",
                     "report_subscription", sub["id"], sub["unit_id"], actor=actor)


def delete(db, sub, actor):
    """Remove a subscription and its recipients (reports already rendered stay archived)."""
    with transaction(db):
        db.execute("DELETE FROM report_recipients WHERE subscription_id = ?", (sub["id"],))
        db.execute("DELETE FROM report_subscriptions WHERE id = ?", (sub["id"],))
        audit.record(db, "report.unsubscribe", "report_subscription", sub["id"], sub["unit_id"],
                     before={"name": sub["name"], "type": sub["report_type"],
                             "node": sub["unit_code"], "schedule": sub["schedule"]},
                     actor=actor)


def recipients(db, sub_id):
    """[{id, user (with memberships) or None, email}] with addresses decrypted."""
    ring, out = keyring(), []
    for row in query_all(db, "SELECT * FROM report_recipients WHERE subscription_id = ? "
                             "ORDER BY id", (sub_id,)):
        user = users_service.load_session_user(db, row["user_id"]) if row["user_id"] else None
        email = users_service.email_of(user) if user else ring.decrypt(row["email_enc"])
        if row["user_id"] and user is None:
            continue   # disabled or deleted since
        out.append({"id": row["id"], "user": user, "email": email,
                    "language": (user or {}).get("language") or ""})
    return out


def nodes_for(recipient, unit):
    """The unit ids a recipient receives: the subscription's node for external addresses and
    for users who see all of it; the user's own subtrees inside it otherwise."""
    if recipient["user"] is None:
        return [unit["id"]]
    memberships = [m for m in recipient["user"]["memberships"] if "view" in CAPABILITIES[m["role"]]]
    if any(unit["path"].startswith(m["unit_path"]) for m in memberships):
        return [unit["id"]]
    inside = [m for m in memberships if m["unit_path"].startswith(unit["path"])]
    tops = [m for m in inside if not any(m["unit_path"] != o["unit_path"]
                                         and m["unit_path"].startswith(o["unit_path"])
                                         for o in inside)]
    return sorted({m["unit_id"] for m in tops})
