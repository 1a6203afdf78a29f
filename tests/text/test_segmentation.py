from appliance.textengine.analyzer import Analyzer
from appliance.textengine.normalize import detect_language, normalise


def test_it_keeps_a_domain_dictionary_word_whole(analyzer):
    tokens = analyzer.analyse("停车位太少了，性价比一般").tokens
    assert "停车位" in tokens
    assert "性价比" in tokens


def test_it_normalises_traditional_full_width_and_case_without_moving_offsets():
    text = "服務態度ＧＯＯＤ，價格ＯＫ　１２３"
    normalised = normalise(text)
    assert normalised == "服务态度good,价格ok 123"
    assert len(normalised) == len(text)


def test_traditional_text_is_analysed_like_simplified(analyzer):
    traditional = analyzer.analyse("服務員態度很差，價格太貴")
    simplified = analyzer.analyse("服务员态度很差，价格太贵")
    assert traditional.tokens == simplified.tokens
    assert traditional.tags == simplified.tags


def test_it_tokenises_mixed_chinese_and_english_and_drops_stopwords(analyzer):
    analysis = analyzer.analyse("iPhone 的屏幕 is really great，客服也很耐心")
    assert {"iphone", "屏幕", "great", "客服", "耐心"} <= set(analysis.tokens)
    assert not {"的", "is", "really", "也"} & set(analysis.tokens)


def test_it_detects_the_language_by_script():
    assert detect_language(normalise("这家店的iPhone壳很好看")) == "zh"
    assert detect_language(normalise("The waiter was lovely")) == "en"
    assert detect_language(normalise("とても美味しいです")) == "ja"
    assert detect_language(normalise("!!! 123 ...")) == "und"


def test_it_reloads_the_dictionary_and_stopwords_when_the_files_change(text_config_dir, text_models_dir,
                                                                     touch_later):
    analyzer = Analyzer.load(config_dir=text_config_dir, models_dir=text_models_dir)
    text = "鸳鸯锅底很好吃，毛肚新鲜"
    assert "鸳鸯锅底" not in analyzer.analyse(text).tokens
    userdict = text_config_dir / "userdict.txt"
    userdict.write_text(userdict.read_text(encoding="utf-8") + "鸳鸯锅底 50000 n\n", encoding="utf-8")
    stopwords = text_config_dir / "stopwords.txt"
    stopwords.write_text(stopwords.read_text(encoding="utf-8") + "毛肚\n", encoding="utf-8")
    touch_later(userdict)
    touch_later(stopwords)
    tokens = analyzer.analyse(text).tokens
    assert "鸳鸯锅底" in tokens
    assert "毛肚" not in tokens


def test_a_broken_edit_keeps_the_last_good_config(text_config_dir, text_models_dir, touch_later, caplog):
    analyzer = Analyzer.load(config_dir=text_config_dir, models_dir=text_models_dir)
    taxonomy = text_config_dir / "taxonomy.toml"
    taxonomy.write_text("[[tag]\nid = broken", encoding="utf-8")
    touch_later(taxonomy)
    tags = analyzer.analyse("停车不方便").tags
    assert {"tag": "parking", "by": "rule"} in tags
    assert "taxonomy.toml" in analyzer.taxonomy_file.error
    assert "not reloaded" in caplog.text
