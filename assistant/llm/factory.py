"""The generator the settings ask for: the bundled local LLM (one server per process), an OpenAI-compatible
endpoint, or none (extractive)."""

from __future__ import annotations

from assistant.llm.base import Generator
from assistant.settings import Settings
from corpus.progress import ProgressFn

_local_server = None  # one local LLM server per process, started on first use
_supervisor = None  # …and its watchdog, which restarts it when it dies


def make_generator(settings: Settings, progress: ProgressFn | None = None) -> Generator | None:
    """The generator for ``settings.backend``; None for ``extractive``.

    Raises RuntimeError (LocalModelError) when the bundled model cannot be assembled or its server does not
    start. (The settings themselves were checked when loaded: an ``openai`` backend has its URL.)
    """
    from assistant.llm.openai_compat import OpenAICompatibleGenerator

    if settings.backend == "extractive":
        return None
    if settings.backend == "openai":
        return OpenAICompatibleGenerator(settings.llm_base_url, settings.llm_model, settings.llm_api_key,
                                         timeout=settings.llm_timeout, name="openai")
    from assistant.llm.local_server import SupervisedGenerator

    start_local_llm(settings, progress)
    return SupervisedGenerator(_supervisor, settings.llm_model, timeout=settings.llm_timeout, name="local")


def start_local_llm(settings: Settings, progress: ProgressFn | None = None) -> str:
    """Assemble the bundled GGUF (once) and start the local server under a supervisor that restarts it when it
    dies; returns its OpenAI base URL."""
    global _local_server, _supervisor
    from assistant.llm.local_server import LocalLLMServer, LocalLLMSupervisor, assemble_model

    if _supervisor is not None and _supervisor.state != "stopped":
        return _supervisor.base_url or _local_server.base_url
    model = assemble_model(settings.models_dir, progress)
    _local_server = LocalLLMServer(model, n_ctx=settings.llm_ctx, threads=settings.threads)
    url = _local_server.start()
    _supervisor = LocalLLMSupervisor(_local_server)
    return url


def local_llm_state() -> tuple[str, str] | None:
    """(state, error) of this process's supervised local LLM — ``ready``, ``restarting``, ``stopped`` — or None
    when none was started."""
    if _supervisor is None:
        return None
    return _supervisor.state, _supervisor.error


def stop_local_llm() -> None:
    """Stop this process's local LLM server (and its supervisor), if one was started."""
    global _local_server, _supervisor
    if _supervisor is not None:
        _supervisor.stop()
        _supervisor = None
    if _local_server is not None:
        _local_server.stop()
        _local_server = None
