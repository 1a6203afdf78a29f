"""Intake benchmark: accepted submissions/s over HTTP, beside a bare Flask hello-world.

    python bench/intake.py [--seconds 5] [--rounds 4] [--clients 1] [--connections 16]

Starts the appliance with `cem serve` on a loopback port (gunicorn workers and
threads from the config, the appliance's own log line per request, the job runner in
its own process analysing the accepted responses' verbatims) over a temporary data
directory holding a published restaurant survey, and beside it a bare Flask hello-world
under the same gunicorn command. Then intake and hello-world take turns for a few rounds: valid
submissions to POST /api/v1/responses, then POSTs to "/", from a bounded
load generator (client processes, each keeping a number of connections in flight from one
thread; each request prepared before the clock starts and sent on its own raw socket,
bounded by time and count, 127.0.0.1 only).
Between an intake round and the next hello-world round the job runner finishes
analysing that round's responses. Taking turns keeps a slow drift of this shared
machine's speed out of the ratio; the figures are the rounds' medians. The flood
limits are raised in the temporary database: one loopback address sends everything.
Two alert rules are active on every response (a detractor opens a ticket, a sensitive
word notifies), evaluated by the job runner after each response's text analysis.
"""
import argparse
import json
import multiprocessing
import os
import random
import selectors
import socket
import statistics
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
PREPARED_PER_PROCESS = 8_000
API = "/api/v1/responses"
PASSED_SETTINGS = ("TINGJIAN_WORKERS", "TINGJIAN_THREADS",   # to try other gunicorn settings
                   "TINGJIAN_DURABLE_INTAKE",             # false: the figures without the WAL flush
                   "TINGJIAN_JOB_NICE")
HELLO = """
from flask import Flask
app = Flask(__name__)

@app.route("/", methods=["GET", "POST"])
def hello():
    return "Hello, World!"
"""


def prepare(data_dir):
    """Organisation, keys, a published survey, its store links and an integration API token:
    returns {"links": [link tokens], "bearer": API token}."""
    from appliance import create_app
    from appliance.collection import links
    from appliance.core import crypto, db, settings
    from appliance.integrations import tokens as api_tokens
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
        _row, bearer = api_tokens.create_token(database, "bench", group, ["submit_responses"])
        _alert_rules(database, group)
        return {"links": [link["token"] for _u, link in links.unit_links(database, survey["id"],
                                                                          stores)],
                "bearer": bearer}


