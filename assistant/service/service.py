"""The running product: store, index, retriever, answer pipeline, LLM, jobs and audit in one object.

Every channel — the CLI, the web API, the Gradio UI, the WeCom and DingTalk bots — asks through the same
methods (``search``, ``ask`` / ``ask_stream``, ``discretion``, ``quiz``), so a question takes the same road
and lands in the same audit log whichever way it comes. Each request is checked once, here.

Uploads, deletions and re-indexing run as background jobs (one at a time); the new index is swapped in
only when its build succeeded, so searches keep being served by the old one meanwhile, and after a failure.
"""

from __future__ import annotations

import hashlib
import logging
import re
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from assistant.answer.pipeline import Answer, AnswerEvent, AnswerPipeline
from assistant.case.desk import CaseDesk
from assistant.service.case_methods import CaseMethods
from assistant.service.quiz_methods import QuizMethods
from assistant.service.replicas import job_journal, service_logs, watch_store
from assistant.discretion.advisor import DiscretionAdvisor
from assistant.discretion.matching import search_with
from assistant.discretion.nearest import nearest_penalty_articles
from assistant.discretion.answer import answer_from_advice, is_penalty_question
from assistant.discretion.places import normalise_region
from assistant.discretion.types import Advice, validate_facts
from assistant.service.audit import now_iso
from assistant.retrieval.factory import (EmptyKnowledgeBase, ensure_index, expansion_settings, make_reranker,
                                        make_retriever, make_settings_embedder, open_embedding_cache)
from assistant.llm.factory import make_generator, stop_local_llm
from assistant.storage import open_store, refresh_store
from assistant.llm.base import GenerationError, Generator
from assistant.retrieval.expansion import LLMQueryExpander
from assistant.service.jobs import Job, JobRunner, ProgressFn
from assistant.retrieval import Filters, Hit, HybridRetriever, Query, QueryError, validate_query
from assistant.settings import Settings
from corpus.ingest import ingest_file, settle, validity_state
from corpus.metadata import ORIGINAL_NAME_FILE, title_key
from corpus.store import Validity
from corpus.validity import calendar_day, today

log = logging.getLogger(__name__)

_UNSET: Any = object()
_UNSAFE_NAME = re.compile(r"[^\w\u4e00-\u9fff（）()《》\-.·、，,　 ]+")


class UploadError(ValueError):
    """An upload refused before anything was written (type, size, name); the message is shown."""


MAX_NAME_BYTES = 200  # file systems allow 255 bytes per name (ext4, XFS); 200 leaves room for the extension


def safe_filename(name: str) -> str:
    """The file's own name without folders or odd characters (its title is inferred from it), at most
    :data:`MAX_NAME_BYTES` bytes of UTF-8, cut on a character boundary with the extension kept."""
    base = Path(name.replace("\\", "/")).name.strip()
    base = _UNSAFE_NAME.sub("_", base).strip(" .") or "upload"
    if len(base.encode()) <= MAX_NAME_BYTES:
        return base
    suffix = Path(base).suffix if len(Path(base).suffix) <= 8 else ""
    stem = base[: len(base) - len(suffix)] if suffix else base
    while len((stem + suffix).encode()) > MAX_NAME_BYTES:
        stem = stem[:-1]
    return stem.rstrip(" .") + suffix


class _ReadyLLM:
    """The service's LLM (with the expansion's short timeout) once it is ready; before that, or when it failed,
    a GenerationError."""

    name = "service-llm"

    def __init__(self, service: AssistantService):
        self.service = service

    def stream(self, messages: list[dict[str, str]], max_tokens: int = 512) -> Iterator[str]:
        generator = self.service.expansion_generator
        if generator is None:
            raise GenerationError(f"LLM {self.service.llm_status}")
        yield from generator.stream(messages, max_tokens=max_tokens)


