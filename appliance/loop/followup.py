"""The follow-up (recovery) survey: on resolve, a personal single-use invitation link
(collection's invitation machinery) emailed to the customer; their answer marks the
ticket recovered or not."""
import json

from flask_babel import lazy_gettext as _l

from ..collection import links, responses_query
from ..core import clock, queue, settings
from ..core.db import query_one, transaction
from ..core.errors import ValidationError
from ..org.scope import Scope
from ..stats import nps_category
from . import notify

SETTING = "loop.followup_survey_id"


def survey_id(db):
    return settings.get(db, SETTING)


def customer_email(db, ticket):
    """The email the customer left in the response's contact answers, or ''."""
    response = responses_query.get_response(db, Scope(["/"]), ticket["response_id"] or 0)
    if response is None:
        return "", None
    for value in responses_query.contact_of(response).values():
        if isinstance(value, dict) and value.get("email"):
            return value["email"], value
    return "", None


def send(db, ticket, actor):
    """Create the invitation and queue its email (inside the resolve's transaction)."""
    from .tickets import event
    follow_survey = survey_id(db)
    if not follow_survey:
        raise ValidationError({"followup": _l("No follow-up survey is configured.")})
    email, contact = customer_email(db, ticket)
    if not email:
        raise ValidationError({"followup": _l("The customer left no email address.")})
    token = links.create_invitations(db, follow_survey, [{"email": email,
                                                          "name": contact.get("name", "")}],
                                     unit_id=ticket["unit_id"])[0]["token"]
    link = links.get_link(db, token)
    with transaction(db):
        db.execute("UPDATE tickets SET followup_token = ?, followup_link_id = ?, "
                   "followup_sent_at = ? WHERE id = ?",
                   (token, link["id"], clock.now_iso(), ticket["id"]))
        event(db, ticket["id"], "followup", {"sent": True}, actor)
        queue.enqueue(db, notify.EMAIL_TOPIC, {"followup_ticket": ticket["id"]},
                      dedupe_key=f"loop.followup:{ticket['id']}:{link['id']}",
                      max_attempts=notify.EMAIL_ATTEMPTS)


def recovered_from(facts):
    """True / False from a 'resolved' yes/no answer, else from the NPS answer; None if neither."""
    said = facts["choices"].get("resolved")
    if said:
        return said[0] == "yes"
    nps = facts.get("nps")
    if nps is None:
        return None
    return nps_category(nps) == "promoter"


def record_answer(db, facts):
    """If the response answers a ticket's follow-up, link it and mark the recovery (once).
    Returns that ticket's id (the response is a follow-up answer), else None."""
    response = facts["response"]
    if not response.get("link_id"):
        return None
    ticket = query_one(db, "SELECT * FROM tickets WHERE followup_link_id = ?",
                       (response["link_id"],))
    if ticket is None:
        return None
    if ticket["followup_response_id"]:
        return ticket["id"]
    from .tickets import event
    recovered = recovered_from(facts)
    with transaction(db):
        changed = db.execute("UPDATE tickets SET followup_response_id = ?, recovered = ?, "
                             "updated_at = ? WHERE id = ? AND followup_response_id IS NULL",
                             (response["id"], None if recovered is None else int(recovered),
                              clock.now_iso(), ticket["id"])).rowcount
        if changed:
            event(db, ticket["id"], "recovery", {"recovered": recovered,
                                                 "response_id": response["id"]})
            if ticket["assignee_id"]:
                notify.add(db, [ticket["assignee_id"]], "recovery", ticket["unit_id"],
                           {"title": ticket["title"], "recovered": recovered},
                           ticket_id=ticket["id"], email=False)
    return ticket["id"]


def invitation_contact(db, ticket):
    """(url, email) of the ticket's follow-up invitation, for the email job."""
    from ..core import crypto
    from flask import current_app
    link = links.get_link(db, ticket["followup_token"])
    contact = json.loads(crypto.Keyring.load(current_app.config["DATA_DIR"]).decrypt(
        link["contact_enc"])) if link and link["contact_enc"] else {}
    return (links.link_url(db, link) if link else ""), contact.get("email", "")


def configure(db, follow_survey_id, scope):
    """Choose the published survey sent on resolve (None: no follow-up)."""
    from ..core import audit
    from ..surveys import service as surveys
    survey = surveys.get_survey(db, follow_survey_id) if follow_survey_id else None
    if follow_survey_id and (survey is None or survey["status"] != "published"):
        raise ValidationError({"survey_id": _l("Choose a published survey.")})
    with transaction(db):
        settings.set_many(db, {SETTING: follow_survey_id or None})
        audit.record(db, "loop.followup_survey", "settings", SETTING, None,
                     after={"survey_id": follow_survey_id})
