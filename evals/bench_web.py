"""Load benchmark of ``POST /api/search`` (printed numbers; loopback only; bounded in time and count).

Starts ``e-assistant serve`` (extractive backend: search does not touch the LLM) on a free
127.0.0.1 port with the given data dir, waits for it, then runs N client threads for S seconds
(each sends one request at a time) and prints requests/s, latency percentiles and errors.

    python -m evals.bench_web --seconds 30 --clients 8            # the issue's setting
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx

from assistant.settings import shared_dir
from evals.postgres_server import stop_processes

FALLBACK_QUERIES = [
    "行政处罚法第三十三条", "处罚法33条第二款", "初次违法且危害后果轻微并及时改正的可以不罚吗",
    "摊贩占道经营第一次被发现要罚款吗", "执法人员当场收缴罚款的条件", "在饮用水水源一级保护区内垂钓",
    "食品经营者销售超过保质期的食品怎么处罚", "治安管理处罚法第二十三条", "行政强制措施的种类",
    "听证程序适用于哪些处罚", "违法建设限期拆除", "餐饮油烟超标排放", "未取得排污许可证排放污染物",
    "噪声扰民夜间施工", "不满十四周岁的人违法", "行政处罚的追责时效是几年",
]
MAX_REQUESTS = 200_000  # a hard bound on top of the time bound


def queries() -> list[str]:
    shared = shared_dir()
    dev = shared / "evals-dev" / "statute_retrieval_dev.jsonl" if shared else None
    out = list(FALLBACK_QUERIES)
    if dev and dev.exists():
        out += [json.loads(line)["query"] for line in dev.read_text(encoding="utf-8").splitlines() if line.strip()]
    return out


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(data_dir: Path, port: int, log: Path) -> subprocess.Popen:
    exe = Path(sys.executable).parent / "e-assistant"
    env = {**os.environ, "E_ASSISTANT_DATA_DIR": str(data_dir), "E_ASSISTANT_BACKEND": "extractive"}
    return subprocess.Popen([str(exe), "serve", "--port", str(port)], env=env, stdout=log.open("wb"),
                            stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)


def wait_ready(base: str, proc: subprocess.Popen, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"server exited with {proc.returncode}")
        try:
            if httpx.get(base + "/api/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(1)
    raise SystemExit("server did not become ready")


def run_load(base: str, clients: int, seconds: float, qs: list[str], top_k: int) -> dict:
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    count = [0]
    stop_at = time.monotonic() + seconds

    host, port = base.removeprefix("http://").split(":")

    def client(idx: int) -> None:
        # the standard library's client, lighter than httpx: on 2 cores the load generator shares the CPU
        # with the server it measures
        conn = http.client.HTTPConnection(host, int(port), timeout=30)
        i = idx
        while time.monotonic() < stop_at:
            with lock:
                if count[0] >= MAX_REQUESTS:
                    break
                count[0] += 1
            body = json.dumps({"query": qs[i % len(qs)], "top_k": top_k}).encode()
            i += clients
            t0 = time.perf_counter()
            try:
                conn.request("POST", "/api/search", body=body, headers={"Content-Type": "application/json"})
                r = conn.getresponse()
                r.read()
                ok, reason = r.status == 200, f"HTTP {r.status}"
            except (OSError, http.client.HTTPException) as exc:
                ok, reason = False, exc.__class__.__name__
                conn.close()
                conn = http.client.HTTPConnection(host, int(port), timeout=30)
            dt = time.perf_counter() - t0
            with lock:
                latencies.append(dt)
                if not ok:
                    errors.append(reason)
        conn.close()

    t0 = time.perf_counter()
    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - t0
    lat = sorted(latencies)

    def pct(q: float) -> float:
        return lat[min(len(lat) - 1, int(q * len(lat)))] * 1000 if lat else float("nan")

    return {"clients": clients, "seconds": round(wall, 1), "requests": len(lat), "errors": len(errors),
            "error_kinds": sorted(set(errors)), "requests_per_s": round(len(lat) / wall, 1),
            "p50_ms": round(pct(0.50), 1), "p95_ms": round(pct(0.95), 1), "p99_ms": round(pct(0.99), 1),
            "max_ms": round(lat[-1] * 1000, 1) if lat else None,
            "mean_ms": round(statistics.fmean(lat) * 1000, 1) if lat else None}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data-dir", type=Path, default=Path("data"), help="data dir of the server (default: data)")
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--seconds", type=float, default=30.0)
    ap.add_argument("--top-k", type=int, default=10)
    ap.add_argument("--warmup", type=int, default=20, help="requests sent before measuring")
    ap.add_argument("--startup-timeout", type=float, default=1800.0)
    args = ap.parse_args()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    args.data_dir.mkdir(parents=True, exist_ok=True)
    proc = start_server(args.data_dir, port, args.data_dir / "bench-web-server.log")
    try:
        print(f"starting e-assistant serve on {base} (data dir {args.data_dir}) …", flush=True)
        t0 = time.perf_counter()
        wait_ready(base, proc, args.startup_timeout)
        health = httpx.get(base + "/api/health").json()
        print(f"ready in {time.perf_counter() - t0:.1f} s: {health['documents']} documents, {health['chunks']} chunks,"
              f" encoder {health['index']['model']}", flush=True)
        qs = queries()
        with httpx.Client(base_url=base, timeout=30) as c:
            for q in qs[: args.warmup]:
                c.post("/api/search", json={"query": q, "top_k": args.top_k})
        result = run_load(base, args.clients, args.seconds, qs, args.top_k)
    finally:
        stop_processes([proc])
    print(json.dumps(result, ensure_ascii=False, indent=2))
    print(f"/api/search, {result['clients']} clients × {result['seconds']} s: {result['requests_per_s']} req/s, "
          f"p50 {result['p50_ms']} ms, p95 {result['p95_ms']} ms, errors {result['errors']}")


if __name__ == "__main__":
    main()
