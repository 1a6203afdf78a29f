"""Models are built once per session into a temporary directory."""
import os
import shutil
from pathlib import Path

import pytest

from appliance.text import Analyzer, build_models
from appliance.text.resources import DEFAULT_CONFIG_DIR


@pytest.fixture(scope="session")
def text_models_dir(tmp_path_factory):
    models_dir = tmp_path_factory.mktemp("text-models")
    build_models(models_dir)
    return models_dir


@pytest.fixture(scope="session")
def analyzer(text_models_dir):
    return Analyzer.load(config_dir=DEFAULT_CONFIG_DIR, models_dir=text_models_dir)


@pytest.fixture
def text_config_dir(tmp_path):
    """An editable copy of config/text for one test."""
    return Path(shutil.copytree(DEFAULT_CONFIG_DIR, tmp_path / "config-text"))


@pytest.fixture
def own_models_dir(tmp_path, text_models_dir):
    """A models directory of one test's own (for tag training), sharing the built files."""
    directory = tmp_path / "models"
    directory.mkdir()
    for path in Path(text_models_dir).iterdir():
        (directory / path.name).symlink_to(path)
    return directory


@pytest.fixture
def touch_later():
    """Make sure a rewritten file's mtime differs from the one already seen."""
    def touch(path):
        info = os.stat(path)
        os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns + 2_000_000_000))
    return touch
