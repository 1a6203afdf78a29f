"""SMS through the enterprise's own HTTP gateway: URL, method, headers (a secret among them),
a body template and the answer that means success. One keep-alive connection per batch."""
import http.client
import json
import re
import ssl
from urllib.parse import quote, urlsplit

from flask_babel import lazy_gettext as _l

from . import Channel, Field, SendError, sms_inbound

TIMEOUT_SECONDS = 15
PLACEHOLDERS = ("phone", "text", "secret", "message_id")
HEADER_LINE = re.compile(r"^([A-Za-z0-9-]{1,64}):\s*(.{0,500})$")


class SmsGatewayChannel(Channel):
    kind = "sms"
    label = _l("SMS (HTTP gateway)")
    address = "phone"
    FIELDS = (
        Field("url", _l("Gateway URL"), required=True, help=_l("http:// or https://")),
        Field("method", _l("Method"), "select", options=("POST", "GET", "PUT"), default="POST"),
        Field("headers", _l("Headers"), "textarea",
              help=_l("One 'Name: value' a line; {secret} is replaced by the secret below.")),
        Field("body", _l("Body template"), "textarea", required=True,
              default='{"to": "{phone}", "text": "{text}"}',
              help=_l("Placeholders: {phone}, {text}, {secret}, {message_id}.")),
        Field("encoding", _l("Body encoding"), "select", options=("json", "form"),
              default="json"),
        Field("success", _l("Answer that means success"), required=True, default="ok",
              help=_l("Text the gateway's answer contains when it accepted the message "
                      "(with a 2xx status).")),
    ) + sms_inbound.FIELDS
    inbound = True

    def __init__(self, config, secret="", context=None):
        super().__init__(config, secret, context)
        self.connection = None

    @classmethod
    def check_config(cls, config):
        errors = {}
        parts = urlsplit(config.get("url", ""))
        if parts.scheme not in ("http", "https") or not parts.hostname:
            errors["url"] = _l("The gateway URL must start with http:// or https:// and "
                               "name a host.")
        if config.get("method", "POST") not in ("POST", "GET", "PUT"):
            errors["method"] = _l("Method: POST, GET or PUT.")
        if any(not HEADER_LINE.match(line) for line in _lines(config.get("headers", ""))):
            errors["headers"] = _l("Each header line reads 'Name: value'.")
        unknown = set(re.findall(r"\{([a-z_]+)\}", config.get("body", ""))) - set(PLACEHOLDERS)
        if unknown:
            errors["body"] = _l("Unknown placeholder: %(names)s",
                                names=", ".join(sorted(unknown)))
        if not config.get("success"):
            errors["success"] = _l("Say what the gateway answers on success.")
        return {**errors, **sms_inbound.check_config(config)}

    def read_reply(self, headers, content_type, body, inbound_secret):
        """(sender, text) of a reply the gateway posted, or sms_inbound.InboundRefused."""
        sms_inbound.verify(self.config, headers, body, inbound_secret)
        return sms_inbound.parse(self.config, content_type, body)

    def _connection(self):
        if self.connection is None:
            parts = urlsplit(self.config["url"])
            if parts.scheme == "https":
                self.connection = http.client.HTTPSConnection(
                    parts.hostname, parts.port, timeout=TIMEOUT_SECONDS,
                    context=ssl.create_default_context())
            else:
                self.connection = http.client.HTTPConnection(parts.hostname, parts.port,
                                                             timeout=TIMEOUT_SECONDS)
        return self.connection

    def _fill(self, template, message, escape):
        values = {"phone": message.to, "text": message.text, "secret": self.secret,
                  "message_id": message.message_id}
        for name, value in values.items():
            template = template.replace("{" + name + "}", escape(value))
        return template

    def request_parts(self, message):
        parts = urlsplit(self.config["url"])
        encoding = self.config.get("encoding", "json")
        escape = (lambda v: json.dumps(v, ensure_ascii=False)[1:-1]) if encoding == "json" \
            else (lambda v: quote(v, safe=""))
        body = self._fill(self.config.get("body", ""), message, escape).encode()
        path = (parts.path or "/") + (f"?{self._fill(parts.query, message, quote)}"
                                      if parts.query else "")
        headers = {"Content-Type": "application/json; charset=utf-8" if encoding == "json"
                   else "application/x-www-form-urlencoded"}
        for line in _lines(self.config.get("headers", "")):
            name, value = HEADER_LINE.match(line).groups()
            headers[name] = self._fill(value, message, lambda v: v)
        return path, headers, body

    def send(self, message, commit_point):
        method = self.config.get("method", "POST")
        path, headers, body = self.request_parts(message)
        try:
            answer = self._exchange(method, path, headers, body, commit_point)
        except (OSError, http.client.HTTPException) as exc:
            self.close()
            raise SendError(f"{type(exc).__name__}: {exc}") from exc
        status, text = answer
        if not (200 <= status < 300 and self.config.get("success", "") in text):
            raise SendError(f"HTTP {status}: {text[:500]}", permanent=400 <= status < 500
                            and status not in (408, 429))
        return f"HTTP {status}: {text[:500]}"

    def _exchange(self, method, path, headers, body, commit_point):
        connection = self._connection()
        connection.putrequest(method, path)
        for name, value in {**headers, "Content-Length": str(len(body))}.items():
            connection.putheader(name, value)
        if body:
            connection.endheaders(body[:-1])
            commit_point()
            connection.send(body[-1:])
        else:
            commit_point()
            connection.endheaders()
        response = connection.getresponse()
        text = response.read(64 * 1024).decode("utf-8", errors="replace")
        if response.getheader("Connection", "").lower() == "close":
            self.close()
        return response.status, text

    def close(self):
        if self.connection is not None:
            self.connection.close()
            self.connection = None


def _lines(text):
    return [line.strip() for line in (text or "").splitlines() if line.strip()]
