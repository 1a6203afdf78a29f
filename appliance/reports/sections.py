"""Each section of a report from the metrics service's answers: rows, labels, charts."""
from .. import charts
from ..pdf.formatting import DASH, number, percent
from . import targets

KIND_LABELS = {"executive": "Executive report", "unit": "Unit report", "survey": "Survey report"}


def kind_label(kind, _):
    return {"executive": _("Executive report"), "unit": _("Unit report"),
            "survey": _("Survey report")}[kind]


def title(kind, meta, _):
    return meta.get("title") or _("Customer experience report")


def unit_name(unit, meta):
    return (unit.get("name_en") or unit["name"]) if meta["language"] == "en" else unit["name"]


def period_label(date_from, date_to, _):
    return _("%(start)s to %(end)s", start=str(date_from), end=str(date_to))


def _kpi(label, value, previous, n, change, low_base, goal=None, _=None):
    direction = change.get("direction", "flat") if change else "flat"
    goal = goal or {}
    status = goal.get("status", "none")
    return {"label": label, "value": value, "previous": previous, "n": n,
            "target": goal.get("target"), "delta": change.get("delta") if change else None,
            "significant": bool(change and change.get("significant")),
            "direction": direction, "status": status,
            "rag_label": targets.rag_label(status, _) if _ else "", "low_base": low_base}


def kpis(compare, summary, _, figures=None):
    """The KPI rows: the indicator tree's index first when there is a tree, then NPS, CSAT,
    CES and responses, each with its target and RAG status where the tree sets one."""
    figures = figures or {}
    now, before, change = compare["current"], compare["previous"], compare["change"]
    goals = targets.for_tiles(summary["indicators"], figures.get("indicator_metrics") or {})
    top2 = change.get("csat_top2") or {}
    top2 = {**top2, "delta": None if top2.get("delta") is None else top2["delta"] * 100}
    index = targets.index_tile(summary["indicators"], figures.get("previous_indicators") or [],
                               figures.get("language", "zh_CN"), _)
    rows = [
        _kpi("NPS", number(now["nps"]["score"]), number(before["nps"]["score"]),
             now["nps"]["n"], change["nps"], now["nps"]["low_base"], goals.get("nps"), _),
        _kpi(_("CSAT top-2 box"), percent(now["csat"]["top2"]), percent(before["csat"]["top2"]),
             now["csat"]["n"], top2, now["csat"]["low_base"], goals.get("csat_top2"), _),
        _kpi(_("CSAT mean (1–5)"), number(now["csat"]["mean"], 2),
             number(before["csat"]["mean"], 2), now["csat"]["n"], change["csat"],
             now["csat"]["low_base"], goals.get("csat_mean"), _),
        _kpi(_("CES mean (1–7)"), number(now["ces"]["mean"], 2), number(before["ces"]["mean"], 2),
             now["ces"]["n"], change["ces"], now["ces"]["low_base"], goals.get("ces_mean"), _),
        _kpi(_("Responses"), number(now["responses"], 0), number(before["responses"], 0),
             now["responses"], None, False),
    ]
    return ([index] if index else []) + rows


def indicators(rows, language):
    name = "name_en" if language == "en" else "name_zh"
    return [{"name": r.get(name) or r.get("name_zh") or r["key"], "level": min(r["level"], 2),
             "score": r["score"], "target": r["target"], "weight": r.get("weight"),
             "rag": {"green": "good", "amber": "amber", "red": "bad"}.get(r.get("rag"), "none"),
             "n": r.get("n")} for r in rows]


def trend(rows, grain, _, nps_only=False):
    periods = [r["period"][5:] if len(r["period"]) == 10 else r["period"] for r in rows]
    nps = {"grain_label": _("week") if grain == "week" else _("month"),
           "nps_chart": charts.data_uri(charts.trend(
               periods, [("NPS", [r["nps"]["score"] for r in rows])], height=2.3))}
    if nps_only:
        return {**nps, "csat_chart": "", "volume_chart": ""}
    return {**nps,
            "csat_chart": charts.data_uri(charts.trend(
                periods, [(_("CSAT top-2 box"), [None if r["csat"]["top2"] is None
                                                 else r["csat"]["top2"] * 100 for r in rows])],
                height=2.0)),
            "volume_chart": charts.data_uri(charts.bars_over_time(
                periods, [r["responses"] for r in rows]))}


def _league_row(r, meta):
    return {"rank": r["rank"], "name": unit_name(r["unit"], meta), "code": r["unit"]["code"],
            "nps": r["nps"]["score"], "n": r["nps"]["n"], "low_base": r["nps"]["low_base"],
            "csat_top2": r["csat"]["top2"], "versus": r.get("versus_parent"),
            "delta": r["change"]["nps"]["delta"],
            "significant": r["change"]["nps"]["significant"],
            "direction": r["change"]["nps"]["direction"]}


