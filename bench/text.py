"""Text pipeline benchmark: verbatims/s on one core, model load time, memory.

    python bench/text.py [--models-dir DIR] [--texts N]

Builds the models first when DIR has none. The texts are short review-like
Chinese verbatims cut from the held-out part of the Chinese corpus (which the
model never saw), so the figures are for realistic input."""
import argparse
import os
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

TARGETS = {"throughput": 2000, "load": 1.0, "memory_mb": 400}


def verbatims(count):
    """Short (8-60 character) clauses from held-out Chinese reviews."""
    from appliance.text import corpus
    _, held_out = corpus.split(corpus.zh_rows())
    pieces = []
    for text, _ in held_out:
        pieces += [p for p in text.replace("！", "。").replace("？", "。").split("。") if 8 <= len(p) <= 60]
    return [pieces[i % len(pieces)] for i in range(count)]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models-dir", default=None)
    parser.add_argument("--texts", type=int, default=20000)
    parser.add_argument("--batch", type=int, default=500)
    args = parser.parse_args()
    os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})  # one core
    from appliance.core.config import TEXT_CONFIG_DIR, TEXT_MODELS_DIR
    from appliance.textengine.analyzer import Analyzer, ModelsMissing
    from appliance.textengine.build import build_models
    args.models_dir = args.models_dir or TEXT_MODELS_DIR
    try:
        Analyzer.load(TEXT_CONFIG_DIR, args.models_dir)
    except ModelsMissing:
        print("building models ...")
        build_models(args.models_dir, TEXT_CONFIG_DIR)
    analyzer = Analyzer.load(TEXT_CONFIG_DIR, args.models_dir)
    texts = verbatims(args.texts)
    analyzer.analyse_batch(texts[:200])  # warm-up
    started = time.perf_counter()
    for start in range(0, len(texts), args.batch):
        analyzer.analyse_batch(texts[start:start + args.batch])
    elapsed = time.perf_counter() - started
    memory_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    average = sum(map(len, texts)) / len(texts)
    print(f"texts: {len(texts)} (average {average:.0f} characters), batch {args.batch}, one core")
    print(f"throughput : {len(texts) / elapsed:8.0f} verbatims/s   (target >= {TARGETS['throughput']})")
    print(f"model load : {analyzer.load_seconds:8.2f} s             (target < {TARGETS['load']:.0f} s)")
    print(f"memory     : {memory_mb:8.0f} MB ru_maxrss   (target < {TARGETS['memory_mb']} MB)")


if __name__ == "__main__":
    main()
