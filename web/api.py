"""The JSON API under ``/api``: search, ask (JSON or SSE), documents, jobs, feedback, audit, health."""

from __future__ import annotations

import json
import logging
import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated
from urllib.parse import unquote

from fastapi import APIRouter, Depends, File, HTTPException, Query, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, Response
from fastapi.sse import EventSourceResponse, format_sse_event

from assistant.answer.pipeline import AnswerEvent
from assistant.retrieval import Filters
from assistant.service.service import AssistantService, UploadError
from assistant.case.model import Timeline
from web.guard import FAILED_TOKENS, TOO_MANY, admin_refusal, presented_token
from web.schemas import (AskRequest, AskResponse, CaseDraftRequest, CaseStepsRequest, DiscretionRequest,
                         DiscretionResponse, DocumentList, ErrorOut, FeedbackIn, FiltersIn, JobOut, QuizRequest,
                         SearchRequest, SearchResponse)

log = logging.getLogger(__name__)

ERRORS = {400: {"model": ErrorOut}, 401: {"model": ErrorOut}, 403: {"model": ErrorOut}, 422: {"model": ErrorOut}}


class ApiError(HTTPException):
    """An error shown to the caller as {"error": message}."""


def service_of(request: Request) -> AssistantService:
    return request.app.state.service


Service = Annotated[AssistantService, Depends(service_of)]


def _presented_token(request: Request) -> str | None:
    return presented_token({k.lower(): v for k, v in request.headers.items()})


def _matches(got: str | None, *wanted: str | None) -> bool:
    return bool(got) and any(w and secrets.compare_digest(got.encode(), w.encode()) for w in wanted)


def _refuse(request: Request, status: int, message: str) -> None:
    """A wrong or missing token: audited, counted against the address (web/guard.py), refused."""
    host = request.client.host if request.client else "unknown"
    FAILED_TOKENS.failed(host)
    service_of(request).audit.record("auth_failed", f"匿名@{host}", "api", path=request.url.path, reason=message)
    raise ApiError(status, message)


def _not_blocked(request: Request) -> None:
    if FAILED_TOKENS.blocked(request.client.host if request.client else "unknown"):
        raise ApiError(429, TOO_MANY)


def require_admin(request: Request) -> None:
    """The same rule web/guard.py applies before an admin request's body is read (here for every admin route)."""
    _not_blocked(request)
    refusal = admin_refusal(_presented_token(request), service_of(request).settings.admin_token)
    if refusal is not None:
        _refuse(request, *refusal)


def require_chat(request: Request) -> None:
    settings = service_of(request).settings
    if not settings.chat_token:
        return
    _not_blocked(request)
    got = _presented_token(request)
    if not got:
        raise ApiError(401, "需要访问令牌（请求头 Authorization: Bearer <令牌>）")
    if not _matches(got, settings.chat_token, settings.admin_token):
        _refuse(request, 403, "访问令牌不正确")


def user_of(request: Request) -> str:
    """Who is asking, for the audit log: the authenticated principal (「管理员」 with the admin token, 「令牌用户」
    with the chat token, else 「匿名」) at the client address, then the X-User header an intranet proxy sets
    (URL-encoded when not ASCII) as a claim only — anyone can send that header (#23)."""
    settings = service_of(request).settings
    token = _presented_token(request)
    principal = ("管理员" if _matches(token, settings.admin_token) else
                 "令牌用户" if _matches(token, settings.chat_token) else "匿名")
    host = request.client.host if request.client else "unknown"
    claimed = unquote(request.headers.get("x-user") or "").strip()[:64]
    return f"{principal}@{host}" + (f"（自称：{claimed}）" if claimed else "")


def public_source(source: str, request: Request) -> str:
    """A document's source as callers may see it: paths relative to the corpus folder or the data dir they lie
    in («corpus-src/laws/….md»), never the server's absolute paths (#23); package URIs unchanged."""
    settings = service_of(request).settings
    roots = [Path(p).resolve() for p in settings.corpus] + [settings.data_dir.resolve()]
    parts = []
    for part in (source or "").split(" ← "):
        path = Path(part)
        if path.is_absolute():
            for root in roots:
                if root in path.parents:
                    part = f"{root.name}/{path.relative_to(root)}"
                    break
            else:
                part = path.name
        parts.append(part)
    return " ← ".join(parts)


def _public_hits(hits: list[dict], request: Request) -> list[dict]:
    for h in hits:
        h["source"] = public_source(h.get("source", ""), request)
    return hits


def to_filters(f: FiltersIn) -> Filters:
    return Filters(doc_types=frozenset(f.doc_types) if f.doc_types else None, region=f.region or None,
                   law=f.law or None, current_only=not f.all_versions, as_of=f.as_of)


