"""`cem serve` as an operator runs it: gunicorn plus one supervised job-runner process."""
import json
import os
import signal
import subprocess
import sys
import time
import urllib.request

from helpers import free_port


def wait_for(predicate, timeout=90.0, every=0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(every)   # polling a separate process: there is no signal to wait on
    raise AssertionError("condition not reached in time")


def health(port):
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
            return json.load(response)
    except OSError:
        return None


def job_runner_pids(serve_pid):
    output = subprocess.run(["pgrep", "-P", str(serve_pid), "-f", "appliance.cli import main"],
                            capture_output=True, text=True).stdout
    return [int(pid) for pid in output.split()]


def test_serve_runs_the_web_and_one_supervised_job_runner(tmp_path):
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("TINGJIAN_")}
    env.update(TINGJIAN_DATA_DIR=str(tmp_path), TINGJIAN_BIND=f"127.0.0.1:{port}",
               TINGJIAN_JOB_INTERVAL_SECONDS="1", TINGJIAN_WORKERS="2")
    log = open(tmp_path / "serve.log", "w")
    serve = subprocess.Popen([sys.executable, "-c", "from appliance.cli import main; main()",
                              "serve"], env=env, stdout=subprocess.DEVNULL, stderr=log)
    try:
        body = wait_for(lambda: (h := health(port)) and h["job_runner"]["alive"] and h)
        assert body["ok"] and body["database"] == "ok"
        first = wait_for(lambda: job_runner_pids(serve.pid))
        assert len(first) == 1
        own = os.getpriority(os.PRIO_PROCESS, 0)
        assert os.getpriority(os.PRIO_PROCESS, first[0]) == min(19, own + 10)   # job_nice
        os.kill(first[0], signal.SIGKILL)
        second = wait_for(lambda: [p for p in job_runner_pids(serve.pid) if p not in first])
        assert len(second) == 1
        wait_for(lambda: (h := health(port)) and h["job_runner"]["last_run"]["runner"].endswith(
            f":{second[0]}"))
    finally:
        serve.send_signal(signal.SIGTERM)
        try:
            serve.wait(45)
        except subprocess.TimeoutExpired:
            serve.kill()
            serve.wait()
            raise
    assert serve.returncode == 0
    assert job_runner_pids(serve.pid) == []
    assert health(port) is None
    log.close()
    lines = (tmp_path / "serve.log").read_text()
    assert "Booting worker" in lines and "Logging error" not in lines   # gunicorn's own lines too
