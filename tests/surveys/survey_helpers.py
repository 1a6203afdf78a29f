"""Helpers shared by the survey tests."""
from appliance.org import users as users_service

PASSWORD = "Correct-Horse-42"   # the cast's password in tests/conftest.py


def actor(database, username):
    """A user row with memberships, as g.user holds it (for service calls without a request)."""
    user = users_service.get_user_by_username(database, username)
    user["memberships"] = users_service.memberships(database, user["id"])
    return user


def unit_id(app, code):
    from appliance.core import db
    from appliance.org import units as units_service
    with app.app_context():
        return units_service.get_unit_by_code(db.get_db(), code)["id"]
