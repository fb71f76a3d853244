"""Any OpenAI-compatible chat endpoint (vLLM, Ollama, Xinference, a cloud API, our local server) via langchain-openai."""

from __future__ import annotations

from collections.abc import Iterator

from assistant.llm.base import GenerationError


class OpenAICompatibleGenerator:
    def __init__(self, base_url: str, model: str, api_key: str | None = None, timeout: float = 60.0,
                 temperature: float = 0.0, name: str = "openai"):
        from langchain_openai import ChatOpenAI

        self.name = name
        self.base_url = base_url
        self.llm = ChatOpenAI(base_url=base_url, model=model, api_key=api_key or "not-needed", timeout=timeout,
                              temperature=temperature, max_retries=0)

    def stream(self, messages: list[dict[str, str]], max_tokens: int = 512) -> Iterator[str]:
        from langchain_core.messages import AIMessage, HumanMessage, SystemMessage

        kinds = {"system": SystemMessage, "user": HumanMessage, "assistant": AIMessage}
        lc = [kinds[m["role"]](content=m["content"]) for m in messages]
        try:
            for piece in self.llm.bind(max_tokens=max_tokens).stream(lc):
                text = piece.content if isinstance(piece.content, str) else ""
                if text:
                    yield text
        except Exception as exc:  # httpx/openai errors of many kinds: the caller falls back
            raise GenerationError(describe_failure(exc)) from exc


def describe_failure(exc: Exception) -> str:
    """A Chinese reason for a failed LLM call, for the answer's notice (the class name goes to the log only)."""
    name = exc.__class__.__name__
    if "Timeout" in name:
        return "大模型服务响应超时"
    if "Connection" in name or isinstance(exc, (ConnectionError, OSError)):
        return "无法连接大模型服务"
    if "Authentication" in name or "PermissionDenied" in name:
        return "大模型服务拒绝访问（请检查 E_ASSISTANT_LLM_API_KEY）"
    if "NotFound" in name:
        return "大模型服务中没有所配置的模型（请检查 E_ASSISTANT_LLM_MODEL）"
    if "RateLimit" in name:
        return "大模型服务繁忙（请求过多）"
    return f"大模型服务出错（{name}）"
