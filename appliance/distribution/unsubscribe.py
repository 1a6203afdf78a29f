"""/u/<token>: one click, no login. GET shows the button (mail scanners follow links, so a
GET never unsubscribes); POST, from the page or from a mail client's List-Unsubscribe-Post
(RFC 8058), opts the contact out of that channel."""
from flask import Blueprint, abort, render_template, request

from ..core.db import get_db, query_one
from . import contacts

bp = Blueprint("unsubscribe", __name__)
WORDS = {  # the respondent's language, as on the survey pages (collection/respondent_texts.py)
    "title": ("退订调查邀请", "Unsubscribe from survey invitations"),
    "ask_email": ("不再通过邮件收到调查邀请？", "Stop receiving survey invitations by email?"),
    "ask_sms": ("不再通过短信收到调查邀请？", "Stop receiving survey invitations by text message?"),
    "button": ("退订", "Unsubscribe"),
    "done": ("您已退订，我们不会再通过此渠道向您发送调查邀请。",
             "You are unsubscribed: we will not send you survey invitations this way again."),
}


def _invitation(token):
    if not 8 <= len(token) <= 64:
        abort(404)
    row = query_one(get_db(), "SELECT i.id, i.contact_id, i.channel, c.language FROM invitations i "
                              "LEFT JOIN contacts c ON c.id = i.contact_id WHERE i.token = ?",
                    (token,))
    if row is None:
        abort(404)
    return row


@bp.route("/u/<token>", methods=["GET", "POST"])
def unsubscribe(token):
    invitation = _invitation(token)
    done = request.method == "POST"
    if done and invitation["contact_id"]:
        contacts.opt_out(get_db(), invitation["contact_id"], invitation["channel"])
    language = "en" if (request.args.get("lang") or invitation["language"]) == "en" else "zh_CN"
    words = {k: v[language == "en"] for k, v in WORDS.items()}
    return render_template("distribution/unsubscribe.html", done=done, token=token, w=words,
                           channel=invitation["channel"], language=language, title=words["title"])
