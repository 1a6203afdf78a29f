"""The wheel carries everything a report needs: built from setup.cfg/setup.py, installed into
a fresh virtual environment and run from outside the checkout, `cem report render` writes a
Chinese executive and a survey report from the packaged templates."""
import os
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from report_pdf import pdf_text

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = sorted(p.name for p in (ROOT / "reports").iterdir() if p.suffix in (".html", ".css"))

pytestmark = pytest.mark.slow


def run(command, cwd, env=None):
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, f"{command[:3]}: {done.stdout[-2000:]}\n{done.stderr[-3000:]}"
    return done.stdout


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    out = tmp_path_factory.mktemp("wheel")
    run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
         "--wheel-dir", str(out), str(ROOT)], cwd=out)
    return next(out.glob("tingjian-*.whl"))


@pytest.fixture(scope="module")
def installed(wheel, tmp_path_factory):
    """A fresh venv with only the wheel installed; the dependencies come from the test's own
    environment by a path line (which does not run the checkout's editable-install hook)."""
    venv = tmp_path_factory.mktemp("venv")
    run([sys._base_executable, "-m", "venv", "--without-pip", str(venv)], cwd=venv)
    python = venv / "bin" / "python"
    run([sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet", "--no-deps",
         "--no-index", str(wheel)], cwd=venv)
    site = Path(run([str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                    cwd=venv).strip())
    (site / "zz_test_dependencies.pth").write_text(sysconfig.get_path("purelib") + "\n")
    return venv


def test_the_wheel_holds_the_report_templates(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    assert all(f"appliance/report_templates/{name}" in names for name in TEMPLATES)
    assert "appliance/translations/zh_Hans_CN/LC_MESSAGES/messages.mo" in names


def test_an_installed_wheel_renders_reports_outside_the_checkout(installed, tmp_path):
    cem, python = installed / "bin" / "cem", installed / "bin" / "python"
    where = run([str(python), "-c", "from appliance.pdf import assets; print(assets.REPORTS_DIR)"],
                cwd=tmp_path).strip()
    assert Path(where).is_relative_to(installed) and not Path(where).is_relative_to(ROOT)
    (tmp_path / "tingjian.toml").write_text("")
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("TINGJIAN_")},
           "TINGJIAN_CONFIG": str(tmp_path / "tingjian.toml"),
           "TINGJIAN_DATA_DIR": str(tmp_path / "data"),
           "TINGJIAN_MIGRATIONS_DIR": str(ROOT / "migrations"),      # the bundle ships these
           "TINGJIAN_TEXT_CONFIG_DIR": str(ROOT / "config" / "text"),   # beside the wheel
           "TINGJIAN_TEXT_MODELS_DIR": str(ROOT / "appliance" / "text" / "models")}
    run([str(cem), "migrate"], cwd=tmp_path, env=env)
    run([str(cem), "demo", "--responses", "300"], cwd=tmp_path, env=env)
    for kind in ("executive", "survey"):
        out = tmp_path / f"{kind}.pdf"
        run([str(cem), "report", "render", "--type", kind, "--node", "DEMO", "--from",
             "2025-01-01", "--to", "2030-12-31", "--out", str(out)], cwd=tmp_path, env=env)
        text = pdf_text(out.read_bytes(), tmp_path)
        assert "第 2 页" in text.replace("第2页", "第 2 页") and "方法" in text
