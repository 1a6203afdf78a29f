import time

import pytest

EXPECTED_KEYS = ["language", "sentiment", "score", "keywords", "tags", "sensitive", "tokens", "model_version"]

BAD_INPUTS = [
    "", " ", "\n\n", "。。。！！！？？？", "😀🎉👍🏻❤️" * 20, "\x00\x01\x02\x7f\x1b[31m",
    "\ud800\udfff lone surrogates", "\ufeff\u200b\u200d", "é" * 1000, "a" * 5000, "1" * 3000,
    "ÿþ\x00\x00 binary", bytes(range(256)).decode("latin-1"), "ｱｲｳ ﾟ", "İİİ ǅ ß",
    None, b"\xff\xfe raw bytes \xe6\x8a\x95\xe8\xaf\x89", 12345,
]


@pytest.mark.parametrize("value", BAD_INPUTS, ids=range(len(BAD_INPUTS)))
def test_bad_input_gives_a_valid_analysis(analyzer, value):
    result = analyzer.analyse(value).to_dict()
    assert list(result) == EXPECTED_KEYS
    assert result["sentiment"] in {"positive", "negative", "neutral"}
    assert 0.0 <= result["score"] <= 1.0


def test_text_without_words_is_neutral_and_quiet(analyzer):
    for value in ["", "😀🎉", "\x00\x01", "。。！！"]:
        result = analyzer.analyse(value).to_dict()
        assert (result["sentiment"], result["keywords"], result["tags"], result["sensitive"]) == \
            ("neutral", [], [], [])


def test_a_100000_character_text_is_analysed_quickly(analyzer):
    text = ("服务员态度很好，菜品口味不错，但是停车不方便。" * 5000)[:99_990] + "我要投诉到12315"
    started = time.perf_counter()
    result = analyzer.analyse(text)
    assert time.perf_counter() - started < 5
    assert {"service_attitude", "parking"} <= {t["tag"] for t in result.tags}
    assert result.sensitive[-1]["word"] == "12315"
    assert text[result.sensitive[-1]["start"]:result.sensitive[-1]["end"]] == "12315"


def test_a_batch_keeps_order_and_length(analyzer):
    texts = ["好评", "", "差评！！", None, "Great"]
    results = analyzer.analyse_batch(texts)
    assert len(results) == len(texts)
    assert results[1].sentiment == "neutral"
    assert analyzer.analyse_batch([]) == []
