"""Password hashing and policy, roles and capabilities, view guards, security headers."""
import functools

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import abort, current_app, g, redirect, request, url_for
from flask.sessions import SecureCookieSessionInterface
from flask_babel import lazy_gettext as _l

_hasher = PasswordHasher()   # argon2id, library defaults (RFC 9106 low-memory profile)

ROLES = ("admin", "programme_manager", "analyst", "unit_manager", "viewer")
ROLE_LABELS = {
    "admin": _l("Administrator"),
    "programme_manager": _l("Programme manager"),
    "analyst": _l("Analyst"),
    "unit_manager": _l("Unit manager"),
    "viewer": _l("Viewer"),
}
_READ = {"view", "view_responses", "export"}
CAPABILITIES = {
    "admin": _READ | {"export_personal", "manage_units", "manage_users", "view_audit",
                      "manage_surveys", "manage_settings", "handle_tickets", "label_text"},
    "programme_manager": _READ | {"export_personal", "manage_surveys", "handle_tickets",
                                  "label_text"},
    "analyst": _READ | {"label_text"},
    "unit_manager": _READ | {"handle_tickets"},
    "viewer": {"view"},
}


def hash_password(password):
    return _hasher.hash(password)


def verify_password(password_hash, password):
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def password_problems(password, username=""):
    """Messages for each rule the password breaks (empty list = acceptable)."""
    problems = []
    minimum = current_app.config["PASSWORD_MIN_LENGTH"]
    if len(password) < minimum:
        problems.append(_l("Password must be at least %(n)s characters.", n=minimum))
    if len(password) > 256:
        problems.append(_l("Password must be at most 256 characters."))
    classes = sum(any(test(c) for c in password)
                  for test in (str.islower, str.isupper, str.isdigit, lambda c: not c.isalnum()))
    if classes < 3:
        problems.append(_l("Password must mix at least three of: lower case, upper case, "
                           "digits, symbols."))
    if username and username.lower() in password.lower():
        problems.append(_l("Password must not contain the user name."))
    return problems


def has_capability(user, capability):
    return user is not None and any(capability in CAPABILITIES[m["role"]]
                                    for m in user["memberships"])


def login_required(view):
    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        if g.get("user") is None:
            return redirect(url_for("auth.login", next=request.full_path))
        return view(*args, **kwargs)
    return wrapped


def require(capability):
    """Guard a view: logged in and holding the capability on some unit (else 403)."""
    def decorate(view):
        @functools.wraps(view)
        def wrapped(*args, **kwargs):
            if g.get("user") is None:
                return redirect(url_for("auth.login", next=request.full_path))
            if not has_capability(g.user, capability):
                abort(403)
            return view(*args, **kwargs)
        return wrapped
    return decorate


CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "font-src 'self'; connect-src 'self'; frame-ancestors 'none'; form-action 'self'; "
       "base-uri 'none'; object-src 'none'")


def add_security_headers(response):
    response.headers.setdefault("Content-Security-Policy", CSP)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers.setdefault("X-Frame-Options", "DENY")   # a preview view may say SAMEORIGIN
    response.headers["Referrer-Policy"] = "same-origin"
    response.headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()"
    if current_app.config["SECURE_COOKIES"]:
        response.headers["Strict-Transport-Security"] = "max-age=31536000"
    return response


class SessionInterface(SecureCookieSessionInterface):
    """The signed-cookie session, except on the integration API (/api/v1/), which
    authenticates each call on its own and never sets the session cookie. A signed-in
    user's GET (read-only, so no CSRF risk) reads the session: the metrics API serves
    the dashboards' own user as well as tokens."""
    STATELESS_PREFIX = "/api/v1/"

    def open_session(self, app, request):
        if request.path.startswith(self.STATELESS_PREFIX) and request.method not in ("GET", "HEAD"):
            return self.make_null_session(app)
        return super().open_session(app, request)

    def save_session(self, app, session, response):
        from flask import request
        if request.path.startswith(self.STATELESS_PREFIX):
            return None
        return super().save_session(app, session, response)
