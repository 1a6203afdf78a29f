"""Deployment configuration: one settings table read in order
built-in defaults < config file < TINGJIAN_* environment < overrides.

Runtime settings that admins edit in the UI (SMTP, organisation name, ...)
live in the database instead, see appliance.core.settings.
"""
import os
import tomllib
from dataclasses import dataclass
from pathlib import Path

SYSTEM_CONFIG_PATH = Path("/etc/tingjian/tingjian.toml")
# TINGJIAN_* variables that are not settings: the config file's path, the backup passphrase.
NOT_SETTINGS = {"TINGJIAN_CONFIG", "TINGJIAN_BACKUP_PASSPHRASE"}
REPO_ROOT = Path(__file__).resolve().parents[2]
TEXT_CONFIG_DIR = REPO_ROOT / "config" / "text"            # the shipped dictionary and taxonomy
TEXT_MODELS_DIR = REPO_ROOT / "appliance" / "text" / "models"   # built by the installer


class ConfigError(Exception):
    """A configuration value that stops the start; the message names the key and the fix."""


def workers_for(cores):
    """One gunicorn worker per core, at least two (so one slow page never stops the rest)."""
    return max(2, cores or 1)


@dataclass(frozen=True)
class Setting:
    name: str
    default: object
    kind: type
    help: str


SETTINGS = [
    Setting("data_dir", str(REPO_ROOT / "data"), str,
            "Directory for the database, keys, uploads and generated reports."),
    Setting("bind", "127.0.0.1:8000", str, "host:port that `cem serve` listens on."),
    Setting("workers", workers_for(os.cpu_count()), int,
            "Number of gunicorn worker processes (default: one per CPU core, at least two). "
            "Intake is bound by the CPU and by SQLite: more writing processes than cores "
            "cost each submission more (docs/collection.md, Benchmark)."),
    Setting("threads", 1, int,
            "Threads per gunicorn worker. 1 runs gunicorn's sync workers, the fastest for "
            "intake; put a buffering reverse proxy (nginx) in front, as for any gunicorn "
            "deployment, or raise this to tolerate slow clients without one."),
    Setting("jobs", True, bool, "Run the job runner (scheduled jobs and the work queue)."),
    Setting("job_interval_seconds", 2, int, "How often the job runner polls the work queue."),
    Setting("job_nice", 10, int,
            "CPU niceness the job runner process adds to itself (0 to 19): under a flood "
            "of submissions the web workers come first and the queue catches up after."),
    Setting("secure_cookies", False, bool,
            "Mark cookies Secure; turn on when the appliance is served over HTTPS."),
    Setting("session_hours", 12, int,
            "Hours the sign-in cookie is kept by the browser; the server-side session ends "
            "earlier by the runtime settings security.session_idle_minutes and "
            "security.session_absolute_hours."),
    Setting("trusted_proxies", "", str,
            "Reverse proxies whose X-Forwarded-For/-Proto headers are believed: empty for "
            "none, a number of proxies in front (e.g. 1), or their addresses or networks "
            "(e.g. \"127.0.0.1, 10.0.0.0/8\"). Rate limits then key on each client's address."),
    Setting("lockout_attempts", 5, int, "Failed logins before an account is locked."),
    Setting("lockout_minutes", 15, int, "Minutes an account stays locked."),
    Setting("password_min_length", 10, int, "Minimum password length."),
    Setting("log_level", "INFO", str, "Logging level: DEBUG, INFO, WARNING or ERROR."),
    Setting("migrations_dir", str(REPO_ROOT / "migrations"), str,
            "Directory of the numbered SQL migration files."),
    Setting("min_free_disk_mb", 500, int, "`cem check` fails below this much free disk."),
    Setting("durable_intake", True, bool,
            "Flush the write-ahead log to disk (fdatasync) after each accepted submission and "
            "before answering, so an acknowledged response survives a power cut. Concurrent "
            "submissions share one flush, outside the write lock."),
    Setting("text_config_dir", str(TEXT_CONFIG_DIR), str,
            "Text analytics dictionary, stopwords, taxonomy and sensitive-word lexicon."),
    Setting("text_models_dir", str(TEXT_MODELS_DIR), str,
            "Where the offline text models are built and read."),
    Setting("backup_dir", "", str,
            "Where scheduled backups are written (default: DATA_DIR/backups); best another disk."),
    Setting("backup_hour", 2, int,
            "Hour of the day (organisation time zone, 0-23) of the daily backup; -1 turns it off."),
    Setting("backup_keep", 7, int, "How many scheduled backups to keep; older ones are deleted."),
    Setting("backup_passphrase_file", "", str,
            "File holding the passphrase that seals the keys file of each scheduled backup; "
            "empty: scheduled backups hold the data only, keep a keys file from `cem backup`."),
    Setting("metrics_token", "", str,
            "Bearer token that lets a scraper read /metrics from another host (loopback needs none)."),
    Setting("log_format", "text", str, "Log lines as `text` or `json` (one JSON object a line)."),
    Setting("testing", False, bool, "Test mode (used by the test suite only)."),
]
SETTINGS_BY_NAME = {s.name: s for s in SETTINGS}


