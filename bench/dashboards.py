"""Dashboards at enterprise size: 1,000,000 responses over 1,000 stores and a year.

    python bench/dashboards.py [--responses 1000000] [--data-dir DIR] [--reuse]

Seeds GROUP > 10 regions > 10 areas > 10 stores with the demo generator
(appliance/collection/demo.py), builds the metrics summaries through the same path as
the job runner's response.batch_accepted handler, then times every dashboard page and
metrics JSON call in-process (Flask test client: server time, no network) as the top
administrator and as a store manager, cold (fresh process caches and connection) and
warm, with and without filters. Target (PRODUCT.md): every call under 200 ms; memory
per worker under 400 MB. Ends with `targets met` or `targets missed: ...`. Templates are
compiled before timing (a worker does that once, at its first request).
"""
import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from appliance import create_app  # noqa: E402
from appliance.core import crypto, settings  # noqa: E402
from appliance.core.db import get_db, transaction  # noqa: E402
from appliance.org import units, users  # noqa: E402

TARGET_MS, MEMORY_MB, PASSWORD = 200, 400, "Bench-pass-2026!"


def make_app(data_dir):
    app = create_app({"data_dir": str(data_dir), "jobs": False}, environ={})
    app.config.update(WTF_CSRF_ENABLED=False)
    return app


def seed_org(db, data_dir):
    crypto.create_keyring(data_dir)
    with transaction(db):
        root = units.create_unit(db, "GROUP", "演示集团", "group", None)
        for r in range(10):
            region = units.create_unit(db, f"R{r:02d}", f"区域{r + 1}", "region", root)
            for a in range(10):
                area = units.create_unit(db, f"R{r:02d}A{a}", f"片区{r + 1}-{a + 1}", "area", region)
                for s in range(10):
                    units.create_unit(db, f"S{r:02d}{a}{s}", f"门店{r}{a}{s}", "store", area)
        users.create_user(db, "admin", "Admin", "admin@example.com", PASSWORD, "admin", root)
        users.create_user(db, "store", "Store", "store@example.com", PASSWORD, "unit_manager",
                          units.get_unit_by_code(db, "S0000"))
        settings.set_many(db, {"setup.completed": True, "setup.step": "done",
                               "org.name": "演示集团", "org.timezone": "Asia/Shanghai"})


def seed(app, data_dir, n):
    from appliance.collection import demo
    with app.app_context():
        db = get_db()
        seed_org(db, data_dir)
        started = time.monotonic()
        demo.generate_responses(db, n, echo=lambda line: None)
        print(f"seeded {n:,} responses in {time.monotonic() - started:.0f} s")


def build_summaries(app):
    """`cem metrics rebuild`'s path: stage each response's contribution, then GROUP BY;
    and the verbatims analysed as the job runner does (the text summaries kept as it writes)."""
    from appliance.metrics import events
    from appliance.text import pipeline
    with app.app_context():
        started = time.monotonic()
        n = events.rebuild_all(get_db())
        took = time.monotonic() - started
        print(f"summaries built from {n:,} responses in {took:.0f} s ({n / took:,.0f} responses/s)")
        if get_db().execute("SELECT COUNT(*) FROM text_items").fetchone()[0] == 0:
            started = time.monotonic()
            n = pipeline.analyse_responses(get_db())
            print(f"{n:,} verbatims analysed in {time.monotonic() - started:.0f} s")


def fill_driver_moments(db):
    """A database summarised before migration 0075: the job runner's backfill, done here
    once before timing (a fresh build fills them with the other summaries)."""
    from appliance.metrics import moments
    if not moments.filling(db):
        return False
    started = time.monotonic()
    units = moments.backfill(db)
    print(f"key-driver moments of {units:,} unit-months back-filled in "
          f"{time.monotonic() - started:.0f} s (the job runner's upgrade step)")
    return True


