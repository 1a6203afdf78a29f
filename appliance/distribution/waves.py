"""Waves: a survey sent to a list or segment through a channel, now, at a time, on a cron
calendar (in the organisation's time zone), or per transaction (triggers.py).

The schedule is data: a wave's next_run_at is claimed with a compare-and-set that moves
it on, creating one wave_run; the run's invitations are then built in batches, each batch
one short transaction that also moves the run's cursor (again by compare-and-set), so
two job runners or a restart never build an invitation twice.
"""
from datetime import datetime

from flask_babel import lazy_gettext as _l

from ..core import audit, clock, settings
from ..core.db import query_all, query_one, transaction
from ..core.errors import ValidationError
from ..collection import links as collection_links
from ..org import lookups
from ..surveys import service as surveys
from . import keys, lists, timing

SCHEDULES = ("now", "at", "cron", "trigger")
BUILD_BATCH = 1000


def org_zone(db):
    return settings.get(db, "org.timezone") or "Asia/Shanghai"


def _number(form, name, low, high, errors, default=0, kind=int):
    raw = str(form.get(name, "") or "").strip()
    if raw == "":
        return default
    try:
        value = kind(raw)
        if not low <= value <= high:
            raise ValueError
        return value
    except ValueError:
        errors[name] = _l("Enter a number from %(lo)s to %(hi)s.", lo=low, hi=high)
        return default


def check_schedule(db, form, errors):
    """(schedule, send_at, cron, next_run_at) from the form, errors filled in."""
    schedule = form.get("schedule", "now")
    send_at, cron, next_run = None, "", clock.now_iso()
    if schedule not in SCHEDULES:
        errors["schedule"] = _l("Choose when the wave is sent.")
    elif schedule == "at":
        try:
            moment = timing.local_to_utc(form.get("send_at", ""), org_zone(db))
            send_at = next_run = clock.iso(moment)
        except ValueError:
            errors["send_at"] = _l("Give a date and time, e.g. 2026-12-24T10:00.")
    elif schedule == "cron":
        cron = " ".join((form.get("cron") or "").split())
        try:
            moment = timing.next_cron(cron, org_zone(db), clock.utcnow())
            next_run = clock.iso(moment) if moment else None
        except ValueError:
            errors["cron"] = _l("Not a cron expression (minute hour day month weekday), "
                                "e.g. 0 10 1 * * for 10:00 on the 1st of every month.")
    elif schedule == "trigger":
        next_run = None
    return schedule, send_at, cron, next_run


def check_window(form, errors):
    try:
        start = timing.parse_hhmm(form.get("window_start", ""))
        end = timing.parse_hhmm(form.get("window_end", ""))
        if (start is None) != (end is None):
            raise ValueError
        return form.get("window_start", ""), form.get("window_end", "")
    except ValueError:
        errors["window_start"] = _l("Allowed hours: both times as HH:MM, or neither.")
        return "", ""


def create(db, unit, name, survey, contact_list, channel, template, form, actor=None):
    """A wave from the checked parts (the view found each inside the user's scope)."""
    errors = {}
    if not name or len(name) > 100:
        errors["name"] = _l("Name is required, at most 100 characters.")
    schedule, send_at, cron, next_run = check_schedule(db, form, errors)
    for part, value, message in (
            ("survey_id", survey, _l("Choose a published survey.")),
            ("channel_id", channel, _l("Choose a channel.")),
            ("template_id", template, _l("Choose a message template."))):
        if value is None:
            errors[part] = message
    if contact_list is None and schedule != "trigger":
        errors["list_id"] = _l("Choose a list or segment.")
    if channel and template and template["channel_kind"] != channel["kind"]:
        errors["template_id"] = _l("This template is written for another channel.")
    numbers = {name: _number(form, name, low, high, errors, kind=kind) for name, low, high, kind in
               (("reminder_days", 0, 60, int), ("reminder_max", 0, 5, int),
                ("delay_minutes", 0, 43200, int), ("per_contact_days", 0, 3650, int),
                ("sampling_percent", 0, 100, float))}
    if schedule == "trigger" and str(form.get("sampling_percent", "")).strip() == "":
        numbers["sampling_percent"] = 100.0
    window_start, window_end = check_window(form, errors)
    if errors:
        raise ValidationError(errors)
    row = {"unit_id": unit["id"], "name": name, "survey_id": survey["id"],
           "list_id": contact_list["id"] if contact_list and schedule != "trigger" else None,
           "channel_id": channel["id"], "template_id": template["id"], "schedule": schedule,
           "send_at": send_at, "cron": cron, "next_run_at": next_run,
           "window_start": window_start, "window_end": window_end, **numbers,
           "created_by": actor["id"] if actor else None, "created_at": clock.now_iso()}
    with transaction(db):
        wave_id = db.execute(f"INSERT INTO waves ({', '.join(row)}) VALUES "
                             f"({', '.join('?' * len(row))})", list(row.values())).lastrowid
        audit.record(db, "wave.create", "wave", wave_id, unit["id"], after=row)
    return wave_id


def set_status(db, wave, status):
    with transaction(db):
        # a paused wave's invitations wait: the sender does not claim them
        db.execute("UPDATE waves SET status = ? WHERE id = ?", (status, wave["id"]))
        audit.record(db, "wave.status", "wave", wave["id"], wave["unit_id"],
                     before={"status": wave["status"]}, after={"status": status})


def get_wave(db, scope, wave_id):
    where, params = scope.sql("w.unit_id")
    row = query_one(db, f"SELECT w.*, ch.kind AS channel_kind FROM waves w JOIN channels ch ON "
                        f"ch.id = w.channel_id WHERE w.id = ? AND {where}", [wave_id, *params])
    return lookups.with_unit_fields(db, [row])[0] if row else None