def movers(pair, meta):
    """Biggest NPS rises and falls among the units below (metrics.movers), or None."""
    rises, falls = pair or ([], [])
    if not rises and not falls:
        return None
    return {"rises": [_league_row(r, meta) for r in rises],
            "falls": [_league_row(r, meta) for r in falls]}


def league(rows, meta, _):
    if not rows:
        return None
    shown = rows if len(rows) <= 25 else rows[:15] + rows[-10:]
    table = [_league_row(r, meta) for r in shown]
    colour = {"up": charts.style.GOOD, "down": charts.style.BAD}
    bars = [(row["name"], row["nps"], colour.get(row["versus"])) for row in table]
    lead = _("The %(n)s units directly below %(node)s by NPS; green and red mark units "
             "significantly above or below the whole.", n=len(rows),
             node=unit_name(meta["node"], meta))
    if len(rows) > len(shown):
        lead += " " + _("Shown: the top 15 and the bottom 10.")
    return {"rows": table, "chart": charts.data_uri(charts.bars(bars, limits=(-100, 100))),
            "lead": lead}


def heatmap(data, touchpoints, meta):
    """Units x touchpoints in journey order, named in the report's language."""
    if not data or not data.get("touchpoints") or not data.get("rows"):
        return None
    names = {t["key"]: (t["name_en"] if meta["language"] == "en" else "") or t["name_zh"]
             for t in touchpoints}
    keys = [t["key"] for t in touchpoints if t["key"] in data["touchpoints"]]
    keys += [k for k in data["touchpoints"] if k not in keys]
    rows = data["rows"][:30]
    values = [[(row["cells"].get(tp) or {}).get("score") for tp in keys] for row in rows]
    return {"chart": charts.data_uri(charts.heatmap(
        [unit_name(r["unit"], meta) for r in rows], [names.get(k, k) for k in keys], values,
        low=40, high=90))}


def drivers(result, _, chart=True):
    if not result.get("ok"):
        reasons = {"no_data": _("No responses in this period."),
                   "no_drivers": _("The survey has no driver questions to relate to the overall score."),
                   "low_base": _("Too few complete answers (%(n)s) for a driver analysis; it needs at least %(min)s.",
                                 n=result.get("n", 0), min=result.get("min_base", 100))}
        return {"ok": False, "reason": reasons.get(result.get("reason"), reasons["no_data"])}
    rows = [{"label": _text(d["text"]), "importance": d["importance"],
             "performance": d["performance"]} for d in result["drivers"]]
    drawn = charts.data_uri(charts.quadrant(
        [(r["label"], r["importance"] * 100, r["performance"]) for r in rows],
        _("Importance (share of R², %%)"), _("Performance (0–100)"))) if chart else ""
    return {"ok": True, "rows": rows, "chart": drawn, "r2": f"{result['r2']:.2f}",
            "n": f"{result['n']:,}", "outcome": result.get("outcome_label") or "NPS"}


def _text(value):
    if isinstance(value, dict):
        return value.get("zh_CN") or value.get("en") or next(iter(value.values()), "")
    return str(value)


def topics_chart(topics, names):
    if not topics:
        return ""
    return charts.data_uri(charts.bars([(names.get(t["term"], t["term"]), t["n"], None)
                                        for t in topics[:12]],
                                       value_format="{:,.0f}"))


def headline(report, compare, _):
    nps = compare["current"]["nps"]["score"]
    change = compare["change"]["nps"]
    if nps is None:
        return _("No responses were received in this period.")
    if change.get("significant"):
        word = _("up") if change["direction"] == "up" else _("down")
        return _("NPS is %(nps)s, %(word)s %(delta)s points on the previous period (significant).",
                 nps=number(nps), word=word, delta=number(abs(change["delta"])))
    return _("NPS is %(nps)s, not significantly different from the previous period.",
             nps=number(nps))


def tickets(summary, _):
    """Closed-loop KPI rows (the tickets opened in as many days as the period), or None."""
    if not summary or not summary.get("tickets"):
        return None
    def row(label, value):
        return {"label": label, "value": value, "previous": DASH, "n": summary["tickets"],
                "target": None, "delta": None, "significant": False, "direction": "flat",
                "status": "none", "rag_label": "", "low_base": False}
    hours = lambda v: DASH if v is None else f"{v:.1f} h"   # noqa: E731
    share = lambda v: DASH if v is None else f"{v:.0f}%"   # noqa: E731
    return [row(_("Tickets opened"), number(summary["tickets"], 0)),
            row(_("Time to acknowledge (business hours)"), hours(summary["hours_to_ack"])),
            row(_("Time to resolve (business hours)"), hours(summary["hours_to_resolve"])),
            row(_("SLA compliance"), share(summary["sla_compliance"])),
            row(_("Escalation rate"), share(summary["escalation_rate"])),
            row(_("Recovery rate"), share(summary["recovery_rate"]))]
