"""Reading a JSON request body from anyone: the value, or a ValidationError (never a 500).

Flask's get_json(silent=True) lets a RecursionError escape on deeply nested input, and
json accepts lone surrogates ("\\ud800") that no UTF-8 column can store. read() refuses
both with a message, as it does integers too long to convert.
"""
import json
import re

from flask_babel import gettext as _

from .errors import ValidationError

MAX_DEPTH = 32
SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")   # a surrogate can only arrive escaped


def read(request, max_depth=MAX_DEPTH):
    """The parsed JSON body, None when the body is not JSON, or raise ValidationError."""
    if not request.is_json:
        return None
    try:
        text = request.get_data(cache=True).decode("utf-8")
        value = json.loads(text)
    except RecursionError:
        raise _refused(_("The JSON body is nested too deeply.")) from None
    except (UnicodeDecodeError, json.JSONDecodeError):
        return None
    except ValueError:   # an integer of more than 4,300 digits
        raise _refused(_("A number in the JSON body is too long.")) from None
    problem = None if _plainly_fine(text, max_depth) else problem_in(value, max_depth)
    if problem:
        raise _refused(problem)
    return value


def _plainly_fine(text, max_depth):
    """Most bodies need no walk: too few brackets to nest deeply, no surrogate escape."""
    return (text.count("[") + text.count("{") <= max_depth
            and SURROGATE_ESCAPE.search(text) is None)


def problem_in(value, max_depth=MAX_DEPTH):
    """A message when value nests deeper than max_depth or holds broken text, else None."""
    pending = [(value, 0)]
    while pending:
        item, depth = pending.pop()
        if depth > max_depth:
            return _("The JSON body is nested more than %(n)s levels deep.", n=max_depth)
        if isinstance(item, dict):
            pending.extend((k, depth + 1) for k in item)
            pending.extend((v, depth + 1) for v in item.values())
        elif isinstance(item, list):
            pending.extend((v, depth + 1) for v in item)
        elif isinstance(item, str) and not _encodable(item):
            return _("The JSON body contains broken characters (lone surrogates such as \\ud800).")
    return None


def _encodable(text):
    try:
        text.encode("utf-8")
        return True
    except UnicodeEncodeError:
        return False


def _refused(message):
    return ValidationError({"body": message}, message)


class Body:
    """The fields of a JSON object body, read like core.forms.Form reads a form: each
    reader returns the value (or None) and notes a translated message; check() raises one
    ValidationError with every message, which the error boundary renders as the envelope."""

    def __init__(self, payload):
        if not isinstance(payload, dict):
            raise _refused(_("The body must be a JSON object in UTF-8 "
                             "(Content-Type: application/json)."))
        self.data = payload
        self.errors = {}

    def text(self, name, required=True, max_length=200):
        value = self.data.get(name)
        if value is None and not required:
            return None
        if not isinstance(value, str) or (required and not value.strip()):
            self.errors[name] = _("Text is required.")
            return None
        if len(value) > max_length:
            self.errors[name] = _("At most %(n)s characters.", n=max_length)
            return None
        return value

    def integer(self, name, required=True, minimum=None, maximum=None):
        value = self.data.get(name)
        if value is None and not required:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self.errors[name] = _("Enter a whole number.")
            return None
        if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
            self.errors[name] = _("Enter a number from %(lo)s to %(hi)s.", lo=minimum, hi=maximum)
            return None
        return value

    def mapping(self, name, required=True, texts=False):
        """An object; texts=True: each of its values must be text (hidden fields)."""
        value = self.data.get(name)
        if value is None and not required:
            return {}
        if not isinstance(value, dict):
            self.errors[name] = _("An object of names to values is required.")
            return {}
        if texts and not all(isinstance(v, str) for v in value.values()):
            self.errors[name] = _("Each value must be text.")
            return {}
        return value

    def items(self, name, required=True):
        """A list of objects (rows pushed in one call)."""
        value = self.data.get(name)
        if value is None and not required:
            return []
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            self.errors[name] = _("A list of objects is required.")
            return []
        return value

    def error(self, name, message):
        self.errors.setdefault(name, message)

    def check(self):
        if self.errors:
            raise ValidationError(self.errors, _("Some fields of the request need correcting."))
        return self
