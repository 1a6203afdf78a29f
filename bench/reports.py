"""Executive PDF reports at enterprise size: the group and a region on 1,000,000 responses.

    python bench/reports.py [--responses 1000000] [--texts 20000] [--data-dir DIR] [--reuse]

Seeds the dashboards bench's organisation and responses (bench/dashboards.py: GROUP >
10 regions > 10 areas > 10 stores, the demo generator, the metrics summaries rebuilt),
analyses the newest --texts verbatims (topics, hot words, verbatims), then in a fresh
process, as the job runner would, renders the 10-page Chinese executive report for the
group and for a region (R03) over the last full month: once cold (first report of the
process: imports, font and chart setup) and three times warm. Targets (PRODUCT.md):
under 5 s a report, under 400 MB resident. Ends with `targets met` or `targets missed: ...`.
"""
import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

TARGET_S, MEMORY_MB = 5.0, 400


def prepare(data_dir, responses, texts):
    import shutil
    import dashboards
    from appliance.core.db import get_db
    from appliance.text import pipeline
    if data_dir.exists():
        shutil.rmtree(data_dir)
    data_dir.mkdir(parents=True)
    app = dashboards.make_app(data_dir)
    dashboards.seed(app, data_dir, responses)
    dashboards.build_summaries(app)
    from appliance.metrics import demo as metrics_demo
    with app.app_context():
        db = get_db()
        metrics_demo.seed_definitions(db)   # journeys, indicators and O-data
        last = db.execute("SELECT MAX(id) FROM responses").fetchone()[0]
        started = time.monotonic()
        pipeline.analyse_responses(db, max(1, last - texts + 1), last)
        print(f"analysed the newest {texts:,} responses' texts in {time.monotonic() - started:.0f} s")


def last_month():
    first_this = date.today().replace(day=1)
    last = first_this - timedelta(days=1)
    return last.replace(day=1), last


def pages(document):
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(document)
        handle.flush()
        info = subprocess.run(["pdfinfo", handle.name], capture_output=True, text=True).stdout
    return int(next((line.split()[-1] for line in info.splitlines()
                     if line.startswith("Pages:")), 0))


def memory_mb():
    """(private, file-backed) resident MB now: file-backed pages are the SQLite file mapped
    into memory (mmap_size), shared with the page cache, not this process's own."""
    fields = dict(line.split(":", 1) for line in Path("/proc/self/status").read_text().splitlines())
    return (int(fields["RssAnon"].split()[0]) / 1024, int(fields["RssFile"].split()[0]) / 1024)


def render_once(app, code):
    from appliance.core.db import get_db
    from appliance.org import units
    from appliance.reports import render
    date_from, date_to = last_month()
    with app.app_context():
        db = get_db()
        started, cpu = time.perf_counter(), time.thread_time()
        document, _report = render.build(db, "executive", units.get_unit_by_code(db, code),
                                         date_from, date_to, "zh_CN")
        return time.perf_counter() - started, time.thread_time() - cpu, document


def measure(data_dir):
    from appliance import create_app
    app = create_app({"data_dir": str(data_dir), "jobs": False}, environ={})
    missed, rows, private = [], [], []
    for code in ("GROUP", "R03"):
        cold, cold_cpu, document = render_once(app, code)
        warm = [render_once(app, code) for _ in range(3)]
        private.append(memory_mb())
        walls, cpus = [w for w, _c, _d in warm], [c for _w, c, _d in warm]
        rows.append((code, cold, cold_cpu, statistics.median(walls), max(walls),
                     statistics.median(cpus), pages(document), len(document) / 1024))
        if max(walls) > TARGET_S:
            missed.append(f"{code} report {max(walls):.1f} s")
    print(f"\n{'node':6} {'cold s':>7} {'cold cpu':>8} {'warm p50':>8} {'warm max':>8} "
          f"{'warm cpu':>8} {'pages':>5} {'KB':>5}  (wall seconds; target < {TARGET_S:.0f} s)")
    for code, cold, cold_cpu, p50, worst, cpu, count, size in rows:
        print(f"{code:6} {cold:7.2f} {cold_cpu:8.2f} {p50:8.2f} {worst:8.2f} {cpu:8.2f} "
              f"{count:5} {size:5.0f}")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    own = max(p for p, _f in private)
    mapped = max(f for _p, f in private)
    print(f"\nmemory of this renderer process (as the job runner): private {own:.0f} MB "
          f"(target < {MEMORY_MB} MB); file-backed {mapped:.0f} MB (the database mapped in, "
          f"shared page cache); peak resident {peak:.0f} MB")
    if own >= MEMORY_MB:
        missed.append(f"memory {own:.0f} MB")
    print(f"CPU time of this process: {time.process_time():.1f} s; load average "
          f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores (other work slows the wall clock)")
    print("targets met" if not missed else "targets missed: " + "; ".join(missed))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--responses", type=int, default=1_000_000)
    parser.add_argument("--texts", type=int, default=20_000)
    parser.add_argument("--data-dir", default=os.path.join(tempfile.gettempdir(),
                                                           "tingjian-bench-reports"))
    parser.add_argument("--reuse", action="store_true", help="render from an already seeded dir")
    args = parser.parse_args()
    data_dir = Path(args.data_dir)
    if args.reuse:
        measure(data_dir)
        return
    prepare(data_dir, args.responses, args.texts)
    # render in a fresh process so its memory is the renderer's, not the seeding's
    raise SystemExit(subprocess.call([sys.executable, __file__, "--reuse", "--data-dir",
                                      str(data_dir)]))


if __name__ == "__main__":
    main()
