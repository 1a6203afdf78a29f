"""Gather the licence of everything a bundle ships into BUNDLE/licenses/:
the appliance's LICENSE, each wheel's licence files (from its .dist-info) and each Debian
package's copyright file (usr/share/doc/PACKAGE/copyright inside the .deb).

    python licences.py BUNDLE_DIR
"""
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LICENCE_NAMES = ("LICENSE", "LICENCE", "COPYING", "NOTICE", "AUTHORS")


def wheel_licences(wheel, target):
    with zipfile.ZipFile(wheel) as archive:
        names = [n for n in archive.namelist() if ".dist-info/" in n
                 and Path(n).name.upper().startswith(LICENCE_NAMES)]
        for name in names:
            out = target / wheel.name.split("-")[0] / Path(name).name
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_bytes(archive.read(name))
        return bool(names)


def deb_copyright(deb, target):
    package = subprocess.run(["dpkg-deb", "-f", str(deb), "Package"], capture_output=True,
                             text=True, check=True).stdout.strip()
    listing = subprocess.run(f"dpkg-deb --fsys-tarfile '{deb}' | tar -xO "
                             f"--wildcards './usr/share/doc/*/copyright' 2>/dev/null",
                             shell=True, capture_output=True, check=False).stdout
    if listing:
        (target / f"{package}.copyright").write_bytes(listing)
    return bool(listing)


def main(bundle):
    target = Path(bundle) / "licenses"
    (target / "python").mkdir(parents=True, exist_ok=True)
    (target / "debian").mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "LICENSE", target / "tingjian-LICENSE")
    without = [w.name for w in sorted(Path(bundle, "wheels").glob("*.whl"))
               if not wheel_licences(w, target / "python")]
    without += [d.name for d in sorted(Path(bundle, "debs").glob("*.deb"))
                if not deb_copyright(d, target / "debian")]
    (target / "README.txt").write_text(
        "Licences of what this bundle ships: python/<distribution>/ from each wheel's metadata,\n"
        "debian/<package>.copyright from each Debian package.\n"
        + ("Without a licence file in the package (see its metadata or PyPI/Debian page):\n  "
           + "\n  ".join(without) + "\n" if without else ""), encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1])
