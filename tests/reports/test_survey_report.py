"""The survey report, question by question, over the real metrics and text layers: NPS
distribution, choice shares, matrix rows, ranking averages and escaped, masked comments."""
import pytest

from appliance.core import db
from appliance.reports import render
from report_fixtures import unit, year_to_date
from survey_sample import publish_and_answer

pytestmark = pytest.mark.filterwarnings("ignore::ResourceWarning")


@pytest.fixture
def survey_report(app, read_pdf):
    survey_id = publish_and_answer(app)
    date_from, date_to = year_to_date()
    with app.app_context():
        document, report = render.build(db.get_db(), "survey", unit(app, "EAST"), date_from,
                                        date_to, "zh_CN", survey_id=survey_id)
    return survey_id, " ".join(read_pdf(document).split()), report["survey"]


def blocks(section):
    return {b["text"]: b for b in section["blocks"]}


def test_the_nps_distribution_matches_the_metrics_api(survey_report, as_user):
    survey_id, text, section = survey_report
    date_from, date_to = year_to_date()
    api = as_user("alice").get(f"/api/v1/metrics?node=EAST&from={date_from}&to={date_to}"
                               f"&survey={survey_id}").get_json()
    nps = blocks(section)["推荐可能性"]
    assert api["nps"]["score"] == 40.0 and nps["score"] == "40.0"
    assert f"NPS {api['nps']['score']:.1f}" in text
    assert [s["count"] for s in nps["segments"]] == [2, 2, 6]
    assert "贬损者（0–6 分） 20% (2)" in text and "推荐者（9–10 分） 60% (6)" in text


def test_choice_questions_print_their_shares(survey_report):
    _id, text, section = survey_report
    single, multiple = blocks(section)["本次到店目的"], blocks(section)["您喜欢哪些方面"]
    assert [(r["label"], r["count"]) for r in single["rows"]] == [("堂食", 7), ("外带", 3)]
    assert "堂食 70% 7" in text and "外带 30% 3" in text
    assert [(r["label"], r["count"]) for r in multiple["rows"]] == \
        [("菜品口味", 10), ("服务态度", 5), ("价格", 0)]
    assert "菜品口味 100% 10" in text and "可多选" in text


def test_matrix_rows_and_ranking_averages_are_printed(survey_report):
    _id, text, section = survey_report
    grid, ranking = blocks(section)["各项评价"], blocks(section)["请按重要性排序"]
    assert [(r["text"], r["mean"]) for r in grid["rows"]] == [("环境整洁", "4.40"), ("上菜速度", "4.00")]
    assert "环境整洁" in text and "4.40 / 5" in text
    assert [(r["label"], r["mean"]) for r in ranking["rows"]] == \
        [("口味", "1.40"), ("等待时间", "1.60"), ("价格", "3.00")]
    assert "口味 1.40" in text and "平均排名" in text


def test_comments_are_escaped_masked_and_carry_their_sentiment(survey_report):
    _id, text, section = survey_report
    comments = blocks(section)["请告诉我们原因"]
    assert comments["n"] == 10 and comments["excerpts"]
    assert any(e["sentiment"] == "negative" for e in comments["excerpts"])
    assert "<script>alert(1)</script>" in text          # printed as text, not run
    assert "13812345678" not in text and "＊＊＊" in text
    assert "13900001111" not in text and "王小明" not in text   # contact fields never printed
    assert "负面" in text and "正面" in text
