"""The names other code imports from one place; each job lives in its own module:
passwords (hashing, policy), roles (roles, capabilities, view guards),
headers (security headers, no-store), sessions (server-side sign-in sessions)."""
from .headers import CSP, add_security_headers  # noqa: F401
from .passwords import hash_password, password_problems, verify_password  # noqa: F401
from .roles import (CAPABILITIES, ROLE_DESCRIPTIONS, ROLE_LABELS, ROLES,  # noqa: F401
                    has_capability, login_required, membership_capabilities, require)
from .sessions import SessionInterface  # noqa: F401
