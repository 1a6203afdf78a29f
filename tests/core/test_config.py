import re
from pathlib import Path

import pytest

from appliance.core import config

DEFAULT_FILE = Path(__file__).resolve().parents[2] / "config" / "tingjian.toml"


def test_defaults_then_file_then_environment_then_overrides(tmp_path):
    config_file = tmp_path / "t.toml"
    config_file.write_text(f'data_dir = "{tmp_path}"\nworkers = 3\nthreads = 5\nbind = "0.0.0.0:9000"\n')
    env = {"TINGJIAN_CONFIG": str(config_file), "TINGJIAN_THREADS": "7",
           "TINGJIAN_BIND": "127.0.0.1:9100"}
    loaded = config.load(overrides={"bind": "127.0.0.1:9200"}, environ=env)
    assert loaded["WORKERS"] == 3            # file beats default
    assert loaded["THREADS"] == 7            # environment beats file
    assert loaded["BIND"] == "127.0.0.1:9200"  # overrides beat environment
    assert loaded["LOCKOUT_ATTEMPTS"] == 5   # default


def test_one_worker_per_core_by_default_and_never_fewer_than_two(tmp_path):
    """bench/intake.py on 2 cores: two sync workers took 1,154-1,409 submissions/s (ratio
    0.35-0.43), four took 1,104-1,125 (0.26-0.27): processes beyond the cores contend."""
    assert [config.workers_for(cores) for cores in (None, 1, 2, 8)] == [2, 2, 2, 8]
    loaded = config.load(environ={"TINGJIAN_DATA_DIR": str(tmp_path)})
    assert loaded["WORKERS"] == config.workers_for(config.os.cpu_count())


@pytest.mark.parametrize("env, key", [
    ({"TINGJIAN_BIND": "127.0.0.1:99999"}, "bind"),
    ({"TINGJIAN_BIND": "no-port"}, "bind"),
    ({"TINGJIAN_WORKERS": "many"}, "workers"),
    ({"TINGJIAN_WORKERS": "0"}, "workers"),
    ({"TINGJIAN_SECURE_COOKIES": "perhaps"}, "secure_cookies"),
    ({"TINGJIAN_COLOUR": "blue"}, "colour"),
    ({"TINGJIAN_DATA_DIR": "/dev/null/cannot"}, "data_dir"),
    ({"TINGJIAN_LOG_LEVEL": "LOUD"}, "log_level"),
    ({"TINGJIAN_JOB_NICE": "20"}, "job_nice"),
])
def test_a_wrong_value_stops_the_start_with_a_one_line_message_naming_the_key(env, key, tmp_path):
    env = {"TINGJIAN_DATA_DIR": str(tmp_path), **env}
    with pytest.raises(config.ConfigError) as error:
        config.load(environ=env)
    message = str(error.value)
    assert message.startswith(key) and "\n" not in message


def test_unknown_key_in_the_file_is_named(tmp_path):
    config_file = tmp_path / "t.toml"
    config_file.write_text('workerz = 3\n')
    with pytest.raises(config.ConfigError, match="workerz: unknown setting"):
        config.load(environ={"TINGJIAN_CONFIG": str(config_file), "TINGJIAN_DATA_DIR": str(tmp_path)})


def test_a_missing_or_broken_config_file_is_reported(tmp_path):
    with pytest.raises(config.ConfigError, match="TINGJIAN_CONFIG"):
        config.load(environ={"TINGJIAN_CONFIG": str(tmp_path / "absent.toml")})
    broken = tmp_path / "broken.toml"
    broken.write_text("workers = = 2")
    with pytest.raises(config.ConfigError, match="not valid TOML"):
        config.load(environ={"TINGJIAN_CONFIG": str(broken)})


def test_every_setting_is_documented_in_the_default_file():
    text = DEFAULT_FILE.read_text()
    documented = set(re.findall(r"^# ([a-z_]+) = ", text, re.M))
    assert documented == {s.name for s in config.SETTINGS}
    assert all(s.help for s in config.SETTINGS)


def test_the_default_file_loads_as_is(tmp_path):
    loaded = config.load(environ={"TINGJIAN_CONFIG": str(DEFAULT_FILE),
                                  "TINGJIAN_DATA_DIR": str(tmp_path)})
    assert loaded["BIND"] == "127.0.0.1:8000"
