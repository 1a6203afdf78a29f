"""The organisation's runtime settings (SMTP relay, base URL, language, time zone):
reading their forms, saving them (audit-logged, the SMTP password encrypted) and
sending a test email. Used by the setup wizard and by the admins' settings page."""
import zoneinfo

from flask import current_app
from flask_babel import gettext as _

from ..core import audit, clock, crypto, mail, settings
from ..core.db import transaction
from ..core.errors import ValidationError
from ..core.forms import Form
from ..org import users as users_service

TIMEZONES = sorted(z for z in zoneinfo.available_timezones() if "/" in z and not z.startswith("Etc"))


def read_smtp_form(data, required=True):
    form = Form(data)
    values = {"host": form.text("host", required=required, max_length=253),
              "port": form.integer("port", 1, 65535, required=required) or 25,
              "security": form.choice("security", ("none", "starttls", "ssl"),
                                      required=required) or "none",
              "username": form.text("username", required=False, max_length=200),
              "password": data.get("password", "")[:500],
              "sender": form.text("sender", required=required, max_length=254)}
    if values["sender"] and not users_service.EMAIL_PATTERN.match(values["sender"]):
        form.error("sender", _("Enter a valid email address."))
    if required:
        form.check()
    return values


def save_smtp(db, values):
    """Store the relay; an empty password keeps the one stored before."""
    stored = {f"smtp.{k}": v for k, v in values.items() if k != "password"}
    if values["password"]:
        stored["smtp.password_enc"] = _keyring().encrypt(values["password"])
    before = settings.get_many(db, "smtp.")
    with transaction(db):
        settings.set_many(db, stored)
        audit.record(db, "settings.smtp", "settings", "smtp", None, before=before,
                     after={**before, **stored})


def relay(db):
    """The stored relay with its password decrypted, as core.mail.send takes it."""
    return mail.stored_relay(db)


def failure_in_words(reason, values):
    """A failed test email said as a person would, naming the relay."""
    relay_name = f"{values.get('host', '')}:{values.get('port', '')}"
    words = {
        "not_found": _("The relay %(relay)s cannot be found: check the host name (DNS).",
                       relay=relay_name),
        "refused": _("The relay %(relay)s refused the connection: check the port and that "
                     "the relay is running.", relay=relay_name),
        "timeout": _("The relay %(relay)s did not answer in time: check the address and the "
                     "firewall.", relay=relay_name),
        "login": _("The relay %(relay)s rejected the login: check the user name and password.",
                   relay=relay_name),
        "tls": _("The secure connection (TLS) to %(relay)s failed: check the security setting "
                 "and the port (STARTTLS is usually 587, SSL/TLS 465).", relay=relay_name),
        "rejected": _("The relay %(relay)s refused the sender or the recipient address.",
                      relay=relay_name),
        "not_configured": _("No SMTP relay is configured."),
    }
    return words.get(reason) or _("The relay %(relay)s could not send the email.",
                                  relay=relay_name)


def mail_verified(db):
    return mail.verified(db)


def send_test_email(db, values, recipient):
    if not users_service.EMAIL_PATTERN.match(recipient or ""):
        raise ValidationError({"test_to": _("Enter the address to send the test email to.")})
    if not values["password"]:
        values = {**values, "password": relay(db)["password"]}
    try:
        mail.send(values, mail.build_message(
            values["sender"], recipient, _("Tingjian test email"),
            _("This is a test email from Tingjian. The SMTP relay works.")))
    except mail.MailError as exc:
        settings.set_many(db, {"smtp.verified_for": ""})
        raise ValidationError({"host": _("The test email could not be sent. %(why)s",
                                         why=failure_in_words(exc.reason, values))})
    settings.set_many(db, {"smtp.verified_for": mail.fingerprint(values),
                           "smtp.verified_at": clock.now_iso()})


def read_preferences_form(data):
    form = Form(data)
    values = {"base_url": form.text("base_url", max_length=200).rstrip("/"),
              "default_language": form.choice("default_language", ("zh_CN", "en")),
              "timezone": form.choice("timezone", TIMEZONES)}
    if values["base_url"] and not values["base_url"].startswith(("http://", "https://")):
        form.error("base_url", _("The address starts with http:// or https://."))
    form.check()
    return values


def save_preferences(db, values, action="settings.preferences", extra=None):
    stored = {"org.base_url": values["base_url"],
              "org.default_language": values["default_language"],
              "org.timezone": values["timezone"], **(extra or {})}
    before = settings.get_many(db, "org.")
    with transaction(db):
        settings.set_many(db, stored)
        audit.record(db, action, "settings", "organisation", None, before=before,
                     after={**before, **stored})


def _keyring():
    return crypto.keyring(current_app.config["DATA_DIR"])
