"""`cem demo`: a run of the monthly email wave, recorded as sent and partly answered, so the
dashboards show a response rate from the first page view.

The run is made by the scheduler's own functions (claim_due_runs, build_pending_runs: one
personal link per member), claimed as the sending job claims invitations, and recorded by
its Recorder ("sent", which logs the send and publishes invitation.sent); only the hand-over
to a relay is left out (the demo has no SMTP relay), and the delivery log says so. A share
of the invitations is then answered through its personal link by collection's intake
(response.accepted; tracking marks the invitation answered: invitation.responded), and the
subscribers of our invitation events (metrics' response rates) are handed them at once.
"""
import random

from ..collection import admission, intake
from ..core import clock, queue
from ..core.db import transaction
from . import sending, waves
from .recorder import Recorder

WORKER = "demo"
NOTE = "demo: recorded as sent, not handed to a relay (the demo has none)"
EVENTS = ("invitation.sent", "invitation.responded")   # ours; their subscribers count them


def send_and_answer(db, wave_id, answered=0.38, seed=31):
    """Returns (invitations recorded as sent, answered)."""
    with transaction(db):
        db.execute("UPDATE waves SET next_run_at = ? WHERE id = ?", (clock.now_iso(), wave_id))
    waves.claim_due_runs(db)
    waves.build_pending_runs(db)
    rows = sending.fetch(db, sending.claim(db, WORKER, 100_000, clock.utcnow()))
    recorder = Recorder(db, WORKER)
    for row in rows:
        recorder.add("sent", row, NOTE)
    recorder.flush()
    rng = random.Random(seed)
    chosen = [row for row in rows if rng.random() < answered]
    for row in chosen:
        intake.complete(db, admission.open_visit(db, row["token"], {}), _answers(rng),
                        source="demo")
    queue.deliver_pending(db, {"response.accepted>distribution.responded"})   # tracking: answered
    queue.deliver_pending(db, {topic for name in EVENTS for topic in queue.topics_of(name)})
    return len(rows), len(chosen)


def _answers(rng):
    mood = rng.gauss(0.2, 1.2)
    ratings = [max(1, min(5, round(3.9 + 0.7 * mood + rng.gauss(0, 0.7)))) for _ in range(4)]
    return {"q1": max(0, min(10, round(7.6 + 1.6 * mood))),
            **{f"q{i}": r for i, r in enumerate(ratings, start=3)},
            "q7": max(1, min(5, round(sum(ratings) / 4)))}
