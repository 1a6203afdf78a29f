"""Who sees a respondent's contact details on the response page.

Roles with export_personal on the response's unit see them directly. A unit manager
(reveal_contact on their own unit) sees them after pressing "reveal", and every reveal
is audit-logged (response.reveal_contact), so a call-back to a detractor is possible
without giving store managers the personal-data exports.
"""
from ..core import audit
from ..core.db import transaction
from ..org.scope import Scope
from . import responses_query


def may_see(user, response):
    return Scope.for_user(user, "export_personal").contains_path(response["unit_path"])


def may_reveal(user, response):
    return Scope.for_user(user, "reveal_contact").contains_path(response["unit_path"])


def reveal(db, response, actor=None):
    """The contact answers of the response, with an audit row saying who looked."""
    contact = responses_query.contact_of(response)
    with transaction(db):
        audit.record(db, "response.reveal_contact", "response", response["id"],
                     response["unit_id"], after={"fields": sorted(
                         f for answer in contact.values() if isinstance(answer, dict)
                         for f in answer)}, actor=actor)
    return contact
