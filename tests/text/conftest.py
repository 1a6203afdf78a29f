"""Engine fixtures over the session's models (text_models_dir, tests/conftest.py)."""
import os
import shutil
from pathlib import Path

import pytest

from appliance.core.config import TEXT_CONFIG_DIR as DEFAULT_CONFIG_DIR
from appliance.textengine.analyzer import Analyzer


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
