"""One context per role, from the same metrics service functions.

frontline (a unit without children in scope): my unit now vs target and last period,
trend, weakest touchpoint and driver, latest detractors and negative/sensitive verbatims.
manager: league of child units with significance marks, heat map, movers, a unit vs peers.
executive (the top of a programme manager's or admin's scope): journey map, index and
KPI trends, top and bottom units, hot words and topics, volume.
"""
from ..org.scope import Scope
from . import (catalog, filters, index_trend, indicators, invitations, journeys, odata, periods,
               queries, service, store, touchpoints, tree, verbatims)

VIEWS = ("frontline", "manager", "executive")


def choose_view(db, user, unit, scope, asked):
    if asked in VIEWS:
        return asked
    if not tree.has_children_in_scope(db, unit, scope):
        return "frontline"
    programme = Scope.for_user(user, "manage_surveys")
    top = min(scope.root_paths, key=len)
    if programme.contains_path(unit["path"]) and unit["path"] == top:
        return "executive"
    return "manager"


def build(db, user, args):
    scope = Scope.for_user(user, "view")
    chosen = {**filters.parse(db, args, scope), "args": args}
    unit = tree.units(db)[chosen["unit"]["id"]]
    view = choose_view(db, user, unit, scope, args.get("view"))
    common = dict(survey_id=chosen["survey_id"], channel=chosen["channel"],
                  language=chosen["language"], segment=chosen["segment"])
    span = (chosen["from"], chosen["to"])
    compared = service.compare(db, unit, *span, **common)
    grain = args.get("grain") if args.get("grain") in index_trend.GRAINS else \
        periods.default_grain(*span, compared["current"]["responses"])
    chosen["grain"] = grain
    context = {"chosen": chosen, "unit": unit, "view": view, "args": args,
               "timezone": str(store.zone(db)),
               "compare": compared, "grain": grain,
               "trend": service.trend(db, unit, *span, grain=grain, **common),
               "indicators": indicators.evaluate(db, unit, *span, chosen["survey_id"]),
               "response_rate": invitations.response_rate(db, unit, *span, chosen["survey_id"]),
               "breadcrumbs": breadcrumbs(db, unit, scope),
               "options": options(db, unit, scope)}
    context.update(globals()[f"_{view}"](db, user, unit, scope, chosen, common))
    if chosen["touchpoint"]:
        context["focus"] = _touchpoint_focus(db, unit, chosen, grain)
    return context


def _touchpoint_focus(db, unit, chosen, grain):
    """A touchpoint clicked on the journey map: its score, trend and metrics."""
    span, key = (chosen["from"], chosen["to"]), chosen["touchpoint"]
    score = touchpoints.scores(db, unit, *span, chosen["survey_id"]).get(key, {"score": None, "n": 0})
    return {"key": key, "score": score,
            "definition": next((t for t in journeys.all_touchpoints(db) if t["key"] == key), None),
            "summary": service.summary(db, unit, *span, survey_id=chosen["survey_id"],
                                       touchpoint=key, with_indicators=False),
            "trend": touchpoints.trend(db, unit, *span, key, grain, chosen["survey_id"])}



def _frontline(db, user, unit, scope, chosen, common):
    span = (chosen["from"], chosen["to"])
    scores = touchpoints.scores(db, unit, *span, chosen["survey_id"])
    names = {t["key"]: t for t in journeys.all_touchpoints(db)}
    ranked = sorted(((v["score"], k) for k, v in scores.items() if v["score"] is not None))
    drivers = service.drivers(db, unit, *span, chosen["survey_id"])
    weakest_driver = None
    if drivers["ok"]:
        weakest_driver = min(drivers["drivers"][:3], key=lambda d: d["performance"])
    return {"touchpoint_scores": scores, "touchpoint_names": names,
            "weakest_touchpoint": ranked[0][1] if ranked else None,
            "drivers": drivers, "weakest_driver": weakest_driver,
            "detractors": verbatims.detractors(db, unit, *span),
            "negative": verbatims.negative(db, scope, unit, *span)}


def _manager(db, user, unit, scope, chosen, common):
    span = (chosen["from"], chosen["to"])
    league = service.league(db, unit, scope, *span, **common)
    rises, falls = service.movers(league)
    heat = service.heatmap(db, unit, scope, *span, chosen["survey_id"])
    peer = next((r["unit"] for r in league if r["unit"]["code"] == chosen["args"].get("peer")),
                None)
    peer_trend = service.trend(db, tree.units(db)[peer["id"]], *span, **common) if peer else None
    return {"league": league, "rises": rises, "falls": falls, "heatmap": heat,
            "odata": odata.beside(db, league, *span, metric=chosen["args"].get("odata")),
            "touchpoint_names": {t["key"]: t for t in journeys.all_touchpoints(db)},
            "peer": peer, "peer_trend": peer_trend,
            "drivers": service.drivers(db, unit, *span, chosen["survey_id"])}


def _executive(db, user, unit, scope, chosen, common):
    context = _manager(db, user, unit, scope, chosen, common)
    span = (chosen["from"], chosen["to"])
    scored = [r for r in context["league"] if r["nps"]["score"] is not None]
    context.update(journey_map=journeys.journey_map(db, unit, *span, chosen["survey_id"]),
                   top=scored[:3], bottom=list(reversed(scored[-3:])) if len(scored) > 3 else [],
                   words=verbatims.hot_words(db, scope, unit, *span),
                   index_trend=index_trend.index_trend(db, unit, *span, chosen["grain"],
                                                       chosen["survey_id"]),
                   rates_by_survey=[{**r, "name": catalog.survey_name(db, r["survey_id"])}
                                    for r in invitations.by_survey(db, unit, *span)],
                   topics=verbatims.topics(db, scope, unit, *span, language=_language()))
    return context


def breadcrumbs(db, unit, scope):
    everything = tree.units(db)
    chain = [everything[int(i)] for i in unit["path"].strip("/").split("/")]
    return [tree.public(u) for u in chain if scope.contains_path(u["path"])]


def options(db, unit, scope):
    """The filter bar's choices. The unit picker lists the path down to this unit and its
    children in scope (the league and the breadcrumbs drill further)."""
    everything = tree.units(db)
    chain = [everything[int(i)] for i in unit["path"].strip("/").split("/")]
    picked = [u for u in chain if scope.contains_path(u["path"])] + tree.children(db, unit["id"], scope)
    surveys = queries.surveys_with_data(db, unit["id"])
    return {"units": [{"code": u["code"], "name": u["name"], "depth": u["depth"]} for u in picked],
            "surveys": [(s, catalog.survey_name(db, s)) for s in surveys],
            "touchpoints": journeys.all_touchpoints(db),
            "channels": queries.channels_with_data(db, unit["id"]),
            "segments": queries.segments_with_data(db, unit["id"]),
            "languages": filters.LANGUAGES, "presets": list(filters.PRESETS)}


def _language():
    from flask_babel import get_locale
    return str(get_locale() or "zh_CN")
