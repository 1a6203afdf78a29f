"""The statistics engine against hand-computed cases."""
import math

import numpy as np
import pytest

from appliance import stats


def test_nps_of_counts_matches_the_hand_computed_score_and_interval():
    result = stats.nps_of(promoters=50, passives=30, detractors=20)
    assert result.score == pytest.approx(30.0)
    # p = .5, d = .2: variance (p + d - (p - d)^2) / n = 0.0061 -> se 7.8102 points
    assert result.variance == pytest.approx(61.0)
    assert result.ci95[0] == pytest.approx(30 - 1.959964 * math.sqrt(61), abs=1e-4)
    assert result.ci95[1] == pytest.approx(45.3076, abs=1e-3)
    assert result.low_base is False
    assert result.as_dict()["ci95"] == [14.7, 45.3]


def test_nps_interval_is_clipped_and_small_bases_are_flagged():
    result = stats.nps_of(promoters=5, passives=0, detractors=0)
    assert result.score == 100 and result.ci95 == (100.0, 100.0)
    assert result.low_base is True
    assert stats.nps_of(0, 0, 0).score is None


def test_nps_categories_follow_the_0_6_7_8_9_10_split():
    assert [stats.nps_category(s) for s in (0, 6, 7, 8, 9, 10)] == [
        "detractor", "detractor", "passive", "passive", "promoter", "promoter"]


def test_mean_and_variance_come_from_sum_and_sum_of_squares():
    values = [1, 2, 4, 5, 5]
    result = stats.mean_of(len(values), sum(values), sum(v * v for v in values))
    assert result.mean == pytest.approx(np.mean(values))
    assert result.variance == pytest.approx(np.var(values, ddof=1))


def test_nps_change_uses_each_scores_own_variance():
    before, after = stats.nps_of(400, 300, 300), stats.nps_of(500, 300, 200)
    change = stats.nps_change(before, after)
    # 10 -> 30: variances 10000*(.7-.01)/1000 = 6.9 and 10000*(.7-.09)/1000 = 6.1
    assert change.delta == pytest.approx(20)
    assert change.statistic == pytest.approx(20 / math.sqrt(13.0))
    assert change.significant and change.direction == "up"
    small = stats.nps_change(stats.nps_of(4, 3, 3), stats.nps_of(5, 3, 2))
    assert not small.significant and small.direction == "flat"


def test_two_proportion_test_matches_the_textbook_value():
    # 45/100 vs 60/100: pooled .525, z = .15 / sqrt(.525 * .475 * .02) = 2.1239
    change = stats.proportion_change(45, 100, 60, 100)
    assert change.statistic == pytest.approx(2.1239, abs=1e-4)
    assert change.p_value == pytest.approx(0.03368, abs=1e-4)
    assert change.significant


def test_welch_t_from_summary_statistics_matches_scipy_on_the_raw_data():
    from scipy import stats as scipy_stats
    a, b = [3, 4, 4, 5, 2, 3, 4], [4, 5, 5, 5, 4, 3, 5, 5, 4]
    def summary(v):
        return stats.mean_of(len(v), sum(v), sum(x * x for x in v))
    change = stats.mean_change(summary(a), summary(b))
    expected = scipy_stats.ttest_ind(b, a, equal_var=False)
    assert change.statistic == pytest.approx(expected.statistic)
    assert change.p_value == pytest.approx(expected.pvalue)


def test_relative_weights_on_the_hand_derived_two_driver_case():
    # r12 = .6, r1y = .5, r2y = .3: Rxx^(1/2) = [[.9487, .3162], [.3162, .9487]],
    # beta = (.4743, .1581): eps1 = .9 * .225 + .1 * .025 = .205, eps2 = .045, R^2 = .25
    weights, r2 = stats.relative_weights([[1, .6], [.6, 1]], [.5, .3])
    assert weights == pytest.approx([0.205, 0.045])
    assert r2 == pytest.approx(0.25)


