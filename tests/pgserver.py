"""A PostgreSQL server for the tests and benchmarks: the one `ARCHIVE_TEST_DATABASE_URL`
names, or a throwaway cluster started from the installed server programs.

Debian keeps initdb and pg_ctl out of PATH (in /usr/lib/postgresql/<version>/bin), and
initdb refuses to run as root: as root, the cluster belongs to the `postgres` user.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from pathlib import Path

ENV = "ARCHIVE_TEST_DATABASE_URL"


def server_programs() -> Path:
    """The folder of initdb and pg_ctl: pg_config's, else the newest Debian installs."""
    pg_config = shutil.which("pg_config")
    if pg_config:
        found = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True)
        folder = Path(found.stdout.strip())
        if (folder / "initdb").exists():
            return folder
    candidates = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[4])
    )
    if shutil.which("initdb"):
        candidates.append(shutil.which("initdb"))
    if not candidates:
        raise RuntimeError(
            "No PostgreSQL server programs (initdb) found: install Debian's postgresql "
            f"package, or set {ENV} to a server the tests may create databases on."
        )
    return Path(candidates[-1]).parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Cluster:
    """A cluster in a temporary folder on a free loopback port, stopped and removed by
    `stop()`. Tuned for throwaway use: no fsync (the tests kill clients, not the server),
    unless `durable` (a benchmark comparing with SQLite's synchronous writes)."""

    def __init__(self, durable: bool = False) -> None:
        self.durable = durable
        self.bin = server_programs()
        self.root = Path(tempfile.mkdtemp(prefix="archive-pg-"))
        self.data = self.root / "data"
        self.port = _free_port()
        self.user = "postgres" if os.geteuid() == 0 else None
        self._started = False

    def _run(self, *args: str) -> subprocess.CompletedProcess:
        cmd = [str(self.bin / args[0]), *args[1:]]
        if self.user:
            cmd = ["runuser", "-u", self.user, "--", *cmd]
        return subprocess.run(cmd, capture_output=True, text=True, cwd=self.root)

    def start(self) -> str:
        if self.user:
            shutil.chown(self.root, self.user)
        done = self._run(
            "initdb", "-D", str(self.data), "-U", "postgres", "-A", "trust", "-E", "UTF8",
            "--locale=C.UTF-8", "--no-sync",
        )  # fmt: skip
        if done.returncode:
            raise RuntimeError(f"initdb failed: {done.stderr or done.stdout}")
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.root} "
            "-c max_connections=200 -c shared_buffers=256MB"
        )
        if not self.durable:
            options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        done = self._run(
            "pg_ctl", "-D", str(self.data), "-l", str(self.root / "log"), "-o", options,
            "-w", "-t", "60", "start",
        )  # fmt: skip
        if done.returncode:
            log = (self.root / "log").read_text() if (self.root / "log").exists() else ""
            raise RuntimeError(f"PostgreSQL did not start: {done.stderr}{log}")
        self._started = True
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def stop(self) -> None:
        if self._started:
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
            self._started = False
        shutil.rmtree(self.root, ignore_errors=True)


def server_url(durable: bool = False) -> tuple[str, Cluster | None]:
    """The URL of a server to create test databases on, and the cluster started for it
    (None when `ARCHIVE_TEST_DATABASE_URL` named one)."""
    if os.environ.get(ENV):
        return os.environ[ENV], None
    cluster = Cluster(durable)
    try:
        return cluster.start(), cluster
    except BaseException:
        cluster.stop()
        raise


def create_database(server: str, prefix: str = "archive_test") -> str:
    """A new, empty database on `server`; its URL."""
    import psycopg
    from psycopg.conninfo import conninfo_to_dict, make_conninfo

    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    params = conninfo_to_dict(server)
    params["dbname"] = name
    return make_conninfo(**params)


def as_url(conninfo: str) -> str:
    """A connection string as the postgresql:// URL the archive takes."""
    from psycopg.conninfo import conninfo_to_dict

    params = conninfo_to_dict(conninfo)
    user = params.get("user", "")
    return f"postgresql://{user}@{params['host']}:{params['port']}/{params['dbname']}"


def drop_database(server: str, url: str) -> None:
    import psycopg
    from psycopg.conninfo import conninfo_to_dict

    name = conninfo_to_dict(url)["dbname"]
    for _ in range(20):
        try:
            with psycopg.connect(server, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            return
        except psycopg.OperationalError:
            time.sleep(0.1)


def copy_database(server: str, source: str, target: str) -> None:
    """Make the database at `target` a copy of the one at `source` (which no one may be
    connected to), replacing what it held."""
    import psycopg
    from psycopg.conninfo import conninfo_to_dict

    drop_database(server, target)
    source_name = conninfo_to_dict(source)["dbname"]
    target_name = conninfo_to_dict(target)["dbname"]
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{target_name}" TEMPLATE "{source_name}"')
