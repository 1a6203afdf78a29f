"""The loop's emails, sent by the job runner from the durable queue (topic loop.email).

Each email is rendered in its recipient's language from templates/loop/email/<name>.txt
and .html (escaped). A relay that fails raises, so the job is retried with backoff and
stays pending (visible to the admin on the alerts settings page), never lost."""
from flask import render_template
from flask_babel import force_locale

from ..core import mail, settings
from ..org import users as users_service
from . import followup, notify, tickets


def handle(db, payload):
    if "notification_id" in payload:
        _send_notification(db, notify.get(db, payload["notification_id"]))
    elif "digest_user" in payload:
        _send_digest(db, payload["digest_user"])
    elif "followup_ticket" in payload:
        _send_followup(db, tickets.get(db, payload["followup_ticket"]))


def _language(db, user):
    return (user or {}).get("language") or settings.get(db, "org.default_language") or "zh_CN"


def _base_url(db):
    return (settings.get(db, "org.base_url") or "").rstrip("/")


def _send(db, to, template, language, **context):
    relay = mail.stored_relay(db)
    context.update(base_url=_base_url(db), org_name=settings.get(db, "org.name"))
    with force_locale(language):
        subject = render_template(f"loop/email/{template}-subject.txt", **context).strip()
        text = render_template(f"loop/email/{template}.txt", **context)
        html = render_template(f"loop/email/{template}.html", **context)
    mail.send(relay, mail.build_message(relay.get("sender") or "tingjian@localhost", to,
                                        subject, text, html))


def _recipient(db, user_id):
    user = users_service.get_user(db, user_id)
    return user, (users_service.email_of(user) if user and user["active"] else "")


def _send_notification(db, note):
    if note is None or note["emailed_at"]:
        return   # sent before a crash, or gone
    user, address = _recipient(db, note["user_id"])
    if address:
        ticket = tickets.get(db, note["ticket_id"]) if note["ticket_id"] else None
        _send(db, address, note["kind"] if note["kind"] in ("alert", "escalation") else "alert",
              _language(db, user), note=note, user=user, ticket=ticket,
              verbatim=ticket["summary"] if ticket else "")
    notify.mark_emailed(db, [note["id"]])


def _send_digest(db, user_id):
    notes = notify.unsent_for(db, user_id)
    user, address = _recipient(db, user_id)
    if notes and address:
        _send(db, address, "digest", _language(db, user), notes=notes, user=user)
    notify.mark_emailed(db, [n["id"] for n in notes])


def _send_followup(db, ticket):
    if ticket is None or not ticket["followup_token"]:
        return
    url, address = followup.invitation_contact(db, ticket)
    if address:
        _send(db, address, "followup", settings.get(db, "org.default_language") or "zh_CN",
              url=url, ticket=ticket)

