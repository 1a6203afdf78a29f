"""An acknowledged response survives a power cut (issue 10, item 10): the WAL holding its
commit is flushed to disk (fdatasync) before the respondent or the integration is answered."""
import os
import sqlite3

import pytest
from collection_helpers import link_for
from helpers import make_app, token_client


@pytest.fixture
def flushes(monkeypatch):
    """Every fdatasync of the process: the file flushed and the responses it then held."""
    seen, real = [], os.fdatasync

    def recording(fd):
        path = os.readlink(f"/proc/self/fd/{fd}")
        real(fd)
        database = path[:-len("-wal")] if path.endswith("-wal") else None
        committed = None
        if database:
            with sqlite3.connect(database) as other:   # what another process would read
                committed = other.execute("SELECT COUNT(*) FROM responses").fetchone()[0]
        seen.append((path, committed))
    monkeypatch.setattr(os, "fdatasync", recording)
    return seen


def test_the_wal_is_flushed_after_the_commit_and_before_the_answer(app, client, survey,
                                                                  flushes):
    token = link_for(app, survey["id"], "EAST-01")
    response = client.post("/api/v1/responses", json={"token": token, "answers": {"nps": 9}})
    assert response.status_code == 201
    assert flushes and flushes[-1][0] == app.config["DATABASE"] + "-wal"
    assert flushes[-1][1] == 1   # the response was committed when the flush ran


def test_each_respondent_page_saved_is_flushed(app, client, survey, public_token, flushes):
    page = client.get(f"/s/{public_token}").get_data(as_text=True)
    resume = page.split('name="_rt" value="')[1].split('"')[0]
    saved = client.post(f"/s/{public_token}", data={"_page": "p1", "_rt": resume, "nps": "7"})
    assert saved.status_code == 302
    assert [path for path, _n in flushes] == [app.config["DATABASE"] + "-wal"]


def test_the_flush_can_be_turned_off_for_battery_backed_storage(data_dir, survey, flushes):
    app = make_app(data_dir, durable_intake=False)
    token = link_for(app, survey["id"], "EAST-01")
    sent = token_client(app).post("/api/v1/responses", json={"token": token,
                                                             "answers": {"nps": 9}})
    assert sent.status_code == 201 and flushes == []
