import json

from click.testing import CliRunner

from appliance.text.cli import text_cli

LISTED_KEYS = {"language", "sentiment", "score", "keywords", "tags", "sensitive"}


def run(args, text_models_dir, **kwargs):
    return CliRunner().invoke(text_cli, [*args[:1], "--models-dir", str(text_models_dir), *args[1:]],
                              catch_exceptions=False, **kwargs)


def test_analyse_prints_one_json_object_per_input_line_in_order(text_models_dir):
    lines = ["服务员态度很差，我要投诉", "", "Lovely staff, great food", "價格實惠"]
    result = run(["analyse"], text_models_dir, input="\n".join(lines) + "\n")
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.output.splitlines()]
    assert len(rows) == 4
    assert all(LISTED_KEYS <= set(row) for row in rows)
    assert rows[0]["language"] == "zh" and rows[0]["sentiment"] == "negative"
    assert rows[0]["sensitive"] == [{"category": "complaint_escalation", "word": "投诉", "start": 10, "end": 12}]
    assert {"tag": "service_attitude", "by": "rule"} in rows[0]["tags"]
    assert rows[1]["sentiment"] == "neutral"
    assert rows[2]["language"] == "en" and rows[2]["sentiment"] == "positive"
    assert "投诉" in result.output  # ensure_ascii=False
    assert isinstance(rows[3]["score"], float)


def test_analyse_reads_a_file(text_models_dir, tmp_path):
    path = tmp_path / "texts.txt"
    path.write_bytes("好吃\r\n难吃\n".encode("utf-8") + b"\xff\xfe\n")
    result = run(["analyse", str(path)], text_models_dir)
    assert result.exit_code == 0
    assert len(result.output.splitlines()) == 3


def test_analyse_without_models_says_how_to_build_them(tmp_path):
    result = CliRunner().invoke(text_cli, ["analyse", "--models-dir", str(tmp_path)], input="x\n")
    assert result.exit_code == 1
    assert "build-models" in result.output


def test_the_directories_default_to_the_appliances_configuration(tmp_path, text_models_dir):
    config = tmp_path / "tingjian.toml"
    config.write_text(f'data_dir = "{tmp_path}"\ntext_models_dir = "{tmp_path / "nowhere"}"\n')
    result = CliRunner().invoke(text_cli, ["analyse"], input="x\n",
                                env={"TINGJIAN_CONFIG": str(config)})
    assert result.exit_code == 1 and str(tmp_path / "nowhere") in result.output
    result = CliRunner().invoke(text_cli, ["analyse"], input="很好\n", env={
        "TINGJIAN_CONFIG": str(config), "TINGJIAN_TEXT_MODELS_DIR": str(text_models_dir)})
    assert result.exit_code == 0 and '"sentiment"' in result.output


def test_evaluate_prints_accuracy_and_f1_per_language(text_models_dir):
    result = run(["evaluate"], text_models_dir)
    assert result.exit_code == 0
    assert result.output.startswith("en: accuracy 0.")
    assert "zh: accuracy 0." in result.output and "F1" in result.output


def test_train_tags_reads_a_csv(own_models_dir, tmp_path):
    path = tmp_path / "labels.csv"
    path.write_text("text,tags\n网速太慢,wifi\n无线连不上,wifi;服务态度\n菜好吃,\n很安静,环境\n",
                    encoding="utf-8")
    result = run(["train-tags", str(path)], own_models_dir)
    assert result.exit_code == 0, result.output
    assert "wifi" in result.output


def test_train_tags_rejects_a_csv_without_the_columns(own_models_dir, tmp_path):
    path = tmp_path / "labels.csv"
    path.write_text("body,labels\nx,y\n", encoding="utf-8")
    result = CliRunner().invoke(text_cli, ["train-tags", str(path), "--models-dir", str(own_models_dir)])
    assert result.exit_code == 1
    assert "text and tags" in result.output
