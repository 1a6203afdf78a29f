"""Role dashboards: each role's home page, scoping by URL, drill-down links, exports."""
import pytest

from appliance.core.db import get_db
from appliance.metrics import demo as metrics_demo
from metrics_helpers import add, deliver, restaurant_survey


@pytest.fixture
def programme(app):
    """The demo journey and indicators over a restaurant survey answered in every store."""
    from appliance.core import clock
    with app.app_context():
        database = get_db()
        survey = restaurant_survey(database, name="餐厅就餐体验 (demo)")
        today = clock.now_iso()
        for code, scores in (("EAST-01", [10, 9, 9, 3]), ("EAST-02", [8, 7]),
                             ("SOUTH-01", [2, 0, 10])):
            for nps in scores:
                add(database, survey, code, today, nps=nps, csat=4 if nps > 6 else 2,
                    answers={"q1": nps, "q2": "<script>alert(1)</script>服务太慢",
                             "q3": 4, "q4": 2, "q5": 5, "q6": 4, "q7": 4})
        metrics_demo.seed(database, {}, echo=lambda line: None)
        deliver(database)
        return survey


def test_a_store_managers_home_page_is_the_frontline_dashboard(as_user, programme):
    page = as_user("bob").get("/").get_data(as_text=True)
    assert "dashboard-data" in page and "echarts-5.6.0.min.js" in page
    assert "上海一店" in page and "广州一店" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert(1)" not in page


def test_the_programme_managers_home_page_is_the_executive_dashboard(as_user, programme):
    page = as_user("pat").get("/").get_data(as_text=True)
    for part in ("华东区", "华南区", "上菜", "顾客体验指数"):
        assert part in page


def test_a_regional_analyst_gets_the_manager_view_of_the_region_only(as_user, programme):
    dave = as_user("dave")
    page = dave.get("/dashboard").get_data(as_text=True)
    assert "上海一店" in page and "杭州一店" in page and "广州一店" not in page
    assert dave.get("/dashboard?node=SOUTH-01").status_code == 404
    assert dave.get("/dashboard?node=GROUP").status_code == 404


def test_bob_cannot_open_charlies_store_by_url_or_export(as_user, programme):
    bob = as_user("bob")
    assert bob.get("/dashboard?node=SOUTH-01").status_code == 404
    assert bob.get("/dashboard/export?node=SOUTH-01&table=kpis&format=csv").status_code == 404
    assert bob.get("/dashboard?node=EAST").status_code == 404


def test_drill_down_keeps_the_filters(as_user, programme):
    page = as_user("alice").get("/dashboard?period=90d&channel=qr").get_data(as_text=True)
    assert "node=EAST" in page and "channel=qr" in page and "period=90d" in page


def test_tables_export_as_csv_and_xlsx_with_formula_cells_neutralised(app, as_user, programme):
    with app.app_context():
        get_db().execute("UPDATE units SET name = '=HYPERLINK(1)' WHERE code = 'EAST'")
    alice = as_user("alice")
    csv = alice.get("/dashboard/export?table=league&format=csv").get_data(as_text=True)
    assert "'=HYPERLINK(1)" in csv and "NPS" in csv
    xlsx = alice.get("/dashboard/export?table=trend&format=xlsx")
    assert xlsx.status_code == 200 and xlsx.data[:2] == b"PK"


def test_bad_dashboard_filters_answer_400(as_user, programme):
    response = as_user("alice").get("/dashboard?from=2026-05-01&to=2026-01-01")
    assert response.status_code == 400


def test_the_journey_map_colours_touchpoints_against_targets(as_user, programme):
    page = as_user("pat").get("/journeys").get_data(as_text=True)
    assert "餐厅就餐旅程" in page and "rag-red" in page   # q4 (serving) answered 2 of 5


def test_the_survey_page_shows_its_count_completion_and_scores(app, as_user, programme):
    with app.app_context():
        database = get_db()
        database.execute("INSERT INTO responses (survey_id, version_id, unit_id, language, "
                         "status, started_at) VALUES (?, ?, ?, 'zh_CN', 'partial', "
                         "'2026-01-01T00:00:00.000000Z')",
                         (programme["id"], programme["version_id"], 4))
    page = as_user("alice").get(f"/surveys/{programme['id']}").get_data(as_text=True)
    assert "survey-metrics" in page and ">9<" in page and "90<small>%" in page
    bob_page = as_user("bob").get(f"/surveys/{programme['id']}").get_data(as_text=True)
    assert ">4<" in bob_page       # his store's four responses only


def test_the_designer_offers_the_defined_touchpoints(as_user, programme):
    page = as_user("pat").get(f"/surveys/{programme['id']}/design").get_data(as_text=True)
    assert "data-touchpoints=" in page and "serving" in page and "Serving" in page


def test_a_touchpoint_from_the_journey_map_shows_its_own_score_and_trend(as_user, programme):
    page = as_user("pat").get("/?touchpoint=serving&period=30d").get_data(as_text=True)
    assert 'id="focus-h"' in page and "Serving" in page and '"focus"' in page
    assert "0.0%" in page      # every q4 (serving) answer was 2 of 5
