"""Small validation helpers: read fields, collect messages, raise once."""
import re

from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFProtect

from .errors import ValidationError

csrf = CSRFProtect()   # every form posts its token; JSON and respondent blueprints are exempt
CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class Form:
    def __init__(self, data):
        self.data = data
        self.errors = {}

    def text(self, name, required=True, max_length=200, multiline=False):
        value = (self.data.get(name) or "").strip()
        if "\ufffd" in value:
            self.errors[name] = _l("Contains bytes that are not valid UTF-8 text.")
        elif CONTROL_CHARS.search(value) or (not multiline and ("\n" in value or "\r" in value)):
            self.errors[name] = _l("Contains control characters.")
        elif required and not value:
            self.errors[name] = _l("This field is required.")
        elif len(value) > max_length:
            self.errors[name] = _l("At most %(n)s characters.", n=max_length)
        return value

    def choice(self, name, choices, required=True):
        value = (self.data.get(name) or "").strip()
        if not value and not required:
            return value
        if value not in choices:
            self.errors[name] = _l("Choose one of the offered values.")
        return value

    def integer(self, name, minimum=None, maximum=None, required=True):
        raw = (self.data.get(name) or "").strip()
        if not raw and not required:
            return None
        try:
            value = int(raw)
        except ValueError:
            self.errors[name] = _l("Enter a whole number.")
            return None
        if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
            self.errors[name] = _l("Enter a number from %(lo)s to %(hi)s.", lo=minimum, hi=maximum)
        return value

    def error(self, name, message):
        self.errors.setdefault(name, message)

    def check(self):
        if self.errors:
            raise ValidationError(self.errors)
