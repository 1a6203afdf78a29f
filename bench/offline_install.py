"""Proof that the offline bundle installs with the network cut (run as root, ~5-10 min):

    python3 bench/offline_install.py [--bundle dist/tingjian-...tar.gz] [--previous OLD.tar.gz]

Builds the bundle (installer/build-bundle.sh) unless --bundle names one, checks that a
tampered, a truncated and a wrong-release bundle are refused in one line, checks that the
bundle's .debs install on a minimal Debian of this release with no package source, then in
a network namespace with only loopback (`unshare -n`): unpacks the bundle into a clean
directory, runs install-offline.sh --prefix DIR --no-systemd, and fetches /healthz and
/setup. With --previous, the clean install is made from that (older) bundle, a response is
stored, and `cem upgrade` to the new bundle must keep it. Prints each step and ends with
`targets met` or `targets missed: ...`.
"""
import argparse
import glob
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "installer" / "bundle"))
MISSED = []


def step(text):
    print(f"-- {text}", flush=True)


def check(ok, what):
    print(f"   {'ok' if ok else 'MISSED'}: {what}", flush=True)
    if not ok:
        MISSED.append(what)
    return ok


def run(command, **kwargs):
    return subprocess.run(command, capture_output=True, text=True, **kwargs)


def build_bundle(out):
    step("building the bundle (installer/build-bundle.sh)")
    started = time.monotonic()
    result = run(["bash", str(ROOT / "installer" / "build-bundle.sh"), "--out", str(out)])
    print(result.stdout[-600:].rstrip())
    check(result.returncode == 0, f"bundle built in {time.monotonic() - started:.0f} s")
    return Path(glob.glob(f"{out}/tingjian-*.tar.gz")[0])


def unpack(bundle, target):
    target.mkdir(parents=True, exist_ok=True)
    result = run(["tar", "-xzf", str(bundle), "-C", str(target)])
    dirs = [p for p in target.iterdir() if p.is_dir()]
    return result, dirs[0] if dirs else None


