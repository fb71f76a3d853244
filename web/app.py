"""``create_app(settings)``: the FastAPI app with the JSON API under /api and the Gradio UI under /ui."""

from __future__ import annotations

import logging
import secrets
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from assistant.retrieval import ModelServerError, QueryError
from assistant.service.service import AssistantService, UploadError
from assistant.settings import Settings
from web.guard import RequestGuard
from web.api import router
from web.bots.dingtalk import DingTalkBot, dingtalk_configured
from web.bots.routes import router as bots_router
from web.bots.wecom import WeComBot, wecom_configured

log = logging.getLogger(__name__)

DESCRIPTION = """执法e助理：面向基层综合行政执法人员的法律检索与问答服务。

- 回答只依据检索到的条文，每处引用都经过核验（`citations[].verified`），未通过的在 `unverified` 中列出；
- 管理操作（上传、删除、重建索引、审计日志）需要管理令牌：`Authorization: Bearer <E_ASSISTANT_ADMIN_TOKEN>`；
- 设置了 `E_ASSISTANT_CHAT_TOKEN` 时，检索和问答也需要令牌；
- 所有错误都以 `{"error": "…"}` 返回。"""



def store_down(exc: BaseException) -> bool:
    """Whether ``exc`` says the shared PostgreSQL store cannot be reached (corpus.pg.StoreUnavailable, or psycopg's
    connection errors and pool timeouts raised mid-request)."""
    from corpus.pg import StoreUnavailable

    kind = type(exc)
    return isinstance(exc, StoreUnavailable) or (kind.__module__.startswith("psycopg")
                                                 and kind.__name__ in ("OperationalError", "PoolTimeout"))

def _error(status: int, message: str, details: list | None = None) -> JSONResponse:
    body = {"error": message}
    if details is not None:
        body["details"] = details
    return JSONResponse(body, status_code=status)


def create_app(settings: Settings | None = None, service: AssistantService | None = None,
               with_ui: bool = True, owns_service: bool | None = None) -> FastAPI:
    """The app; builds an :class:`AssistantService` from ``settings`` unless one is given.

    The app closes the service (and so stops the local LLM) when it shuts down if it built the service
    itself or ``owns_service`` says so: uvicorn re-raises SIGTERM/SIGINT after its graceful shutdown,
    so code after ``uvicorn.run`` cannot be relied on for cleanup.
    """
    settings = settings or (service.settings if service else Settings())
    owned = service is None if owns_service is None else owns_service
    service = service or AssistantService(settings)

    wecom = WeComBot(service, settings) if wecom_configured(settings) else None
    dingtalk = DingTalkBot(service, settings) if dingtalk_configured(settings) else None

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        if dingtalk is not None and settings.dingtalk_mode == "stream":
            dingtalk.start_stream()
        yield
        for bot in (wecom, dingtalk):
            if bot is not None:
                bot.close()
        if owned:
            service.close()

    app = FastAPI(title="执法e助理 e-assistant API", version="0.1.0", description=DESCRIPTION, lifespan=lifespan)
    # the admin token of an upload is checked, and every body capped, before the body is read (web/guard.py)
    app.add_middleware(RequestGuard, limit_bytes=lambda: service.settings.max_bytes + (1 << 20),
                       admin_token=lambda: service.settings.admin_token,
                       limit_text=lambda: f"{service.settings.max_file_mb:g} MB",
                       file_types=lambda: service.settings.upload_types,
                       on_refusal=lambda host, path, why: service.audit.record("auth_failed", f"匿名@{host}", "api",
                                                                                path=path, reason=why))

    app.state.service = service
    app.state.wecom, app.state.dingtalk = wecom, dingtalk
    app.include_router(router)
    app.include_router(bots_router)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        message = exc.detail if isinstance(exc.detail, str) else "请求无法处理"
        if exc.status_code == 404 and message == "Not Found":
            message = f"没有这个地址：{request.url.path}"
        elif exc.status_code == 405:
            message = f"{request.url.path} 不支持 {request.method} 请求"
        return _error(exc.status_code, message)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError):
        errors = exc.errors()
        details = [{"loc": list(e.get("loc", ())), "msg": e.get("msg", ""), "type": e.get("type", "")} for e in errors]
        if any(e.get("type") == "json_invalid" for e in errors):
            at = next((e["loc"][1] for e in errors if e.get("type") == "json_invalid" and len(e.get("loc", ())) > 1), "?")
            return _error(422, f"请求体不是合法的 JSON（约第 {at} 个字符处有误）", details)
        where = "、".join(".".join(str(x) for x in d["loc"][1:]) or "请求体" for d in details[:3])
        return _error(422, f"请求参数不正确：{where}", details)

    @app.exception_handler(QueryError)
    async def bad_query(request: Request, exc: QueryError):
        return _error(400, str(exc))

    @app.exception_handler(UploadError)
    async def bad_upload(request: Request, exc: UploadError):
        return _error(400, str(exc))

    @app.exception_handler(ModelServerError)
    async def model_server_down(request: Request, exc: ModelServerError):
        log.warning("model server: %s", exc)
        return _error(503, str(exc))

    @app.exception_handler(Exception)
    async def crashed(request: Request, exc: Exception):
        if store_down(exc):  # a shared PostgreSQL store that went away: replicas recover when it is back (#24)
            log.warning("store unavailable on %s %s: %s", request.method, request.url.path, exc)
            return _error(503, "知识库数据库暂时不可用，请稍后再试（已记录）")
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return _error(500, "服务器内部错误，已记录；请稍后再试")

    @app.get("/", include_in_schema=False)
    def home():
        return RedirectResponse("/ui/" if with_ui else "/docs")

    if with_ui:
        import gradio as gr

        from web.ui import build_ui, theme

        def check_login(username: str, password: str) -> bool:  # 用户名即执法人员姓名/工号，密码为访问令牌
            return bool(username.strip()) and secrets.compare_digest(password.encode(), settings.chat_token.encode())

        auth = check_login if settings.chat_token else None

        from web.ui import TOAST_TITLES_JS

        app = gr.mount_gradio_app(app, build_ui(service), path="/ui", auth=auth, theme=theme(), js=TOAST_TITLES_JS,
                                  auth_message="请输入姓名或工号，密码为访问令牌", show_error=True,
                                  footer_links=[])  # uploads are capped by web/guard.py, in Chinese
    return app
