"""Report settings: the cover logo (PNG/JPEG only), retention and attachment limit."""
import io
import subprocess

from appliance import pdf
from appliance.core import db, settings
from appliance.reports import assemble
from report_sample import figures, meta


def png_bytes():
    from PIL import Image
    buffer = io.BytesIO()
    Image.new("RGB", (120, 40), "#14325a").save(buffer, format="PNG")
    return buffer.getvalue()


def test_an_uploaded_logo_is_printed_on_the_cover(app, as_user, tmp_path):
    response = as_user("alice").post("/reports/settings", data={
        "retention_days": "90", "max_attachment_mb": "5",
        "logo": (io.BytesIO(png_bytes()), "logo.png")}, content_type="multipart/form-data")
    assert response.status_code == 302
    with app.app_context():
        logo = settings.get(db.get_db(), "reports.logo")
        assert settings.get(db.get_db(), "reports.retention_days") == 90
    report = assemble.context("executive", figures(), {**meta(), "logo": logo})
    path = tmp_path / "cover.pdf"
    path.write_bytes(pdf.render_pdf("executive.html", {"report": report}))
    images = subprocess.run(["pdfimages", "-list", "-f", "1", "-l", "1", str(path)],
                            capture_output=True, text=True, check=True).stdout
    assert "120    40" in images or " 120 " in images


def test_a_logo_that_is_not_png_or_jpeg_is_refused(app, as_user):
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><image href="http://203.0.113.9/x"/></svg>'
    response = as_user("alice").post("/reports/settings", data={
        "retention_days": "90", "max_attachment_mb": "5", "logo": (io.BytesIO(svg), "logo.svg")},
        content_type="multipart/form-data")
    assert response.status_code == 400
    assert "PNG" in response.get_data(as_text=True)
    with app.app_context():
        assert settings.get(db.get_db(), "reports.logo") is None


def test_only_top_administrators_change_report_settings(as_user):
    assert as_user("dave").post("/reports/settings", data={
        "retention_days": "1", "max_attachment_mb": "1"}).status_code == 403
