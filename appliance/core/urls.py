"""Where a form may send a person next: only a path on this site.

`next=` values are parsed with urllib, not pattern-matched: anything with a scheme
or a host, a path not starting with one "/", a backslash (browsers read it as "/")
or a control character (browsers drop tabs and newlines, turning "/\\t/evil" into
"//evil") falls back to the default.
"""
from urllib.parse import unquote, urlsplit

MAX_LENGTH = 2000


def safe_next(target, default="/"):
    """target when it is a path on this site, read as is and once percent-decoded; else default."""
    if not isinstance(target, str) or not target or len(target) > MAX_LENGTH:
        return default
    return target if _local(target) and _local(unquote(target)) else default


def _local(target):
    if "\\" in target or any(ord(c) < 0x20 or ord(c) == 0x7F for c in target):
        return False
    try:
        parts = urlsplit(target)
    except ValueError:
        return False
    return not (parts.scheme or parts.netloc or not parts.path.startswith("/")
                or parts.path.startswith("//"))