router = APIRouter(prefix="/api", responses=ERRORS)
chat = [Depends(require_chat)]
admin = [Depends(require_admin)]


@router.post("/search", response_model=SearchResponse, dependencies=chat, tags=["检索与问答"], summary="检索条文")
def search(req: SearchRequest, request: Request, service: Service) -> dict:
    hits = service.search(req.query, req.top_k, to_filters(req), user=user_of(request), channel="api")
    return {"query": req.query, "hits": _public_hits([h.to_dict(req.as_of) for h in hits], request)}


@router.post("/ask", response_model=AskResponse, dependencies=chat, tags=["检索与问答"],
             summary="问答（引用经核验）；stream=true 时以 SSE 逐字返回",
             responses={200: {"content": {"text/event-stream": {}}}})
def ask(req: AskRequest, request: Request, service: Service):
    kwargs = dict(history=[m.model_dump() for m in req.history], filters=to_filters(req), user=user_of(request),
                  channel="api", extractive=req.extractive)
    if not req.stream:
        body = service.ask(req.question, **kwargs).to_dict()
        _public_hits(body.get("sources", []), request)
        return body
    events = service.ask_stream(req.question, **kwargs)  # a bad question is a 400 here, before the stream starts
    return EventSourceResponse(_sse(events, lambda hits: _public_hits(hits, request)),
                               headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})


def _sse(events: Iterator[AnswerEvent], public=lambda hits: hits) -> Iterator[bytes]:
    """A ``sources`` event ({"sources"}) when the model starts, ``token`` events ({"text"}), a ``reset`` event when
    the model failed mid-way (drop the text so far), then one ``answer`` event (the AskResponse), or an ``error``
    event.

    A plain iterator: Starlette advances it in a worker thread, so the answer is computed off the event loop.
    """
    try:
        for event in events:
            if event.kind == "sources":  # what the answer will rest on, before the model's first token
                data = {"sources": public([{"n": i.n, **i.hit.to_dict(event.answer.as_of)}
                                           for i in event.answer.context])}
            elif event.kind == "answer":
                data = event.answer.to_dict()
                public(data.get("sources", []))
            else:
                data = {"text": event.text}
            yield format_sse_event(event=event.kind, data_str=json.dumps(data, ensure_ascii=False))
    except Exception:
        log.exception("streamed answer failed")
        yield format_sse_event(event="error", data_str=json.dumps({"error": "服务器内部错误，已记录；请稍后再试"},
                                                                  ensure_ascii=False))


@router.post("/discretion", response_model=DiscretionResponse, dependencies=chat, tags=["检索与问答"],
             summary="裁量辅助：根据案情给出裁量档次、处罚幅度、不予处罚情形和依据")
def discretion(req: DiscretionRequest, request: Request, service: Service):
    return service.discretion(req.facts, region=req.region, user=user_of(request), channel="api", as_of=req.as_of)


@router.get("/case/procedures", dependencies=chat, tags=["办案助手"], summary="可用的办案程序及数据核对问题")
def case_procedures(service: Service) -> dict:
    return {"procedures": service.case.procedures(), "problems": service.case.book.problems}


@router.post("/case/steps", response_model=Timeline, dependencies=chat, tags=["办案助手"],
             summary="办案程序的步骤与期限（按法定计算规则推算，依据已核对）")
def case_steps(req: CaseStepsRequest, request: Request, service: Service):
    from assistant.case.timeline import CaseInputError

    try:
        return service.case_steps(req.procedure, req.events, req.periods, req.today, user=user_of(request))
    except CaseInputError as exc:
        raise ApiError(400, str(exc)) from exc


@router.post("/case/draft", dependencies=chat, tags=["办案助手"],
             summary="执法文书草稿（JSON，或 format=docx 下载 Word 文件）",
             responses={200: {"content": {"application/json": {},
                                          "application/vnd.openxmlformats-officedocument.wordprocessingml.document": {}}}})
def case_draft(req: CaseDraftRequest, request: Request, service: Service):
    from urllib.parse import quote

    from assistant.case.drafts import DraftError
    from assistant.case.timeline import CaseInputError

    try:
        draft, data = service.case_draft(req.kind, req.facts, region=req.region, party=req.party,
                                         case_no=req.case_no, organ=req.organ, served_on=req.served_on,
                                         statement_period=req.statement_period, user=user_of(request))
    except (DraftError, CaseInputError) as exc:
        raise ApiError(400, str(exc)) from exc
    if req.format == "json":
        return draft.model_dump()
    name = quote(f"{draft.title}（草稿）.docx")
    return Response(data, media_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                    headers={"Content-Disposition": f"attachment; filename=\"draft.docx\"; filename*=UTF-8''{name}"})


