"""Intake benchmark: accepted submissions/s over HTTP, beside a bare Flask hello-world.

    python bench/intake.py [--seconds 10] [--clients 2] [--threads 8]

Starts the appliance with `cem serve` on a loopback port (gunicorn workers and
threads from the config, access log on, the job runner in its own process analysing
the accepted responses' verbatims as they arrive) over a temporary data directory
holding a published restaurant survey, then posts valid submissions to
POST /api/v1/responses from a bounded load generator (client processes x
threads, each request prepared beforehand and sent on its own raw socket, bounded
by time and count, 127.0.0.1 only). The same load then runs against a bare Flask hello-world under
the same gunicorn settings. The flood limits are raised in the temporary
database: one loopback address sends everything.
"""
import argparse
import json
import multiprocessing
import os
import random
import socket
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
TARGET_PER_SECOND = 1000
TARGET_RATIO = 1 / 3
MAX_REQUESTS = 2_000_000
PREPARED_PER_THREAD = 2_000
HELLO = """
from flask import Flask
app = Flask(__name__)

@app.route("/", methods=["GET", "POST"])
def hello():
    return "Hello, World!"
"""


def prepare(data_dir):
    """Organisation, keys, a published survey and its store links; returns the tokens."""
    from appliance import create_app
    from appliance.collection import links
    from appliance.core import crypto, db, settings
    from appliance.org import units
    from appliance.surveys import service as surveys
    app = create_app({"data_dir": str(data_dir), "jobs": False}, environ={})
    with app.app_context():
        database = db.get_db()
        crypto.create_keyring(str(data_dir))
        with db.transaction(database):
            group = units.create_unit(database, "BENCH", "基准集团", "group", None)
            stores = [units.create_unit(database, f"S-{i:02d}", f"门店{i}", "store", group)
                      for i in range(1, 11)]
        settings.set_many(database, {"setup.completed": True, "setup.step": "done",
                                     "collection.api_rate_ip_per_minute": 10**9,
                                     "collection.api_rate_link_per_minute": 10**9})
        survey = surveys.create(database, group, "bench", template="restaurant_visit")
        surveys.publish(database, survey)
        return [link["token"] for _u, link in links.unit_links(database, survey["id"], stores)]


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_gunicorn(app_path, port, env, extra=()):
    from appliance.core import config
    cfg = config.load(environ=env)
    args = [sys.executable, "-m", "gunicorn", "--workers", str(cfg["WORKERS"]),
            "--threads", str(cfg["THREADS"]), "--bind", f"127.0.0.1:{port}",
            "--access-logfile", "-", "--timeout", "120", "--graceful-timeout", "20",
            *extra, app_path]
    server = subprocess.Popen(args, env=env, cwd=ROOT, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            time.sleep(1.0)   # let every worker finish booting
            return server, cfg
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit(f"gunicorn did not start for {app_path}")


def start_cem_serve(port, env):
    """The appliance exactly as an operator runs it: `cem serve` (gunicorn + job runner)."""
    from appliance.core import config
    env = {**env, "TINGJIAN_BIND": f"127.0.0.1:{port}"}
    cfg = config.load(environ=env)
    server = subprocess.Popen([sys.executable, "-c", "from appliance.cli import main; main()",
                               "serve"], env=env, cwd=ROOT, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    _wait_until_listening(server, port, "cem serve")
    return server, cfg


def _wait_until_listening(server, port, what):
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            time.sleep(1.0)   # let every worker finish booting
            return
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit(f"{what} did not start")


def submission(rng, tokens):
    nps = rng.randint(0, 10)
    answers = {"q1": nps, "q3": rng.randint(1, 5), "q4": rng.randint(1, 5),
               "q5": rng.randint(1, 5), "q6": rng.randint(1, 5), "q7": rng.randint(1, 5)}
    if nps <= 6:
        answers["q2"] = rng.choice(["上菜太慢了", "服务员态度冷淡", "The food was cold"])
    return json.dumps({"token": rng.choice(tokens), "answers": answers,
                       "hidden": {"channel": "pos", "order_id": str(rng.randrange(10**8))}},
                      ensure_ascii=False).encode()


def request_bytes(port, path, body):
    return (f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
            "Connection: close\r\n\r\n").encode() + body


def post_once(port, raw):
    """One request on its own connection (what gunicorn's sync workers do anyway); the status."""
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        sock.sendall(raw)
        reply = sock.recv(65536)
        while sock.recv(65536):
            pass
    return int(reply[9:12])


def client_thread(port, path, tokens, stop_at, budget, results, seed):
    """Requests are built before the clock starts, so the generator spends its CPU on
    sockets, not on JSON: it shares the 2 cores with the server it measures."""
    rng = random.Random(seed)
    prepared = [request_bytes(port, path, submission(rng, tokens) if tokens else b"")
                for _ in range(PREPARED_PER_THREAD)]
    ok, latencies = 0, []
    while time.monotonic() < stop_at and len(latencies) < budget:
        raw = prepared[len(latencies) % PREPARED_PER_THREAD]
        begin = time.perf_counter()
        try:
            status = post_once(port, raw)
        except (OSError, ValueError):
            continue
        latencies.append(time.perf_counter() - begin)
        ok += status in (200, 201)
    results.append((ok, latencies))


def client_process(port, path, tokens, seconds, threads, budget, queue, seed):
    import threading
    results, stop_at = [], time.monotonic() + seconds
    workers = [threading.Thread(target=client_thread, args=(port, path, tokens, stop_at,
                                                             budget, results, seed * 100 + i))
               for i in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    queue.put((sum(r[0] for r in results), [x for r in results for x in r[1]]))


def load(port, path, tokens, seconds, clients, threads):
    """Run the bounded load; returns (accepted per second, p50 ms, p99 ms)."""
    queue = multiprocessing.Queue()
    budget = MAX_REQUESTS // (clients * threads)
    procs = [multiprocessing.Process(target=client_process, args=(
        port, path, tokens, seconds, threads, budget, queue, i)) for i in range(clients)]
    begin = time.monotonic()
    for proc in procs:
        proc.start()
    parts = [queue.get() for _ in procs]
    elapsed = time.monotonic() - begin
    for proc in procs:
        proc.join()
    latencies = sorted(x for _ok, lat in parts for x in lat)
    accepted = sum(ok for ok, _lat in parts)
    pick = lambda q: latencies[min(len(latencies) - 1, int(q * len(latencies)))] * 1000 \
        if latencies else float("nan")
    return accepted / elapsed, pick(0.50), pick(0.99)


def run(app_path, env, tokens, path, args, extra=()):
    port = free_port()
    if app_path == "cem serve":
        server, cfg = start_cem_serve(port, env)
    else:
        server, cfg = start_gunicorn(app_path, port, env, extra)
    try:
        load(port, path, tokens, 3.0, args.clients, args.threads)   # warm-up (the job runner loads its models)
        return load(port, path, tokens, args.seconds, args.clients, args.threads), cfg
    finally:
        server.terminate()
        server.wait(20)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--clients", type=int, default=2, help="load generator processes")
    parser.add_argument("--threads", type=int, default=8, help="connections per process")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="tingjian-bench-") as tmp:
        data_dir = Path(tmp) / "data"
        tokens = prepare(data_dir)
        env = {k: v for k, v in os.environ.items() if not k.startswith("TINGJIAN_")}
        env.update(TINGJIAN_DATA_DIR=str(data_dir), PYTHONPATH=str(ROOT))
        (Path(tmp) / "hello_app.py").write_text(textwrap.dedent(HELLO))
        (intake, p50, p99), cfg = run("cem serve", env, tokens, "/api/v1/responses", args)
        (hello, h50, h99), _cfg = run("hello_app:app", env, None, "/", args,
                                      ("--pythonpath", tmp))
        stored = _count(data_dir)
    ratio = intake / hello if hello else 0
    print(f"gunicorn: {cfg['WORKERS']} workers x {cfg['THREADS']} threads, loopback; load: "
          f"{args.clients} processes x {args.threads} connections (one request each), {args.seconds:.0f} s")
    print(f"intake      {intake:8.0f} accepted/s   p50 {p50:6.1f} ms   p99 {p99:6.1f} ms   "
          f"(target >= {TARGET_PER_SECOND}/s)")
    print(f"hello-world {hello:8.0f} requests/s   p50 {h50:6.1f} ms   p99 {h99:6.1f} ms")
    print(f"ratio       {ratio:8.2f}                                    (target >= {TARGET_RATIO:.2f})")
    print(f"responses stored: {stored}")
    met = intake >= TARGET_PER_SECOND and ratio >= TARGET_RATIO
    print("targets met" if met else "TARGETS NOT MET")
    return 0 if met else 1


def _count(data_dir):
    from appliance.core import db
    database = db.connect(db.database_path(data_dir))
    try:
        return database.execute("SELECT COUNT(*) FROM responses").fetchone()[0]
    finally:
        database.close()


if __name__ == "__main__":
    sys.exit(main())
