"""Log lines to standard error (journald keeps them under systemd), as text or as one
JSON object a line (setting log_format). Each line carries the id of the request or job
it belongs to (the request_id context variable, set by the ops domain's request hooks and
by the job runner). Log what happened, never what a person entered: no bodies, no query
strings, no contact fields."""
import contextvars
import json
import logging
import sys

request_id = contextvars.ContextVar("request_id", default="-")
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"


class RequestIdFilter(logging.Filter):
    def filter(self, record):
        record.request_id = request_id.get()
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record):
        line = {"time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S"), "level": record.levelname,
                "logger": record.name, "request_id": getattr(record, "request_id", "-"),
                "message": record.getMessage()}
        line.update(getattr(record, "fields", {}))
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False)


def configure(level, fmt="text"):
    """Root logging for the app, the worker and commands (once per process)."""
    root = logging.getLogger()
    root.setLevel(level.upper())
    _skip_unused_record_fields()
    if any(getattr(h, "tingjian", False) for h in root.handlers):
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.tingjian = True
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(JsonFormatter() if fmt == "json" else logging.Formatter(TEXT_FORMAT))
    root.addHandler(handler)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)   # our own line per job instead


def _skip_unused_record_fields():
    """No line shows the thread: skip looking it up for each record (the logging HOWTO's
    "Optimization" table). The process id stays: gunicorn's own lines show it, and under
    --preload the app configures logging in gunicorn's master. The caller's file and line
    stay too: tests and debuggers show them."""
    logging.logThreads = False
    logging.logMultiprocessing = False
