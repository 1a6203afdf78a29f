"""Message templates per language (subject, text, HTML) with placeholders checked on save,
rendered per invitation (values escaped in HTML), previewed, and sent as a test."""
import json
import re

from flask_babel import lazy_gettext as _l
from markupsafe import escape

from ..core import audit, clock
from ..core.db import query_all, query_one, transaction
from ..core.errors import ValidationError

PLACEHOLDERS = ("name", "unit", "survey_link", "order_id", "unsubscribe_link")
PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")
LANGUAGES = ("zh_CN", "en")
PARTS = ("subject", "text", "html")
LIMITS = {"subject": 200, "text": 5000, "html": 50_000}
OPT_OUT = {  # every message carries a way out; an SMS has no List-Unsubscribe header
    "email": {"zh_CN": "\n\n不想再收到调查邀请？退订：{unsubscribe_link}",
              "en": "\n\nNo more survey invitations? Unsubscribe: {unsubscribe_link}"},
    "sms": {"zh_CN": " 退订：{unsubscribe_link}", "en": " Opt out: {unsubscribe_link}"},
}
HTML_OPT_OUT = {"zh_CN": '<p style="font-size:12px;color:#888">不想再收到调查邀请？'
                         '<a href="{unsubscribe_link}">退订</a></p>',
                "en": '<p style="font-size:12px;color:#888">No more survey invitations? '
                      '<a href="{unsubscribe_link}">Unsubscribe</a></p>'}


def check_content(content, channel_kind):
    """{field: message} for templates with unknown placeholders or without the survey link."""
    errors = {}
    if not any(content.get(lang, {}).get("text") for lang in LANGUAGES):
        errors["zh_CN.text"] = _l("Write the message in at least one language.")
    for lang in LANGUAGES:
        parts = content.get(lang, {})
        if not parts.get("text"):
            continue
        wanted = ("subject", "text", "html") if channel_kind == "email" else ("text",)
        for part in wanted:
            value = parts.get(part, "")
            unknown = sorted(set(PLACEHOLDER.findall(value)) - set(PLACEHOLDERS))
            if len(value) > LIMITS[part]:
                errors[f"{lang}.{part}"] = _l("At most %(n)s characters.", n=LIMITS[part])
            elif unknown:
                errors[f"{lang}.{part}"] = _l(
                    "Unknown placeholder %(names)s; use %(known)s.",
                    names=", ".join("{%s}" % n for n in unknown),
                    known=", ".join("{%s}" % n for n in PLACEHOLDERS))
            elif part in ("text", "html") and value and "{survey_link}" not in value:
                errors[f"{lang}.{part}"] = _l("The message must contain the survey link "
                                              "{survey_link}.")
        if channel_kind == "email" and not parts.get("subject"):
            errors[f"{lang}.subject"] = _l("An email needs a subject.")
    return errors


def clean_content(form):
    return {lang: {part: (form.get(f"{lang}.{part}") or "").replace("\r\n", "\n").strip()
                   for part in PARTS} for lang in LANGUAGES}


def save(db, unit, name, channel_kind, content, template=None):
    errors = check_content(content, channel_kind)
    if not name or len(name) > 100:
        errors["name"] = _l("Name is required, at most 100 characters.")
    if errors:
        raise ValidationError(errors)
    now = clock.now_iso()
    body = json.dumps(content, ensure_ascii=False)
    with transaction(db):
        if template is None:
            template_id = db.execute(
                "INSERT INTO message_templates (unit_id, name, channel_kind, content, created_at, "
                "updated_at) VALUES (?, ?, ?, ?, ?, ?)",
                (unit["id"], name, channel_kind, body, now, now)).lastrowid
        else:
            template_id = template["id"]
            db.execute("UPDATE message_templates SET name = ?, content = ?, updated_at = ? "
                       "WHERE id = ?", (name, body, now, template_id))
        audit.record(db, "template.save", "message_template", template_id, unit["id"],
                     after={"name": name, "channel": channel_kind})
    return template_id


def list_templates(db, scope):
    where, params = scope.sql("unit_id")
    return query_all(db, f"SELECT * FROM message_templates WHERE {where} ORDER BY id", params)


def get_template(db, scope, template_id):
    where, params = scope.sql("unit_id")
    row = query_one(db, f"SELECT * FROM message_templates WHERE id = ? AND {where}",
                    [template_id, *params])
    if row:
        row["parsed"] = json.loads(row["content"])
    return row


def _fill(text, values, html=False):
    def one(match):
        value = values.get(match.group(1), "")
        return str(escape(value)) if html else value
    return PLACEHOLDER.sub(one, text)


def render(content, channel_kind, language, values):
    """{subject, text, html} in the contact's language (or the other one if missing)."""
    parts = content.get(language) if content.get(language, {}).get("text") else None
    if parts is None:
        language = next(lang for lang in LANGUAGES if content.get(lang, {}).get("text"))
        parts = content[language]
    text = parts["text"]
    if "{unsubscribe_link}" not in text:
        text += OPT_OUT[channel_kind if channel_kind in OPT_OUT else "email"][language]
    html = parts.get("html", "") if channel_kind == "email" else ""
    if html and "{unsubscribe_link}" not in html:
        html += HTML_OPT_OUT[language]
    subject = _fill(parts.get("subject", ""), values).replace("\r", " ").replace("\n", " ")
    return {"subject": subject[:250], "text": _fill(text, values),
            "html": _fill(html, values, html=True) if html else "", "language": language}


def sample_values(language="zh_CN"):
    return {"name": "张三" if language == "zh_CN" else "Alex Chen", "unit": "上海一店",
            "survey_link": "https://cx.example.com/s/EXAMPLE-TOKEN",
            "order_id": "ORDER-0001", "unsubscribe_link": "https://cx.example.com/u/EXAMPLE"}
