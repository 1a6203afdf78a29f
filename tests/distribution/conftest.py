"""Distribution fixtures: the app's database in an app context, the SMTP relay and an SMS
gateway on loopback."""
import pytest
from distribution_helpers import Gateway, use_relay


@pytest.fixture
def relay(database, smtp_server):
    """The appliance's SMTP relay setting pointed at the loopback aiosmtpd server."""
    use_relay(database, smtp_server.port)
    return smtp_server


@pytest.fixture
def gateway():
    server = Gateway()
    yield server
    server.stop()
