"""The charts' data (rendered by static/metrics/dashboard.js with ECharts), from a context."""
from flask_babel import gettext as _

from .tables import _name, _tp_name, english


def for_context(ctx):
    charts = {"trend": _trend(ctx["trend"])}
    if ctx.get("league"):
        charts["league"] = {"kind": "bars", "labels": [_name(r["unit"]) for r in ctx["league"]],
                            "values": [r["nps"]["score"] for r in ctx["league"]], "name": "NPS"}
    if ctx.get("heatmap") and ctx["heatmap"]["touchpoints"]:
        heat, names = ctx["heatmap"], ctx.get("touchpoint_names", {})
        charts["heatmap"] = {"kind": "heatmap",
                             "x": [_tp_name(names, t) for t in heat["touchpoints"]],
                             "y": [_name(r["unit"]) for r in heat["rows"]],
                             "values": [[i, j, r["cells"][t]["score"]]
                                        for j, r in enumerate(heat["rows"])
                                        for i, t in enumerate(heat["touchpoints"])]}
    found = ctx.get("drivers") or {}
    if found.get("ok"):
        charts["drivers"] = {"kind": "quadrant", "x_name": _("Importance %"),
                             "y_name": _("Performance (0-100)"),
                             "points": [[round(d["importance"] * 100, 1), d["performance"],
                                         _question(d)] for d in found["drivers"]]}
    if ctx.get("peer_trend"):
        charts["peer"] = {"kind": "lines", "labels": [p["period"] for p in ctx["peer_trend"]],
                          "series": [{"name": _name(ctx["peer"]),
                                      "values": [p["nps"]["score"] for p in ctx["peer_trend"]]},
                                     {"name": _name(ctx["unit"]),
                                      "values": [p["nps"]["score"] for p in ctx["trend"]]}]}
    found_index = ctx.get("index_trend") or {}
    if found_index.get("index"):
        index = found_index["index"]
        name = (index["name_en"] or index["name_zh"]) if english() else index["name_zh"]
        charts["index"] = {"kind": "lines", "labels": [p["period"] for p in found_index["points"]],
                           "series": [{"name": name, "values": [p["score"] for p in
                                                                found_index["points"]]}]}
    if ctx.get("focus"):
        focus = ctx["focus"]
        charts["focus"] = {"kind": "lines", "labels": [p["period"] for p in focus["trend"]],
                           "series": [{"name": _tp_name(ctx.get("touchpoint_names") or {},
                                                        focus["key"]) if ctx.get("touchpoint_names")
                                       else focus["key"],
                                       "values": [p["score"] for p in focus["trend"]]}]}
    if ctx.get("odata") and ctx["odata"]["points"]:
        charts["odata"] = {"kind": "scatter", "x_name": ctx["odata"]["o_name"],
                           "y_name": ctx["odata"]["x_name"], "points": ctx["odata"]["points"]}
    return charts


def _question(driver):
    text = driver["text"]
    return (text.get("en") or text.get("zh_CN")) if english() else (text.get("zh_CN") or driver["key"])


def _trend(points):
    return {"kind": "trend", "labels": [p["period"] for p in points],
            "nps": [p["nps"]["score"] for p in points],
            "csat": [None if p["csat"]["top2"] is None else round(p["csat"]["top2"] * 100, 1)
                     for p in points],
            "responses": [p["responses"] for p in points],
            "names": {"nps": "NPS", "csat": _("CSAT top-2 box %"), "responses": _("Responses")}}
