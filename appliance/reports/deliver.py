"""Emailing an archived report (queue topic "reports.deliver"), once per delivery row.

The row moves pending -> sending by compare-and-set before the relay is called and to
sent after, so a second runner holding the same job does nothing. Only a crash between
the relay accepting and the row being marked can repeat an email; the Message-ID is
derived from the delivery, so mail clients show the repeat as the same message.
"""
from flask import current_app, render_template
from flask_babel import force_locale

from ..core import clock, mail, settings
from ..core.db import query_one, transaction
from . import archive, subscriptions

DEFAULT_MAX_ATTACHMENT_MB = 10


def on_deliver(db, payload):
    delivery = query_one(db, "SELECT * FROM report_deliveries WHERE id = ?",
                         (payload["delivery_id"],))
    if delivery is None or delivery["status"] == "sent":
        return
    with transaction(db):
        db.execute("UPDATE report_deliveries SET status = 'sending' WHERE id = ? "
                   "AND status IN ('pending', 'sending')", (delivery["id"],))
    run = archive.get(db, delivery["run_id"])
    try:
        mode = _send(db, delivery, run)
    except mail.MailError as exc:
        with transaction(db):
            db.execute("UPDATE report_deliveries SET status = 'pending', error = ? WHERE id = ?",
                       (str(exc)[:500], delivery["id"]))
        raise
    with transaction(db):
        db.execute("UPDATE report_deliveries SET status = 'sent', mode = ?, sent_at = ?, "
                   "error = NULL WHERE id = ?", (mode, clock.now_iso(), delivery["id"]))


def _send(db, delivery, run):
    relay = mail.stored_relay(db)
    address = subscriptions.keyring().decrypt(delivery["address_enc"])
    document = archive.file_path(current_app.config["DATA_DIR"], run).read_bytes()
    limit_mb = float(settings.get(db, "reports.max_attachment_mb") or DEFAULT_MAX_ATTACHMENT_MB)
    mode = "attachment" if len(document) <= limit_mb * 1024 * 1024 else "link"
    link = f"{(settings.get(db, 'org.base_url') or '').rstrip('/')}/reports/runs/{run['id']}"
    values = {"run": run, "link": link, "mode": mode,
              "org_name": settings.get(db, "org.name") or "Tingjian"}
    with current_app.test_request_context(), force_locale(delivery["language"]):
        subject = render_template("reports/email-subject.txt", **values).strip()
        text = render_template("reports/email-text.txt", **values)
        html = render_template("reports/email-html.html", **values)
    attachments = [(run["file_name"], document, "application", "pdf")] if mode == "attachment" \
        else []
    message = mail.build_message(relay["sender"], address, subject, text, html, attachments)
    message.replace_header("Message-ID", f"<report-{delivery['delivery_key'].replace(':', '.')}"
                                         f"@{relay['sender'].rpartition('@')[2] or 'tingjian'}>")
    mail.send(relay, message)
    return mode
