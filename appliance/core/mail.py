"""Sending email through the enterprise's SMTP relay (settings smtp.*)."""
import smtplib
import ssl
from email.message import EmailMessage
from email.utils import make_msgid

from . import counters

TIMEOUT_SECONDS = 20


class MailError(Exception):
    pass


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
        raise MailError("no SMTP relay is configured")
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
        raise MailError(f"{type(exc).__name__}: {exc}") from exc
    counters.increment("tingjian_emails_total", (("result", "sent"),))