def test_relative_weights_of_uncorrelated_drivers_are_their_squared_correlations():
    weights, r2 = stats.relative_weights(np.eye(3), [.5, .3, .1])
    assert weights == pytest.approx([.25, .09, .01])
    assert r2 == pytest.approx(.35)


def test_relative_weights_add_up_to_the_regressions_r2():
    rng = np.random.default_rng(7)
    x = rng.normal(size=(500, 4))
    x[:, 1] += 0.8 * x[:, 0]
    y = x @ [0.5, 0.3, 0.0, 0.2] + rng.normal(size=500)
    result = stats.relative_weights_from_data(x, y)
    design = np.column_stack([np.ones(500), x])
    fitted = design @ np.linalg.lstsq(design, y, rcond=None)[0]
    r2 = 1 - ((y - fitted) ** 2).sum() / ((y - y.mean()) ** 2).sum()
    assert result.r2 == pytest.approx(r2)
    assert sum(result.shares) == pytest.approx(1)
    assert result.shares[2] < 0.02


def test_driver_analysis_says_why_it_cannot_run():
    assert stats.relative_weights_from_data(np.ones((10, 2)), np.arange(10)).reason == "low_base"
    x = np.column_stack([np.arange(40), np.ones(40)])
    assert stats.relative_weights_from_data(x, np.arange(40)).reason == "constant"


def test_normalisation_puts_every_metric_on_0_to_100():
    assert stats.normalise(-100, "nps") == 0 and stats.normalise(30, "nps") == 65
    assert stats.normalise(4, "mean", scale=5) == 75
    assert stats.normalise(1, "mean", scale=7) == 0
    assert stats.normalise(0.82, "share") == pytest.approx(82)


def test_indicator_tree_rolls_up_by_weights_skipping_missing_children():
    tree = {"key": "index", "children": [
        {"key": "service", "weight": 0.6, "children": [
            {"key": "speed", "weight": 0.5, "score": 80},
            {"key": "attitude", "weight": 0.5, "score": 60}]},
        {"key": "value", "weight": 0.4, "score": 50},
        {"key": "parking", "weight": 0.0001, "score": None}]}
    result = stats.roll_up(tree)
    assert result["children"][0]["score"] == pytest.approx(70)
    assert result["score"] == pytest.approx((0.6 * 70 + 0.4 * 50) / 1.0)


def test_weights_that_do_not_add_up_are_refused():
    with pytest.raises(stats.IndicatorError, match="add up to 0.9"):
        from appliance.stats.indicators import check_weights
        check_weights({"key": "i", "children": [{"key": "a", "weight": .5},
                                                {"key": "b", "weight": .4}]})


def test_rag_against_target_and_amber_threshold():
    assert stats.rag(81, 80) == "green"
    assert stats.rag(77, 80) == "amber"
    assert stats.rag(70, 80, amber_below=72) == "red"
    assert stats.rag(None, 80) == "none"


def test_relative_weights_from_summed_moments_equal_those_from_the_data():
    rng = np.random.default_rng(3)
    x = rng.integers(1, 6, size=(300, 3)).astype(float)
    y = np.clip(np.round(x @ [1.2, 0.6, 0.2] - 2 + rng.normal(size=300)), 0, 10)
    v = np.column_stack([y, x])
    moments = stats.relative_weights_from_moments(300, v.sum(axis=0), v.T @ v)
    direct = stats.relative_weights_from_data(x, y)
    assert moments.weights == pytest.approx(direct.weights, abs=1e-12)
    assert moments.r2 == pytest.approx(direct.r2, abs=1e-12)
    assert stats.relative_weights_from_moments(10, v[:10].sum(axis=0), v[:10].T @ v[:10]
                                               ).reason == "low_base"
    v[:, 2] = 4
    assert stats.relative_weights_from_moments(300, v.sum(axis=0), v.T @ v).reason == "constant"
