"""Staff side: scoped list, single response, exports, erasure, encryption at rest, posters."""
import csv
import io
import json
import re
import subprocess

import pytest
from collection_helpers import link_for
from openpyxl import load_workbook

from appliance import domains
from appliance.core import crypto, db, queue

EVIL = "=HYPERLINK(\"http://x\")<script>alert(1)</script>"


@pytest.fixture
def two_stores(app, client, survey):
    """One response in bob's store (EAST-01) and one in charlie's (SOUTH-01)."""
    ids = {}
    for code, nps in (("EAST-01", 3), ("SOUTH-01", 9)):
        token = link_for(app, survey["id"], code)
        body = {"token": token, "answers": {"nps": nps, "comment": f"{EVIL} {code}",
                                            "contact": {"name": "李雷", "phone": "13900001111"},
                                            "contact.consent": True}}
        if nps <= 6:
            body["answers"]["why"] = "-cmd|calc"
            body["answers"].update({"choice": "a", "multi": ["a"]})
        response = client.post("/api/v1/responses", json=body)
        assert response.status_code == 201, response.get_json()
        ids[code] = response.get_json()["response_id"]
    return ids


def run_jobs(app):
    """What the job runner (`cem worker`) does between two requests."""
    with app.app_context():
        queue.run_until_idle(db.get_db())


def export(app, client, fmt="csv", query="", personal=False):
    """Ask for an export as the responses page does, let the job runner build it, download it."""
    asked = client.post(f"/responses/exports{query}",
                        data={"format": fmt + ("_personal" if personal else "")})
    if asked.status_code != 302:
        return asked
    run_jobs(app)
    link = re.findall(r'href="(/responses/exports/\d+/download)"',
                      client.get("/responses/").get_data(as_text=True))
    assert link, "no download offered"
    download = client.get(link[0])
    download.get_data()   # read the file, then let it go
    download.close()
    return download


def audit_actions(app):
    with app.app_context():
        return [r["action"] for r in db.query_all(db.get_db(), "SELECT action FROM audit_log")]


def test_bob_sees_only_his_store(app, as_user, two_stores):
    bob = as_user("bob")
    listing = bob.get("/responses/").get_data(as_text=True)
    assert f'/responses/{two_stores["EAST-01"]}"' in listing
    assert f'/responses/{two_stores["SOUTH-01"]}"' not in listing
    assert bob.get(f"/responses/{two_stores['SOUTH-01']}").status_code == 404
    assert bob.get(f"/responses/{two_stores['EAST-01']}").status_code == 200
    body = export(app, bob).get_data(as_text=True)
    assert "EAST-01" in body and "SOUTH-01" not in body
    assert bob.post(f"/responses/{two_stores['SOUTH-01']}/erase",
                    data={"mode": "contact"}).status_code in (403, 404)
    filtered = bob.get(f"/responses/?unit_id={two_stores['SOUTH-01']}&q=SOUTH").get_data(as_text=True)
    assert "SOUTH-01" not in filtered.split("<tbody>")[1]


def test_the_response_view_renders_text_inert(as_user, two_stores):
    html = as_user("alice").get(f"/responses/{two_stores['EAST-01']}").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html
    assert "李雷" in html   # alice (admin) may see personal data
    bob_view = as_user("bob").get(f"/responses/{two_stores['EAST-01']}").get_data(as_text=True)
    assert "李雷" not in bob_view and "13900001111" not in bob_view


def test_filters(as_user, two_stores):
    alice = as_user("alice")
    low = alice.get("/responses/?metric=nps&score_max=6").get_data(as_text=True)
    assert f'/responses/{two_stores["EAST-01"]}"' in low
    assert f'/responses/{two_stores["SOUTH-01"]}"' not in low
    found = alice.get("/responses/?q=SOUTH-01").get_data(as_text=True)
    assert f'/responses/{two_stores["SOUTH-01"]}"' in found
    assert alice.get("/responses/?date_from=bogus&score_min=x&unit_id=abc").status_code == 200


def test_csv_export_neutralises_formulas_and_is_audited(app, as_user, two_stores):
    body = export(app, as_user("alice")).get_data(as_text=True)
    cells = [c for row in csv.reader(io.StringIO(body.lstrip("\ufeff"))) for c in row]
    assert not any(c[:1] in ("=", "+", "-", "@") for c in cells)
    assert any(c.startswith("'=HYPERLINK") for c in cells) and "'-cmd|calc" in cells
    assert "李雷" not in body and "export.responses" in audit_actions(app)


