"""Integrations domain: API tokens for the systems that call /api/v1/ (POS, CRM, call center).

See tokens.py for the principal a token becomes (g.user) and docs/api-tokens.md.
"""
from flask_babel import lazy_gettext as _l

from ..core.registry import Domain, Nav

TOKEN_CAPABILITIES = ("submit_responses", "read_metrics", "read_tickets", "trigger_surveys",
                      "manage_reports")

DOMAIN = Domain(
    "integrations",
    tables=["api_tokens"],
    blueprints=["views:bp"],
    nav=[Nav(_l("API tokens"), "integrations.tokens", "manage_tokens", order=90)],
    audit_labels={"token.create": _l("created an API token"),
                  "token.revoke": _l("revoked an API token")},
    capabilities={   # what signed-in people may do on /api/v1/ too
        "manage_tokens": ["admin"],
        "submit_responses": ["admin", "programme_manager"],
        "trigger_surveys": ["admin", "programme_manager"],
        "read_metrics": ["admin", "programme_manager", "analyst", "unit_manager", "viewer"],
        "read_tickets": ["admin", "programme_manager", "analyst", "unit_manager"],
    },
    provides={"api.principal": "tokens:principal_for_header"},
    demo="demo:seed",
    init_app="appliance.integrations:init_app",
)


def init_app(app):
    from .tokens import load_token_principal
    app.before_request(load_token_principal)
