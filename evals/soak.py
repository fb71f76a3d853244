"""Soak benchmark (#23; not in CI): mixed search / ask / upload / delete from several clients against a real
``e-assistant serve`` on loopback, with the local LLM's child killed a third of the way in and the whole server
killed (``kill -9``) and restarted at two thirds. Reports errors, lost jobs, and the server's RSS and the data
dir's size over time.

    python -m evals.soak [--minutes 30] [--clients 4] [--corpus DIR] [--data-dir DIR] [--json]

The corpus defaults to three laws exported from the national-law DB; the data dir to a fresh temporary one
(the LLM model files are shared with ./data/models).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

QUESTIONS = ["行政处罚法第三十三条是什么内容", "违法行为多长时间没被发现就不再处罚了？", "当场收缴罚款后几日内交到机关",
             "查封扣押的期限是多久", "摊贩第一次占道经营，当场改正了，要罚款吗？"]
SEARCHES = ["行政处罚 时效", "当场处罚 罚款 限额", "听证 告知后五日内", "行政强制措施 实施程序", "罚款 加处"]
RULE = "第一条　为了规范管理，制定本规定。\n\n第二条　在公共场所摆放杂物的，处五十元以上二百元以下罚款。\n"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _rss_mb(pid: int) -> float:
    """Resident memory of ``pid`` and its children (MB), from /proc."""
    total = 0
    for p in [pid, *_children(pid)]:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return round(total / 1024, 1)


def _children(pid: int) -> list[int]:
    out = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if int((entry / "stat").read_text().split()[3]) == pid:
                    out.append(int(entry.name))
            except (OSError, ValueError, IndexError):
                continue
    return out


def _dir_mb(path: Path) -> float:
    return round(sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 2**20, 1)


class Server:
    def __init__(self, corpus: Path, data: Path, port: int, token: str):
        self.corpus, self.data, self.port, self.token = corpus, data, port, token
        self.proc: subprocess.Popen | None = None
        self.base = f"http://127.0.0.1:{port}"

    def start(self, timeout: float = 900) -> float:
        env = {**os.environ, "E_ASSISTANT_CORPUS": str(self.corpus), "E_ASSISTANT_LAW_DB": "false",
               "E_ASSISTANT_DATA_DIR": str(self.data), "E_ASSISTANT_ADMIN_TOKEN": self.token,
               "E_ASSISTANT_MODEL_DIR": str(Path("data/models").resolve())}
        t0 = time.monotonic()
        self.proc = subprocess.Popen([sys.executable, "-c", "from cli.main import main; main()", "serve", "--port",
                                      str(self.port)],
                                     env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        while time.monotonic() - t0 < timeout:
            try:
                if httpx.get(self.base + "/api/health", timeout=2).status_code == 200:
                    return time.monotonic() - t0
            except httpx.HTTPError:
                pass
            time.sleep(1)
        raise RuntimeError("服务没有在限定时间内就绪")

    def kill(self) -> None:
        if self.proc is not None:
            for child in _children(self.proc.pid):
                os.kill(child, signal.SIGKILL)
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait()

    def llm_pid(self) -> int | None:
        for child in _children(self.proc.pid):
            try:
                if "assistant.llm.local_server" in Path(f"/proc/{child}/cmdline").read_bytes().decode(errors="ignore"):
                    return child
            except OSError:
                continue
        return None


def run(minutes: float, clients: int, corpus: Path, data: Path) -> dict:
    token = "soak-" + os.urandom(6).hex()
    server = Server(corpus, data, _free_port(), token)
    startup = server.start()
    stop = threading.Event()
    counts: dict[str, int] = {}
    errors: list[str] = []
    jobs: list[str] = []
    lock = threading.Lock()

    def note(key: str) -> None:
        with lock:
            counts[key] = counts.get(key, 0) + 1

    def client(seed: int) -> None:
        rng = random.Random(seed)
        with httpx.Client(base_url=server.base, timeout=300) as http:
            while not stop.is_set():
                kind = rng.choices(["search", "ask", "upload", "delete"], [6, 3, 1, 1])[0]
                try:
                    if kind == "search":
                        r = http.post("/api/search", json={"query": rng.choice(SEARCHES), "top_k": 5})
                    elif kind == "ask":
                        r = http.post("/api/ask", json={"question": rng.choice(QUESTIONS)})
                    elif kind == "upload":
                        name = f"某区摆放杂物规定{rng.randrange(10**6)}.md"
                        r = http.post("/api/documents", files={"file": (name, RULE.encode(), "text/markdown")},
                                      headers={"Authorization": f"Bearer {token}"})
                        if r.status_code == 202:
                            with lock:
                                jobs.append(r.json()["id"])
                    else:
                        docs = http.get("/api/documents", params={"q": "摆放杂物规定"}).json().get("documents", [])
                        if not docs:
                            continue
                        r = http.delete(f"/api/documents/{docs[0]['id']}", headers={"Authorization": f"Bearer {token}"})
                    note(f"{kind}:{r.status_code}")
                    if r.status_code >= 500:
                        errors.append(f"{kind} {r.status_code} {r.text[:120]}")
                except httpx.HTTPError as exc:  # the server is down for its restart: counted, not an error
                    note(f"{kind}:unreachable")
                    time.sleep(1)
                    if not str(exc):
                        continue

    threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(clients)]
    for t in threads:
        t.start()
    started, samples, events = time.monotonic(), [], []
    total = minutes * 60
    killed_llm = restarted = False
    while time.monotonic() - started < total:
        elapsed = time.monotonic() - started
        if not killed_llm and elapsed > total / 3:
            pid = server.llm_pid()
            if pid:
                os.kill(pid, signal.SIGKILL)
                events.append(f"{elapsed:.0f}s 杀掉大模型子进程 {pid}")
            killed_llm = True
        if not restarted and elapsed > 2 * total / 3:
            server.kill()
            events.append(f"{elapsed:.0f}s kill -9 服务")
            took = server.start()
            events.append(f"{time.monotonic() - started:.0f}s 服务重启完成（{took:.0f} 秒）")
            restarted = True
        try:
            health = httpx.get(server.base + "/api/health", timeout=5).json()
            llm = health["llm"]["status"]
        except (httpx.HTTPError, ValueError, KeyError):
            llm = "unreachable"
        samples.append({"t": round(elapsed), "rss_mb": _rss_mb(server.proc.pid), "data_mb": _dir_mb(data), "llm": llm})
        time.sleep(10)
    stop.set()
    for t in threads:
        t.join(timeout=330)
    listed = {}
    try:
        listed = {j["id"]: j for j in httpx.get(server.base + "/api/jobs", timeout=10).json()}
    except (httpx.HTTPError, ValueError):
        pass
    lost = [j for j in jobs if j not in listed]
    server.kill()
    return {"minutes": minutes, "clients": clients, "startup_s": round(startup, 1), "requests": counts,
            "errors_5xx": len(errors), "error_examples": errors[:5], "uploads": len(jobs), "jobs_lost": len(lost),
            "jobs_failed": sum(1 for j in listed.values() if j["status"] == "failed"), "events": events,
            "samples": samples}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--minutes", type=float, default=30)
    ap.add_argument("--clients", type=int, default=4)
    ap.add_argument("--corpus", type=Path)
    ap.add_argument("--data-dir", type=Path)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    root = Path(tempfile.mkdtemp(prefix="soak-"))
    corpus = args.corpus
    if corpus is None:
        from tests.builders import export_laws

        exported = export_laws(root / "laws", ["中华人民共和国行政处罚法", "中华人民共和国行政强制法",
                                               "中华人民共和国治安管理处罚法"])
        corpus = root / "corpus"
        corpus.mkdir()
        for path in exported.values():
            (corpus / path.name).write_bytes(path.read_bytes())
    report = run(args.minutes, args.clients, corpus, args.data_dir or root / "data")
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
        return
    for key, value in report.items():
        if key != "samples":
            print(f"{key}: {value}")
    for s in report["samples"][:: max(1, len(report["samples"]) // 12)]:
        print(f"  t={s['t']:>5}s  RSS {s['rss_mb']:>7} MB  data {s['data_mb']:>7} MB  LLM {s['llm']}")


if __name__ == "__main__":
    main()
