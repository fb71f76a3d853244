"""An ASGI guard in front of the app: the admin token of an upload is checked before one byte of its body is
read, and every request body is capped while it streams (a chunked upload has no Content-Length to refuse).

FastAPI reads and spools a multipart body before it runs the route's dependencies, so ``require_admin`` alone
answered 401 only after a 1 GiB unauthenticated upload had filled /tmp (#23).
"""

from __future__ import annotations

import json
import re
import secrets
import threading
import time
from collections.abc import Callable

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

class FailedTokens:
    """Wrong or missing tokens per client address: after :attr:`limit` failures within :attr:`window` seconds
    the address is refused (429) until the window has passed — 600 guesses in 3 s were possible before (#23)."""

    def __init__(self, limit: int = 10, window: float = 60.0):
        self.limit, self.window = limit, window
        self._seen: dict[str, list[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, host: str, now: float) -> list[float]:
        times = [t for t in self._seen.get(host, []) if now - t < self.window]
        self._seen[host] = times
        return times

    def blocked(self, host: str) -> bool:
        with self._lock:
            return len(self._recent(host, time.monotonic())) >= self.limit

    def failed(self, host: str) -> None:
        with self._lock:
            now = time.monotonic()
            self._recent(host, now).append(now)
            if len(self._seen) > 10000:  # forget addresses whose failures are old
                for h in [h for h, ts in self._seen.items() if not ts or now - ts[-1] >= self.window]:
                    self._seen.pop(h, None)


FAILED_TOKENS = FailedTokens()
TOO_MANY = "令牌错误次数过多，请稍后再试"
ADMIN_ROUTES = (("POST", "/api/documents"), ("POST", "/api/reindex"), ("DELETE", "/api/documents/"))


def presented_token(headers: dict[str, str]) -> str | None:
    """The token of ``Authorization: Bearer …`` or ``X-Token``, or None."""
    auth = headers.get("authorization", "")
    if auth.lower().startswith("bearer "):
        return auth[7:].strip() or None
    return headers.get("x-token") or None


def admin_refusal(token: str | None, admin_token: str | None) -> tuple[int, str] | None:
    """(status, Chinese message) when ``token`` may not do admin operations; None when it may."""
    if not admin_token:
        return 403, "管理操作未启用：请设置 E_ASSISTANT_ADMIN_TOKEN"
    if not token:
        return 401, "需要管理令牌（请求头 Authorization: Bearer <令牌>）"
    if not secrets.compare_digest(token.encode(), admin_token.encode()):
        return 403, "管理令牌不正确"
    return None


class RequestGuard:
    """``limit_bytes()``: the largest body accepted (bytes); ``admin_token()``: the current admin token. Both are
    read per request, so a settings change applies at once."""

    def __init__(self, app: ASGIApp, limit_bytes: Callable[[], int], admin_token: Callable[[], str | None],
                 limit_text: Callable[[], str], on_refusal: Callable[[str, str, str], None] | None = None,
                 file_types: Callable[[], tuple[str, ...]] | None = None):
        self.app, self.limit_bytes, self.admin_token, self.limit_text = app, limit_bytes, admin_token, limit_text
        self.on_refusal = on_refusal  # (client address, path, message): the audit log
        self.file_types = file_types  # extensions the UI's upload route takes («.pdf» …); None: any

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path, method = scope.get("path", ""), scope.get("method", "")
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        if any(method == m and (path == p or (p.endswith("/") and path.startswith(p))) for m, p in ADMIN_ROUTES):
            host = (scope.get("client") or ("unknown", 0))[0]
            if FAILED_TOKENS.blocked(host):
                await _respond(send, 429, TOO_MANY)
                return
            refusal = admin_refusal(presented_token(headers), self.admin_token())
            if refusal is not None:
                FAILED_TOKENS.failed(host)
                if self.on_refusal is not None:
                    self.on_refusal(host, path, refusal[1])
                await _respond(send, *refusal)
                return
        ui_upload = path.startswith("/ui") and path.endswith("/gradio_api/upload")
        if path.startswith("/ui") and not ui_upload:  # the UI's own pages and events
            await self.app(scope, receive, send)
            return
        # Gradio's upload route is capped here, not by its max_file_size: its front end would refuse an oversize
        # file with an English toast (「File(s) exceed the maximum allowed size」); ours reads 「HTTP 413: 文件过大…」
        limit = self.limit_bytes()
        too_large = (f"文件过大：单次上传不能超过 {self.limit_text()}，请拆分或压缩后再传" if ui_upload
                     else f"请求过大：上限 {self.limit_text()}")
        declared = headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            await _respond(send, 413, too_large, plain=ui_upload)
            return
        seen, started = 0, False

        buffered: list[Message] = []
        if ui_upload and self.file_types is not None:
            # the multipart part headers at the start of the body name each file: the UI takes only document
            # types (#23 item 7), refused before the app reads a byte
            types, head, more = tuple(self.file_types()), b"", True
            while more and len(head) < 8192:
                message = await receive()
                buffered.append(message)
                head += message.get("body", b"")
                more = message["type"] == "http.request" and message.get("more_body", False)
            for name in _FILENAME.findall(head):
                ext = ("." + name.decode("utf-8", "replace").rsplit(".", 1)[-1].lower()) if b"." in name else ""
                if ext not in types:
                    await _respond(send, 415, f"不支持的文件类型「{ext or '无扩展名'}」，允许：{' '.join(types)}", plain=True)
                    return

        async def capped() -> Message:
            nonlocal seen
            message = buffered.pop(0) if buffered else await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise _TooLarge(too_large)
            return message

        async def watched(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, capped, watched)
        except _TooLarge as exc:  # a chunked body past the cap: refused while it streams
            if started:
                raise
            await _respond(send, exc.status_code, str(exc), plain=ui_upload)


_FILENAME = re.compile(rb'filename="([^"\r\n]*)"')


class _TooLarge(HTTPException):
    def __init__(self, message: str, status: int = 413):
        super().__init__(status, message)

    def __str__(self) -> str:
        return str(self.detail)


async def _respond(send: Send, status: int, message: str, plain: bool = False) -> None:
    """A refusal: JSON ``{"error": message}``, or the message as plain text (``plain``) where a front end shows the
    body as it is (Gradio's upload toast)."""
    body = message.encode() if plain else json.dumps({"error": message}, ensure_ascii=False).encode()
    kind = b"text/plain; charset=utf-8" if plain else b"application/json; charset=utf-8"
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", kind),
                            (b"content-length", str(len(body)).encode()), (b"connection", b"close")]})
    await send({"type": "http.response.body", "body": body})
