"""Targets and RAG status of the KPI tiles, from the indicator tree (metrics service).

An indicator's score and target are on the tree's 0–100 scale; a KPI tile shows the
headline figure in its own unit, so the target is turned back into that unit (the inverse of
appliance.stats.normalise) and the status is the indicator's own RAG, as on the dashboards.
Pure: no Flask, no database."""
from ..pdf.formatting import number, percent

RAG = {"green": "good", "amber": "amber", "red": "bad"}
# KPI tile -> (indicator metric, target in the tile's unit, formatted)
TILES = {
    "nps": ("nps", lambda t: number(t * 2 - 100)),
    "csat_top2": ("csat_top2", lambda t: percent(t / 100)),
    "csat_mean": ("csat_mean", lambda t: number(1 + t / 100 * 4, 2)),
    "ces_mean": ("ces_mean", lambda t: number(1 + t / 100 * 6, 2)),
}


def rag_status(row):
    return RAG.get((row or {}).get("rag"), "none")


def for_tiles(indicators, metrics_by_key):
    """{tile: {"target": text, "status": good|amber|bad|none}} for the tiles whose measure is
    a node of the indicator tree with a target; metrics_by_key: {node key: metric}."""
    by_metric = {}
    for row in indicators:
        metric = metrics_by_key.get(row["key"])
        if metric and row.get("target") is not None and metric not in by_metric:
            by_metric[metric] = row
    out = {}
    for tile, (metric, shown) in TILES.items():
        row = by_metric.get(metric)
        if row is not None:
            out[tile] = {"target": shown(float(row["target"])), "status": rag_status(row)}
    return out


def index_tile(indicators, previous, language, _):
    """The tree's top node (the experience index) as a KPI row, or None without a tree."""
    if not indicators or indicators[0].get("level") != 0:
        return None
    row = indicators[0]
    before = next((p for p in previous if p["key"] == row["key"]), None)
    score, was = row.get("score"), (before or {}).get("score")
    delta = None if score is None or was is None else round(score - was, 1)
    name = (row.get("name_en") if language == "en" else "") or row.get("name_zh") or row["key"]
    return {"label": name, "value": number(score), "previous": number(was), "n": row.get("n"),
            "target": None if row.get("target") is None else number(row["target"], 0),
            "delta": delta, "significant": False,
            "direction": "flat" if not delta else ("up" if delta > 0 else "down"),
            "status": rag_status(row), "rag_label": rag_label(rag_status(row), _),
            "low_base": bool(row.get("low_base"))}


def rag_label(status, _):
    return {"good": _("on target"), "amber": _("close to target"), "bad": _("below target"),
            "none": ""}[status]
