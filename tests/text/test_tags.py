import pytest

from appliance.textengine.analyzer import Analyzer

from appliance.textengine.build import train_tags


def rule_tags(analysis):
    return {t["tag"] for t in analysis.tags if t["by"] == "rule"}


def test_rules_tag_chinese_and_english_texts(analyzer):
    assert rule_tags(analyzer.analyse("服务员态度很差，停车也不方便")) == {"service_attitude", "parking"}
    assert rule_tags(analyzer.analyse("Overpriced, and we waited 40 minutes")) == {"price", "waiting"}
    assert rule_tags(analyzer.analyse("今天天气不错")) == set()


def test_english_rule_keywords_match_whole_words_only(analyzer):
    assert "parking" in rule_tags(analyzer.analyse("no PARKING nearby"))
    assert "price" not in rule_tags(analyzer.analyse("a priceless evening"))
    assert "hygiene" not in rule_tags(analyzer.analyse("uncleanable"))


def test_all_and_exclude_keywords(text_config_dir, text_models_dir, touch_later):
    taxonomy = text_config_dir / "taxonomy.toml"
    taxonomy.write_text('[[tag]]\nid = "coffee_price"\nzh = "咖啡价格"\nen = "Coffee price"\n'
                        'any = ["咖啡", "拿铁"]\nall = ["贵"]\nexclude = ["免费"]\n', encoding="utf-8")
    touch_later(taxonomy)
    analyzer = Analyzer.load(config_dir=text_config_dir, models_dir=text_models_dir)
    assert rule_tags(analyzer.analyse("拿铁太贵了")) == {"coffee_price"}
    assert rule_tags(analyzer.analyse("拿铁很好喝")) == set()
    assert rule_tags(analyzer.analyse("拿铁贵，但续杯免费")) == set()


LABELLED = [(text, ["菜品口味"]) for text in ["红烧肉肥而不腻", "鱼头汤很鲜", "牛肉炖得软烂入口即化",
                                             "小笼包皮薄馅大", "麻辣香锅够味", "酸菜鱼酸爽开胃"]] + \
           [(text, ["wifi"]) for text in ["无线网络连不上", "网速太慢刷不出来", "wifi密码没人告诉",
                                          "网络信号很差", "连上网络很快", "无线网速不错"]] + \
           [(text, []) for text in ["一般般吧", "还可以", "下次再说", "就那样"]]


def test_a_trained_model_adds_tags_the_rules_miss(own_models_dir, text_config_dir):
    result = train_tags(LABELLED, own_models_dir, config_dir=text_config_dir)
    assert result == {"tags": ["taste", "wifi"], "texts": len(LABELLED)}
    analyzer = Analyzer.load(config_dir=text_config_dir, models_dir=own_models_dir)
    tags = analyzer.analyse("网络信号太差，网速慢").tags
    assert {"tag": "wifi", "by": "model"} in tags


def test_a_rule_wins_over_the_model_for_the_same_tag(own_models_dir, text_config_dir):
    train_tags(LABELLED, own_models_dir, config_dir=text_config_dir)
    analyzer = Analyzer.load(config_dir=text_config_dir, models_dir=own_models_dir)
    tags = analyzer.analyse("红烧肉味道很好，小笼包也好吃").tags
    assert [t for t in tags if t["tag"] == "taste"] == [{"tag": "taste", "by": "rule"}]


def test_training_needs_a_tag_some_texts_lack(own_models_dir, text_config_dir):
    with pytest.raises(ValueError):
        train_tags([("a", ["x"]), ("b", ["x"])], own_models_dir, config_dir=text_config_dir)
    with pytest.raises(ValueError):
        train_tags([], own_models_dir, config_dir=text_config_dir)
