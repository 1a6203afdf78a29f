"""Every figure a report prints, read through the metrics and text domains' service
functions (one definition of NPS: appliance.stats via appliance.metrics). Nothing here
computes a score; it only asks for the node, the period and the recipient's scope."""
import importlib
import importlib.util
from datetime import date, timedelta

from ..org.scope import Scope

VERBATIM_POOL = 60


def trend_window(date_from, date_to):
    """Weekly reports trend over 12 weeks, longer periods over 12 months."""
    if (date_to - date_from).days < 8:
        start = date_to - timedelta(weeks=12) + timedelta(days=1)
        return start - timedelta(days=start.weekday()), date_to, "week"
    first = date(date_to.year - (1 if date_to.month < 12 else 0), date_to.month % 12 + 1, 1)
    return first, date_to, "month"


def gather(db, unit, date_from, date_to, scope=None, survey_id=None, language="zh_CN"):
    """The raw figures of one report: the node, the period, the recipient's scope."""
    from ..metrics import journeys, service as metrics
    from ..text.display_names import tag_names
    scope = scope or Scope([unit["path"]])
    trend_from, trend_to, grain = trend_window(date_from, date_to)
    summary = metrics.summary(db, unit, date_from, date_to, survey_id)
    league = metrics.league(db, unit, scope, date_from, date_to, survey_id)
    compare = metrics.compare(db, unit, date_from, date_to, survey_id)
    return {
        "summary": summary,
        "compare": compare,
        **indicator_figures(db, unit, compare, survey_id),
        "trend": metrics.trend(db, unit, trend_from, trend_to, grain, survey_id),
        "grain": grain,
        "league": league,
        "movers": metrics.movers(league),
        "heatmap": metrics.heatmap(db, unit, scope, date_from, date_to, survey_id),
        "drivers": metrics.drivers(db, unit, date_from, date_to, survey_id),
        "touchpoints": journeys.all_touchpoints(db),
        "tag_names": tag_names(language),
        "tickets": ticket_figures(db, scope, date_from, date_to),
        **text_figures(db, unit, date_from, date_to, scope),
    }


def indicator_figures(db, unit, compare, survey_id):
    """The indicator tree's metric per node (for the KPI tiles' targets) and the tree's
    scores in the previous period (for the index tile's change)."""
    from ..metrics import indicators
    tree = indicators.current(db)
    if tree is None:
        return {"indicator_metrics": {}, "previous_indicators": []}
    previous = indicators.evaluate(db, unit, date.fromisoformat(compare["previous_from"]),
                                   date.fromisoformat(compare["previous_to"]), survey_id)
    return {"indicator_metrics": {n["key"]: n.get("metric") for n in tree["document"]["nodes"]},
            "previous_indicators": previous}


def ticket_figures(db, scope, date_from, date_to):
    """Closed-loop KPIs when the tickets domain (appliance.loop) is installed, else None."""
    if importlib.util.find_spec("appliance.loop") is None:
        return None
    kpis = importlib.import_module("appliance.loop.kpis")
    return kpis.summary(db, scope, days=(date_to - date_from).days + 1)


def text_figures(db, unit, date_from, date_to, scope):
    """Topics, hot words and a pool of verbatims of the node (text domain's services)."""
    from ..text import queries as insights
    filters = {"unit_path": unit["path"], "date_from": date_from.isoformat(),
               "date_to": date_to.isoformat()}
    pools = {}
    for tone in ("positive", "negative"):
        items, _more = insights.verbatims(db, scope, {**filters, "sentiment": tone},
                                          size=VERBATIM_POOL)
        pools[tone] = [{"text": i["text"], "unit": i["unit_name"], "day": i["occurred_at"][:10],
                        "response_id": i["response_id"]} for i in items]
    return {"topics": insights.term_counts(db, scope, filters, "tag", limit=12),
            "hot_words": insights.term_counts(db, scope, filters, "word", limit=30),
            "text_total": insights.count_items(db, scope, filters),
            "verbatims": pools}
