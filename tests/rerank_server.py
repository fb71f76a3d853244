"""A small re-ranking server for the tests: the common ``POST /v1/rerank`` API (Jina/Cohere form, and TEI's form
under ``/tei``) with the bundled multilingual-e5-small behind it. The bundled GGUF has no classifier head, so
llama.cpp cannot serve /v1/rerank with it; this server speaks the protocol with a real model instead. ``/tei/v1/rerank`` answers with a bare list, as TEI and SGLang do."""

from __future__ import annotations

import threading
import time

import numpy as np
import uvicorn
from fastapi import FastAPI
from pydantic import BaseModel


class RerankRequest(BaseModel):
    model: str = ""
    query: str
    documents: list[str] = []
    texts: list[str] = []  # TEI's name for the passages
    top_n: int | None = None


def make_app(embedder) -> FastAPI:
    app = FastAPI()

    def scores(req: RerankRequest) -> np.ndarray:
        passages = req.documents or req.texts
        return embedder.embed_passages(passages) @ embedder.embed_queries([req.query])[0]

    @app.post("/v1/rerank")
    def rerank(req: RerankRequest) -> dict:
        cos = scores(req)
        order = np.argsort(-cos)[: req.top_n or len(cos)]
        return {"model": req.model, "results": [{"index": int(i), "relevance_score": float(cos[i])} for i in order]}

    @app.post("/tei/v1/rerank")
    def rerank_tei(req: RerankRequest) -> list[dict]:
        cos = scores(req)
        return [{"index": int(i), "score": float(cos[i])} for i in np.argsort(-cos)]

    return app


class RunningServer:
    """uvicorn in a thread on a free loopback port; ``url`` once started, ``stop()`` to end it."""

    def __init__(self, app: FastAPI):
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def start(self, timeout: float = 30.0) -> str:
        self.thread.start()
        deadline = time.monotonic() + timeout
        while not self.server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("test rerank server did not start")
            time.sleep(0.05)
        port = self.server.servers[0].sockets[0].getsockname()[1]
        return f"http://127.0.0.1:{port}"

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)
