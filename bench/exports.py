"""Exports benchmark: respondent page latency while four big exports run.

    python bench/exports.py [--responses 20000] [--seconds 8] [--threads 6]

Starts the appliance with `cem serve` (gunicorn workers, and the job runner in its own
process) over a temporary data directory holding a published restaurant survey with
--responses complete responses. A bounded load generator (threads in this process, each
request on its own raw socket to 127.0.0.1, bounded by time and count) opens the survey's
respondent page (GET /s/<token>) for --seconds with nothing else running, then again right
after four XLSX exports of every response were asked for. Exports are built by the job
runner, so the web workers only render pages: the p99 with exports running must stay
close to the quiet one. Also prints how long the four exports took.
"""
import argparse
import os
import socket
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import intake as bench_intake  # noqa: E402  (bench/intake.py: prepare, free_port, start_cem_serve)

ROOT = bench_intake.ROOT
TARGET_P99_MS = 250          # a respondent page with four exports running
TARGET_SLOWDOWN = 3.0        # ... and at most this many times the quiet p99
MAX_REQUESTS = 200_000
EXPORTS = 4


def seed(data_dir, count):
    """count responses (copies of a few real ones) and an admin who asks for the exports."""
    from appliance import create_app
    from appliance.collection import admission, intake
    from appliance.core import db
    from appliance.org import units, users
    app = create_app({"data_dir": str(data_dir), "jobs": False}, environ={})
    with app.app_context():
        database = db.get_db()
        group = units.get_unit_by_code(database, "BENCH")
        with db.transaction(database):
            admin = users.create_user(database, "bench", "Bench", "bench@example.com",
                                      "Quiet-Harbour-7391", "admin", group)
        token = database.execute("SELECT token FROM links WHERE unit_id IS NOT NULL "
                                 "LIMIT 1").fetchone()[0]
        visit = admission.open_visit(database, token, {}, ["zh-CN"])
        for nps in range(11):
            intake.complete(database, visit, {"q1": nps, "q3": 4, "q4": 3, "q5": 5, "q6": 2,
                                              "q7": 4, **({"q2": "上菜太慢了，服务员态度冷淡"}
                                                          if nps <= 6 else {})})
        _copy(database, count - 11)
        return token, admin["id"]


def _copy(database, extra):
    from appliance.core import db
    with db.transaction(database):
        database.execute(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?) "
            "INSERT INTO responses (survey_id, version_id, unit_id, link_id, channel, language, "
            "hidden, answers, contact_enc, status, nps, csat, ces, source, started_at, "
            "submitted_at, ip_hash) SELECT r.survey_id, r.version_id, r.unit_id, r.link_id, "
            "r.channel, r.language, r.hidden, r.answers, r.contact_enc, r.status, r.nps, r.csat, "
            "r.ces, r.source, r.started_at, r.submitted_at, r.ip_hash FROM n "
            "JOIN responses r ON r.id = 1 + (n.i % 11)", (extra,))


def ask_for_exports(data_dir, user_id):
    from appliance.collection import exports, responses_query
    from appliance.core import db
    from appliance.org.scope import Scope
    from werkzeug.datastructures import MultiDict
    database = db.connect(db.database_path(data_dir))
    try:
        root = database.execute("SELECT path FROM units WHERE code = 'BENCH'").fetchone()[0]
        filters = responses_query.read_filters(MultiDict())
        user = {"id": user_id, "username": "bench"}
        return [exports.request_export(database, user, "xlsx", False, filters, Scope([root]),
                                       str(data_dir)) for _ in range(EXPORTS)]
    finally:
        database.close()


def export_states(data_dir):
    from appliance.core import db
    database = db.connect(db.database_path(data_dir))
    try:
        return [tuple(row) for row in database.execute(
            "SELECT status, created_at, finished_at, row_count FROM exports ORDER BY id")]
    finally:
        database.close()


def get_once(port, raw):
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        sock.sendall(raw)
        reply = sock.recv(65536)
        while sock.recv(65536):
            pass
    return int(reply[9:12])


