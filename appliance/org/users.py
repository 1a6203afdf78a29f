"""Users, their roles on units, and the seam for other authentication sources."""
import re

from flask import current_app
from flask_babel import lazy_gettext as _l

from ..core import audit, clock, crypto
from ..core.db import query_all, query_one, transaction
from ..core.errors import ValidationError
from ..core import sessions
from ..core.passwords import hash_password, password_problems
from ..core.roles import ROLES

USERNAME_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.@-]{1,63}$")
EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def keyring():
    return crypto.keyring(current_app.config["DATA_DIR"])


def get_user(db, user_id):
    return query_one(db, "SELECT * FROM users WHERE id = ?", (user_id,))


def get_user_by_username(db, username):
    return query_one(db, "SELECT * FROM users WHERE username = ?", (username,))


def memberships(db, user_id):
    return query_all(db, "SELECT m.id, m.role, m.unit_id, u.path AS unit_path, u.name AS unit_name, "
                         "u.code AS unit_code FROM memberships m JOIN units u ON u.id = m.unit_id "
                         "WHERE m.user_id = ? ORDER BY u.path", (user_id,))


def load_session_user(db, user_id):
    """The user for g.user: their row and memberships, or None if gone or disabled."""
    user = get_user(db, user_id) if user_id else None
    if user is None or not user["active"]:
        return None
    user["memberships"] = memberships(db, user_id)
    return user


def list_users(db, scope):
    """Users holding at least one role inside the scope."""
    where, params = scope.sql("m.unit_id")
    return query_all(db, f"SELECT DISTINCT u.* FROM users u JOIN memberships m ON m.user_id = u.id "
                         f"WHERE {where} ORDER BY u.username", params)


def validate(username, display_name, email, role, password=None):
    errors = {}
    if not USERNAME_PATTERN.match(username or ""):
        errors["username"] = _l("User name: 2-64 letters, digits, '.', '_', '-' or '@'.")
    if not display_name or len(display_name) > 100:
        errors["display_name"] = _l("Name is required, at most 100 characters.")
    if email and (len(email) > 254 or not EMAIL_PATTERN.match(email)):
        errors["email"] = _l("Enter a valid email address.")
    if role not in ROLES:
        errors["role"] = _l("Choose a role.")
    if password is not None:
        problems = password_problems(password, username)
        if problems:
            errors["password"] = " ".join(str(p) for p in problems)
    return errors


def create_user(db, username, display_name, email, password, role, unit,
                language="", must_change_password=False):
    errors = validate(username, display_name, email, role, password)
    if "username" not in errors and get_user_by_username(db, username):
        errors["username"] = _l("User name %(name)s is taken.", name=username)
    if errors:
        raise ValidationError(errors)
    with transaction(db):
        cursor = db.execute(
            "INSERT INTO users (username, display_name, email_enc, password_hash, language, "
            "must_change_password, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (username, display_name, keyring().encrypt(email), hash_password(password),
             language, int(must_change_password), clock.now_iso()))
        user_id = cursor.lastrowid
        db.execute("INSERT INTO memberships (user_id, unit_id, role) VALUES (?, ?, ?)",
                   (user_id, unit["id"], role))
        audit.record(db, "user.create", "user", user_id, unit["id"],
                     after={"username": username, "display_name": display_name,
                            "role": role, "unit": unit["code"]})
    return get_user(db, user_id)


def update_user(db, user, display_name, email, role, unit, active, language=""):
    errors = validate(user["username"], display_name, email, role)
    if errors:
        raise ValidationError(errors)
    before = _public(user, memberships(db, user["id"]))
    with transaction(db):
        db.execute("UPDATE users SET display_name = ?, email_enc = ?, active = ?, language = ? "
                   "WHERE id = ?", (display_name, keyring().encrypt(email), int(active),
                                    language, user["id"]))
        db.execute("DELETE FROM memberships WHERE user_id = ?", (user["id"],))
        db.execute("INSERT INTO memberships (user_id, unit_id, role) VALUES (?, ?, ?)",
                   (user["id"], unit["id"], role))
        after = _public(get_user(db, user["id"]), memberships(db, user["id"]))
        if not active or after["roles"] != before["roles"]:
            sessions.end_all_for_user(db, user["id"])   # signed out: deactivated or new rights
        audit.record(db, "user.update", "user", user["id"], unit["id"], before=before, after=after)


def reset_password(db, user, new_password, must_change=True, keep_session_id=None):
    """Set a new password and end the user's sessions (all but keep_session_id: the one
    they changed it from)."""
    problems = password_problems(new_password, user["username"])
    if problems:
        raise ValidationError({"password": " ".join(str(p) for p in problems)})
    with transaction(db):
        db.execute("UPDATE users SET password_hash = ?, must_change_password = ?, "
                   "failed_logins = 0, locked_until = NULL WHERE id = ?",
                   (hash_password(new_password), int(must_change), user["id"]))
        sessions.end_all_for_user(db, user["id"], except_id=keep_session_id)
        audit.record(db, "user.password_reset", "user", user["id"],
                     after={"must_change_password": must_change})


def email_of(user):
    return keyring().decrypt(user["email_enc"]) if user["email_enc"] else ""


def _public(user, roles):
    return {"display_name": user["display_name"], "active": user["active"],
            "language": user["language"],
            "roles": [f"{m['role']}@{m['unit_code']}" for m in roles]}


def users_with_role(db, unit_ids, roles):
    """Active users holding one of roles on one of unit_ids, with that unit's id (for routing)."""
    if not unit_ids or not roles:
        return []
    units, kinds = ", ".join("?" * len(unit_ids)), ", ".join("?" * len(roles))
    return query_all(db, f"SELECT u.id, u.username, u.display_name, u.email_enc, u.language, "
                         f"m.unit_id, m.role FROM users u JOIN memberships m ON m.user_id = u.id "
                         f"WHERE u.active = 1 AND m.unit_id IN ({units}) AND m.role IN ({kinds}) "
                         f"ORDER BY u.id", [*unit_ids, *roles])
