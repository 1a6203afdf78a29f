"""`cem serve`: gunicorn for the web, and one `cem worker` process for the job runner.

Keeping the queue (text analysis, emails, webhooks) and the scheduled jobs out of the
web workers means a burst of analysis never steals a web worker's CPU (and GIL) from
respondents. The supervisor restarts the job runner if it dies and stops both together.
The job runner also takes the lock file, so a second one started by hand waits idle.
"""
import logging
import os
import signal
import subprocess
import sys
import threading
import time

log = logging.getLogger(__name__)
RESTART_DELAY_SECONDS = 2


def gunicorn_command(cfg):
    return [sys.executable, "-m", "gunicorn", "--workers", str(cfg["WORKERS"]),
            "--threads", str(cfg["THREADS"]), "--bind", cfg["BIND"],
            "--access-logfile", "-", "--timeout", "120", "--graceful-timeout", "20",
            "appliance.wsgi:app"]


def worker_command():
    return [sys.executable, "-c", "from appliance.cli import main; main()", "worker"]


def supervise(cfg):
    """Run until gunicorn exits or we are told to stop; returns gunicorn's exit code."""
    web_env = {**os.environ, "TINGJIAN_JOBS": "false"}
    web = subprocess.Popen(gunicorn_command(cfg), env=web_env)
    stopping = threading.Event()
    children = {"web": web, "worker": None}

    def stop(signum, _frame):
        stopping.set()
        for child in children.values():
            if child and child.poll() is None:
                child.send_signal(signal.SIGTERM)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    while web.poll() is None and not stopping.is_set():
        if cfg["JOBS"] and (children["worker"] is None or children["worker"].poll() is not None):
            if children["worker"] is not None:
                log.warning("job runner exited with %s; restarting", children["worker"].returncode)
                time.sleep(RESTART_DELAY_SECONDS)
            children["worker"] = subprocess.Popen(worker_command())
        stopping.wait(1)
    stop(None, None)
    for child in children.values():
        if child:
            child.wait(30)
    return web.returncode or 0


def run_worker():
    """The job runner process: the app with its JobRunner, until SIGTERM."""
    from .. import create_app
    app = create_app({"jobs": True})
    done = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: done.set())
    signal.signal(signal.SIGINT, lambda *_: done.set())
    log.info("job runner process %s started", os.getpid())
    done.wait()
    app.extensions["job_runner"].stop()
