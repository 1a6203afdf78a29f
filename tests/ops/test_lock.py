"""The lock files (requirements.lock, requirements-test.lock) agree with setup.cfg: every
requirement is pinned, with hashes, at a version inside its range. Regenerate them with
pip-compile (see docs/operations.md) when this fails."""
import configparser
import re
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]
PIN = re.compile(r"^([A-Za-z0-9_.\-]+)==([^\s\\;]+)")


def declared(section, key):
    parser = configparser.ConfigParser()
    parser.read(ROOT / "setup.cfg", encoding="utf-8")
    lines = parser[section][key].strip().splitlines()
    return [Requirement(line.strip()) for line in lines if line.strip()]


def pins(lock_name):
    """name -> (version, number of hashes) from a pip-compile --generate-hashes file."""
    found, current = {}, None
    for line in (ROOT / lock_name).read_text(encoding="utf-8").splitlines():
        match = PIN.match(line)
        if match:
            current = canonicalize_name(match.group(1))
            found[current] = [match.group(2), 0]
        elif current and line.strip().startswith("--hash=sha256:"):
            found[current][1] += 1
    return found


@pytest.mark.parametrize("lock_name, requirements", [
    ("requirements.lock", declared("options", "install_requires")),
    ("requirements-test.lock", declared("options", "install_requires")
     + declared("options.extras_require", "test")),
])
def test_every_requirement_of_setup_cfg_is_pinned_in_its_range(lock_name, requirements):
    locked = pins(lock_name)
    for requirement in requirements:
        name = canonicalize_name(requirement.name)
        assert name in locked, f"{requirement.name} is not pinned in {lock_name}"
        version = locked[name][0]
        assert requirement.specifier.contains(version, prereleases=True), \
            f"{lock_name} pins {name}=={version}, outside {requirement.specifier} (setup.cfg)"


@pytest.mark.parametrize("lock_name", ["requirements.lock", "requirements-test.lock"])
def test_every_pin_carries_hashes(lock_name):
    unhashed = [name for name, (_v, hashes) in pins(lock_name).items() if not hashes]
    assert not unhashed, f"pins without --hash in {lock_name}: {unhashed}"


def test_the_test_lock_keeps_the_versions_of_the_runtime_lock():
    runtime, test = pins("requirements.lock"), pins("requirements-test.lock")
    differing = {n: (v, test.get(n, ["missing"])[0]) for n, (v, _h) in runtime.items()
                 if test.get(n, [None])[0] != v}
    assert not differing, f"requirements-test.lock differs from requirements.lock: {differing}"
