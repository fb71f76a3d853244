"""Generators behind one protocol: local (bundled GGUF via xllamacpp), any OpenAI-compatible endpoint, extractive."""

from assistant.generation.base import GenerationError, Generator

__all__ = ["GenerationError", "Generator"]
