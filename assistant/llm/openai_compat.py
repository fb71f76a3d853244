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
            raise GenerationError(f"{exc.__class__.__name__}: {str(exc)[:200]}") from exc