class AssistantService(CaseMethods, QuizMethods):
    """The product behind every channel.

    ``settings`` are taken as checked (Settings refuses bad values). ``generator`` injects an LLM (tests; None
    means extractive); otherwise the backend's LLM starts in a background thread when ``start_llm`` (``serve``
    and the CLI call :meth:`start_llm_now` instead, to wait for it). ``preload`` loads (building when stale)
    the search index now; otherwise on first use, so that ``discretion`` never waits for an index build.
    ``progress(stage, done, total)`` sees ingestion and index building.
    """

    def __init__(self, settings: Settings, generator: Generator | None = _UNSET,
                 progress: ProgressFn | None = None, start_llm: bool = True, preload: bool = True):
        self.settings = settings
        self.store = open_store(settings)
        refresh_store(settings, self.store, progress=progress)  # empty: the defaults; old chunker: re-cut
        self.embedder = make_settings_embedder(settings)
        self.reranker = make_reranker(settings)
        self.expander = self._make_expander()
        self._retriever: HybridRetriever | None = None
        self._pipeline: AnswerPipeline | None = None
        self._retriever_lock = threading.Lock()
        if preload:
            try:
                self._swap_in(self._load_retriever(progress))
            except EmptyKnowledgeBase:
                pass  # an empty knowledge base: every search says so (the retriever raises it on use)
        self.jobs = JobRunner(journal=job_journal(settings))  # shared by the replicas of a PostgreSQL store (#24)
        self.case = CaseDesk(self.store, settings.case_rules, settings.holiday_file, settings.case_templates,
                             settings.hearing_threshold_yuan)
        self.audit, self.feedback = service_logs(settings)  # one audit trail for the replicas of one store (#24)
        self._generator: Generator | None = None
        self._expansion_generator: Generator | None = None
        self._advisor: DiscretionAdvisor | None = None
        self.llm_status, self.llm_error = "disabled", ""
        if generator is not _UNSET:
            self._generator = generator
            self.llm_status = "ready" if generator is not None else "disabled"
        elif settings.backend != "extractive":
            self.llm_status = "starting"
            if start_llm:
                threading.Thread(target=self._start_llm, name="e-assistant-llm", daemon=True).start()
        self._requeue_interrupted()
        self.watcher = watch_store(self)  # other replicas of a shared store (#24)

    def _requeue_interrupted(self) -> None:
        """Uploads a previous process left unfinished (killed while parsing or indexing) whose file is still in
        ``uploads/``: queued again, the old job naming the new one; other interrupted jobs stay failed with the
        reason (a re-index or deletion can be asked for again)."""
        for old in self.jobs.interrupted():
            path = Path(old.payload.get("path", ""))
            if old.kind != "upload" or not path.is_file():
                continue
            job = self.jobs.submit("upload", lambda progress, p=path: self._ingest_upload(p, progress),
                                   description=f"{old.description}（服务重启后重新导入）", payload={"path": str(path)})
            old.error = f"{old.error}；已重新排队为任务 {job.id}"
            self.jobs.record(old)
            self.audit.record("upload_requeued", "system", "startup", file=path.name, old_job=old.id, job=job.id)

    # ---- LLM -----------------------------------------------------------------------------
    def _start_llm(self) -> None:
        try:
            self._generator = make_generator(self.settings)
            if self._generator is not None and self.expander is not None:  # same LLM, shorter timeout
                self._expansion_generator = make_generator(expansion_settings(self.settings))
            self.llm_status = "ready" if self._generator is not None else "disabled"
        except Exception as exc:  # answers go on, extractively, with a notice
            self.llm_status, self.llm_error = "failed", str(exc)
            log.warning("LLM backend %s unavailable: %s", self.settings.backend, exc)

    def start_llm_now(self) -> None:
        """Start the LLM in this thread (the CLI's serve waits for it before it listens)."""
        if self.llm_status == "starting" and self._generator is None:
            self._start_llm()

    @property
    def generator(self) -> Generator | None:
        return self._generator if self.llm_status == "ready" else None

    @property
    def expansion_generator(self) -> Generator | None:
        return (self._expansion_generator or self._generator) if self.llm_status == "ready" else None

    # ---- index ---------------------------------------------------------------------------
    @property
    def retriever(self) -> HybridRetriever:
        """The retriever over the current index (loaded, or built when stale, on first use)."""
        if self._retriever is None:
            with self._retriever_lock:
                if self._retriever is None:
                    self._swap_in(self._load_retriever())
        return self._retriever

    @property
    def pipeline(self) -> AnswerPipeline:
        """The answer pipeline (built once, with the settings' budgets; it follows index swaps)."""
        self.retriever  # noqa: B018 — loads the index on first use
        return self._pipeline

    def _swap_in(self, retriever: HybridRetriever) -> None:
        if self._pipeline is None:
            self._pipeline = AnswerPipeline.from_settings(retriever, None, self.settings)
        else:
            self._pipeline.retriever = retriever
        self._retriever = retriever

    def _load_retriever(self, progress: ProgressFn | None = None, force: bool = False) -> HybridRetriever:
        s = self.settings
        handle = ensure_index(s, self.store, self.embedder, progress=progress, force=force)
        return make_retriever(s, self.store, handle, self.embedder, reranker=self.reranker, expander=self.expander)

    def _make_expander(self) -> LLMQueryExpander | None:
        """Query expansion drafts with the answer LLM once it is ready (until then searches go without it)."""
        if self.settings.query_expansion == "none":
            return None
        return LLMQueryExpander(_ReadyLLM(self))

    def _rebuild(self, progress: ProgressFn, force: bool = False) -> dict[str, Any]:
        """Build the index for the store as it is now and swap it in (the old one serves until then)."""
        new = self._load_retriever(progress, force=force)
        progress("reload", 1, 1)
        self._swap_in(new)
        self._advisor = None  # re-read the 裁量 tables on next use
        self.case.invalidate()  # re-check the procedure bases against the new corpus
        return {"chunks": len(new.index), "model": new.index.manifest.model_id}

    # ---- questions -----------------------------------------------------------------------
    def search(self, query: str, k: int = 10, filters: Filters | None = None, user: str = "",
               channel: str = "api") -> list[Hit]:
        """The ``k`` best hits for ``query`` (see HybridRetriever.search), recorded in the audit log.

        Raises QueryError for a query that cannot be searched (empty, only punctuation, longer than
        ``settings.max_query_chars`` characters).
        """
        q = validate_query(query, self.settings.max_query_chars)
        hits = self.retriever.search(q, k, filters)
        self.audit.record("search", user, channel, query=q,
                          hits=[{"title": h.document.title, "article": h.chunk.article, "chunk_id": h.chunk.id}
                                for h in hits[:10]])
        return hits

    def ask(self, question: str, history: list[dict[str, str]] | None = None, filters: Filters | None = None,
            on_token: Callable[[str], None] | None = None, user: str = "", channel: str = "api",
            extractive: bool = False) -> Answer:
        """The verified answer (:meth:`ask_stream`, collected); ``on_token`` sees the streamed text."""
        answer = None
        for event in self.ask_stream(question, history, filters, user, channel, extractive):
            if event.kind == "token" and on_token:
                on_token(event.text)
            elif event.kind == "answer":
                answer = event.answer
        return answer

    def ask_stream(self, question: str, history: list[dict[str, str]] | None = None,
                   filters: Filters | None = None, user: str = "", channel: str = "api",
                   extractive: bool = False) -> Iterator[AnswerEvent]:
        """Answer events for ``question``: text pieces as they are written, then the verified answer.

        The one road for every channel. A question about the amount of a penalty (罚多少, 怎么处罚 …) that
        the 裁量基准 tables cover is answered from the table (backend ``discretion``, no LLM); anything else
        goes through the answer pipeline with the LLM when it is ready (``extractive`` asks for none). The
        answer is recorded in the audit log with ``user`` and ``channel`` (cli, api, ui, wecom, dingtalk).
        Raises QueryError at once — before the first event — for a question that cannot be searched.
        """
        q = validate_query(question, self.settings.max_query_chars)
        return self._answer_events(q, history, filters or Filters(), user, channel, extractive)

    def _answer_events(self, q: Query, history: list[dict[str, str]] | None, f: Filters, user: str, channel: str,
                       extractive: bool) -> Iterator[AnswerEvent]:
        region = f.region  # None: the advisor reads the place from the question, else the configured region
        tables_allowed = (not f.doc_types or "discretion" in f.doc_types) and not f.law and not f.as_of
        answer = None
        if not history and tables_allowed and is_penalty_question(q):
            advice = self.advisor.advise(q, region=region)
            if advice.matches:
                answer = answer_from_advice(q, advice, self.store)
                yield AnswerEvent("token", answer.answer)
        if answer is None:
            generator = None if extractive else self.generator
            for event in self.pipeline.stream(q, history=history, filters=f, generator=generator):
                if event.kind == "answer":
                    answer = event.answer
                else:  # token, reset, sources
                    yield event
            if generator is None and not extractive and self.llm_status in ("starting", "failed"):
                state = "仍在启动" if self.llm_status == "starting" else f"启动失败（{self.llm_error[:80]}）"
                answer.notices.append(f"大模型{state}，本次为抽取式回答（直接列出条文原文）。")
        answer.audit_id = self.audit.record_answer(answer, user, channel)["id"]
        yield AnswerEvent("answer", answer=answer)

    @property
    def advisor(self) -> DiscretionAdvisor:
        advisor = self._advisor  # read once: a job may reset it meanwhile
        if advisor is None:
            advisor = self._advisor = DiscretionAdvisor(
                self.store, region=self.settings.region, embedder=self.embedder,
                search=search_with(lambda: self.retriever),
                query_vector=lambda text: self.retriever.query_vector(text),  # the vector the search just made
                cache=open_embedding_cache(self.settings))
        return advisor

    def discretion(self, facts: str, region: str | None = None, user: str = "", channel: str = "api",
                   as_of: str | None = None) -> Advice:
        """The 裁量 advice for the facts of a case (see DiscretionAdvisor.advise), recorded in the audit log.

        ``as_of`` (YYYY-MM-DD, the day of the act; None: today) chooses the standards in force that day.
        Raises QueryError for facts that cannot be read (empty, only punctuation, longer than
        ``max_facts_chars`` characters, no Chinese), for a region that is no place («火星») and for an
        ``as_of`` that is not a calendar date; 「台山」「江门」 are read as 广东江门 (places.normalise_region).
        """
        facts = validate_facts(facts, self.settings.max_facts_chars)
        try:
            region = normalise_region(region)
            as_of = calendar_day(as_of)
        except ValueError as exc:
            raise QueryError(str(exc)) from exc
        if as_of and as_of > today():
            raise QueryError(f"违法行为发生日不能晚于今天（{today()}）：{as_of}")
        advice = self.advisor.advise(facts, region=region, as_of=as_of)
        if advice.decision == "no_match" and not advice.no_penalty and "违法行为" not in advice.missing_facts:
            advice.related_articles = nearest_penalty_articles(self.retriever, facts, region, as_of)
        self.audit.record("discretion", user, channel, facts=facts, decision=advice.decision, as_of=as_of,
                          matches=[m.model_dump(include={"document", "range_text", "chunk_id"})
                                   for m in advice.matches[:6]])
        return advice

    def record_feedback(self, audit_id: str, rating: str, user: str = "", channel: str = "api",
                        comment: str = "") -> dict[str, Any]:
        if rating not in ("up", "down"):
            raise ValueError("rating 只能是 up 或 down")
        return self.feedback.append({"audit_id": audit_id, "rating": rating, "user": user or "anonymous",
                                     "channel": channel, "comment": comment[:500],
                                     "time": now_iso()})

    # ---- documents -----------------------------------------------------------------------
    def documents(self, doc_type: str | None = None, q: str | None = None, limit: int = 100, offset: int = 0,
                  include_duplicates: bool = False) -> tuple[int, list[dict]]:
        """(total, one page) of the document library, filtered by type and by words in the title."""
        return self.store.document_page(doc_type=doc_type or None, title_contains=q or None,
                                        include_duplicates=include_duplicates, limit=limit, offset=offset)

    def upload(self, filename: str, data: bytes, user: str = "", channel: str = "api") -> Job:
        """Check and save an uploaded file, then ingest and re-index it in a background job."""
        name = safe_filename(filename)
        ext = Path(name).suffix.lower()
        if ext not in self.settings.upload_types:
            raise UploadError(f"不支持的文件类型「{ext or '无扩展名'}」，允许：{' '.join(self.settings.upload_types)}")
        if not data:
            raise UploadError("上传的文件是空的（0 字节）")
        if len(data) > self.settings.max_bytes:
            raise UploadError(f"文件过大：{len(data) / 2**20:.1f} MB，上限 {self.settings.max_file_mb:g} MB")
        sha = hashlib.sha256(data).hexdigest()
        target = self.settings.uploads_dir / sha[:12] / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        original = Path(filename.replace("\\", "/")).name.strip()
        if original and original != name:  # the full name, for the title (corpus.metadata.title_from_filename)
            (target.parent / ORIGINAL_NAME_FILE).write_text(original, encoding="utf-8")
        self.audit.record("upload", user, channel, file=name, sha256=sha, size=len(data))
        job = self.jobs.submit("upload", lambda progress: self._ingest_upload(target, progress), description=name,
                               payload={"path": str(target)})
        if hasattr(self.jobs.journal, "save_upload"):  # another replica can run it again if this one dies (#24)
            self.jobs.journal.save_upload(job.id, name, original, data)
        return job

    def _ingest_upload(self, path: Path, progress: ProgressFn) -> dict[str, Any]:
        progress("parse", 0, 1)
        touched: set[str] = set()
        before = validity_state(self.store)
        result = ingest_file(self.store, path, self.settings.max_bytes, touched, force=True)
        if result.status != "ingested":
            path.unlink(missing_ok=True)
            raise RuntimeError(f"导入失败：{result.reason or result.status}")
        _, changed = settle(self.store, touched, before)
        progress("parse", 1, 1)
        doc_ids = self.store.file_doc_ids(str(path.resolve()))
        out = {"file": path.name, "doc_ids": doc_ids, "chunks": sum(result.chunks.values()), "notes": result.notes,
               "status_changes": self._describe(changed)}
        out["index"] = self._rebuild(progress)
        return out

    def _describe(self, changed: list[Validity]) -> list[dict[str, str]]:
        """What new evidence did to other documents: [{"title", "status", "basis"}] (e.g. a new law's 附则
        repealing an old one), for the job's result and the 文档库's message."""
        out = []
        for v in changed:
            doc = self.store.document(v.doc_id)
            if doc is not None:
                out.append({"title": doc.title, "status": doc.status_on().value, "basis": v.basis})
        return out

    def delete_document(self, doc_id: str, user: str = "", channel: str = "api") -> Job:
        doc = self.store.document(doc_id)
        if doc is None:
            raise KeyError(doc_id)
        self.audit.record("delete", user, channel, doc_id=doc_id, title=doc.title)

        def run(progress: ProgressFn) -> dict[str, Any]:
            progress("delete", 0, 1)
            files = self.store.delete_document(doc_id)
            _, changed = settle(self.store, {title_key(doc.title)})
            uploads = self.settings.uploads_dir.resolve()
            for f in files:  # an uploaded file goes with its document; corpus folders are never touched
                p = Path(f)
                record = self.store.file_record(f)
                if uploads in p.parents and (record is None or record.status != "ok"):
                    p.unlink(missing_ok=True)
            progress("delete", 1, 1)
            return {"doc_id": doc_id, "title": doc.title, "status_changes": self._describe(changed),
                    "index": self._rebuild(progress)}

        return self.jobs.submit("delete", run, description=doc.title)

    def reindex(self, user: str = "", channel: str = "api") -> Job:
        self.audit.record("reindex", user, channel)
        return self.jobs.submit("reindex", lambda progress: self._rebuild(progress, force=True), description="重建索引")

    # ---- state ---------------------------------------------------------------------------
    def llm_health(self) -> dict[str, Any]:
        """The LLM's real state: a supervised local model that died reports ``restarting`` (with why) until its
        watchdog has it back (assistant/llm/local_server.py)."""
        from assistant.llm.factory import local_llm_state

        status, error = self.llm_status, self.llm_error
        supervised = local_llm_state() if self.settings.backend == "local" and status == "ready" else None
        if supervised is not None and supervised[0] != "ready":
            status, error = supervised
        return {"backend": self.settings.backend, "status": status, "error": error or None,
                "model": self.settings.llm_model if self.settings.backend != "extractive" else None}

    def health(self) -> dict[str, Any]:
        counts = self.store.counts()
        manifest = self.retriever.index.manifest
        return {"status": "ok", "documents": counts["documents"], "duplicates": counts["duplicates"],
                "chunks": counts["chunks"], "chunks_by_type": self.store.chunk_counts_by_type(),
                "index": {"chunks": manifest.n_chunks, "model": manifest.model_id, "built_at": manifest.created_at,
                          "mode": self.retriever.mode, "corpus_version": manifest.corpus_hash[:12]},
                "llm": self.llm_health(),
                "store": self._store_health(),
                "jobs_running": sum(1 for j in self.jobs.list() if j.status in ("queued", "running"))}

    def _store_health(self) -> dict[str, str]:
        """Which store this process serves: {"kind": "sqlite"} or {"kind": "postgresql", "at": host:port/db,
        "replica": its name in the shared job table} (#24)."""
        if not self.settings.store_url:
            return {"kind": "sqlite"}
        from assistant.service.replicas import default_replica_name
        from corpus.pg import where

        return {"kind": "postgresql", "at": where(self.settings.store_url),
                "replica": self.settings.replica_name or default_replica_name(self.settings)}

    def close(self, job_timeout: float = 30.0) -> None:
        """Stop: queued jobs are cancelled, a running one gets ``job_timeout`` s to finish.

        The store's connections are closed only when no job is left using them; otherwise they end
        with the process (closing them under a running ingest would fail it half-way).
        """
        if self.watcher is not None:
            self.watcher.stop()
        idle = self.jobs.shutdown(timeout=job_timeout)
        if self.settings.backend == "local" and self._generator is not None:
            stop_local_llm()
        if idle:
            self.store.close()
            for log_ in (self.audit, self.feedback):  # a shared log holds a database connection
                getattr(log_, "close", lambda: None)()
            close = getattr(self.embedder, "close", None)
            if close:
                close()
            if self.reranker is not None:
                self.reranker.close()
