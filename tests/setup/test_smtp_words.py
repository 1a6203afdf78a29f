"""A failed test email says what went wrong in words, naming the relay; mail shows as
"not verified" on the admin's overview until a test goes through."""
import threading

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult
from helpers import free_port


class Accepting:
    async def handle_DATA(self, server, session, envelope):
        return "250 OK"


@pytest.fixture
def strict_relay():
    """A real SMTP server on loopback that rejects every login."""
    port = free_port()
    controller = Controller(Accepting(), hostname="127.0.0.1", port=port,
                            authenticator=lambda *args: AuthResult(success=False, handled=False),
                            auth_require_tls=False)
    controller.start()
    yield port
    controller.stop()


def _test_email(client, **relay):
    values = {"host": "127.0.0.1", "port": "25", "security": "none", "sender": "cx@example.com",
              "username": "", "password": "", "action": "test", "test_to": "ops@example.com",
              **relay}
    response = client.post("/settings/smtp", data=values, headers={"Accept-Language": "en"})
    return response.status_code, response.get_data(as_text=True)


def test_failures_are_said_in_words(as_user, strict_relay, smtp_server):
    alice = as_user("alice")
    status, page = _test_email(alice, host="no-such-relay.invalid")
    assert status == 400 and "no-such-relay.invalid:25 cannot be found" in page
    assert "gaierror" not in page
    status, page = _test_email(alice, port=str(free_port()))
    assert status == 400 and "refused the connection" in page
    status, page = _test_email(alice, port=str(strict_relay), username="cx", password="wrong")
    assert status == 400 and "rejected the login" in page
    status, page = _test_email(alice, port=str(smtp_server.port), security="starttls")
    assert status == 400 and "(TLS)" in page and "failed" in page


def test_mail_is_not_verified_until_a_test_email_goes_through(as_user, smtp_server):
    alice = as_user("alice")
    overview = alice.get("/").get_data(as_text=True)
    assert "not verified" in overview
    status, _page = _test_email(alice, port=str(smtp_server.port))
    assert status == 302 and smtp_server.received.wait(10)
    overview = alice.get("/").get_data(as_text=True)
    assert "not verified" not in overview and "verified" in overview
    relay = {"host": "localhost", "port": str(smtp_server.port), "security": "none",
             "sender": "cx@example.com", "action": "save"}
    assert alice.post("/settings/smtp", data=relay).status_code == 302
    assert "not verified" in alice.get("/").get_data(as_text=True)   # a changed relay
