"""Maintainers' tool for the zh_CN message catalogue (not needed to install or run).

    python installer/translations.py update            extract messages, merge into messages.po,
                                                       list the ones still untranslated
    python installer/translations.py fill FILE.py       set translations from a dict ZH in FILE.py
    python installer/translations.py dedupe             after a merge of branches (messages.po merges
                                                       with git's union driver): one entry per
                                                       message, the translated one kept
"""
import runpy
import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]
PO = ROOT / "appliance/translations/zh_Hans_CN/LC_MESSAGES/messages.po"
POT = ROOT / "build/messages.pot"


def extract():
    POT.parent.mkdir(exist_ok=True)
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "extract", "-F",
                    str(ROOT / "babel.cfg"), "-k", "_l", "-k", "lazy_gettext", "--no-location",
                    "-o", str(POT), str(ROOT / "appliance")], check=True, capture_output=True)
    if not PO.exists():
        PO.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run([sys.executable, "-m", "babel.messages.frontend", "init", "-i", str(POT),
                        "-d", str(ROOT / "appliance/translations"), "-l", "zh_Hans_CN"], check=True,
                       capture_output=True)
    else:
        subprocess.run([sys.executable, "-m", "babel.messages.frontend", "update", "-i", str(POT),
                        "-d", str(ROOT / "appliance/translations"), "--no-fuzzy-matching",
                        "--ignore-obsolete"], check=True, capture_output=True)


def untranslated():
    with PO.open("rb") as handle:
        catalog = read_po(handle)
    return [m.id for m in catalog if m.id and not m.string]


def fill(path):
    table = runpy.run_path(path)["ZH"]
    with PO.open("rb") as handle:
        catalog = read_po(handle)
    for message in catalog:
        if message.id in table:
            message.string = table[message.id]
            message.flags.discard("fuzzy")
    with PO.open("wb") as handle:
        write_po(handle, catalog, width=0)


def dedupe():
    """Keep one entry per message id (and context), preferring one with a translation."""
    blocks = PO.read_text(encoding="utf-8").split("\n\n")
    kept, index = [], {}
    for block in blocks:
        key = _message_key(block)
        if key is None:
            kept.append(block)
        elif key not in index:
            index[key] = len(kept)
            kept.append(block)
        elif not _translated(kept[index[key]]) and _translated(block):
            kept[index[key]] = block
    PO.write_text("\n\n".join(kept), encoding="utf-8")
    return len(blocks) - len(kept)


def _message_key(block):
    lines = [line for line in block.splitlines() if not line.startswith("#")]
    text = "\n".join(lines)
    head = text.split("msgstr", 1)[0].strip()
    return head if head.startswith(("msgid", "msgctxt")) and head != 'msgid ""' else None


def _translated(block):
    body = block.split("msgstr", 1)[1] if "msgstr" in block else ""
    return bool(body.replace('"', "").strip())


if __name__ == "__main__":
    if sys.argv[1:2] == ["update"]:
        extract()
        for message_id in untranslated():
            print(repr(message_id))
    elif sys.argv[1:2] == ["fill"]:
        fill(sys.argv[2])
        print(f"{len(untranslated())} untranslated left")
    elif sys.argv[1:2] == ["dedupe"]:
        print(f"{dedupe()} duplicate entries removed")
        extract()
        print(f"{len(untranslated())} untranslated left")
    else:
        print(__doc__)