def _alert_rules(database, group):
    """Two alert rules on every response (issue 12): a detractor opens a ticket, a sensitive
    word notifies; both are evaluated by the job runner after the text analysis."""
    from appliance.loop import rules
    common = {"unit_id": group["id"], "survey_id": None, "touchpoint": "", "match": "any",
              "notify_email": 1, "notify_app": 1, "priority": "high",
              "recipient_roles": ["unit_manager@0"], "recipient_users": [], "digest_minutes": 0}
    rules.create(database, {**common, "name": "detractor", "open_ticket": 1,
                            "conditions": [{"kind": "detractor"}]})
    rules.create(database, {**common, "name": "sensitive", "open_ticket": 0,
                            "conditions": [{"kind": "sensitive", "categories": []}]})


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_gunicorn(app_path, port, env, extra=()):
    """A WSGI app under exactly the gunicorn command `cem serve` runs (workers, threads,
    timeouts, heartbeat directory), on a loopback port."""
    from appliance.core import config, supervisor
    cfg = config.load(environ=env)
    args = supervisor.gunicorn_command({**cfg, "BIND": f"127.0.0.1:{port}"})
    args = args[:-1] + list(extra) + [app_path]
    server = subprocess.Popen(args, env=env, cwd=ROOT, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    _wait_until_listening(server, port, app_path)
    return server, cfg


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
    return json.dumps({"token": rng.choice(tokens["links"]), "answers": answers,
                       "hidden": {"channel": "pos", "order_id": str(rng.randrange(10**8))}},
                      ensure_ascii=False).encode()


def request_bytes(port, path, body, bearer=None):
    auth = f"Authorization: Bearer {bearer}\r\n" if bearer else ""
    return (f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n{auth}"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
            "Connection: close\r\n\r\n").encode() + body


class _Exchange:
    """One request on its own connection (what gunicorn's sync workers do anyway)."""
    __slots__ = ("sock", "raw", "began", "reply")

    def __init__(self, port, raw):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setblocking(False)
        self.raw, self.reply, self.began = raw, b"", time.perf_counter()
        self.sock.connect_ex(("127.0.0.1", port))


def client_process(port, path, tokens, seconds, connections, budget, queue, seed):
    """Keeps `connections` requests in flight from one thread (epoll, non-blocking sockets):
    the generator shares the 2 cores with the server it measures, so it spends as little
    CPU as it can - requests are built before the clock starts, and no thread switches."""
    rng = random.Random(seed)
    prepared = [request_bytes(port, path, submission(rng, tokens) if tokens else b"",
                              tokens["bearer"] if tokens else None)
                for _ in range(PREPARED_PER_PROCESS)]
    selector = selectors.DefaultSelector()
    ok, latencies, sent = 0, [], 0
    start_at = time.monotonic() + 0.05
    while time.monotonic() < start_at:
        time.sleep(0.001)
    stop_at = start_at + seconds

    def begin():
        nonlocal sent
        exchange = _Exchange(port, prepared[sent % len(prepared)])
        sent += 1
        selector.register(exchange.sock, selectors.EVENT_WRITE, exchange)

    for _ in range(connections):
        begin()
    while selector.get_map():
        for key, events in selector.select(timeout=1.0):
            exchange = key.data
            try:
                if events & selectors.EVENT_WRITE:
                    exchange.raw = exchange.raw[exchange.sock.send(exchange.raw):]
                    if not exchange.raw:
                        selector.modify(exchange.sock, selectors.EVENT_READ, exchange)
                    continue
                chunk = exchange.sock.recv(65536)
                if chunk:
                    exchange.reply += chunk
                    continue
            except (BlockingIOError, InterruptedError):
                continue
            except OSError:
                chunk = None   # refused or reset: not counted
            selector.unregister(exchange.sock)
            exchange.sock.close()
            if chunk is not None:
                latencies.append(time.perf_counter() - exchange.began)
                ok += exchange.reply[9:12] in (b"200", b"201")
            if time.monotonic() < stop_at and sent < budget:
                begin()
    queue.put((ok, latencies, time.monotonic() - start_at))


def load(port, path, tokens, seconds, clients, connections):
    """Run the bounded load; returns (accepted per second, latencies in seconds, accepted)."""
    queue = multiprocessing.Queue()
    budget = MAX_REQUESTS // clients
    procs = [multiprocessing.Process(target=client_process, args=(
        port, path, tokens, seconds, connections, budget, queue, random.randrange(10**9)))
        for _ in range(clients)]
    for proc in procs:
        proc.start()
    parts = [queue.get() for _ in procs]
    for proc in procs:
        proc.join()
    accepted = sum(ok for ok, _lat, _elapsed in parts)
    elapsed = max(e for _ok, _lat, e in parts)
    return accepted / elapsed, [x for _ok, lat, _e in parts for x in lat], accepted


def _children(pid):
    return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]


def _cpu_seconds(pid):
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def server_cpu(pid):
    """CPU seconds (user + system) used so far by a server's parts, from Linux's /proc:
    {"web workers": s, "job runner": s}. gunicorn's master is the child with children."""
    parts = {"web workers": 0.0, "job runner": 0.0}
    kids = _children(pid)
    if any(_children(kid) for kid in kids):   # `cem serve`: gunicorn's master and the job runner
        for kid in kids:
            workers = _children(kid)
            if workers:
                parts["web workers"] += sum(_cpu_seconds(w) for w in workers)
            else:
                parts["job runner"] += _cpu_seconds(kid)
    else:                                     # gunicorn itself: its children are the workers
        parts["web workers"] = sum(_cpu_seconds(kid) for kid in kids)
    return parts


def measured(server, port, path, tokens, seconds, args):
    """One round of load: (per second, latencies, {part: CPU ms per accepted request})."""
    before, generator = server_cpu(server.pid), os.times()
    rate, latencies, accepted = load(port, path, tokens, seconds, args.clients, args.connections)
    after, generator_after = server_cpu(server.pid), os.times()
    per_request = {part: 1000 * (after[part] - before[part]) / max(accepted, 1) for part in after}
    per_request["load generator"] = 1000 * (
        generator_after.children_user + generator_after.children_system
        - generator.children_user - generator.children_system) / max(accepted, 1)
    return rate, latencies, per_request


def percentile(latencies, q):
    ordered = sorted(latencies)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000 if ordered else float("nan")


