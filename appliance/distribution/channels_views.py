"""Staff pages for channels (from the registry of channel classes) and message templates:
edit, preview, test send."""
import json

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from ..core.db import get_db
from ..core.errors import ValidationError
from ..core.security import require
from ..org.scope import current_scope
from . import channels, channels_service, messages
from .contacts_views import CAP, my_units, unit_in_scope

bp = Blueprint("channels", __name__, url_prefix="/distribution")


def get_channel_for_user(channel_id):
    row = channels_service.get_channel(get_db(), current_scope(CAP), channel_id)
    if row is None:
        abort(404)
    return row


def get_template_for_user(template_id):
    row = messages.get_template(get_db(), current_scope(CAP), template_id)
    if row is None:
        abort(404)
    return row


@bp.route("/channels")
@require(CAP)
def index():
    db, scope = get_db(), current_scope(CAP)
    return render_template("distribution/channels.html", kinds=channels.registry(),
                           channels=channels_service.list_channels(db, scope),
                           templates=messages.list_templates(db, scope))


def _channel_kind(kind):
    cls = channels.channel_class(kind)
    if cls is None:
        abort(404)
    return cls


@bp.route("/channels/new/<kind>", methods=["GET", "POST"])
@bp.route("/channels/<int:channel_id>", methods=["GET", "POST"])
@require(CAP)
def channel_form(kind=None, channel_id=None):
    channel = get_channel_for_user(channel_id) if channel_id else None
    cls = _channel_kind(channel["kind"] if channel else kind)
    errors = {}
    values = json.loads(channel["config"]) if channel else {f.name: f.default for f in cls.FIELDS}
    values.update(name=channel["name"] if channel else "",
                  rate_per_second=channel["rate_per_second"] if channel else 20)
    if request.method == "POST":
        values = request.form.to_dict()
        try:
            rate = request.form.get("rate_per_second", type=float)
            unit = unit_in_scope(request.form.get("unit_id", type=int)) if channel is None \
                else {"id": channel["unit_id"]}
            channels_service.save(get_db(), unit, cls.kind, values.get("name", "").strip(),
                                  values, rate, request.form.get("secret") or None, channel,
                                  inbound_secret=request.form.get("inbound_secret") or None)
            flash(_("The channel was saved."), "success")
            return redirect(url_for("channels.index"))
        except ValidationError as exc:
            errors = exc.errors
    return render_template("distribution/channel_form.html", cls=cls, channel=channel,
                           values=values, errors=errors, units=my_units()), \
        400 if errors else 200


@bp.route("/templates/new/<kind>", methods=["GET", "POST"])
@bp.route("/templates/<int:template_id>", methods=["GET", "POST"])
@require(CAP)
def template_form(kind=None, template_id=None):
    template = get_template_for_user(template_id) if template_id else None
    kind = template["channel_kind"] if template else kind
    _channel_kind(kind)
    content = template["parsed"] if template else _starter(kind)
    name, errors, preview = (template or {}).get("name", ""), {}, None
    if request.method == "POST":
        content, name = messages.clean_content(request.form), request.form.get("name", "").strip()
        try:
            if request.form.get("action") == "preview":
                preview = _preview(content, kind)
            else:
                unit = unit_in_scope(request.form.get("unit_id", type=int)) if template is None \
                    else {"id": template["unit_id"]}
                template_id = messages.save(get_db(), unit, name, kind, content, template)
                flash(_("The template was saved."), "success")
                return redirect(url_for("channels.template_form", template_id=template_id))
        except ValidationError as exc:
            errors = exc.errors
    return render_template("distribution/template_form.html", kind=kind, template=template,
                           content=content, name=name, errors=errors, preview=preview,
                           units=my_units(), languages=messages.LANGUAGES,
                           placeholders=messages.PLACEHOLDERS,
                           channels=[c for c in channels_service.list_channels(
                               get_db(), current_scope(CAP)) if c["kind"] == kind]), \
        400 if errors else 200


def _preview(content, kind):
    errors = messages.check_content(content, kind)
    if errors:
        raise ValidationError(errors)
    return {lang: messages.render(content, kind, lang, messages.sample_values(lang))
            for lang in messages.LANGUAGES if content.get(lang, {}).get("text")}


@bp.route("/templates/<int:template_id>/test", methods=["POST"])
@require(CAP)
def test_send(template_id):
    template = get_template_for_user(template_id)
    channel = get_channel_for_user(request.form.get("channel_id", type=int) or 0)
    address = request.form.get("address", "").strip()[:200]
    language = "en" if request.form.get("language") == "en" else "zh_CN"
    parts = messages.render(template["parsed"], channel["kind"], language,
                            messages.sample_values(language))
    sender = channels_service.open_channel(get_db(), channel)
    try:
        answer = sender.send(channels.Message(to=address, subject=parts["subject"],
                                              text=parts["text"], html=parts["html"],
                                              message_id="<tj-test@tingjian.local>"), lambda: None)
        flash(_("Test message sent to %(to)s: %(answer)s", to=address, answer=answer[:200]),
              "success")
    except channels.SendError as error:
        flash(_("The test message was not sent: %(answer)s", answer=error.answer), "error")
    finally:
        sender.close()
    return redirect(url_for("channels.template_form", template_id=template_id))


def _starter(kind):
    if kind == "email":
        return {"zh_CN": {"subject": "{name}，请评价您在{unit}的体验",
                          "text": "{name}您好：\n\n感谢您光临{unit}。请花一分钟告诉我们您的体验：\n"
                                  "{survey_link}\n\n订单号：{order_id}",
                          "html": "<p>{name}您好：</p><p>感谢您光临{unit}。请花一分钟告诉我们您的"
                                  "体验：</p><p><a href=\"{survey_link}\">开始评价</a></p>"},
                "en": {"subject": "{name}, how was your visit to {unit}?",
                       "text": "Hello {name},\n\nThank you for visiting {unit}. Please tell us "
                               "how it went, it takes a minute:\n{survey_link}",
                       "html": "<p>Hello {name},</p><p>Thank you for visiting {unit}. Please tell "
                               "us how it went:</p><p><a href=\"{survey_link}\">Start</a></p>"}}
    return {"zh_CN": {"subject": "", "html": "",
                      "text": "【味道餐饮】{name}您好，感谢光临{unit}，邀您评价：{survey_link}"},
            "en": {"subject": "", "html": "",
                   "text": "Thanks for visiting {unit}! Rate us: {survey_link}"}}