def calls(today):
    year = f"from={today.replace(year=today.year - 1).isoformat()}&to={today.isoformat()}"
    api = [f"/api/v1/metrics?node=GROUP&{year}", f"/api/v1/metrics?node=R03&{year}&channel=wechat",
           f"/api/v1/metrics?node=GROUP&{year}&touchpoint=serving",
           f"/api/v1/metrics?node=GROUP&{year}&segment=channel:wechat",
           f"/api/v1/metrics/index-trend?node=GROUP&{year}&grain=week"]
    pages = ["/", "/dashboard?period=30d", "/dashboard?period=365d",
             "/dashboard?period=90d&channel=qr&language=zh_CN", "/dashboard?node=R03&period=90d",
             "/dashboard?node=R03A1&period=30d", "/dashboard?period=90d&segment=channel:wechat",
             "/journeys?period=90d", "/text/", "/text/?channel=wechat"]
    return {"admin": pages + api,
            "store": ["/", "/dashboard?period=30d", "/dashboard?period=365d&channel=wechat",
                      "/text/", f"/api/v1/metrics?node=S0000&{year}"]}


def time_call(client, url):
    """(wall ms, CPU ms of this process): SQLite runs in-process, so the CPU time is the
    call's own work whatever else the machine is doing."""
    started, cpu = time.perf_counter(), time.process_time()
    response = client.get(url)
    elapsed = (time.perf_counter() - started) * 1000
    if response.status_code != 200:
        raise SystemExit(f"{url} answered {response.status_code}")
    return elapsed, (time.process_time() - cpu) * 1000


def clear_caches():
    """Cold: every process cache of the metrics domain emptied (tree, catalog, drivers, O-data)."""
    from appliance.metrics import cache, catalog, tree
    catalog._CACHE.clear()
    tree._CACHE.clear()
    cache._ENTRIES.clear()


def compile_templates(app):
    """A worker compiles each Jinja template once, at its first use (~0.6 s for the home
    page's dozen templates); done here before timing so "cold" is the data caches' cold."""
    started = time.monotonic()
    names = [n for n in app.jinja_env.list_templates() if n.endswith(".html")]
    for name in names:
        app.jinja_env.get_template(name)
    print(f"{len(names)} templates compiled in {time.monotonic() - started:.1f} s (once per worker)")


def measure(app, today, rounds=5):
    compile_templates(app)
    results, missed = [], []
    for user, urls in calls(today).items():
        client = app.test_client()
        client.post("/login", data={"username": user, "password": PASSWORD})
        for url in urls:
            clear_caches()
            cold, cold_cpu = time_call(client, url)
            timed = [time_call(client, url) for _ in range(rounds)]
            warm = [wall for wall, _cpu in timed]
            p50, p95 = statistics.median(warm), max(warm)
            results.append((user, url, cold, p50, p95, cold_cpu,
                            statistics.median(cpu for _wall, cpu in timed)))
            if max(cold, p95) > TARGET_MS:
                missed.append(f"{user} {url} {max(cold, p95):.0f} ms")
    return results, missed


FIRST_CALLS = [("admin", "/"), ("admin", "/dashboard?node=R03&period=90d"), ("store", "/")]


def first_calls(data_dir):
    """The strictest cold: each call as the first request of a new process (templates
    compiled first, as a worker's first request would, and said so above), which pays
    every per-process first use, not only the metrics caches. [(user, url, ms, cpu ms)]."""
    import subprocess
    found = []
    for user, url in FIRST_CALLS:
        out = subprocess.run([sys.executable, __file__, "--first-call", user, url, "--data-dir",
                              str(data_dir)], capture_output=True, text=True, check=True).stdout
        wall, cpu = (float(x) for x in out.split()[-2:])
        found.append((user, url, wall, cpu))
    return found


def first_call(data_dir, user, url):
    app = make_app(data_dir)
    compile_templates(app)
    client = app.test_client()
    client.post("/login", data={"username": user, "password": PASSWORD})
    wall, cpu = time_call(client, url)
    print(f"{wall:.1f} {cpu:.1f}")


