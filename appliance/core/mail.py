"""Sending email through the enterprise's SMTP relay (settings smtp.*)."""
import smtplib
import socket
import ssl
from email.message import EmailMessage
from email.utils import make_msgid

from . import counters

TIMEOUT_SECONDS = 20


class MailError(Exception):
    """reason: not_found, refused, timeout, login, tls, rejected, not_configured or other.
    Conditions of the mail set-up an operator fixes, not bugs: the work queue logs them in
    one line, without a traceback (the job keeps it in outbox.last_error)."""
    operator_condition = True

    def __init__(self, message, reason="other"):
        super().__init__(message)
        self.reason = reason


def reason_of(exc):
    """What went wrong, as a code a person's sentence can be chosen by."""
    if isinstance(exc, socket.gaierror):
        return "not_found"
    if isinstance(exc, ConnectionRefusedError):
        return "refused"
    if isinstance(exc, (TimeoutError, socket.timeout)):
        return "timeout"
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        return "login"
    if isinstance(exc, (ssl.SSLError, smtplib.SMTPNotSupportedError)):
        return "tls"
    if isinstance(exc, (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused)):
        return "rejected"
    return "other"


def fingerprint(values):
    """The relay a test email went through (host, port, security, user name, sender)."""
    return "|".join(str(values.get(k, "")) for k in ("host", "port", "security", "username",
                                                     "sender"))


def verified(db):
    """A test email went through with the relay as it is stored now (settings smtp.*)."""
    from . import settings
    stored = {k.removeprefix("smtp."): v for k, v in settings.get_many(db, "smtp.").items()}
    return bool(stored.get("verified_for")) and stored["verified_for"] == fingerprint(stored)


def build_message(sender, to, subject, text, html=None, attachments=()):
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or "tingjian.local")
    message.set_content(text)
    if html:
        message.add_alternative(html, subtype="html")
    for filename, content, maintype, subtype in attachments:
        message.add_attachment(content, maintype=maintype, subtype=subtype, filename=filename)
    return message


def send(smtp, message):
    """smtp: dict with host, port, security (none/starttls/ssl), username, password."""
    if not smtp.get("host"):
        raise MailError("no SMTP relay is configured", "not_configured")
    try:
        if smtp.get("security") == "ssl":
            client = smtplib.SMTP_SSL(smtp["host"], int(smtp["port"]), timeout=TIMEOUT_SECONDS,
                                      context=ssl.create_default_context())
        else:
            client = smtplib.SMTP(smtp["host"], int(smtp["port"]), timeout=TIMEOUT_SECONDS)
        with client:
            if smtp.get("security") == "starttls":
                client.starttls(context=ssl.create_default_context())
            if smtp.get("username"):
                client.login(smtp["username"], smtp.get("password", ""))
            client.send_message(message)
    except (OSError, smtplib.SMTPException) as exc:
        counters.increment("tingjian_emails_total", (("result", "failed"),))
        raise MailError(f"{type(exc).__name__}: {exc}", reason_of(exc)) from exc
    counters.increment("tingjian_emails_total", (("result", "sent"),))


def stored_relay(db):
    """The relay the admins saved (settings smtp.*), its password decrypted, as send() takes
    it. For every domain that sends mail (alerts, invitations, reports)."""
    from flask import current_app
    from . import crypto, settings
    values = {k.removeprefix("smtp."): v for k, v in settings.get_many(db, "smtp.").items()}
    encrypted = values.pop("password_enc", "")
    values["password"] = crypto.keyring(current_app.config["DATA_DIR"]).decrypt(encrypted) \
        if encrypted else ""
    return values
