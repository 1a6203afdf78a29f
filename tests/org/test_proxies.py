"""Behind a reverse proxy: X-Forwarded-For believed only from the trusted proxies, so rate
limits and the audit log see each client's own address; limits also per resume token."""
import pytest
from helpers import PASSWORD, make_app

from appliance.core import config, db


def _login_address(app, remote, forwarded):
    client = app.test_client()
    client.post("/login", data={"username": "bob", "password": PASSWORD},
                headers={"X-Forwarded-For": forwarded}, environ_base={"REMOTE_ADDR": remote})
    with app.app_context():
        return db.get_db().execute("SELECT ip FROM sessions ORDER BY id DESC LIMIT 1"
                                   ).fetchone()[0]


def test_without_trusted_proxies_the_header_is_ignored(app):
    assert _login_address(app, "127.0.0.1", "203.0.113.7") == "127.0.0.1"


def test_a_listed_proxy_passes_the_client_address_and_a_stranger_cannot(data_dir):
    app = make_app(data_dir, trusted_proxies="127.0.0.1, 10.0.0.0/8")
    assert _login_address(app, "127.0.0.1", "203.0.113.7") == "203.0.113.7"
    assert _login_address(app, "10.1.2.3", "198.51.100.1, 10.9.9.9") == "198.51.100.1"
    assert _login_address(app, "192.0.2.50", "203.0.113.7") == "192.0.2.50"   # not a proxy


def test_a_count_of_proxies_uses_werkzeugs_proxyfix(data_dir):
    app = make_app(data_dir, trusted_proxies="1")
    assert _login_address(app, "127.0.0.1", "6.6.6.6, 203.0.113.8") == "203.0.113.8"


def test_a_malformed_setting_stops_the_start_naming_the_key():
    with pytest.raises(config.ConfigError, match="trusted_proxies"):
        config.load({"trusted_proxies": "10.0.0.0/33"}, environ={})


def test_one_flooder_behind_the_proxy_does_not_block_other_respondents(data_dir):
    import sys
    from pathlib import Path
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "collection"))
    from collection_helpers import link_for, publish_survey

    from appliance.collection import limits
    limits.WINDOW.reset()
    limits.forget_settings()
    app = make_app(data_dir, trusted_proxies="127.0.0.1")
    survey = publish_survey(app)
    url = f"/s/{link_for(app, survey['id'], 'EAST-01')}"
    client = app.test_client()
    statuses = [client.post(url, data={"nps": "9", "_rt": f"device-{n}"},
                            headers={"X-Forwarded-For": "203.0.113.66"}).status_code
                for n in range(62)]
    assert statuses[-1] == 429   # the flooder's address ran out (60 a minute)
    other = app.test_client().post(url, data={"nps": "8"},
                                   headers={"X-Forwarded-For": "198.51.100.23"})
    assert other.status_code != 429
    one_device = [client.post(url, data={"nps": "9", "_rt": "same-device"},
                              headers={"X-Forwarded-For": f"198.51.100.{n}"}).status_code
                  for n in range(31)]
    assert one_device[-1] == 429 and 429 not in one_device[:30]   # 30 a minute per device
    limits.WINDOW.reset()
