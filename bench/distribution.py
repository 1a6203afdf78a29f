"""Distribution benchmark: import 100,000 contacts, then send a 100,000 invitation wave through
a local SMTP relay (aiosmtpd, its own process) with the appliance running as an operator runs
it (`cem serve`: gunicorn + the niced job runner), while respondents submit.

    python bench/distribution.py [--contacts 100000] [--seconds 5]

Prints: the import time (target < 30 s); the wave's invitations a second, from the moment
it is resumed to the last one the relay took (target >= 500/s); the job runner's peak
memory (target < 400 MB); intake over HTTP alone and while the wave runs (the intake
target, >= 1,000/s, while the wave runs: respondents come first). Ends with `targets met`
or `targets missed: ...`.
"""
import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
import intake as intake_bench  # noqa: E402  (the intake bench's server start and load generator)

TARGET_IMPORT_SECONDS = 30
TARGET_PER_SECOND = 500
TARGET_MEMORY_MB = 400
TARGET_INTAKE = 1000
RELAY = """
import signal, sys, threading
from aiosmtpd.controller import Controller
class Count:
    n = 0
    async def handle_DATA(self, server, session, envelope):
        Count.n += 1
        return "250 OK"
controller = Controller(Count(), hostname="127.0.0.1", port=int(sys.argv[1]))
controller.start()
stop = threading.Event()
signal.signal(signal.SIGTERM, lambda *a: stop.set())
print("ready", flush=True)
stop.wait()
controller.stop()
print(Count.n, flush=True)
"""


def contacts_csv(count, stores):
    lines = ["name,email,phone,unit,language,level"]
    for n in range(count):
        lines.append(f"客人{n},guest{n}@bench.example.com,139{n:08d},{stores[n % len(stores)]},"
                     f"{'en' if n % 5 == 0 else 'zh_CN'},{('gold', 'silver')[n % 2]}")
    return "\n".join(lines).encode()


def prepare(data_dir, relay_port, count):
    """Organisation, survey and store links (the intake bench's), contacts, a paused wave."""
    tokens = intake_bench.prepare(data_dir)
    from appliance import create_app
    from appliance.core import db, settings
    from appliance.distribution import channels_service, importer, lists, messages, waves
    from appliance.distribution.channels_views import _starter
    from appliance.org.scope import Scope
    app = create_app({"data_dir": str(data_dir), "jobs": False}, environ={})
    with app.app_context():
        database = db.get_db()
        settings.set_many(database, {"smtp.host": "127.0.0.1", "smtp.port": relay_port,
                                     "smtp.sender": "cx@bench.example.com",
                                     "distribution.quiet_start": "", "distribution.quiet_end": "",
                                     "distribution.cap_count": 0})
        group = database.execute("SELECT * FROM units WHERE code = 'BENCH'").fetchone()
        group = dict(group)
        units = {u["code"]: dict(u) for u in database.execute("SELECT * FROM units")}
        stores = [c for c in units if c.startswith("S-")]
        list_id = lists.create(database, group, "bench", "static")
        raw = contacts_csv(count, stores)
        started = time.perf_counter()
        importer.import_contacts(database, "bench.csv", raw, group, units, list_id)
        imported = time.perf_counter() - started
        survey = database.execute("SELECT * FROM surveys WHERE name = 'bench'").fetchone()
        channel = channels_service.save(database, group, "email", "bench relay", {}, 10_000)
        template = messages.save(database, group, "bench", "email", _starter("email"))
        wave_id = waves.create(database, group, "bench wave", dict(survey),
                               lists.get_list(database, Scope([group["path"]]), list_id),
                               {"id": channel, "kind": "email"},
                               {"id": template, "channel_kind": "email"}, {"schedule": "now"})
        started = time.perf_counter()
        waves.claim_due_runs(database)
        waves.build_pending_runs(database, deadline_seconds=3600)
        built = time.perf_counter() - started
        database.execute("UPDATE waves SET status = 'paused' WHERE id = ?", (wave_id,))
    return tokens, wave_id, imported, built


def sent_count(database, wave_id):
    return database.execute("SELECT COUNT(*) FROM invitations WHERE wave_id = ? AND status IN "
                            "('sent','failed','skipped','opted_out')", (wave_id,)).fetchone()[0]


