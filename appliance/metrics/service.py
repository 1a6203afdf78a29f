"""The metrics service: what dashboards, the API, reports and alerts read.

Every function takes a unit row (already checked against the caller's scope) and an
inclusive local date range; it reads only the summaries, never raw responses (drivers()
reads the driver moments). The statistics come from appliance.stats, the one definition
of NPS/CSAT/CES.
"""
from .. import stats
from . import catalog, invitations, periods, queries, touchpoints, tree


def metrics_of(sums):
    """{responses, nps, csat, ces} of summed measures."""
    nps = stats.nps_of(sums["promoters"], sums["passives"], sums["detractors"])
    csat = stats.mean_of(sums["csat_n"], sums["csat_sum"], sums["csat_sq"])
    ces = stats.mean_of(sums["ces_n"], sums["ces_sum"], sums["ces_sq"])
    return {"responses": sums["responses"], "nps": nps.as_dict(),
            "csat": {"mean": _r(csat.mean, 3), "top2": _share(sums["csat_top2"], csat.n),
                     "n": csat.n, "low_base": csat.low_base},
            "ces": {"mean": _r(ces.mean, 3), "easy": _share(sums["ces_easy"], ces.n),
                    "n": ces.n, "low_base": ces.low_base}}


def changes(before, after):
    """Significance of each headline change from summed measures of two periods."""
    def mean(s, metric):
        return stats.mean_of(s[f"{metric}_n"], s[f"{metric}_sum"], s[f"{metric}_sq"])
    return {
        "nps": stats.nps_change(stats.nps_of(before["promoters"], before["passives"],
                                             before["detractors"]),
                                stats.nps_of(after["promoters"], after["passives"],
                                             after["detractors"])).as_dict(),
        "csat": stats.mean_change(mean(before, "csat"), mean(after, "csat")).as_dict(),
        "csat_top2": stats.proportion_change(before["csat_top2"], before["csat_n"],
                                             after["csat_top2"], after["csat_n"]).as_dict(),
        "ces": stats.mean_change(mean(before, "ces"), mean(after, "ces")).as_dict(),
    }


def summary(db, unit, date_from, date_to, survey_id=None, touchpoint=None, channel=None,
            language=None, with_indicators=True, segment=None):
    """The metrics API's answer for one node (see docs/metrics.md)."""
    if touchpoint:
        body = touchpoints.summary(db, unit, date_from, date_to, survey_id, touchpoint)
    else:
        sums = queries.cells(db, [unit["id"]], date_from, date_to, survey_id, channel,
                             language, segment)[unit["id"]]
        body = metrics_of(sums)
    result = {"node": unit["code"], "from": str(date_from), "to": str(date_to), **body,
              "response_rate": invitations.response_rate(db, unit, date_from, date_to,
                                                         survey_id),
              "indicators": []}
    if with_indicators:
        from . import indicators
        result["indicators"] = indicators.evaluate(db, unit, date_from, date_to, survey_id)
    return result


def compare(db, unit, date_from, date_to, survey_id=None, channel=None, language=None,
            segment=None):
    """{current, previous, change}: this period against the one of the same length before."""
    prev_from, prev_to = periods.previous(date_from, date_to)
    now = queries.cells(db, [unit["id"]], date_from, date_to, survey_id, channel, language,
                        segment)
    before = queries.cells(db, [unit["id"]], prev_from, prev_to, survey_id, channel, language,
                           segment)
    now, before = now[unit["id"]], before[unit["id"]]
    return {"current": metrics_of(now), "previous": metrics_of(before),
            "previous_from": prev_from.isoformat(), "previous_to": prev_to.isoformat(),
            "change": changes(before, now)}


