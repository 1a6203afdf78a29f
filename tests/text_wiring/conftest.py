"""Text wiring fixtures: one models directory per session, an app that reads it, seeded texts.

The models directory links the session's models (text_models_dir in tests/conftest.py:
the checkout's own, or built once for the run). It never holds a tag model: a test that
trains gets its own directory.
"""
import pytest
from helpers import make_app
from text_wiring_helpers import link_models, seed_texts



@pytest.fixture(scope="session")
def wiring_models_dir(tmp_path_factory, text_models_dir):
    """The session's models, linked into a directory the tests may add files to."""
    return link_models(text_models_dir, tmp_path_factory.mktemp("wiring-models") / "models")


@pytest.fixture
def models_dir(wiring_models_dir):
    return wiring_models_dir


@pytest.fixture
def app(data_dir, models_dir, monkeypatch):
    """The appliance with the session's models (TEXT_MODELS_DIR; the env variable too, for
    queue handlers that run outside an app context)."""
    app = make_app(data_dir)
    app.config["TEXT_MODELS_DIR"] = str(models_dir)
    return app


@pytest.fixture
def cem(app, monkeypatch):
    """cem(*args) -> click Result, running `cem text ...` against this test's app."""
    from click.testing import CliRunner

    import appliance.cli
    monkeypatch.setattr(appliance.cli.ENVIRONMENT, "app_context", app.app_context)

    def run(*args):
        return CliRunner().invoke(appliance.cli.main, ["text", *map(str, args)])
    return run


@pytest.fixture
def seeded(app):
    """Analysed texts in EAST-01, EAST-02 and SOUTH-01 (see seed_texts)."""
    return seed_texts(app)