def peak_memory_mb(pid):
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def run_wave(data_dir, wave_id, count, port, tokens, args):
    from appliance.core import clock, db
    database = db.connect(db.database_path(data_dir))
    intake_bench.load(port, intake_bench.API, tokens, 3.0, 1, 16)   # warm-up: models load
    intake_bench.wait_until_analysed(data_dir)
    alone, _lat, _n = intake_bench.load(port, intake_bench.API, tokens, args.seconds, 1, 16)
    intake_bench.wait_until_analysed(data_dir)
    resumed = clock.utcnow()
    database.execute("UPDATE waves SET status = 'active' WHERE id = ?", (wave_id,))
    time.sleep(3)   # the sender's next tick picks the wave up
    during, _lat, _n = intake_bench.load(port, intake_bench.API, tokens, args.seconds, 1, 16)
    deadline = time.monotonic() + 3600
    while sent_count(database, wave_id) < count and time.monotonic() < deadline:
        time.sleep(1)
    last = database.execute("SELECT MAX(sent_at) FROM invitations WHERE wave_id = ?",
                            (wave_id,)).fetchone()[0]
    pid = int((Path(data_dir) / "jobrunner.lock").read_text().split()[0])
    memory = peak_memory_mb(pid)
    database.close()
    elapsed = (clock.parse(last) - resumed).total_seconds()
    return count / elapsed, elapsed, memory, alone, during


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contacts", type=int, default=100_000)
    parser.add_argument("--seconds", type=float, default=5.0, help="each intake measurement")
    args = parser.parse_args()
    relay_port, web_port = intake_bench.free_port(), intake_bench.free_port()
    relay = subprocess.Popen([sys.executable, "-c", RELAY, str(relay_port)], text=True,
                             stdout=subprocess.PIPE)
    relay.stdout.readline()
    with tempfile.TemporaryDirectory(prefix="tingjian-bench-") as tmp:
        data_dir = Path(tmp) / "data"
        tokens, wave_id, imported, built = prepare(data_dir, relay_port, args.contacts)
        print(f"import      {args.contacts:,} contacts in {imported:6.1f} s "
              f"({args.contacts / imported:,.0f}/s)   (target < {TARGET_IMPORT_SECONDS} s)")
        print(f"wave built  {args.contacts:,} invitations (personal links) in {built:6.1f} s")
        env = {k: v for k, v in os.environ.items() if not k.startswith("TINGJIAN_")}
        env.update(TINGJIAN_DATA_DIR=str(data_dir), PYTHONPATH=str(ROOT))
        server, cfg = intake_bench.start_cem_serve(web_port, env)
        try:
            rate, elapsed, memory, alone, during = run_wave(data_dir, wave_id, args.contacts,
                                                            web_port, tokens, args)
        finally:
            server.terminate()
            server.wait(30)
    relay.terminate()
    received = int(relay.communicate(timeout=30)[0].strip() or 0)
    print(f"wave        {args.contacts:,} invitations in {elapsed:6.1f} s = {rate:6.0f}/s "
          f"(target >= {TARGET_PER_SECOND}/s); the relay took {received:,} messages")
    print(f"job runner  peak memory {memory:6.0f} MB (target < {TARGET_MEMORY_MB} MB)")
    print(f"intake      alone {alone:6.0f}/s, while the wave runs {during:6.0f}/s "
          f"(target >= {TARGET_INTAKE}/s while the wave runs; {cfg['WORKERS']} gunicorn workers)")
    print(f"machine     load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores "
          f"(shared: figures scale with what else runs)")
    missed = [name for name, ok in (
        ("import time", imported < TARGET_IMPORT_SECONDS), ("invitations/s", rate >= TARGET_PER_SECOND),
        ("job runner memory", memory < TARGET_MEMORY_MB), ("intake during the wave",
                                                           during >= TARGET_INTAKE),
        ("each invitation sent once", received == args.contacts)) if not ok]
    print("targets met" if not missed else f"targets missed: {', '.join(missed)}")
    return 0 if not missed else 1


if __name__ == "__main__":
    sys.exit(main())
