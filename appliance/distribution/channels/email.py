"""Email through the enterprise's SMTP relay (settings smtp.*), one connection per batch."""
import smtplib
import socket
import ssl

from flask_babel import lazy_gettext as _l

from . import Channel, Field, SendError, mime

TIMEOUT_SECONDS = 20


class EmailChannel(Channel):
    kind = "email"
    label = _l("Email (SMTP relay)")
    address = "email"
    FIELDS = (Field("sender_name", _l("Sender name"), help=_l("e.g. the brand's name")),
              Field("reply_to", _l("Reply-to address")))

    def __init__(self, config, secret="", context=None):
        super().__init__(config, secret, context)
        self.client = None

    @classmethod
    def check_config(cls, config):
        reply_to = config.get("reply_to", "")
        if reply_to and ("@" not in reply_to or any(c in reply_to for c in "\r\n<>, ")):
            return {"reply_to": _l("Not an email address: %(value)s", value=reply_to[:80])}
        return {}

    def _smtp(self):
        if self.client is None:
            smtp = self.context.get("smtp", {})
            if not smtp.get("host"):
                raise SendError("no SMTP relay is configured (Settings > Email)")
            try:
                self.client = _connect(smtp)
            except (OSError, smtplib.SMTPException) as exc:
                raise SendError(f"{type(exc).__name__}: {exc}") from exc
        return self.client

    def build(self, message):
        """(envelope sender, message bytes)."""
        sender = self.context.get("smtp", {}).get("sender") or "tingjian@localhost"
        headers = [("From", mime.address(self.config.get("sender_name", ""), sender)),
                   ("To", mime.address("", message.to)),
                   ("Subject", mime.encoded_words(message.subject)),
                   ("Message-ID", mime._clean(message.message_id))]
        if self.config.get("reply_to"):
            headers.append(("Reply-To", mime.address("", self.config["reply_to"])))
        headers += [(name, mime._clean(value)) for name, value in message.headers.items()]
        return sender, mime.build(headers, message.text, message.html)

    def send(self, message, commit_point):
        sender, built = self.build(message)
        client = self._smtp()
        try:
            return _send_data(client, sender, message.to, built, commit_point)
        except smtplib.SMTPResponseException as exc:
            self.close()
            raise SendError(f"{exc.smtp_code} {exc.smtp_error.decode(errors='replace')}",
                            permanent=500 <= exc.smtp_code < 600 and exc.smtp_code != 552) from exc
        except (OSError, smtplib.SMTPException) as exc:
            self.close()
            raise SendError(f"{type(exc).__name__}: {exc}") from exc

    def close(self):
        if self.client is not None:
            try:
                self.client.quit()
            except (OSError, smtplib.SMTPException):
                pass
            self.client = None


def _connect(smtp):
    if smtp.get("security") == "ssl":
        client = smtplib.SMTP_SSL(smtp["host"], int(smtp["port"]), timeout=TIMEOUT_SECONDS,
                                  context=ssl.create_default_context())
    else:
        client = smtplib.SMTP(smtp["host"], int(smtp["port"]), timeout=TIMEOUT_SECONDS)
    # the content and the final dot go as two writes: without NODELAY, Nagle's algorithm holds
    # the dot back until the relay's delayed ACK (40 ms), and 500 messages a second become 25
    client.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    if smtp.get("security") == "starttls":
        client.starttls(context=ssl.create_default_context())
    if smtp.get("username"):
        client.login(smtp["username"], smtp.get("password", ""))
    return client


def _send_data(client, sender, to, data, commit_point):
    """MAIL, RCPT, DATA and the content; then commit_point(); then the final dot, which is
    the moment the relay takes the message. Returns the relay's answer."""
    client.ehlo_or_helo_if_needed()
    for command, argument in (("mail", sender), ("rcpt", to)):
        code, answer = getattr(client, command)(argument)
        if code not in (250, 251):
            client.rset()
            raise smtplib.SMTPResponseException(code, answer)
    code, answer = client.docmd("data")
    if code != 354:
        raise smtplib.SMTPResponseException(code, answer)
    body = b"\r\n".join(b"." + line if line.startswith(b".") else line
                        for line in data.split(b"\r\n"))
    client.send(body if body.endswith(b"\r\n") else body + b"\r\n")
    commit_point()
    client.send(b".\r\n")
    code, answer = client.getreply()
    if code != 250:
        raise smtplib.SMTPResponseException(code, answer)
    return f"{code} {answer.decode(errors='replace')}"
