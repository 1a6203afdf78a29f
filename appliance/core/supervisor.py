"""`cem serve`: gunicorn for the web, and one `cem worker` process for the job runner.

Keeping the queue (text analysis, emails, webhooks) and the scheduled jobs out of the
web workers means a burst of analysis never steals a web worker's CPU (and GIL) from
respondents; the job runner also lowers its own CPU priority (job_nice), so under a
flood of submissions the web workers come first and the queue catches up after. The
supervisor restarts the job runner if it dies and stops both together.
The job runner also takes the lock file, so a second one started by hand waits idle.
"""
import logging
import os
import signal
import subprocess
import sys
import time

log = logging.getLogger(__name__)
RESTART_DELAY_SECONDS = 2


SHARED_MEMORY = "/dev/shm"


def gunicorn_command(cfg):
    """gunicorn loads the app once (--preload) and forks its workers from it: they share
    the memory of the code and of everything loaded at start (appliance/wsgi.py freezes
    it out of the garbage collector's reach, so it stays shared). On a small machine
    switching between workers then costs less of the CPU's caches (intake +2 to +19 %
    in four interleaved A/B runs of bench/intake.py's load here). Nothing the app opens
    at start outlives the fork unguarded: database connections open per thread on first
    use, writer-lock files per process, the counters start afresh in each process."""
    return [sys.executable, "-m", "gunicorn", "--workers", str(cfg["WORKERS"]),
            "--threads", str(cfg["THREADS"]), "--bind", cfg["BIND"],
            "--timeout", "120", "--graceful-timeout", "20", "--preload", *heartbeat_options(),
            "appliance.wsgi:app"]


def heartbeat_options():
    """Each gunicorn worker touches a heartbeat file on every request: in memory, that
    touch never joins the disk journal that intake's WAL flush waits for."""
    return ["--worker-tmp-dir", SHARED_MEMORY] if os.path.isdir(SHARED_MEMORY) else []


def worker_command():
    return [sys.executable, "-c", "from appliance.cli import main; main()", "worker",
            "--stop-with-parent"]


def supervise(cfg):
    """Run until gunicorn exits or we are told to stop; returns gunicorn's exit code."""
    web_env = {**os.environ, "TINGJIAN_JOBS": "false"}
    web = subprocess.Popen(gunicorn_command(cfg), env=web_env)
    children = {"web": web, "worker": None}
    stopping = []   # a plain flag: a signal handler must not take locks (threading.Event does)
    signalled = set()

    def stop(_signum=None, _frame=None):
        """SIGTERM each child once: a second one that reaches a process already finalising
        its interpreter is no longer caught and kills it (an exit status of -15, so `cem
        serve` exited 241 though everything had stopped cleanly)."""
        stopping.append(True)
        for child in children.values():
            if child and child.pid not in signalled and child.poll() is None:
                signalled.add(child.pid)
                child.send_signal(signal.SIGTERM)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    while web.poll() is None and not stopping:
        worker = children["worker"]
        if cfg["JOBS"] and (worker is None or worker.poll() is not None):
            if worker is not None:
                log.warning("job runner exited with %s; restarting", worker.returncode)
                time.sleep(RESTART_DELAY_SECONDS)
            if not stopping:
                children["worker"] = subprocess.Popen(worker_command())
        time.sleep(1)   # supervising: look at the children once a second
    stop()
    for child in children.values():
        if child:
            child.wait(30)
    return web.returncode or 0


def run_worker(create_app, stop_with_parent=False):
    """The job runner process: the app (from the factory the caller passes) with its
    JobRunner, until SIGTERM (or, when supervised by `cem serve`, until that process is gone)."""
    stop_signals = {signal.SIGTERM, signal.SIGINT}
    signal.pthread_sigmask(signal.SIG_BLOCK, stop_signals)   # before threads start: they inherit it
    app = create_app({"jobs": True})
    os.nice(app.config["JOB_NICE"])
    parent = os.getppid()
    log.info("job runner process %s started", os.getpid())
    while not signal.sigtimedwait(stop_signals, 2):
        if stop_with_parent and os.getppid() != parent:   # `cem serve` was killed outright
            log.warning("the supervising process is gone; job runner stopping")
            break
    app.extensions["job_runner"].stop()
