"""Routes of the chat channels: /bots/wecom (GET verification, POST messages) and /bots/dingtalk (POST).

A channel whose settings are absent is disabled and its route answers 404.
"""

from __future__ import annotations

import logging

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, PlainTextResponse

from web.bots.dingtalk import DingTalkAuthError
from web.bots.wecom_crypto import WeComCryptoError

log = logging.getLogger(__name__)

MAX_BODY = 1 << 20
router = APIRouter(prefix="/bots", include_in_schema=True, tags=["聊天机器人"])


def _disabled(name: str) -> JSONResponse:
    return JSONResponse({"error": f"{name}未启用（未配置相应设置）"}, status_code=404)


async def _body(request: Request) -> bytes | None:
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_BODY:
            return None
    return body


@router.get("/wecom", summary="企业微信：回调地址验证")
def wecom_verify(request: Request, msg_signature: str = Query(""), timestamp: str = Query(""),
                 nonce: str = Query(""), echostr: str = Query("")):
    bot = request.app.state.wecom
    if bot is None:
        return _disabled("企业微信")
    try:
        return PlainTextResponse(bot.verify_url(msg_signature, timestamp, nonce, echostr))
    except WeComCryptoError as exc:
        return JSONResponse({"error": str(exc)}, status_code=403)


@router.post("/wecom", summary="企业微信：接收消息（立即应答，异步回复）")
async def wecom_message(request: Request, msg_signature: str = Query(""), timestamp: str = Query(""),
                        nonce: str = Query("")):
    bot = request.app.state.wecom
    if bot is None:
        return _disabled("企业微信")
    body = await _body(request)
    if body is None:
        return JSONResponse({"error": "回调内容过大"}, status_code=413)
    try:
        return PlainTextResponse(bot.receive(msg_signature, timestamp, nonce, body))
    except WeComCryptoError as exc:
        status = 403 if "签名" in str(exc) or "时间戳" in str(exc) else 400
        log.warning("wecom: refused callback: %s", exc)
        return JSONResponse({"error": str(exc)}, status_code=status)


@router.post("/dingtalk", summary="钉钉：接收机器人消息（HTTP 模式；立即应答，异步回复）")
async def dingtalk_message(request: Request):
    bot = request.app.state.dingtalk
    if bot is None or bot.settings.dingtalk_mode != "http":
        return _disabled("钉钉（HTTP 模式）")
    body = await _body(request)
    if body is None:
        return JSONResponse({"error": "回调内容过大"}, status_code=413)
    try:
        return JSONResponse(bot.receive_http({k.lower(): v for k, v in request.headers.items()}, body))
    except DingTalkAuthError as exc:
        log.warning("dingtalk: refused callback: %s", exc)
        status = 401 if "缺少" in str(exc) else 403
        return JSONResponse({"error": str(exc)}, status_code=status)
    except ValueError as exc:
        return JSONResponse({"error": str(exc)}, status_code=400)