@router.post("/quiz", dependencies=chat, tags=["出题"],
             summary="出题（JSON，或 format=docx/xlsx 下载文件；由大模型编写案例时返回 202 任务，进度与结果见 /api/jobs/{id}）",
             responses={200: {"content": {"application/json": {},
                                          "application/vnd.openxmlformats-officedocument.wordprocessingml.document": {},
                                          "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {}}}})
def quiz(req: QuizRequest, request: Request, service: Service):
    from assistant.quiz import ScopeError
    from assistant.quiz.export import to_docx, to_xlsx

    try:
        writes = req.use_llm and ("case" in req.types or req.level != "基础")  # cases, or rewording scenarios
        if req.format == "json" and writes and service.generator is not None:
            # the LLM writes (about a minute per case, half a minute per scenario on 2 cores): a job with progress
            job = service.quiz_job(req.scope, req.n, tuple(req.types), req.seed, True, user=user_of(request),
                                   level=req.level)
            return JSONResponse(job.to_dict(), status_code=202)
        result = service.quiz(req.scope, req.n, tuple(req.types), req.seed, req.use_llm and "case" in req.types,
                              user=user_of(request), level=req.level)
    except ScopeError as exc:
        raise ApiError(400, str(exc)) from exc
    if req.format == "json":
        return result
    data, media, ext = ((to_docx(result), "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                         "docx") if req.format == "docx" else
                        (to_xlsx(result), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"))
    return Response(data, media_type=media, headers={"Content-Disposition": f'attachment; filename="quiz.{ext}"'})


@router.post("/feedback", dependencies=chat, tags=["检索与问答"], summary="对某个回答点赞/点踩")
def feedback(req: FeedbackIn, request: Request, service: Service) -> dict:
    service.record_feedback(req.audit_id, req.rating, user=user_of(request), comment=req.comment)
    return {"ok": True}


@router.get("/documents", response_model=DocumentList, dependencies=chat, tags=["文档库"], summary="文档列表")
def documents(request: Request, service: Service, doc_type: str | None = None,
              q: str | None = Query(None, max_length=100), limit: int = Query(100, ge=1, le=1000),
              offset: int = Query(0, ge=0), include_duplicates: bool = False) -> dict:
    total, docs = service.documents(doc_type, q, limit, offset, include_duplicates)
    return {"total": total, "documents": _public_hits(docs, request)}


@router.post("/documents", response_model=JobOut, status_code=202, dependencies=admin, tags=["文档库"],
             summary="上传文档（后台导入并重建索引，返回任务）")
async def upload(request: Request, service: Service, file: UploadFile = File(...)) -> dict:
    limit = service.settings.max_bytes
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit + 64 * 1024:
        raise ApiError(413, f"文件过大：上限 {service.settings.max_file_mb:g} MB")
    data = await file.read(limit + 1)
    if len(data) > limit:
        raise ApiError(413, f"文件过大：上限 {service.settings.max_file_mb:g} MB")
    try:
        job = await run_in_threadpool(service.upload, file.filename or "upload", data, user_of(request), "api")
    except UploadError as exc:
        raise ApiError(400, str(exc)) from exc
    return job.to_dict()


@router.delete("/documents/{doc_id}", response_model=JobOut, status_code=202, dependencies=admin, tags=["文档库"],
               summary="删除文档（后台重建索引，返回任务）")
def delete_document(doc_id: str, request: Request, service: Service) -> dict:
    try:
        return service.delete_document(doc_id, user=user_of(request)).to_dict()
    except KeyError:
        raise ApiError(404, f"没有编号为 {doc_id} 的文档") from None


@router.post("/reindex", response_model=JobOut, status_code=202, dependencies=admin, tags=["文档库"],
             summary="重建索引")
def reindex(request: Request, service: Service) -> dict:
    return service.reindex(user=user_of(request)).to_dict()


@router.get("/jobs/{job_id}", response_model=JobOut, dependencies=chat, tags=["文档库"], summary="任务进度")
def job(job_id: str, service: Service) -> dict:
    found = service.jobs.get(job_id)
    if found is None:
        raise ApiError(404, f"没有编号为 {job_id} 的任务")
    return found.to_dict()


@router.get("/jobs", response_model=list[JobOut], dependencies=chat, tags=["文档库"], summary="全部任务")
def jobs(service: Service) -> list[dict]:
    return [j.to_dict() for j in service.jobs.list()]


@router.get("/audit", dependencies=admin, tags=["执法监督"], summary="审计日志（最近的记录）")
def audit(service: Service, limit: int = Query(100, ge=1, le=5000)) -> list[dict]:
    return service.audit.read(limit)


@router.get("/health", tags=["状态"], summary="服务状态：文档与索引计数、模型状态")
def health(service: Service) -> dict:
    return service.health()