def wait_until_analysed(data_dir, timeout=120):
    """Let the job runner finish the round's backlog, so it does not run during hello-world."""
    from appliance.core import db, queue
    database = db.connect(db.database_path(data_dir))
    try:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not queue.stats(database)["pending"]:
                return
            time.sleep(0.2)
    finally:
        database.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0, help="length of each round")
    parser.add_argument("--rounds", type=int, default=4,
                        help="intake and hello-world take turns this many times")
    parser.add_argument("--clients", type=int, default=1, help="load generator processes")
    parser.add_argument("--connections", type=int, default=16,
                        help="requests in flight per load generator process")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="tingjian-bench-") as tmp:
        data_dir = Path(tmp) / "data"
        tokens = prepare(data_dir)
        env = {k: v for k, v in os.environ.items()
               if not k.startswith("TINGJIAN_") or k in PASSED_SETTINGS}
        env.update(TINGJIAN_DATA_DIR=str(data_dir), PYTHONPATH=str(ROOT))
        (Path(tmp) / "hello_app.py").write_text(textwrap.dedent(HELLO))
        intake_port, hello_port = free_port(), free_port()
        appliance, cfg = start_cem_serve(intake_port, env)
        hello_server, _cfg = start_gunicorn("hello_app:app", hello_port, env,
                                            ("--pythonpath", tmp))
        rounds = []
        try:
            # warm-up: the job runner loads its models
            load(intake_port, API, tokens, 3.0, args.clients, args.connections)
            load(hello_port, "/", None, 1.0, args.clients, args.connections)
            wait_until_analysed(data_dir)
            for number in range(1, args.rounds + 1):
                intake, latencies, intake_cpu = measured(appliance, intake_port, API, tokens,
                                                         args.seconds, args)
                wait_until_analysed(data_dir)
                hello, hello_latencies, hello_cpu = measured(hello_server, hello_port, "/", None,
                                                             args.seconds, args)
                rounds.append((intake, hello, latencies, hello_latencies, intake_cpu, hello_cpu))
                print(f"round {number}: intake {intake:6.0f}/s   hello-world {hello:6.0f}/s   "
                      f"ratio {intake / hello:.2f}")
        finally:
            for server in (appliance, hello_server):
                server.terminate()
                server.wait(20)
        stored = _count(data_dir)
    report(args, cfg, rounds, stored)
    intake, hello = (statistics.median(r[i] for r in rounds) for i in (0, 1))
    missed = []
    if intake < TARGET_PER_SECOND:
        missed.append(f"intake {intake:.0f}/s < {TARGET_PER_SECOND}/s")
    if intake / hello < TARGET_RATIO:
        missed.append(f"ratio {intake / hello:.2f} < {TARGET_RATIO:.2f}")
    print("targets met" if not missed else "targets missed: " + "; ".join(missed))
    return 1 if missed else 0


def report(args, cfg, rounds, stored):
    intake, hello = (statistics.median(r[i] for r in rounds) for i in (0, 1))
    latencies = [x for r in rounds for x in r[2]]
    hello_latencies = [x for r in rounds for x in r[3]]
    print(f"gunicorn: {cfg['WORKERS']} workers x {cfg['THREADS']} threads, loopback; load: "
          f"{args.clients} processes x {args.connections} connections (one request each); "
          f"{args.rounds} rounds of {args.seconds:.0f} s each, medians:")
    print(f"intake      {intake:8.0f} accepted/s   p50 {percentile(latencies, .5):6.1f} ms   "
          f"p99 {percentile(latencies, .99):6.1f} ms   (target >= {TARGET_PER_SECOND}/s)")
    print(f"hello-world {hello:8.0f} requests/s   p50 {percentile(hello_latencies, .5):6.1f} ms   "
          f"p99 {percentile(hello_latencies, .99):6.1f} ms")
    print(f"ratio       {intake / hello:8.2f}                                    "
          f"(target >= {TARGET_RATIO:.2f})")
    print(f"responses stored: {stored} (all analysed by the job runner between rounds)")
    for label, index in (("intake", 4), ("hello-world", 5)):
        parts = {part: statistics.median(r[index][part] for r in rounds)
                 for part in rounds[0][index]}
        print(f"CPU ms per request, {label + ':':12s} " + ", ".join(
            f"{part} {ms:.2f}" for part, ms in parts.items() if ms or part != "job runner"))


def _count(data_dir):
    from appliance.core import db
    database = db.connect(db.database_path(data_dir))
    try:
        return database.execute("SELECT COUNT(*) FROM responses").fetchone()[0]
    finally:
        database.close()


if __name__ == "__main__":
    sys.exit(main())
