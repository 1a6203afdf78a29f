"""Closed-loop fixtures: the feedback survey and a store link per unit, the clock reset."""
import pytest
from loop_helpers import FEEDBACK, publish, unit_token

from appliance.collection import limits
from appliance.core import clock


@pytest.fixture(autouse=True)
def _fresh():
    limits.WINDOW.reset()
    limits.forget_settings()
    clock.shift(None)
    yield
    clock.shift(None)
    limits.WINDOW.reset()


@pytest.fixture
def feedback(app):
    return publish(app, FEEDBACK, "门店反馈")


@pytest.fixture
def token(app, feedback):
    """token(code) -> the store link token of the feedback survey for that unit."""
    return lambda code: unit_token(app, feedback["id"], code)
