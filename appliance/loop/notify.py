"""In-app notifications (with an unread count) and the emails that go with them.

A notification row is written per recipient in the transaction of the alert or
escalation; its email is a durable queue job (dedupe key per notification), sent by
loop.mailer with retries. With a digest a recipient gets one email per N minutes: the
job for that window is enqueued once (its dedupe key names the window) and carries
every notification of the window not yet emailed."""
import json

from ..core import clock, queue
from ..core.db import query_all, query_one, transaction
from ..org import lookups

EMAIL_TOPIC = "loop.email"
EMAIL_ATTEMPTS = 48   # backoff up to an hour each: a relay may be down for two days


def add(db, user_ids, kind, unit_id, params, alert_id=None, ticket_id=None, in_app=True,
        email=True, digest_minutes=0, at=None):
    """Notify users (call inside the transaction of what happened). Returns new row ids."""
    created = []
    for user_id in dict.fromkeys(user_ids):
        row = db.execute(
            "INSERT INTO notifications (user_id, kind, alert_id, ticket_id, unit_id, params, "
            "in_app, digest, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT(user_id, kind, alert_id, ticket_id) DO NOTHING RETURNING id",
            (user_id, kind, alert_id, ticket_id, unit_id, json.dumps(params, ensure_ascii=False),
             int(in_app), int(bool(email and digest_minutes)), at or clock.now_iso())).fetchone()
        if row is None:
            continue
        created.append(row[0])
        if email and digest_minutes:
            _enqueue_digest(db, user_id, digest_minutes)
        elif email:
            queue.enqueue(db, EMAIL_TOPIC, {"notification_id": row[0]},
                          dedupe_key=f"loop.email:n{row[0]}", max_attempts=EMAIL_ATTEMPTS)
    return created


def _enqueue_digest(db, user_id, minutes):
    window = minutes * 60
    now = clock.utcnow().timestamp()
    bucket = int(now // window)
    queue.enqueue(db, EMAIL_TOPIC, {"digest_user": user_id},
                  dedupe_key=f"loop.digest:{user_id}:{minutes}:{bucket}",
                  delay_seconds=(bucket + 1) * window - now, max_attempts=EMAIL_ATTEMPTS)


def unread_count(db, user_id):
    return db.execute("SELECT COUNT(*) FROM notifications WHERE user_id = ? AND in_app = 1 "
                      "AND read_at IS NULL", (user_id,)).fetchone()[0]


def for_user(db, user_id, limit=50):
    rows = lookups.with_unit_fields(db, query_all(
        db, "SELECT n.* FROM notifications n WHERE n.user_id = ? AND n.in_app = 1 "
            "ORDER BY n.id DESC LIMIT ?", (user_id, limit)))
    for row in rows:
        row["params"] = json.loads(row["params"])
    return rows


def get(db, notification_id):
    row = query_one(db, "SELECT * FROM notifications WHERE id = ?", (notification_id,))
    if row:
        row["params"] = json.loads(row["params"])
    return row


def unsent_for(db, user_id):
    """A digest's notifications: not yet emailed, oldest first."""
    rows = query_all(db, "SELECT * FROM notifications WHERE user_id = ? AND digest = 1 "
                         "AND emailed_at IS NULL "
                         "ORDER BY id LIMIT 200", (user_id,))
    for row in rows:
        row["params"] = json.loads(row["params"])
    return rows


def mark_emailed(db, ids):
    with transaction(db):
        db.conn.executemany("UPDATE notifications SET emailed_at = ? WHERE id = ?",
                            [(clock.now_iso(), i) for i in ids])


def mark_ticket_read(db, user_id, ticket_id):
    """Opening a ticket reads the user's notifications about it."""
    if db.execute("SELECT 1 FROM notifications WHERE user_id = ? AND ticket_id = ? AND "
                  "read_at IS NULL LIMIT 1", (user_id, ticket_id)).fetchone():
        with transaction(db):
            db.execute("UPDATE notifications SET read_at = ? WHERE user_id = ? AND "
                       "ticket_id = ? AND read_at IS NULL", (clock.now_iso(), user_id, ticket_id))


def mark_read(db, user_id, notification_id=None):
    with transaction(db):
        sql = "UPDATE notifications SET read_at = ? WHERE user_id = ? AND read_at IS NULL"
        params = [clock.now_iso(), user_id]
        if notification_id:
            sql += " AND id = ?"
            params.append(notification_id)
        db.execute(sql, params)
