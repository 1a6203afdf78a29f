"""Print NAME==VERSION --hash=sha256:... for every dependency wheel in a directory (not the
appliance's own), so the offline install checks the very files the bundle ships.

    python pin_wheels.py WHEEL_DIR > WHEEL_DIR/requirements.txt
"""
import hashlib
import sys
from pathlib import Path


def pins(wheel_dir):
    for wheel in sorted(Path(wheel_dir).glob("*.whl")):
        name, version = wheel.name.split("-")[:2]
        if name == "tingjian":
            continue
        digest = hashlib.sha256(wheel.read_bytes()).hexdigest()
        yield f"{name}=={version} --hash=sha256:{digest}"


if __name__ == "__main__":
    print("\n".join(pins(sys.argv[1])))
