"""A throwaway PostgreSQL server for tests and benchmarks (#24): Debian's package, a data dir in /tmp, loopback
only, run as ``nobody`` when the caller is root (initdb and postgres refuse root)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def server_binaries() -> Path | None:
    """The bin dir of the newest installed PostgreSQL server, or None."""
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/postgres"))
    return found[-1].parent if found else None


@contextmanager
def running_postgres(timeout: float = 60.0) -> Iterator[str]:
    """Start a server; yield its admin URL ``postgresql://postgres@127.0.0.1:PORT/postgres``; stop and remove it.

    Raises FileNotFoundError without the server package, RuntimeError when it does not come up in ``timeout`` s.
    """
    import psycopg

    bin_dir = server_binaries()
    if bin_dir is None:
        raise FileNotFoundError("PostgreSQL server not installed (Debian: apt-get install postgresql)")
    root = Path(tempfile.mkdtemp(prefix="e-assistant-pg-", dir="/tmp"))
    root.chmod(0o755)
    as_user: list[str] = []
    if os.geteuid() == 0:
        shutil.chown(root, "nobody", "nogroup")
        as_user = ["runuser", "-u", "nobody", "--"]
    data = root / "data"
    subprocess.run([*as_user, str(bin_dir / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust",
                    "-E", "UTF8", "--locale=C.UTF-8"], check=True, capture_output=True)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([*as_user, str(bin_dir / "postgres"), "-D", str(data), "-p", str(port), "-k", str(root),
                             "-h", "127.0.0.1", "-c", "fsync=off", "-c", "max_connections=200"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"postgresql://postgres@127.0.0.1:{port}/postgres"
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                psycopg.connect(url, connect_timeout=2).close()
                break
            except psycopg.OperationalError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise RuntimeError("PostgreSQL did not start") from None
                time.sleep(0.3)
        yield url
    finally:
        stop_processes([proc])
        shutil.rmtree(root, ignore_errors=True)


@contextmanager
def fresh_database(admin_url: str, prefix: str = "t") -> Iterator[str]:
    """A new, empty database on the server of ``admin_url`` (``postgresql://postgres@host:port/postgres``):
    yields its URL; dropped afterwards (connections closed by force)."""
    import uuid

    import psycopg

    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name}")
    try:
        yield admin_url.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(f"DROP DATABASE {name} WITH (FORCE)")


def stop_processes(procs: list[subprocess.Popen], timeout: float = 30.0) -> None:
    """Stop ``procs`` (SIGTERM to all, then SIGKILL to those still running after ``timeout`` s each)."""
    for p in procs:
        p.terminate()
    for p in procs:
        try:
            p.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            p.kill()
