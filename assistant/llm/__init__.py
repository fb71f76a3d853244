"""LLMs behind one protocol: the bundled local server (xllamacpp), any OpenAI-compatible endpoint; prompts."""

from assistant.llm.base import GenerationError, Generator

__all__ = ["GenerationError", "Generator"]
