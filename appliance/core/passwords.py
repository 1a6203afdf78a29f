"""Password hashing (argon2id) and the password policy: length over composition,
and no password from the shipped list of common passwords (common_passwords.txt)."""
import functools
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from flask_babel import lazy_gettext as _l

_hasher = PasswordHasher()   # argon2id, library defaults (RFC 9106 low-memory profile)
COMMON_PASSWORDS_FILE = Path(__file__).with_name("common_passwords.txt")
MAX_LENGTH = 256


def hash_password(password):
    return _hasher.hash(password)


def verify_password(password_hash, password):
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


@functools.cache
def dummy_hash():
    """A real hash of a random secret: checking against it costs what a real check costs."""
    import secrets
    return _hasher.hash(secrets.token_hex(16))


@functools.cache
def common_passwords():
    """The shipped list, lower-cased (one password a line)."""
    text = COMMON_PASSWORDS_FILE.read_text(encoding="utf-8")
    return frozenset(line.strip().lower() for line in text.splitlines()
                     if line.strip() and not line.startswith("#"))


def is_common(password):
    lowered = password.lower()
    return lowered in common_passwords() or _stripped(lowered) in common_passwords()


def _stripped(lowered):
    """'Password123!' -> 'password': a common word dressed with digits and symbols."""
    return lowered.rstrip("0123456789!@#$%^&*.?_-+=~ ") or lowered


def password_problems(password, username=""):
    """Messages for each rule the password breaks (empty list = acceptable)."""
    problems = []
    minimum = current_app.config["PASSWORD_MIN_LENGTH"]
    if len(password) < minimum:
        problems.append(_l("Password must be at least %(n)s characters.", n=minimum))
    if len(password) > MAX_LENGTH:
        problems.append(_l("Password must be at most 256 characters."))
    if len(set(password)) < 4:
        problems.append(_l("Password must not repeat a few characters over and over."))
    if is_common(password):
        problems.append(_l("This password is on the list of commonly used passwords; "
                           "choose a longer phrase of your own."))
    if username and username.lower() in password.lower():
        problems.append(_l("Password must not contain the user name."))
    return problems
