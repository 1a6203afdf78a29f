"""Closed-loop benchmark: one escalation tick and the ticket lists with 100,000 open tickets.

    python bench/tickets.py [--tickets N] [--due N]

Builds a fresh appliance in a temporary directory: 1 group, 10 regions with a manager
each, 1,000 stores, a working calendar, N open tickets spread over the stores (--due of
them past their deadline, so the tick escalates them: timeline row, notification and a
queued email each). Prints one tick's time, then the queue page (GET /tickets/, rendered,
with its counts) and GET /api/v1/tickets for a store manager and for the top admin."""
import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

TARGETS = {"tick": 1.0, "list": 0.200}
PASSWORD = "Bench-Tickets-2026"


def build(data_dir, tickets, due):
    from appliance import create_app
    from appliance.core import clock, crypto, db, settings
    from appliance.loop import sla
    from appliance.org import units, users
    app = create_app({"data_dir": str(data_dir), "jobs": False}, environ={})
    app.config.update(WTF_CSRF_ENABLED=False)
    with app.app_context():
        database = db.get_db()
        crypto.create_keyring(data_dir)
        with db.transaction(database):
            group = units.create_unit(database, "G", "集团", "group", None)
            users.create_user(database, "top", "Top", "top@example.com", PASSWORD, "admin", group)
            stores = []
            for r in range(10):
                region = units.create_unit(database, f"R{r}", f"区域{r}", "region", group)
                users.create_user(database, f"region{r}", f"Region {r}", f"r{r}@example.com",
                                  PASSWORD, "unit_manager", region)
                stores += [units.create_unit(database, f"S{r}-{s:03d}", f"门店{r}-{s}", "store",
                                             region) for s in range(100)]
            users.create_user(database, "store", "Store", "store@example.com", PASSWORD,
                              "unit_manager", stores[0])
            settings.set_many(database, {"setup.completed": True, "setup.step": "done"})
        sla.save_calendar(database, group, {str(d): ["09:00", "21:00"] for d in range(7)}, {})
        _tickets(database, [s["id"] for s in stores], tickets, due, clock)
    return app


def _tickets(database, store_ids, count, due, clock):
    from appliance.core.db import transaction
    rng, now = random.Random(7), clock.utcnow().timestamp()
    rows = []
    for n in range(count):
        late = n < due
        deadline = now - rng.uniform(60, 3600) if late else now + rng.uniform(600, 7 * 86400)
        stamp = clock.iso(clock.utcnow().fromtimestamp(deadline, clock.utcnow().tzinfo))
        opened = clock.iso(clock.utcnow().fromtimestamp(deadline - 3600, clock.utcnow().tzinfo))
        status = "open" if late or n % 3 else "acknowledged"
        rows.append((store_ids[n % len(store_ids)], n + 1, f"差评工单 {n}", f"上菜太慢 {n}",
                     status, rng.choice(["urgent", "high", "normal", "low"]), stamp, stamp,
                     stamp, stamp, opened, opened))
    with transaction(database):
        database.conn.executemany(
            "INSERT INTO tickets (unit_id, response_id, title, summary, status, priority, "
            "ack_due_at, resolve_due_at, due_at, next_check_at, opened_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    database.execute("ANALYZE")


def timed(fn, runs=7):
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=100_000)
    parser.add_argument("--due", type=int, default=1_000)
    args = parser.parse_args()
    from appliance.core import db
    from appliance.loop import escalation
    with tempfile.TemporaryDirectory() as data_dir:
        started = time.perf_counter()
        app = build(Path(data_dir), args.tickets, args.due)
        print(f"built {args.tickets:,} open tickets ({args.due:,} past due) in "
              f"{time.perf_counter() - started:.1f} s")
        with app.app_context():
            started = time.perf_counter()
            checked, escalated = escalation.run(db.get_db())
            tick = time.perf_counter() - started
        print(f"escalation tick : {tick * 1000:8.1f} ms  ({checked} checked, {escalated} "
              f"escalated; target < {TARGETS['tick'] * 1000:.0f} ms)")
        results = {"tick": tick}
        for username in ("store", "top"):
            client = app.test_client()
            client.post("/login", data={"username": username, "password": PASSWORD})
            for name, url in ((f"queue page ({username})", "/tickets/"),
                              (f"queue overdue ({username})", "/tickets/?view=overdue")):
                assert client.get(url).status_code == 200
                results[name] = timed(lambda: client.get(url))
        api = app.test_client()
        api.post("/login", data={"username": "top", "password": PASSWORD})
        results["api /api/v1/tickets (top)"] = timed(lambda: api.get("/api/v1/tickets"))
        for name, value in results.items():
            if name != "tick":
                print(f"{name:27}: {value * 1000:8.1f} ms  (target < {TARGETS['list'] * 1000:.0f} ms)")
    missed = [n for n, v in results.items() if v >= TARGETS["tick" if n == "tick" else "list"]]
    print("targets met" if not missed else "targets missed: " + ", ".join(missed))


if __name__ == "__main__":
    main()
