"""Collection fixtures: a published survey with every question type, its public link."""
import pytest
from collection_helpers import link_for, publish_survey
from helpers import token_client

from appliance.collection import limits


@pytest.fixture(autouse=True)
def _fresh_limits():
    limits.WINDOW.reset()
    limits.forget_settings()
    yield
    limits.WINDOW.reset()


@pytest.fixture
def client(app):
    """Here the client is also an integration (an API token on the whole group), so it may
    POST /api/v1/responses; respondent pages ignore the header."""
    return token_client(app)


@pytest.fixture
def survey(app):
    return publish_survey(app)


@pytest.fixture
def public_token(app, survey):
    return link_for(app, survey["id"])
