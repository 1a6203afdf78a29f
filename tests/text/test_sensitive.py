import pytest

from appliance.textengine.sensitive import SensitiveMatcher


def spans(analysis, text):
    return [(hit["category"], hit["word"], text[hit["start"]:hit["end"]]) for hit in analysis.sensitive]


@pytest.mark.parametrize("text, expected", [
    ("我要投诉你们", [("complaint_escalation", "投诉", "投诉")]),
    ("我要投 诉你们", [("complaint_escalation", "投诉", "投 诉")]),
    ("打 1 2 3 1 5 举-报", [("regulator", "12315", "1 2 3 1 5"), ("complaint_escalation", "举报", "举-报")]),
    ("找律-师起訴你們", [("legal", "律师", "律-师"), ("legal", "起诉", "起訴")]),
    ("吃完拉肚子，发现有蟑螂", [("food_safety", "拉肚子", "拉肚子"), ("food_safety", "蟑螂", "蟑螂")]),
    ("孩子被热汤烫伤了", [("personal_safety", "烫伤", "烫伤")]),
    ("要去微博曝光", [("media", "微博", "微博"), ("media", "曝光", "曝光")]),
    ("I will SUE you and call my L.A.W.Y.E.R", [("legal", "sue", "SUE"), ("legal", "lawyer", "L.A.W.Y.E.R")]),
    ("Ｉ ｗｉｌｌ ｃｏｍｐｌａｉｎ", [("complaint_escalation", "complain", "ｃｏｍｐｌａｉｎ")]),
])
def test_it_finds_sensitive_words_with_their_offsets_in_the_original(analyzer, text, expected):
    assert spans(analyzer.analyse(text), text) == expected


@pytest.mark.parametrize("text", ["pursue your dreams", "order 123150 shipped", "投资诉求", "a rational plan"])
def test_it_does_not_match_inside_other_words_or_numbers(analyzer, text):
    assert analyzer.analyse(text).sensitive == []


def test_offsets_count_characters_of_the_original_text(analyzer):
    text = "😀 ＡＢＣ\u200b投\u3000诉！"
    [hit] = analyzer.analyse(text).sensitive
    assert text[hit["start"]:hit["end"]] == "投\u3000诉"
    assert (hit["start"], hit["end"]) == (6, 9)


def test_the_lexicon_reloads_when_edited(text_config_dir, text_models_dir, touch_later):
    from appliance.textengine.analyzer import Analyzer
    analyzer = Analyzer.load(config_dir=text_config_dir, models_dir=text_models_dir)
    assert analyzer.analyse("他是黑心商家").sensitive == []
    path = text_config_dir / "sensitive.toml"
    path.write_text(path.read_text(encoding="utf-8") + '\n[fraud]\nzh = ["黑心商家"]\n', encoding="utf-8")
    touch_later(path)
    assert analyzer.analyse("他是黑心商家").sensitive == [
        {"category": "fraud", "word": "黑心商家", "start": 2, "end": 6}]


def test_an_empty_lexicon_finds_nothing():
    assert SensitiveMatcher({}).find("投诉") == []