def refusals(bundle, work):
    step("refusing damaged bundles")
    _, tampered = unpack(bundle, work / "tampered")
    wheel = next((tampered / "wheels").glob("flask-*.whl"))
    wheel.write_bytes(wheel.read_bytes()[:-10] + b"0123456789")
    result = run([str(tampered / "install-offline.sh"), "--verify-only"])
    check(result.returncode != 0 and "damaged" in result.stderr and len(result.stderr.splitlines()) == 1,
          f"tampered wheel refused: {result.stderr.strip()}")
    cut = work / "truncated.tar.gz"
    cut.write_bytes(bundle.read_bytes()[: bundle.stat().st_size * 2 // 3])
    tar, truncated = unpack(cut, work / "truncated")
    result = run([str(truncated / "install-offline.sh"), "--verify-only"])
    check(tar.returncode != 0 and result.returncode != 0 and "damaged" in result.stderr,
          f"truncated bundle refused: {result.stderr.strip()}")
    _, good = unpack(bundle, work / "good")
    fake = work / "os-release"
    fake.write_text('ID=debian\nVERSION_CODENAME=trixie\n')
    result = run(["unshare", "-m", "sh", "-c", f"mount --bind {fake} /etc/os-release && "
                  f"{good / 'install-offline.sh'} --verify-only"])
    check(result.returncode != 0 and "is for Debian" in result.stderr,
          f"other Debian release refused: {result.stderr.strip()}")
    return good


def debs_on_minimal_debian(bundle_dir, work):
    step("the bundle's .debs on a minimal Debian of this release, no package source, no network")
    from deb_closure import baseline
    status = work / "minimal.status"
    status.write_text("\n\n".join(baseline()) + "\n\n")
    (work / "apt/lists/partial").mkdir(parents=True)
    (work / "apt/sources.list").write_text(f"deb [trusted=yes] file:{bundle_dir / 'debs'} ./\n")
    opts = ["-o", f"Dir::Etc::SourceList={work / 'apt/sources.list'}", "-o", "Dir::Etc::SourceParts=/dev/null",
            "-o", f"Dir::State::Lists={work / 'apt/lists'}", "-o", f"Dir::State::status={status}",
            "-o", "Debug::NoLocking=1", "-o", "Acquire::Languages=none"]
    roots = dict(line.split("=", 1) for line in (bundle_dir / "bundle.env").read_text().splitlines())
    update = run(["unshare", "-n", "apt-get", "update", *opts])
    result = run(["unshare", "-n", "apt-get", "-s", *opts, "install", "--no-install-recommends",
                  *roots["BUNDLE_DEBS"].strip('"').split()])
    debs = list((bundle_dir / "debs").glob("*.deb"))
    installs = result.stdout.count("\nInst ")
    check(update.returncode == 0 and result.returncode == 0 and installs == len(debs),
          f"apt installs {installs} of the bundle's {len(debs)} packages on a minimal Debian from the bundle alone"
          + ("" if result.returncode == 0 else f": {result.stdout[-300:]} {update.stderr[-300:]}"))


def offline(args):
    """Inside `unshare -n`: loopback only."""
    subprocess.run(["ip", "link", "set", "lo", "up"], check=True)
    try:
        socket.create_connection(("151.101.0.223", 443), timeout=3).close()
        check(False, "network is cut")
    except OSError as exc:
        check(True, f"network is cut (outside address: {exc.strerror or exc})")
    prefix, port = Path(args.prefix), free_port()
    first = Path(args.previous_dir or args.bundle_dir)
    step(f"install-offline.sh --prefix {prefix} --no-systemd (bundle {first.name})")
    started = time.monotonic()
    result = run([str(first / "install-offline.sh"), "--prefix", str(prefix), "--no-systemd",
                  "--bind", f"127.0.0.1:{port}"])
    print("   " + result.stdout.strip().replace("\n", "\n   "))
    check(result.returncode == 0, f"installed and started in {time.monotonic() - started:.0f} s"
          + ("" if result.returncode == 0 else f": {result.stderr.strip()[-800:]}"))
    base = f"http://127.0.0.1:{port}"
    health = fetch(f"{base}/healthz")
    check(health and health[0] == 200 and json.loads(health[1])["database"] == "ok",
          f"/healthz answers {health and health[0]}: {health and health[1][:200]}")
    setup = fetch(f"{base}/setup")
    check(setup and setup[0] == 200 and "csrf_token" in setup[1], f"/setup serves the wizard ({setup and setup[0]})")
    if args.previous_dir:
        upgrade(prefix, base, Path(args.bundle))
    stop(prefix)


def upgrade(prefix, base, bundle):
    cem = prefix / "opt/tingjian/current/venv/bin/cem"
    env = {**os.environ, "TINGJIAN_CONFIG": str(prefix / "etc/tingjian/tingjian.toml")}
    marker = run([str(cem.parent / "python"), "-c", MARK], env=env)
    step(f"cem upgrade {bundle.name}")
    result = run([str(cem), "upgrade", str(bundle)], env=env)
    print("   " + (result.stdout + result.stderr).strip().replace("\n", "\n   "))
    check(result.returncode == 0, "upgrade finished")
    after = run([str(cem.parent / "python"), "-c", READ], env=env)
    check(marker.stdout.strip() and marker.stdout.strip() == after.stdout.strip(),
          f"data kept across the upgrade ({after.stdout.strip() or after.stderr[-200:]})")
    health = fetch(f"{base}/healthz")
    check(health and health[0] == 200, f"/healthz after the upgrade: {health and health[0]}")
    kept = sorted(p.name for p in (prefix / "opt/tingjian/releases").iterdir())
    check(len(kept) <= 2, f"old releases pruned, kept: {', '.join(kept)}")
    current = os.readlink(prefix / "opt/tingjian/current")
    broken = broken_bundle(bundle, prefix.parent / "broken")
    step(f"cem upgrade {broken.name} (a bundle whose new migration fails)")
    result = run([str(cem), "upgrade", str(broken)], env=env)
    print("   " + (result.stdout + result.stderr).strip().replace("\n", "\n   "))
    check(result.returncode != 0 and "rolled back" in result.stderr, "failed upgrade says it rolled back")
    check(os.readlink(prefix / "opt/tingjian/current") == current, f"current is {current} again")
    after = run([str(cem.parent / "python"), "-c", READ], env=env)
    health = fetch(f"{base}/healthz")
    check(after.stdout.strip() == "upgrade-marker" and health and health[0] == 200,
          f"after the rollback: data kept ({after.stdout.strip()}), /healthz {health and health[0]}")


def broken_bundle(bundle, work):
    """The new bundle with one more migration that fails, re-manifested and re-packed."""
    _, unpacked = unpack(bundle, work)
    (unpacked / "app/migrations/0049_broken.sql").write_text("ALTER TABLE no_such_table ADD x;\n")
    entries = sorted(str(p.relative_to(unpacked)) for p in unpacked.rglob("*")
                     if p.is_file() and p.name != "MANIFEST")
    manifest = run(["sha256sum", *entries], cwd=unpacked).stdout
    (unpacked / "MANIFEST").write_text(manifest)
    out = work / bundle.name.replace(".tar.gz", "-broken.tar.gz")
    subprocess.run(["tar", "-czf", str(out), "-C", str(work), unpacked.name], check=True)
    return out


MARK = ("from appliance.core import config, db, settings; c = config.load(); "
        "d = db.connect(db.database_path(c['DATA_DIR'])); "
        "settings.set_many(d, {'org.name': 'upgrade-marker'}); print(settings.get(d, 'org.name'))")
READ = ("from appliance.core import config, db, settings; c = config.load(); "
        "d = db.connect(db.database_path(c['DATA_DIR'])); print(settings.get(d, 'org.name'))")


def stop(prefix):
    pid_file = prefix / "opt/tingjian/tingjian.pid"
    if pid_file.exists():
        os.kill(int(pid_file.read_text()), 15)


def fetch(url, tries=60):
    for _ in range(tries):
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode()
        except OSError:
            time.sleep(0.5)
    return None


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bundle")
    parser.add_argument("--previous")
    parser.add_argument("--inside", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--prefix", help=argparse.SUPPRESS)
    parser.add_argument("--bundle-dir", help=argparse.SUPPRESS)
    parser.add_argument("--previous-dir", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.inside:
        offline(args)
        sys.exit(1 if MISSED else 0)
    work = Path(tempfile.mkdtemp(prefix="tingjian-offline-"))
    bundle = Path(args.bundle) if args.bundle else build_bundle(work / "dist")
    good = refusals(bundle, work)
    debs_on_minimal_debian(good, work)
    inner = [sys.executable, __file__, "--inside", "--prefix", str(work / "clean"),
             "--bundle", str(bundle), "--bundle-dir", str(good)]
    if args.previous:
        _, previous = unpack(Path(args.previous), work / "previous")
        inner += ["--previous-dir", str(previous)]
    step("with the network cut: unshare -n (loopback only)")
    inside = subprocess.run(["unshare", "-n", *inner], text=True, capture_output=True)
    print(inside.stdout.rstrip())
    for line in inside.stdout.splitlines():
        if line.strip().startswith("MISSED:"):
            MISSED.append(line.strip()[len("MISSED: "):])
    if inside.returncode and not MISSED:
        MISSED.append(f"offline part exited {inside.returncode}: {inside.stderr[-500:]}")
    print("targets met" if not MISSED else f"targets missed: {'; '.join(MISSED)}")


if __name__ == "__main__":
    main()
