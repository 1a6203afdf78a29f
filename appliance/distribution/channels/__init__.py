"""Channels are a registry of small classes: a config schema (FIELDS) and one send().

Built-in channels are contributed like a customer's would be, through a domain's
``extensions={"distribution.channels": ["module:Class"]}`` (see ../__init__.py), so a
WeCom or webhook channel is one file and one line in its package's DOMAIN.

``send(message, commit_point)`` must call ``commit_point()`` just before the step that
cannot be taken back (the final dot of an SMTP DATA, the last byte of an HTTP request):
the sender records it, and after a crash a message that got that far is never sent again.
"""
from dataclasses import dataclass, field

from flask import current_app


@dataclass(frozen=True)
class Field:
    name: str
    label: object
    kind: str = "text"        # text, textarea, select, secret
    required: bool = False
    options: tuple = ()
    help: object = ""
    default: str = ""


@dataclass
class Message:
    to: str                   # an email address or a phone number
    subject: str
    text: str
    html: str = ""
    headers: dict = field(default_factory=dict)
    message_id: str = ""


class SendError(Exception):
    """The relay or gateway refused or failed: answer is what it said."""

    def __init__(self, answer, permanent=False):
        super().__init__(answer)
        self.answer = str(answer)[:1000]
        self.permanent = permanent


class Channel:
    kind = ""
    label = ""
    address = "email"         # the contact field a message goes to
    FIELDS = ()
    inbound = False           # True: read_reply() reads what the provider posts back

    def __init__(self, config, secret="", context=None):
        self.config, self.secret, self.context = config, secret, context or {}

    @classmethod
    def check_config(cls, config):
        """{field: message} for a config the channel cannot work with."""
        return {}

    def send(self, message, commit_point):
        raise NotImplementedError

    def read_reply(self, headers, content_type, body, inbound_secret):
        """(sender address, text) of a reply the provider posted (channels with inbound)."""
        raise NotImplementedError

    def close(self):
        pass


def registry():
    """{kind: channel class} from every domain's "distribution.channels" extensions."""
    classes = current_app.extensions["registry"].extensions("distribution.channels")
    return {cls.kind: cls for cls in classes}


def channel_class(kind):
    return registry().get(kind)
