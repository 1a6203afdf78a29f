"""The PDF engine: hostile data stays text, nothing is fetched from outside the package,
long texts are cut, Chinese is set in the report font with page numbers."""
import pytest

from appliance import pdf
from appliance.pdf import assets
from appliance.reports import assemble
from report_pdf import pdf_fonts, pdf_pages
from report_sample import figures, meta

HOSTILE = ('<img src=file:///etc/passwd><script>alert(1)</script>'
           '<style>body{background:url(http://203.0.113.9/x.png)}</style>')


def executive(language="zh_CN", **changes):
    report = assemble.context("executive", figures(**changes), meta(language))
    return pdf.render_html("executive.html", {"report": report}, language)


def test_markup_in_unit_names_and_verbatims_is_printed_as_text(read_pdf):
    html = executive(unit_name=HOSTILE, verbatim=HOSTILE)
    assert "<img src=file" not in html and "<script>" not in html and "<style>body" not in html
    assert "&lt;img src=file:///etc/passwd&gt;" in html
    text = read_pdf(pdf.write_pdf(html))
    assert "<img src=file:///etc/passwd>" in text.replace("\n", "")
    assert "root:" not in text


def test_a_hostile_url_in_a_title_is_escaped_and_never_fetched(read_pdf):
    report = assemble.context("executive", figures(), {**meta(), "org_name": HOSTILE})
    html = pdf.render_html("executive.html", {"report": report}, "zh_CN")
    assert "url(http://203.0.113.9" not in html.split("</style>")[0]
    assert read_pdf(pdf.write_pdf(html))


@pytest.mark.parametrize("url", [
    "http://203.0.113.9/logo.png", "https://example.com/font.ttf", "ftp://example.com/x",
    "file:///etc/passwd", f"file://{assets.REPORTS_DIR}/../../../../etc/passwd",
    "file://remote-host/share/x.css", "javascript:alert(1)"])
def test_the_fetcher_refuses_everything_but_packaged_assets(url):
    with pytest.raises(assets.AssetRefused):
        assets.local_path(url)


def test_the_fetcher_serves_packaged_assets_and_data_urls():
    fetcher = assets.fetcher()
    css = fetcher.fetch((assets.REPORTS_DIR / "report.css").as_uri())
    assert b"@page" in css.read()
    assert fetcher.fetch("data:text/plain;base64,aGk=").read() == b"hi"


def test_a_document_that_asks_for_the_network_or_etc_passwd_gets_nothing(read_pdf):
    html = ('<html><head><link rel="stylesheet" href="file:///etc/passwd">'
            '<link rel="stylesheet" href="http://203.0.113.9/a.css"></head>'
            '<body><p>ok</p><img src="file:///etc/passwd"><img src="http://203.0.113.9/b.png">'
            '</body></html>')
    text = read_pdf(pdf.write_pdf(html))
    assert "ok" in text and "root:" not in text


def test_a_20000_character_verbatim_is_cut_not_fifty_pages(read_pdf, tmp_path):
    long_text = "等位太久了，服务员态度也不好。" * 1400
    assert len(long_text) > 20_000
    document = pdf.write_pdf(executive(verbatim=long_text))
    assert pdf_pages(document, tmp_path) <= 10
    assert read_pdf(document).count("等位太久了") < 40


def test_chinese_is_set_in_the_report_font_with_no_missing_glyph(read_pdf, tmp_path):
    document = pdf.write_pdf(executive())
    text = read_pdf(document)
    assert "净推荐值" in text or "华东区" in text
    assert "第 2 页" in text.replace("第2页", "第 2 页")
    assert pdf.missing_glyphs(text) == []
    assert all("Report-Sans" in name for name in pdf_fonts(document, tmp_path))


def test_personal_data_in_verbatims_is_masked(read_pdf):
    text = read_pdf(pdf.write_pdf(executive()))
    assert "13812345678" not in text and "＊＊＊" in text


def test_the_english_report_speaks_english(read_pdf):
    text = read_pdf(pdf.write_pdf(executive("en")))
    assert "Page 2 of" in text and "Summary" in text


def test_chart_labels_drawn_as_one_run_sit_where_weasyprint_puts_them(tmp_path):
    import subprocess
    from appliance import charts
    from appliance.pdf import svg_text
    svg = charts.bars([("华东区 <b>一店</b>", 42, None), ("South-02", -7.5, None)],
                      limits=(-100, 100))
    html = f'<html><body><img src="{charts.data_uri(svg)}" style="width: 170mm"></body></html>'

    def words(document, name):
        path = tmp_path / name
        path.write_bytes(document)
        out = subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True,
                             text=True, check=True).stdout
        return [line.strip() for line in out.splitlines() if line.strip().startswith("<word")]
    fast = words(pdf.write_pdf(html), "fast.pdf")
    with svg_text.weasyprints_own():
        own = words(pdf.write_pdf(html), "own.pdf")
    assert len(fast) == len(own) and any("一店" in w for w in fast)

    def box(line):
        return [float(line.split(f'{k}="')[1].split('"')[0]) for k in ("xMin", "yMin", "xMax")]
    for mine, theirs in zip(fast, own):
        assert mine.split(">")[1] == theirs.split(">")[1]
        assert all(abs(a - b) < 0.6 for a, b in zip(box(mine), box(theirs))), (mine, theirs)