def load(port, path, seconds, threads):
    """GET path from `threads` connections for `seconds`; (requests/s, latencies, failures)."""
    raw = (f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAccept-Language: zh-CN\r\n"
           "Connection: close\r\n\r\n").encode()
    latencies, failures, lock = [], [0], threading.Lock()
    stop_at = time.monotonic() + seconds

    def run():
        while time.monotonic() < stop_at and len(latencies) < MAX_REQUESTS:
            begin = time.perf_counter()
            try:
                status = get_once(port, raw)
            except OSError:
                status = 0
            with lock:
                latencies.append(time.perf_counter() - begin)
                failures[0] += status != 200
    workers = [threading.Thread(target=run) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return len(latencies) / seconds, latencies, failures[0]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--responses", type=int, default=20_000)
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--threads", type=int, default=6)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="tingjian-bench-") as tmp:
        data_dir = Path(tmp) / "data"
        bench_intake.prepare(data_dir)
        token, user_id = seed(data_dir, args.responses)
        env = {k: v for k, v in os.environ.items()
               if not k.startswith("TINGJIAN_") or k in bench_intake.PASSED_SETTINGS}
        env.update(TINGJIAN_DATA_DIR=str(data_dir), PYTHONPATH=str(ROOT))
        port = bench_intake.free_port()
        server, cfg = bench_intake.start_cem_serve(port, env)
        try:
            load(port, f"/s/{token}", 2.0, args.threads)   # warm up every worker
            quiet = load(port, f"/s/{token}", args.seconds, args.threads)
            asked = time.monotonic()
            ask_for_exports(data_dir, user_id)
            busy = load(port, f"/s/{token}", args.seconds, args.threads)
            states = wait_for_exports(data_dir, asked)
        finally:
            server.terminate()
            server.wait(20)
    return report(args, cfg, quiet, busy, states)


def wait_for_exports(data_dir, asked, timeout=300):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        states = export_states(data_dir)
        if all(s[0] in ("ready", "failed") for s in states):
            return states, time.monotonic() - asked
        time.sleep(0.5)
    return export_states(data_dir), None


def report(args, cfg, quiet, busy, exported):
    states, took = exported
    p99 = {name: bench_intake.percentile(run[1], .99) for name, run in (("quiet", quiet),
                                                                        ("busy", busy))}
    print(f"gunicorn: {cfg['WORKERS']} workers x {cfg['THREADS']} threads; job runner in its own "
          f"process; {args.responses} responses; load: {args.threads} connections x "
          f"{args.seconds:.0f} s of GET /s/<token> (the respondent page)")
    for name, run in (("quiet", quiet), (f"{EXPORTS} exports", busy)):
        rate, latencies, failures = run
        print(f"{name:<10} {rate:7.0f} pages/s   p50 {bench_intake.percentile(latencies, .5):6.1f} ms"
              f"   p99 {bench_intake.percentile(latencies, .99):6.1f} ms   max "
              f"{max(latencies) * 1000:7.1f} ms   failed {failures}")
    ready = [s for s in states if s[0] == "ready"]
    print(f"exports: {len(ready)}/{len(states)} ready, {sum(s[3] or 0 for s in ready)} rows, "
          f"all done {took:.1f} s after asking" if took is not None else
          f"exports: not done in time: {states}")
    slowdown = p99["busy"] / p99["quiet"] if p99["quiet"] else float("inf")
    print(f"respondent p99 with exports running {p99['busy']:.1f} ms (target <= {TARGET_P99_MS} ms), "
          f"{slowdown:.2f} x the quiet p99 (target <= {TARGET_SLOWDOWN:.1f} x)")
    missed = []
    if p99["busy"] > TARGET_P99_MS:
        missed.append(f"p99 {p99['busy']:.0f} ms > {TARGET_P99_MS} ms")
    if slowdown > TARGET_SLOWDOWN:
        missed.append(f"slowdown {slowdown:.2f} x > {TARGET_SLOWDOWN} x")
    if len(ready) != EXPORTS:
        missed.append(f"{len(ready)} of {EXPORTS} exports ready")
    print("targets met" if not missed else "targets missed: " + "; ".join(missed))
    return 0 if not missed else 1


if __name__ == "__main__":
    sys.exit(main())
