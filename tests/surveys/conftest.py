"""Survey fixtures: create surveys through the service as a given user."""
import pytest

from appliance.core import db
from appliance.org import units as units_service
from appliance.surveys import service
from survey_helpers import actor


@pytest.fixture
def make_survey(app):
    """make_survey(unit_code="GROUP", template="", name=...) -> survey id (created by pat)."""
    def make(unit_code="GROUP", template="", name="Test survey"):
        with app.app_context():
            database = db.get_db()
            unit = units_service.get_unit_by_code(database, unit_code)
            return service.create(database, unit, name, template, actor(database, "pat"))["id"]
    return make
