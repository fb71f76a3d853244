"""Replica benchmark (#24; not in CI): 1, 2 and 4 `e-assistant serve` replicas on one PostgreSQL store (a server
this script starts, evals/postgres_server.py), `/api/search` from 16 clients spread over the replicas — requests
per second, p50 / p95, errors — and the time from an upload through replica 1 until every replica finds it.

    python -m evals.bench_replicas [--replicas 1,2,4] [--clients 16] [--seconds 20] [--refresh 5] [--json]

Each replica: USE encoder, extractive answers, its own data dir and index; corpus: three laws exported from the
national-law DB.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

import httpx

from evals.postgres_server import fresh_database, running_postgres, stop_processes

REPO = Path(__file__).resolve().parent.parent
LAWS = ("中华人民共和国行政处罚法", "中华人民共和国行政强制法", "中华人民共和国治安管理处罚法")
QUERIES = ["行政处罚 时效", "当场处罚 罚款 限额", "听证 告知后五日内", "行政强制措施 实施程序", "罚款 加处",
           "违反治安管理 拘留", "查封 扣押 期限"]
RULE = "第一条　为了规范管理，制定本规定。\n\n第二条　在公共场所摆放杂物的，处五十元以上二百元以下罚款。\n"


def _port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_replica(name: str, url: str, corpus: Path, data: Path, token: str = "bench",
                  timeout: float = 300.0, refresh: float = 1.0) -> tuple[subprocess.Popen, str]:
    """An `e-assistant serve` replica on loopback (USE encoder, extractive answers, the periodic store check every
    ``refresh`` seconds besides the store's notifications) on the shared store ``url``, its own data dir ``data``;
    returns (process, base URL) once it answers health. Raises
    RuntimeError (with the end of its log) when it exits or does not come up in ``timeout`` s."""
    port = _port()
    data.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "E_ASSISTANT_STORE_URL": url, "E_ASSISTANT_CORPUS": str(corpus), "E_ASSISTANT_LAW_DB": "false",
           "E_ASSISTANT_DATA_DIR": str(data), "E_ASSISTANT_EMBEDDER": "use", "E_ASSISTANT_BACKEND": "extractive",
           "E_ASSISTANT_ADMIN_TOKEN": token, "E_ASSISTANT_REPLICA_NAME": name,
           "E_ASSISTANT_REPLICA_REFRESH_SECONDS": str(refresh),
           "PYTHONPATH": os.pathsep.join(p for p in (str(REPO), os.environ.get("PYTHONPATH")) if p)}
    log = data / "serve.log"
    proc = subprocess.Popen([str(Path(sys.executable).parent / "e-assistant"), "serve", "--port", str(port)], cwd=REPO,
                            env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"replica {name} exited: {log.read_text(errors='replace')[-2000:]}")
        try:
            if httpx.get(base + "/api/health", timeout=2).status_code == 200:
                return proc, base
        except httpx.HTTPError:
            time.sleep(0.5)
    proc.kill()
    raise RuntimeError(f"replica {name} did not come up")


def _load(bases: list[str], clients: int, seconds: float) -> dict:
    times: list[float] = []
    errors = 0
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def client(n: int) -> None:
        nonlocal errors
        with httpx.Client(timeout=30) as c:
            k = n
            while time.monotonic() < stop:
                base = bases[k % len(bases)]
                t0 = time.perf_counter()
                try:
                    ok = c.post(base + "/api/search", json={"query": QUERIES[k % len(QUERIES)], "top_k": 10}).status_code == 200
                except httpx.HTTPError:
                    ok = False
                with lock:
                    times.append(time.perf_counter() - t0)
                    errors += not ok
                k += 1

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    times.sort()
    return {"requests": len(times), "rps": round(len(times) / seconds, 1), "errors": errors,
            "p50_ms": round(1000 * statistics.median(times), 1) if times else None,
            "p95_ms": round(1000 * times[int(0.95 * (len(times) - 1))], 1) if times else None}


def _rss_mb(pid: int) -> float:
    """Resident memory of a process and its children (MB), from /proc (Linux)."""
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
            for tid in Path(f"/proc/{p}/task").iterdir():
                todo += [int(c) for c in (tid / "children").read_text().split()]
        except (OSError, ValueError):
            continue
    return round(total / 1024, 1)


def _propagation(bases: list[str]) -> float:
    """Seconds from an upload through the first replica until every replica finds the new document."""
    name = f"某市公共场所摆放杂物管理规定{uuid.uuid4().hex[:4]}.md"
    t0 = time.monotonic()
    r = httpx.post(bases[0] + "/api/documents", files={"file": (name, RULE.encode(), "text/markdown")},
                   headers={"Authorization": "Bearer bench"}, timeout=30)
    r.raise_for_status()
    pending = set(bases)
    while pending and time.monotonic() - t0 < 300:
        for base in list(pending):
            hits = httpx.post(base + "/api/search", json={"query": "公共场所摆放杂物", "top_k": 5}, timeout=30).json()["hits"]
            if any("摆放杂物" in (h.get("text") or "") for h in hits):
                pending.discard(base)
        time.sleep(0.2)
    return round(time.monotonic() - t0, 1) if not pending else float("nan")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--replicas", default="1,2,4")
    ap.add_argument("--clients", type=int, default=16)
    ap.add_argument("--seconds", type=float, default=20.0)
    ap.add_argument("--refresh", type=float, default=5.0,
                    help="seconds between periodic store checks (the product's default 5; notifications come at once)")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    from tests.builders import export_laws

    root = Path(tempfile.mkdtemp(prefix="bench-replicas-"))
    exported = export_laws(root / "export", LAWS)
    corpus = root / "corpus"
    corpus.mkdir()
    for path in exported.values():
        (corpus / path.name).write_bytes(path.read_bytes())
    report = []
    with running_postgres() as admin:
        for n in [int(x) for x in args.replicas.split(",")]:
            with fresh_database(admin, f"bench_{n}") as url:
                db = url.rsplit("/", 1)[1]
                procs, bases = [], []
                try:
                    for i in range(n):  # one after the other: the first ingests the corpus once
                        proc, base = start_replica(f"r{i}", url, corpus, root / db / f"r{i}", refresh=args.refresh)
                        procs.append(proc)
                        bases.append(base)
                    row = {"replicas": n, **_load(bases, args.clients, args.seconds), "upload_to_all_s": _propagation(bases),
                           "rss_mb_per_replica": max(_rss_mb(p.pid) for p in procs)}
                    report.append(row)
                    if not args.json:
                        print(row, flush=True)
                finally:
                    stop_processes(procs)
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
