"""Sign-in checks: the lockout cannot be raced, one message and one timing for every refusal,
a throttle per client address."""
import statistics
import threading
import time

from helpers import PASSWORD

from appliance.core import db, settings
from appliance.org import signin


class CountingBackend(signin.LocalPasswordBackend):
    """The real local backend, counting the full password checks it runs."""

    def __init__(self):
        self.calls = 0
        self.lock = threading.Lock()

    def authenticate(self, db, user, password):
        with self.lock:
            self.calls += 1
        return super().authenticate(db, user, password)


def test_thirty_parallel_wrong_passwords_run_at_most_five_full_checks(app, monkeypatch):
    backend = CountingBackend()
    monkeypatch.setitem(signin.BACKENDS, "local", backend)
    statuses = []

    def attack(count):
        client = app.test_client()
        for _ in range(count):
            statuses.append(client.post("/login", data={"username": "bob",
                                                        "password": "Wrong-guess-1"}).status_code)
    threads = [threading.Thread(target=attack, args=(3,)) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [400] * 30
    assert backend.calls <= app.config["LOCKOUT_ATTEMPTS"]
    with app.app_context():
        locked = db.get_db().execute("SELECT locked_until FROM users WHERE username = 'bob'"
                                     ).fetchone()[0]
    assert locked
    response = app.test_client().post("/login", data={"username": "bob", "password": PASSWORD})
    assert response.status_code == 400   # even the right password waits for the lock to pass


def test_locked_unknown_and_wrong_answer_alike_in_words_and_time(app):
    client = app.test_client()
    for _ in range(app.config["LOCKOUT_ATTEMPTS"]):
        client.post("/login", data={"username": "charlie", "password": "nope"})

    def timed(username):
        times, bodies = [], set()
        for _ in range(3):
            began = time.perf_counter()
            response = client.post("/login", data={"username": username, "password": "nope"})
            times.append(time.perf_counter() - began)
            bodies.add(response.get_data(as_text=True).split('role="alert">')[1].split("<")[0])
        return statistics.median(times), bodies
    locked, locked_words = timed("charlie")
    unknown, unknown_words = timed("nobody-here")
    wrong, wrong_words = timed("dave")
    assert locked_words == unknown_words == wrong_words
    assert len(locked_words) == 1
    slowest, fastest = max(locked, unknown, wrong), min(locked, unknown, wrong)
    assert fastest > slowest / 3, (locked, unknown, wrong)   # all pay an argon2 check


def test_failed_sign_ins_are_throttled_per_client_address(app):
    with app.app_context():
        settings.set_many(db.get_db(), {"security.login_failures_per_address": 4})
    client = app.test_client()
    for name in ("u1", "u2", "u3", "u4"):   # four names, none a real account
        client.post("/login", data={"username": name, "password": "x"},
                    environ_base={"REMOTE_ADDR": "203.0.113.9"})
    refused = client.post("/login", data={"username": "bob", "password": PASSWORD},
                          environ_base={"REMOTE_ADDR": "203.0.113.9"})
    assert refused.status_code == 400
    elsewhere = app.test_client().post("/login", data={"username": "bob", "password": PASSWORD},
                                       environ_base={"REMOTE_ADDR": "198.51.100.7"})
    assert elsewhere.status_code == 302
