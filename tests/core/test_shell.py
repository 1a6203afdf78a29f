"""The UI shell: health, error pages and envelope, message catalogue, no external hosts."""
import re
from pathlib import Path

from babel.messages.pofile import read_po

PACKAGE = Path(__file__).resolve().parents[2] / "appliance"


def test_healthz_reports_database_and_job_runner(client):
    body = client.get("/healthz").get_json()
    assert body["ok"] is True and body["database"] == "ok"
    assert "job_runner" in body and "queue" in body


def test_errors_are_pages_for_people_and_an_envelope_for_the_api(as_user):
    bob = as_user("bob")
    page = bob.get("/no/such/page")
    assert page.status_code == 404 and b"<html" in page.data
    api = bob.get("/api/v1/nothing-here")
    assert api.status_code == 404
    body = api.get_json()
    assert body["ok"] is False and body["error"] and body["errors"] == []


def test_navigation_follows_the_role(as_user):
    admin_page = as_user("alice").get("/").get_data(as_text=True)
    viewer_page = as_user("erin").get("/").get_data(as_text=True)
    assert "/org/users" in admin_page and "/org/audit" in admin_page
    assert "/org/users" not in viewer_page and "/org/audit" not in viewer_page


def test_every_message_has_a_chinese_translation():
    po = PACKAGE / "translations" / "zh_Hans_CN" / "LC_MESSAGES" / "messages.po"
    with po.open("rb") as handle:
        catalog = read_po(handle)
    missing = [m.id for m in catalog if m.id and not m.string]
    assert missing == []


def test_no_page_or_stylesheet_loads_anything_from_another_host():
    pattern = re.compile(r"""(src|href)\s*=\s*["']https?://|url\(\s*["']?https?://|@import\s+["']?https?://""")
    offenders = []
    for path in PACKAGE.rglob("*"):
        if path.suffix in (".html", ".css", ".js") and "vendor" not in path.parts:
            if pattern.search(path.read_text(encoding="utf-8", errors="ignore")):
                offenders.append(str(path))
    assert offenders == []


def test_ids_too_large_for_the_database_are_4xx_not_500(as_user):
    alice = as_user("alice")
    big = "9" * 30
    for path in (f"/org/units/{big}", f"/org/users/{big}/edit", f"/surveys/{big}",
                 f"/responses/{big}", f"/text/items/{big}", f"/org/units/new?parent_id={big}",
                 f"/responses/?survey_id={big}", f"/text/?survey_id={big}"):
        assert alice.get(path).status_code in (400, 404), path
