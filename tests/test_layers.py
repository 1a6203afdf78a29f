"""The layers hold: imports point down (import-linter's contract in .importlinter) and a domain
queries only the tables it owns (DOMAIN.tables); others' data comes through their services."""
import re
import subprocess
import sys
from pathlib import Path

from appliance import domains
from appliance.core.config import REPO_ROOT

SQL_TABLE = re.compile(r"\b(?:FROM|JOIN|INTO|UPDATE|TABLE)\s+([a-z_]+)\b")
VIEWS_STILL_WRITING = set()   # sign-in is split: views in org/auth.py, checks in org/signin.py
ALLOWED_READS = {}   # (domain, table) -> why; empty: every domain keeps to its own tables


def test_the_import_contracts_are_kept():
    lint = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([str(lint), "--config", str(REPO_ROOT / ".importlinter")],
                            capture_output=True, text=True, cwd=REPO_ROOT)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]


def created_tables():
    found = set()
    for path in (REPO_ROOT / "migrations").glob("*.sql"):
        found |= set(re.findall(r"CREATE TABLE (?:IF NOT EXISTS )?([a-z_]+)", path.read_text()))
    return found - {name for name in found if name.endswith("_new")}   # rebuild-table idiom


def owners():
    table_owner = {}
    for domain in domains.load().domains:
        for table in domain.tables:
            assert table not in table_owner, f"{table} owned by {table_owner[table]} and {domain.name}"
            table_owner[table] = domain.name
    return table_owner


def test_every_table_has_one_owning_domain():
    assert created_tables() - {"schema_migrations"} <= set(owners())


def test_a_domain_queries_only_its_own_tables():
    table_owner, trespass = owners(), []
    for domain in domains.load().domains:
        package = REPO_ROOT / "appliance" / (domain.package or domain.name).split(".")[-1]
        for path in package.rglob("*.py"):
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                for table in SQL_TABLE.findall(line):
                    owner = table_owner.get(table, domain.name)
                    if owner != domain.name and (domain.name, table) not in ALLOWED_READS:
                        trespass.append(f"{path.relative_to(REPO_ROOT)}:{number} {domain.name} "
                                        f"reads {owner}'s {table}")
    assert not trespass, "\n".join(trespass)


def test_views_leave_transactions_to_the_services():
    """A module that defines a Blueprint parses, calls a service, renders: the service
    opens the transaction and writes the audit row."""
    offenders = []
    for path in (REPO_ROOT / "appliance").rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        if ("Blueprint(" in source and re.search(r"\btransaction\(", source)
                and path.name not in VIEWS_STILL_WRITING):
            offenders.append(str(path.relative_to(REPO_ROOT)))
    assert not offenders, offenders