def list_waves(db, scope):
    where, params = scope.sql("w.unit_id")
    rows = query_all(db, f"""
        SELECT w.*, l.name AS list_name, ch.name AS channel_name,
               (SELECT COUNT(*) FROM invitations i WHERE i.wave_id = w.id) AS invitations,
               (SELECT COUNT(*) FROM invitations i WHERE i.wave_id = w.id
                AND i.sent_at IS NOT NULL) AS sent
        FROM waves w JOIN channels ch ON ch.id = w.channel_id
        LEFT JOIN contact_lists l ON l.id = w.list_id WHERE {where} ORDER BY w.id DESC""", params)
    for row in rows:
        survey = surveys.get_survey(db, row["survey_id"])
        row["survey_name"] = survey["name"] if survey else f"#{row['survey_id']}"
    return rows


# --- the job runner's side --------------------------------------------------------------

def _next_after(db, wave, now):
    if wave["schedule"] != "cron":
        return None, "done"
    moment = timing.next_cron(wave["cron"], org_zone(db), now)
    return (clock.iso(moment) if moment else None), ("active" if moment else "done")


def claim_due_runs(db, now=None):
    """Turn every due wave into a run (compare-and-set on next_run_at). Returns run ids."""
    now = now or clock.utcnow()
    due = query_all(db, "SELECT * FROM waves WHERE status = 'active' AND schedule != 'trigger' "
                        "AND next_run_at <= ?", (clock.iso(now),))
    runs = []
    for wave in due:
        following, status = _next_after(db, wave, now)
        with transaction(db):
            moved = db.execute("UPDATE waves SET next_run_at = ?, status = ? WHERE id = ? AND "
                               "next_run_at = ?", (following, status, wave["id"],
                                                   wave["next_run_at"])).rowcount
            if moved:
                runs.append(db.execute(
                    "INSERT INTO wave_runs (wave_id, run_key, created_at) VALUES (?, ?, ?) "
                    "ON CONFLICT DO NOTHING", (wave["id"], wave["next_run_at"],
                                               clock.now_iso())).lastrowid)
    return runs


def build_pending_runs(db, deadline_seconds=20):
    """Build the invitations of runs not yet built, batch by batch. Returns invitations made."""
    made, started = 0, clock.utcnow()
    for run in query_all(db, "SELECT * FROM wave_runs WHERE status = 'building' ORDER BY id"):
        while (clock.utcnow() - started).total_seconds() < deadline_seconds:
            count = build_batch(db, run["id"])
            made += count
            if count < BUILD_BATCH:
                break
    return made


def build_batch(db, run_id):
    """The next BUILD_BATCH invitations of a run, in one transaction; 0 when it is complete."""
    run = query_one(db, "SELECT * FROM wave_runs WHERE id = ?", (run_id,))
    wave = query_one(db, "SELECT w.*, ch.kind AS channel_kind FROM waves w JOIN channels ch ON "
                         "ch.id = w.channel_id WHERE w.id = ?", (run["wave_id"],))
    contact_list = lookups.with_unit_fields(db, [query_one(
        db, "SELECT * FROM contact_lists WHERE id = ?", (wave["list_id"],))])[0]
    where, params = lists.members_sql(contact_list, contact_list["unit_path"])
    members = query_all(db, f"SELECT c.id, c.unit_id FROM contacts c WHERE {where} AND c.id > ? "
                            f"ORDER BY c.id LIMIT ?", params + [run["cursor"], BUILD_BATCH])
    with transaction(db):
        last = members[-1]["id"] if members else run["cursor"]
        status = "building" if len(members) == BUILD_BATCH else "ready"
        if not db.execute("UPDATE wave_runs SET cursor = ?, status = ? WHERE id = ? AND cursor = ? "
                          "AND status = 'building'", (last, status, run_id, run["cursor"])).rowcount:
            return 0   # another runner built this batch
        insert_invitations(db, wave, run_id, members, clock.now_iso())
    return len(members)


def insert_invitations(db, wave, run_id, members, due_at, extra=None):
    """Personal links (collection) and invitations for [{id, unit_id}], in the caller's
    transaction. Returns the invitation ids."""
    ring = keys.keyring()
    made = collection_links.create_personal_links(
        db, wave["survey_id"], [(m["unit_id"], {"contact_id": m["id"], "wave_id": wave["id"]})
                                for m in members], ring)
    now, extra = clock.now_iso(), extra or {}
    ids = []
    for member, (link_id, token) in zip(members, made):
        ids.append(db.execute(
            "INSERT INTO invitations (wave_id, run_id, contact_id, unit_id, channel, link_id, "
            "token, order_id, transaction_id, due_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, "
            "?, ?, ?)", (wave["id"], run_id, member["id"], member["unit_id"], wave["channel_kind"],
                         link_id, token, extra.get("order_id", ""), extra.get("transaction_id"),
                         due_at, now)).lastrowid)
    db.conn.executemany("INSERT INTO delivery_log (invitation_id, at, event) VALUES "
                        "(?, ?, 'scheduled')", [(i, now) for i in ids])
    return ids


def describe_cron(expression, zone, count=3):
    """The next few runs in the organisation's time zone, for the form's preview."""
    moments, after = [], clock.utcnow()
    for _ in range(count):
        after = timing.next_cron(expression, zone, after)
        if after is None:
            break
        moments.append(after)
    return [datetime.fromtimestamp(m.timestamp(), tz=timing.ZoneInfo(zone)) for m in moments]
