"""Helpers for the text wiring tests: CSV files in several encodings, seeded texts."""
import csv
import io
import json
from datetime import date, timedelta
from pathlib import Path

from appliance.core import db
from appliance.text import importer, pipeline

HEADER = ["unit_code", "date", "source", "channel", "text"]
TODAY = date.today()
SHIPPED = ("sentiment.joblib", "normalise.pickle", "jieba.cache", "meta.json")


def link_models(source, target):
    """A models directory of its own that links the built models (never the tag model)."""
    target.mkdir(exist_ok=True)
    for name in SHIPPED:
        if (Path(source) / name).exists():
            (target / name).symlink_to(Path(source) / name)
    return target


def day(days_ago):
    return (TODAY - timedelta(days=days_ago)).isoformat()


EAST_TEXTS = [
    ("EAST-01", 3, "dianping", "app", "服务员态度很差，上菜太慢了，我要投诉到消协"),
    ("EAST-01", 5, "dianping", "app", "环境干净整洁，服务员很热情，下次还来"),
    ("EAST-01", 8, "call_centre", "phone", "排队等了一个小时，太慢了"),
    ("EAST-01", 40, "dianping", "app", "价格实惠，菜品味道很好"),
    ("EAST-02", 2, "meituan", "app", "杭州店的酸菜鱼很好吃，服务周到"),
    ("EAST-02", 250, "call_centre", "phone", "The waiter was rude and the food was cold."),
]
SOUTH_TEXTS = [
    ("SOUTH-01", 4, "dianping", "app", "广州店洗手间很脏，菜里有头发，要曝光"),
    ("SOUTH-01", 6, "meituan", "app", "广州店烧鹅很好吃，价格也不贵"),
]


def csv_bytes(rows, encoding="utf-8", bom=False):
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(HEADER)
    for unit, days_ago, source, channel, text in rows:
        writer.writerow([unit, day(days_ago) if isinstance(days_ago, int) else days_ago,
                         source, channel, text])
    data = buffer.getvalue().encode(encoding)
    return (b"\xef\xbb\xbf" + data) if bom else data


def xlsx_file(path, rows):
    from openpyxl import Workbook
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for unit, days_ago, source, channel, text in rows:
        sheet.append([unit, TODAY - timedelta(days=days_ago), source, channel, text])
    book.save(path)
    return path


def seed_texts(app, rows=None, tmp_name="seed.csv"):
    """Import and analyse rows (default: EAST and SOUTH texts); {text: item id}."""
    import tempfile
    rows = rows or EAST_TEXTS + SOUTH_TEXTS
    with tempfile.TemporaryDirectory() as directory, app.app_context():
        path = Path(directory) / tmp_name
        path.write_bytes(csv_bytes(rows))
        database = db.get_db()
        import_id, _n = importer.import_file(database, path)
        pipeline.analyse_external(database, import_id=import_id)
        return {r["text"]: r["id"] for r in db.query_all(database, "SELECT id, text FROM text_items")}


def items(app, where="1", params=()):
    with app.app_context():
        rows = db.query_all(db.get_db(), f"SELECT * FROM text_items WHERE {where} ORDER BY id",
                            params)
    for row in rows:
        for column in ("keywords", "tags", "sensitive"):
            row[column] = json.loads(row[column])
    return rows


def count(app, table):
    with app.app_context():
        return db.get_db().execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