def trend(db, unit, date_from, date_to, grain=None, survey_id=None, channel=None, language=None,
          segment=None):
    """[{period, responses, nps, csat, ces}] by day, week, month, quarter or year."""
    if grain is None:
        volume = queries.cells(db, [unit["id"]], date_from, date_to, survey_id, channel,
                               language, segment)[unit["id"]]["responses"]
        grain = periods.default_grain(date_from, date_to, volume)
    monthly = grain in ("month", "quarter", "year")
    rows = queries.cells_by_period(db, unit["id"], date_from, date_to, survey_id, channel,
                                   language, monthly=monthly, segment=segment)
    merged = {label: None for label in periods.buckets(date_from, date_to, grain)}
    for period, sums in rows:
        label = periods.label_of(period + ("-01" if monthly else ""), grain)
        if label in merged:
            merged[label] = _add(merged[label], sums)
    return [{"period": label, **metrics_of(sums or _zero())} for label, sums in merged.items()]


def league(db, unit, scope, date_from, date_to, survey_id=None, channel=None, language=None,
           segment=None):
    """Child units in scope, best NPS first, each with its change and whether it differs
    significantly from the parent as a whole."""
    children = tree.children(db, unit["id"], scope)
    ids = [c["id"] for c in children]
    prev_from, prev_to = periods.previous(date_from, date_to)
    now = queries.cells(db, ids + [unit["id"]], date_from, date_to, survey_id, channel, language,
                        segment)
    before = queries.cells(db, ids, prev_from, prev_to, survey_id, channel, language, segment)
    rates = invitations.sums(db, ids, date_from, date_to, survey_id)
    parent = stats.nps_of(now[unit["id"]]["promoters"], now[unit["id"]]["passives"],
                          now[unit["id"]]["detractors"])
    rows = []
    for child in children:
        sums = now[child["id"]]
        mine = stats.nps_of(sums["promoters"], sums["passives"], sums["detractors"])
        versus = stats.nps_change(parent, mine)
        rows.append({"unit": tree.public(child), **metrics_of(sums),
                     "change": changes(before[child["id"]], sums),
                     "versus_parent": versus.direction,
                     "response_rate": invitations.as_rate(*rates[child["id"]])})
    rows.sort(key=lambda r: (r["nps"]["score"] is None, -(r["nps"]["score"] or 0)))
    for rank, row in enumerate(rows, start=1):
        row["rank"] = rank
    return rows


def movers(league_rows, count=5):
    """(biggest rises, biggest falls) of NPS in a league, significant changes first."""
    moved = [r for r in league_rows if r["change"]["nps"]["delta"] is not None]
    moved.sort(key=lambda r: r["change"]["nps"]["delta"])
    falls = moved[:count]
    rises = list(reversed(moved[-count:]))
    return [r for r in rises if r["change"]["nps"]["delta"] > 0], \
        [r for r in falls if r["change"]["nps"]["delta"] < 0]


def heatmap(db, unit, scope, date_from, date_to, survey_id=None):
    """{touchpoints: [key], rows: [{unit, cells: {touchpoint: {score, n}}}]} for child units."""
    from . import journeys
    children = tree.children(db, unit["id"], scope) or [unit]
    heat = touchpoints.heatmap(db, children, date_from, date_to, survey_id)
    order = {t["key"]: i for i, t in enumerate(journeys.all_touchpoints(db))}
    heat["touchpoints"].sort(key=lambda key: (order.get(key, len(order)), key))
    return heat


def drivers(db, unit, date_from, date_to, survey_id=None):
    """Key drivers from the driver moments (a summary read, always current)."""
    from . import drivers as driver_analysis
    return driver_analysis.analyse(db, unit, date_from, date_to, survey_id)


def _add(total, sums):
    if total is None:
        return dict(sums)
    return {k: total[k] + sums[k] for k in total}


def _zero():
    from .contrib import MEASURES
    return dict.fromkeys(MEASURES, 0)


def _share(hits, n):
    return round(hits / n, 4) if n else None


def _r(value, digits):
    return None if value is None else round(value, digits)


__all__ = ["catalog", "changes", "compare", "drivers", "heatmap", "league", "metrics_of",
           "movers", "summary", "trend"]
