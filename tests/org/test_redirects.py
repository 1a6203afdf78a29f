"""`next=` after sign-in and after the language switch stays on this site."""
import pytest
from helpers import PASSWORD

from appliance.core.urls import safe_next

EVIL = ["//evil.example", "/\t/evil.example", "/%09/evil.example", "/\\evil.example",
        "\\\\evil.example", "https://evil.example/", "javascript:alert(1)", "/\n/evil.example",
        "http:/evil.example", "evil.example", "/\x00/x", " //evil.example"]


@pytest.mark.parametrize("target", EVIL)
def test_sign_in_never_sends_a_person_off_site(client, target):
    response = client.post("/login", query_string={"next": target},
                           data={"username": "bob", "password": PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_the_raw_tab_trick_from_the_report_is_refused(client):
    response = client.post("/login?next=/%09/evil.example",
                           data={"username": "bob", "password": PASSWORD})
    assert response.headers["Location"] == "/"


@pytest.mark.parametrize("target", EVIL)
def test_the_language_switch_never_sends_a_person_off_site(client, target):
    response = client.post("/language", data={"language": "en", "next": target})
    assert response.headers["Location"] == "/"


def test_a_path_on_this_site_is_kept(client):
    response = client.post("/login", query_string={"next": "/responses/?survey=2"},
                           data={"username": "bob", "password": PASSWORD})
    assert response.headers["Location"] == "/responses/?survey=2"
    response = client.post("/language", data={"language": "en", "next": "/org/units?q=a"})
    assert response.headers["Location"] == "/org/units?q=a"


def test_safe_next_parses_rather_than_matches():
    assert safe_next("/a//b") == "/a//b"
    assert safe_next("/a?next=//evil") == "/a?next=//evil"
    assert safe_next(None) == "/" and safe_next("x" * 3000) == "/"