def memory():
    """MB: peak resident (VmHWM: the figure PRODUCT.md names), resident now, its private
    (anonymous) and file-backed parts, the database file's mapped pages, and PSS."""
    status = dict(line.split(":", 1) for line in open("/proc/self/status"))
    found = {name: int(status[key].split()[0]) / 1024 for name, key in
             (("peak", "VmHWM"), ("rss", "VmRSS"), ("anon", "RssAnon"), ("file", "RssFile"))}
    found["pss"] = next(int(line.split()[1]) / 1024 for line in open("/proc/self/smaps_rollup")
                        if line.startswith("Pss:"))
    found["database"], mapping = 0, ""
    for line in open("/proc/self/smaps"):
        parts = line.split()
        if "-" in parts[0] and len(parts) >= 5:
            mapping = parts[-1] if len(parts) > 5 else ""
        elif parts[0] == "Rss:" and mapping.endswith(".db"):
            found["database"] += int(parts[1]) / 1024
    return found


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--responses", type=int, default=1_000_000)
    parser.add_argument("--data-dir", default=os.path.join(tempfile.gettempdir(),
                                                           "tingjian-bench-dashboards"))
    parser.add_argument("--reuse", action="store_true", help="time an already built data dir")
    parser.add_argument("--keep-responses", action="store_true",
                        help="reuse the seeded responses, rebuild the summaries")
    parser.add_argument("--first-call", nargs=2, metavar=("USER", "URL"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    data_dir = Path(args.data_dir)
    if args.first_call:
        return first_call(data_dir, *args.first_call)
    fresh = not (args.reuse or args.keep_responses)
    if fresh:
        if data_dir.exists():
            import shutil
            shutil.rmtree(data_dir)
        data_dir.mkdir(parents=True)
    app = make_app(data_dir)
    if fresh:
        seed(app, data_dir, args.responses)
    filled = False
    if args.reuse:
        with app.app_context():
            filled = fill_driver_moments(get_db())
    if not args.reuse or filled:
        if not args.reuse:
            build_summaries(app)
        # time in a fresh process, so its memory is a serving worker's, not the seeder's
        import subprocess
        raise SystemExit(subprocess.call([sys.executable, __file__, "--reuse",
                                          "--data-dir", str(data_dir)]))
    from appliance.metrics import demo as metrics_demo, filters
    from appliance.text import pipeline
    with app.app_context():
        metrics_demo.seed_definitions(get_db())   # journeys, indicators and O-data
        today = filters.today(get_db())
        pipeline.analyzer()                # a worker holds the text models: count them too
    results, missed = measure(app, today)
    print(f"\nload average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores while timing")
    print(f"{'user':6} {'cold ms':>8} {'p50 ms':>7} {'p95 ms':>7} {'cpu cold':>8} {'cpu p50':>7}"
          f"  call (target {TARGET_MS} ms wall)")
    for user, url, cold, p50, p95, cold_cpu, cpu in results:
        print(f"{user:6} {cold:8.1f} {p50:7.1f} {p95:7.1f} {cold_cpu:8.1f} {cpu:7.1f}  {url}")
    print("\nfirst request of a new process (ms wall / CPU):")
    for user, url, wall, cpu in first_calls(data_dir):
        print(f"{user:6} {wall:8.1f} {cpu:7.1f}  {url}")
        if wall > TARGET_MS:
            missed.append(f"first call {user} {url} {wall:.0f} ms")
    used = memory()
    print(f"\nmemory of this process (a worker with the text models loaded that served every "
          f"call above): peak resident {used['peak']:.0f} MB (target < {MEMORY_MB} MB), resident "
          f"now {used['rss']:.0f} MB = private {used['anon']:.0f} + file-backed "
          f"{used['file']:.0f} (of which database pages {used['database']:.0f}); "
          f"PSS {used['pss']:.0f} MB")
    if used["peak"] >= MEMORY_MB:
        missed.append(f"memory: peak resident {used['peak']:.0f} MB")
    print("targets met" if not missed else "targets missed: " + "; ".join(missed))


if __name__ == "__main__":
    main()