def test_personal_export_needs_the_capability_and_is_audited(app, as_user, two_stores):
    assert export(app, as_user("bob"), "xlsx", personal=True).status_code == 403
    response = export(app, as_user("alice"), "xlsx", personal=True)
    sheet = load_workbook(io.BytesIO(response.data)).active
    values = [c.value for row in sheet.iter_rows() for c in row]
    assert "李雷" in values and not any(isinstance(v, str) and v.startswith("=") for v in values)
    assert "export.personal" in audit_actions(app)


def test_erasure_keeps_scores_and_is_audited(app, as_user, two_stores):
    alice = as_user("alice")
    target = two_stores["EAST-01"]
    assert alice.post(f"/responses/{target}/erase", data={"mode": "anonymise",
                                                          "confirm": "yes"}).status_code == 302
    with app.app_context():
        row = db.query_one(db.get_db(), "SELECT * FROM responses WHERE id = ?", (target,))
    answers = json.loads(row["answers"])
    assert row["nps"] == 3 and answers["nps"] == 3 and "comment" not in answers
    assert row["contact_enc"] == "" and row["erased_at"] and "why" not in answers
    assert "response.erase" in audit_actions(app)
    assert alice.post(f"/responses/{target}/erase", data={"mode": "bogus"}).status_code == 400


def test_contact_fields_are_encrypted_at_rest_and_rotate(app, two_stores):
    with app.app_context():
        database = db.get_db()
        raw = db.query_one(database, "SELECT contact_enc, answers FROM responses WHERE id = ?",
                           (two_stores["EAST-01"],))
        assert "李雷" not in raw["contact_enc"] and "李雷" not in raw["answers"]
        old_key = raw["contact_enc"].split(":")[1]
        ring = crypto.add_key(app.config["DATA_DIR"])
        assert crypto.reencrypt_all(database, ring, domains.load().encrypted_columns) >= 2
        fresh = db.query_one(database, "SELECT contact_enc FROM responses WHERE id = ?",
                             (two_stores["EAST-01"],))["contact_enc"]
        assert fresh.split(":")[1] == ring.active != old_key
        assert json.loads(ring.decrypt(fresh))["contact"]["name"] == "李雷"


def test_the_nav_shows_responses_to_those_who_may_see_them(as_user):
    assert "/responses/" in as_user("bob").get("/").get_data(as_text=True)
    assert "/responses/" not in as_user("erin").get("/").get_data(as_text=True)
    assert as_user("erin").get("/responses/").status_code == 403


def test_links_page_and_a_poster_page_per_store(app, as_user, survey, tmp_path):
    alice = as_user("alice")
    page = alice.get(f"/collection/surveys/{survey['id']}/links")
    assert page.status_code == 200 and "<svg" in page.get_data(as_text=True)
    with app.app_context():
        east = db.query_one(db.get_db(), "SELECT id FROM units WHERE code = 'EAST'")["id"]
    pdf = alice.get(f"/collection/surveys/{survey['id']}/posters/{east}.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    path = tmp_path / "posters.pdf"
    path.write_bytes(pdf.data)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True).stdout
    assert re.search(r"Pages:\s+2\n", info)   # EAST-01 and EAST-02
    bob = as_user("bob")
    assert bob.get(f"/collection/surveys/{survey['id']}/posters/{east}.pdf").status_code == 404


def test_a_response_shows_its_version_numbered_as_on_the_survey_page(app, as_user, two_stores,
                                                                     survey):
    alice = as_user("alice")
    detail = alice.get(f"/responses/{two_stores['EAST-01']}").get_data(as_text=True)
    overview = alice.get(f"/surveys/{survey['id']}").get_data(as_text=True)
    assert '<span class="version">v1</span>' in detail and "<strong>v1</strong>" in overview
    assert "version id" not in detail


def test_the_links_page_shows_the_base_url_and_warns_on_a_loopback_one(app, as_user, survey):
    from appliance.core import settings
    alice = as_user("alice")
    page = alice.get(f"/collection/surveys/{survey['id']}/links").get_data(as_text=True)
    assert '<code data-base-url>http://localhost</code>' in page      # unset: this address
    assert "data-loopback-warning" in page and "http://localhost/s/" in page
    with app.app_context():
        settings.set_many(db.get_db(), {"org.base_url": "https://cx.bank.example"})
    page = alice.get(f"/collection/surveys/{survey['id']}/links").get_data(as_text=True)
    assert '<code data-base-url>https://cx.bank.example</code>' in page
    assert "data-loopback-warning" not in page and "https://cx.bank.example/s/" in page