def load(overrides=None, environ=None):
    """Return the merged configuration as a dict with upper-case keys for Flask."""
    environ = os.environ if environ is None else environ
    values = {s.name: s.default for s in SETTINGS}
    path, from_file = _read_config_file(environ)
    values.update({k: _coerce(k, v, f"config file {path}") for k, v in from_file.items()})
    for key, raw in environ.items():
        if key.startswith("TINGJIAN_") and key not in NOT_SETTINGS:
            name = key[len("TINGJIAN_"):].lower()
            values[name] = _coerce(name, raw, f"environment variable {key}")
    for name, value in (overrides or {}).items():
        values[name] = _coerce(name, value, "overrides")
    _validate(values)
    return {name.upper(): value for name, value in values.items()}


def _read_config_file(environ):
    explicit = environ.get("TINGJIAN_CONFIG")
    path = Path(explicit) if explicit else SYSTEM_CONFIG_PATH
    if not path.exists():
        if explicit:
            raise ConfigError(f"TINGJIAN_CONFIG: file {path} does not exist; "
                              "fix the path or unset the variable.")
        return path, {}
    try:
        return path, tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"config file {path} is not valid TOML ({exc}); fix the syntax.")


def _coerce(name, value, source):
    setting = SETTINGS_BY_NAME.get(name)
    if setting is None:
        raise ConfigError(f"{name}: unknown setting in {source}; "
                          f"remove it or use one of: {', '.join(sorted(SETTINGS_BY_NAME))}.")
    if setting.kind is bool:
        return _coerce_bool(name, value, source)
    if setting.kind is int:
        try:
            if isinstance(value, bool):
                raise ValueError
            return int(value)
        except (TypeError, ValueError):
            raise ConfigError(f"{name}: {value!r} in {source} is not a whole number; "
                              f"set a number such as {setting.default}.")
    return str(value)


def _coerce_bool(name, value, source):
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("1", "true", "yes", "on"):
        return True
    if text in ("0", "false", "no", "off"):
        return False
    raise ConfigError(f"{name}: {value!r} in {source} is not true/false; set true or false.")


def _validate(values):
    _validate_bind(values["bind"])
    for name in ("workers", "threads", "session_hours", "lockout_attempts", "job_interval_seconds"):
        if values[name] < 1:
            raise ConfigError(f"{name}: must be at least 1, got {values[name]}.")
    if not 0 <= values["job_nice"] <= 19:
        raise ConfigError(f"job_nice: must be from 0 to 19, got {values['job_nice']}.")
    if values["log_level"].upper() not in ("DEBUG", "INFO", "WARNING", "ERROR"):
        raise ConfigError(f"log_level: {values['log_level']!r} is not one of "
                          "DEBUG, INFO, WARNING, ERROR.")
    if not -1 <= values["backup_hour"] <= 23:
        raise ConfigError(f"backup_hour: must be from 0 to 23 (or -1: off), got {values['backup_hour']}.")
    if values["backup_keep"] < 1:
        raise ConfigError(f"backup_keep: must be at least 1, got {values['backup_keep']}.")
    if values["log_format"] not in ("text", "json"):
        raise ConfigError(f"log_format: {values['log_format']!r} is not text or json.")
    _validate_data_dir(values["data_dir"])
    _validate_proxies(values["trusted_proxies"])


def _validate_proxies(value):
    from .proxies import ConfigProblem, parse
    try:
        parse(value)
    except ConfigProblem as exc:
        raise ConfigError(str(exc))


def _validate_bind(bind):
    host, sep, port = bind.rpartition(":")
    if not sep or not host:
        raise ConfigError(f"bind: {bind!r} is not host:port; set e.g. 127.0.0.1:8000.")
    if not port.isdigit() or not 1 <= int(port) <= 65535:
        raise ConfigError(f"bind: port {port!r} is not a number from 1 to 65535; "
                          "set e.g. 127.0.0.1:8000.")


def _validate_data_dir(data_dir):
    path = Path(data_dir)
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ConfigError(f"data_dir: cannot create {path} ({exc.strerror}); "
                          "choose a writable directory or fix its permissions.")
    if not os.access(path, os.W_OK):
        raise ConfigError(f"data_dir: {path} is not writable by this user; "
                          "fix its permissions or choose another directory.")
