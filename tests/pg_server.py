"""A real PostgreSQL server for tests: initdb in a temp folder, `postgres` on a free loopback port, stopped after
the session; each test gets an empty schema of its own. Skipped with the reason when the binaries are missing or
the server cannot start (scripts/services.sh installs Debian's postgresql package).

    from pg_server import postgres_server, postgres_url  # noqa: F401  (fixtures)
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
import time
from itertools import count
from pathlib import Path
from urllib.parse import quote

import pytest

from processes import free_port

_schemas = count(1)


def postgres_bin() -> Path | None:
    """The newest /usr/lib/postgresql/N/bin holding initdb and postgres, else the ones on PATH."""
    for folder in sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda f: int(f.split("/")[-2]), reverse=True):
        if Path(folder, "initdb").exists() and Path(folder, "postgres").exists():
            return Path(folder)
    found = shutil.which("initdb")
    return Path(found).parent if found and shutil.which("postgres") else None


def _as_postgres_user() -> dict:
    """postgres refuses to run as root: as root, run it as the `postgres` OS user."""
    if os.geteuid() != 0:
        return {}
    import pwd

    try:
        entry = pwd.getpwnam("postgres")
    except KeyError:
        pytest.skip("PostgreSQL cannot run as root and there is no `postgres` OS user")
    return {"user": entry.pw_uid, "group": entry.pw_gid, "extra_groups": []}


@pytest.fixture(scope="session")
def postgres_server():
    """(host, port) of a throwaway PostgreSQL server, trust auth on 127.0.0.1 only, fsync off."""
    binaries = postgres_bin()
    if binaries is None:
        pytest.skip("PostgreSQL binaries (initdb, postgres) are not installed; scripts/services.sh installs them")
    pytest.importorskip("psycopg", reason="psycopg is not installed (pip install 'psycopg[binary]')")
    import psycopg

    run_as = _as_postgres_user()
    folder = Path(tempfile.mkdtemp(prefix="postings-pg-"))
    if run_as:
        os.chown(folder, run_as["user"], run_as["group"])
    data = folder / "data"
    init = subprocess.run([str(binaries / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust", "--no-sync",
                           "-E", "UTF8", "--locale=C"], capture_output=True, text=True, **run_as)
    if init.returncode != 0:
        shutil.rmtree(folder, ignore_errors=True)
        pytest.skip(f"initdb failed: {(init.stderr or init.stdout)[-500:]}")
    port = free_port()
    log = open(folder / "postgres.log", "wb")
    process = subprocess.Popen(
        [str(binaries / "postgres"), "-D", str(data), "-p", str(port), "-k", str(folder),
         "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off", "-c", "synchronous_commit=off",
         "-c", "full_page_writes=off"],
        stdout=log, stderr=subprocess.STDOUT, **run_as)
    deadline = time.monotonic() + 30
    while True:
        try:
            psycopg.connect(f"postgresql://postgres@127.0.0.1:{port}/postgres", connect_timeout=2).close()
            break
        except psycopg.OperationalError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                reason = (folder / "postgres.log").read_text(errors="replace")[-500:]
                shutil.rmtree(folder, ignore_errors=True)
                pytest.skip(f"PostgreSQL did not start: {reason}")
            time.sleep(0.1)
    try:
        yield "127.0.0.1", port
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def postgres_url(postgres_server):
    """A URL whose connections see a fresh, empty schema (search_path), so tests do not see each other's rows."""
    import psycopg

    host, port = postgres_server
    schema = f"test_{os.getpid()}_{next(_schemas)}"
    base = f"postgresql://postgres@{host}:{port}/postgres"
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    return f"{base}?options={quote(f'-csearch_path={schema}')}"
