"""Chart geometry for the /text page's server-rendered SVG (no script, no inline style:
sizes are attributes or classes)."""
import hashlib
import math

from .queries import SENTIMENTS


def sentiment_columns(rows, months, width=640, height=360):
    """Stacked 100 % columns per month: [{month, x, w, total, segments: [(name, y, h, share)]}]."""
    by_month = {r["month"]: r for r in rows}
    step = width / max(len(months), 1)
    columns = []
    for index, month in enumerate(months):
        row = by_month.get(month, {"total": 0, **dict.fromkeys(SENTIMENTS, 0)})
        y, segments = 0.0, []
        for name in ("negative", "neutral", "positive"):
            share = row[name] / row["total"] if row["total"] else 0
            segments.append((name, round(y, 1), round(share * height, 1), share))
            y += share * height
        columns.append({"month": month, "x": round(index * step + step * 0.18, 1),
                        "w": round(step * 0.64, 1), "cx": round(index * step + step / 2, 1),
                        "total": row["total"], "segments": segments})
    return columns


def word_cloud(rows):
    """[{term, n, size 1-10, tone pos|neg|mix}] in a stable, mixed order."""
    if not rows:
        return []
    low, high = math.log(min(r["n"] for r in rows)), math.log(max(r["n"] for r in rows))
    cloud = []
    for row in rows:
        size = 1 + round(9 * (math.log(row["n"]) - low) / (high - low)) if high > low else 5
        cloud.append({"term": row["term"], "n": row["n"], "size": size, "tone": _tone(row)})
    return sorted(cloud, key=lambda w: hashlib.md5(w["term"].encode()).hexdigest())


def _tone(row):
    if row["negative"] >= 0.5 * row["n"]:
        return "neg"
    return "pos" if row["positive"] >= 0.6 * row["n"] else "mix"


def tag_rows(counts, by_month, months, names, width=180, height=28):
    """Per tag: total, negative share, and a small column chart of its monthly counts
    (scaled to the tag's own busiest month: the shape is the trend)."""
    step = width / max(len(months), 1)
    rows = []
    for row in counts:
        series = [by_month.get(row["term"], {}).get(m, 0) for m in months]
        peak = max(series + [1])
        bars = [{"x": round(i * step + 1, 1), "w": round(max(step - 2, 1), 1),
                 "h": round(height * n / peak, 1), "y": round(height - height * n / peak, 1),
                 "n": n, "month": m} for i, (n, m) in enumerate(zip(series, months))]
        rows.append({"tag": row["term"], "name": names.get(row["term"], row["term"]),
                     "n": row["n"], "negative": row["negative"] / row["n"],
                     "bars": bars})
    return rows
