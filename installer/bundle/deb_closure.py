"""Which Debian packages the appliance needs on a minimal Debian of this release.

A minimal Debian (debootstrap --variant=minbase) holds the packages of Priority
required (and Essential), with what they depend on. We write that baseline as a
dpkg status file, taken from this machine's own status, and ask apt to simulate
installing the appliance's packages on it: the "Inst" lines are the closure
(alternatives resolved the way apt resolves them for this release), printed as
NAME=VERSION, one a line, for `apt-get download`.

    python3 deb_closure.py PACKAGE...
    python3 deb_closure.py --index DEB_DIR    writes DEB_DIR/Packages, so that apt can use
                                              the directory as a local source (no dpkg-dev needed)
"""
import hashlib
from pathlib import Path
import re
import subprocess
import sys
import tempfile

STATUS = "/var/lib/dpkg/status"


def stanzas(path):
    with open(path, encoding="utf-8") as handle:
        return [s for s in handle.read().split("\n\n") if s.strip()]


def field(stanza, name):
    match = re.search(rf"^{name}: (.*(?:\n .*)*)", stanza, re.M)
    return match.group(1).replace("\n", " ") if match else ""


def depends(stanza, installed):
    """Names this package depends on, each alternative group resolved to an installed one."""
    names = []
    for group in (field(stanza, "Pre-Depends") + "," + field(stanza, "Depends")).split(","):
        options = [re.split(r"[\s(:]", alt.strip())[0] for alt in group.split("|") if alt.strip()]
        chosen = next((o for o in options if o in installed), None)
        if chosen:
            names.append(chosen)
    return names


def baseline():
    installed = {}
    for stanza in stanzas(STATUS):
        if "install ok installed" in field(stanza, "Status"):
            installed[field(stanza, "Package")] = stanza
    provides = {}
    for name, stanza in installed.items():
        for virtual in field(stanza, "Provides").split(","):
            if virtual.strip():
                provides.setdefault(re.split(r"[\s(]", virtual.strip())[0], name)
    resolvable = set(installed) | set(provides)
    todo = [n for n, s in installed.items()
            if field(s, "Priority") == "required" or field(s, "Essential") == "yes"]
    seen = set()
    while todo:
        name = provides.get(todo.pop(), None) if todo[-1] not in installed else todo.pop()
        if name is None or name in seen:
            continue
        seen.add(name)
        todo.extend(depends(installed[name], resolvable))
    return [installed[name] for name in sorted(seen)]


def closure(packages):
    with tempfile.NamedTemporaryFile("w", suffix=".status", encoding="utf-8") as status:
        status.write("\n\n".join(baseline()) + "\n\n")
        status.flush()
        result = subprocess.run(
            ["apt-get", "-s", "-o", f"Dir::State::status={status.name}",
             "-o", "Debug::NoLocking=1", "install", "--no-install-recommends", *packages],
            capture_output=True, text=True, check=False)
    if result.returncode:
        sys.exit(f"apt could not resolve {' '.join(packages)}:\n{result.stdout[-2000:]}{result.stderr}")
    return re.findall(r"^Inst (\S+) \((\S+)", result.stdout, re.M)


def index(deb_dir):
    """A Packages file for a flat repository: each .deb's control fields and its checksum."""
    entries = []
    for deb in sorted(Path(deb_dir).glob("*.deb")):
        control = subprocess.run(["dpkg-deb", "-f", str(deb)], capture_output=True, text=True,
                                 check=True).stdout.rstrip("\n")
        raw = deb.read_bytes()
        entries.append(f"{control}\nFilename: ./{deb.name}\nSize: {len(raw)}\n"
                       f"SHA256: {hashlib.sha256(raw).hexdigest()}\n")
    (Path(deb_dir) / "Packages").write_text("\n".join(entries), encoding="utf-8")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--index"]:
        index(sys.argv[2])
    else:
        for name, version in closure(sys.argv[1:]):
            print(f"{name}={version}")
