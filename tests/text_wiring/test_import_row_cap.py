"""A huge XLSX is refused at the row cap while streaming, not after reading it whole
(issue 10, item 11: 1.5 M rows took 230 s and 1 GB before the cap applied)."""
import pytest
from openpyxl import Workbook

from appliance.text import importer


def big_sheet(path, rows):
    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(["unit_code", "date", "source", "channel", "text"])
    for n in range(rows):
        sheet.append(["EAST-01", "2026-01-01", "dianping", "app", f"第{n}条评论"])
    book.save(path)
    return path


def test_reading_stops_one_row_past_the_cap(tmp_path, monkeypatch):
    monkeypatch.setattr(importer, "MAX_ROWS", 100)
    with pytest.raises(importer.ImportProblems) as refused:
        importer.read_rows(big_sheet(tmp_path / "huge.xlsx", 3_000))
    line, message = refused.value.problems[0]
    assert line == 102 and "more than 100" in message   # row 102 of 3,001: reading stopped there


def test_a_sheet_at_the_cap_is_read(tmp_path, monkeypatch):
    monkeypatch.setattr(importer, "MAX_ROWS", 100)
    _encoding, rows, problems = importer.read_rows(big_sheet(tmp_path / "ok.xlsx", 100))
    assert len(rows) == 100 and not problems
