"""`cem text import`: UTF-8, UTF-8 with BOM, GBK and XLSX go in; a bad file goes in not at all."""
import pytest
from text_wiring_helpers import EAST_TEXTS, csv_bytes, count, day, items, xlsx_file

ROWS = EAST_TEXTS[:3]


@pytest.mark.parametrize("encoding, bom", [("utf-8", False), ("utf-8", True), ("gbk", False)])
def test_it_imports_csv_in_utf8_bom_and_gbk(tmp_path, cem, app, encoding, bom):
    path = tmp_path / "reviews.csv"
    path.write_bytes(csv_bytes(ROWS, encoding, bom))
    result = cem("import", path)
    assert result.exit_code == 0, result.output
    assert "imported 3 texts" in result.output and "analysed 3 texts" in result.output
    found = items(app)
    assert [i["text"] for i in found] == [r[4] for r in ROWS]
    assert found[0]["kind"] == "external" and found[0]["source"] == "dianping"
    assert found[0]["sentiment"] == "negative" and found[0]["sensitive"]
    assert found[0]["occurred_at"].startswith(day(3))


def test_it_imports_xlsx(tmp_path, cem, app):
    result = cem("import", xlsx_file(tmp_path / "reviews.xlsx", ROWS))
    assert result.exit_code == 0, result.output
    assert len(items(app)) == 3 and count(app, "external_texts") == 3


def test_a_bad_file_is_reported_line_by_line_and_nothing_is_imported(tmp_path, cem, app):
    good = csv_bytes([("EAST-01", 1, "dianping", "app", "很好吃")])    # header, line 2
    bad_rows = csv_bytes([
        ("NOPE-99", 1, "dianping", "app", "未知门店"),            # line 3
        ("EAST-01", "2026-02-30", "dianping", "app", "日期不对"),  # line 4
        ("EAST-01", 1, "dianping", "app", ""),                     # line 5
        ("EAST-01", 1, "dianping", "app", "长" * 100_000),          # line 6
    ]).split(b"\n", 1)[1]
    undecodable = b"EAST-01," + day(1).encode() + b",dianping,app,\xff\xfe\xfd\xff\r\n"  # line 7
    path = tmp_path / "bad.csv"
    path.write_bytes(good + bad_rows + undecodable)
    result = cem("import", path)
    assert result.exit_code == 1
    report = result.output
    assert "line 3: unknown unit code 'NOPE-99'" in report
    assert "line 4: bad date '2026-02-30'" in report
    assert "line 5: the text is empty" in report
    assert "line 6: the text has 100,000 characters" in report
    assert "line 7: cannot be read as UTF-8 or GBK" in report
    assert "nothing imported" in report
    assert count(app, "external_texts") == count(app, "text_imports") == count(app, "text_items") == 0


@pytest.mark.parametrize("name, content, message", [
    ("no-header.csv", b"EAST-01,2026-01-01,x,y,z\n", "the header row must name the columns"),
    ("empty.csv", b"", "the header row must name the columns"),
    ("only-header.csv", b"unit_code,date,source,channel,text\n", "no rows under its header"),
    ("notes.txt", b"hello", "expected a .csv or .xlsx file"),
    ("broken.xlsx", b"PK\x03\x04 not really a zip", "not a readable .xlsx workbook"),
])
def test_unreadable_files_get_a_clear_message(tmp_path, cem, app, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    result = cem("import", path)
    assert result.exit_code == 1 and message in result.output, result.output
    assert count(app, "external_texts") == 0


def test_a_missing_file_is_a_usage_error(cem):
    result = cem("import", "/nonexistent/reviews.csv")
    assert result.exit_code == 2 and "does not exist" in result.output
