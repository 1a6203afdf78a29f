from appliance.textengine.keywords import hot_words, rising_words


def test_each_text_gets_its_distinctive_words_as_keywords(analyzer):
    analysis = analyzer.analyse("停车场太小了，停车场入口难找，停车场收费还贵")
    assert analysis.keywords[0] == "停车场"
    assert len(analysis.keywords) <= 5
    assert set(analysis.keywords) <= set(analysis.tokens)


def test_hot_words_count_texts_and_give_their_share(analyzer):
    analyses = analyzer.analyse_batch(["上菜太慢", "上菜太慢了，服务员态度差", "环境不错", "服务员很热情"])
    hot = {row["word"]: row for row in hot_words(analyses, top=10)}
    assert hot["上菜"] == {"word": "上菜", "count": 2, "share": 0.5}
    assert hot["服务员"]["count"] == 2
    assert hot_words([["a1", "b2"], ["a1"]], top=1) == [{"word": "a1", "count": 2, "share": 1.0}]


def test_hot_words_accept_analysis_dicts(analyzer):
    dicts = [a.to_dict() for a in analyzer.analyse_batch(["价格实惠", "价格偏贵"])]
    assert hot_words(dicts, top=1)[0]["word"] == "价格"


def test_rising_words_list_what_grew_against_the_baseline():
    baseline = [["价格"], ["价格"], ["环境"], ["口味"]]
    current = [["排队"], ["排队", "价格"], ["排队"], ["口味"]]
    rising = rising_words(current, baseline, top=5)
    assert rising[0] == {"word": "排队", "count": 3, "share": 0.75, "baseline_share": 0.0, "change": 0.75}
    assert "价格" not in {row["word"] for row in rising}


def test_hot_and_rising_words_of_nothing_are_empty():
    assert hot_words([]) == []
    assert rising_words([], []) == []
    assert rising_words([["x1"], ["x1"]], []) [0]["change"] == 1.0


def test_hot_words_leave_out_fragments_that_are_not_words(analyzer):
    texts = ["这个地方好，下次还来", "很久没来了，味道还是那么好", "很久没吃到这么好吃的菜",
             "地方好找，停车方便"]
    analyses = analyzer.analyse_batch(texts)
    words = {row["word"] for row in hot_words(analyses, top=50)}
    assert not words & {"地好", "很久没", "方好"}, words
    assert {"味道", "停车"} <= words
