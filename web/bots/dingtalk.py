"""DingTalk (钉钉) enterprise robot: HTTP callbacks at /bots/dingtalk, or Stream mode (dingtalk-stream SDK).

HTTP mode checks the ``timestamp`` (within 1 hour) and ``sign`` headers, where
sign = Base64(HmacSHA256(appSecret, timestamp + "\\n" + appSecret)). Both modes
acknowledge at once, deduplicate by msgId, answer in the background, and reply in
Markdown to the message's sessionWebhook while it is valid, otherwise through
the OpenAPI (single chat: oToMessages/batchSend; group: groupMessages/send).
In group chats the robot answers only when @-mentioned.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import threading
import time
from typing import Any
from urllib.parse import urlparse

import httpx

from assistant.service.service import AssistantService
from assistant.settings import Settings
from web.bots.common import Dispatcher, split_text

log = logging.getLogger(__name__)

MAX_SKEW_MS = 3600 * 1000
TEXT_LIMIT_BYTES = 5000  # DingTalk markdown messages stay well below the platform's limit
TITLE = "执法e助理"


class DingTalkAuthError(ValueError):
    """A callback whose timestamp or sign does not check out (forged or stale)."""


def dingtalk_configured(settings: Settings) -> bool:
    return bool(settings.dingtalk_app_key and settings.dingtalk_app_secret)


def sign(timestamp: str, app_secret: str) -> str:
    digest = hmac.new(app_secret.encode("utf-8"), f"{timestamp}\n{app_secret}".encode("utf-8"), hashlib.sha256)
    return base64.b64encode(digest.digest()).decode("ascii")


def check_signature(timestamp: str | None, signature: str | None, app_secret: str, now_ms: int | None = None) -> None:
    if not timestamp or not signature or not timestamp.isdigit():
        raise DingTalkAuthError("缺少 timestamp 或 sign")
    now_ms = int(time.time() * 1000) if now_ms is None else now_ms
    if abs(now_ms - int(timestamp)) > MAX_SKEW_MS:
        raise DingTalkAuthError("timestamp 已过期")
    if not hmac.compare_digest(sign(timestamp, app_secret).encode(), signature.encode("utf-8", "replace")):
        raise DingTalkAuthError("签名校验失败")


class DingTalkBot:
    def __init__(self, service: AssistantService, settings: Settings, http: httpx.Client | None = None):
        self.settings = settings
        self.api = settings.dingtalk_api_base.rstrip("/")
        self.http = http or httpx.Client(timeout=15)
        self.dispatcher = Dispatcher(service, "dingtalk")
        self._token: tuple[str, float] | None = None
        self._token_lock = threading.Lock()
        self._stream_thread: threading.Thread | None = None

    # ---- receiving ----------------------------------------------------------------------
    def receive_http(self, headers: dict[str, str], body: bytes) -> dict:
        check_signature(headers.get("timestamp"), headers.get("sign"), self.settings.dingtalk_app_secret)
        try:
            message = json.loads(body)
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise ValueError("回调内容不是合法的 JSON") from exc
        if not isinstance(message, dict):
            raise ValueError("回调内容应为 JSON 对象")
        self.receive(message)
        return {}

    def receive(self, message: dict[str, Any]) -> bool:
        """Queue an answer to one robot message (both modes); False when it is ignored."""
        if message.get("conversationType") == "2" and not message.get("isInAtList"):
            return False  # group chat, not @-mentioned
        user = message.get("senderStaffId") or message.get("senderId") or ""
        msg_id = message.get("msgId") or f"{user}:{message.get('createAt')}"
        if message.get("msgtype") == "text":
            text = (message.get("text") or {}).get("content", "")
        else:
            text = ""
        future = self.dispatcher.submit(msg_id, user, text, lambda answer: self.reply(message, answer))
        return future is not None

    # ---- replying -----------------------------------------------------------------------
    def reply(self, message: dict[str, Any], text: str) -> None:
        for part in split_text(text, TEXT_LIMIT_BYTES):
            self._reply_one(message, part)

    def _webhook_allowed(self, url: str) -> bool:
        parsed = urlparse(url)
        return parsed.scheme in ("http", "https") and parsed.hostname in self.settings.dingtalk_webhook_hosts

    def _reply_one(self, message: dict[str, Any], text: str) -> None:
        webhook = message.get("sessionWebhook") or ""
        expires = int(message.get("sessionWebhookExpiredTime") or 0)
        markdown = {"title": TITLE, "text": text}
        if webhook and time.time() * 1000 < expires - 5000 and self._webhook_allowed(webhook):
            body = {"msgtype": "markdown", "markdown": markdown}
            if message.get("senderStaffId"):
                body["at"] = {"atUserIds": [message["senderStaffId"]]}
            r = self.http.post(webhook, json=body)
            if r.status_code == 200 and r.json().get("errcode", 0) == 0:
                return
            log.warning("dingtalk: sessionWebhook refused (%s), using the OpenAPI", r.text[:200])
        self._send_openapi(message, markdown)

    def access_token(self) -> str:
        with self._token_lock:
            if self._token and time.monotonic() < self._token[1]:
                return self._token[0]
            data = self.http.post(f"{self.api}/v1.0/oauth2/accessToken",
                                  json={"appKey": self.settings.dingtalk_app_key,
                                        "appSecret": self.settings.dingtalk_app_secret}).json()
            if not data.get("accessToken"):
                raise RuntimeError(f"钉钉 accessToken 获取失败：{data.get('code')} {data.get('message')}")
            self._token = (data["accessToken"], time.monotonic() + max(60.0, float(data.get("expireIn", 7200)) - 300))
            return self._token[0]

    def _send_openapi(self, message: dict[str, Any], markdown: dict[str, str]) -> None:
        headers = {"x-acs-dingtalk-access-token": self.access_token()}
        common = {"robotCode": message.get("robotCode") or self.settings.dingtalk_app_key,
                  "msgKey": "sampleMarkdown", "msgParam": json.dumps(markdown, ensure_ascii=False)}
        if message.get("conversationType") == "2":
            url, body = f"{self.api}/v1.0/robot/groupMessages/send", {
                **common, "openConversationId": message.get("conversationId")}
        else:
            url, body = f"{self.api}/v1.0/robot/oToMessages/batchSend", {
                **common, "userIds": [message.get("senderStaffId") or message.get("senderId")]}
        r = self.http.post(url, headers=headers, json=body)
        if r.status_code != 200:
            raise RuntimeError(f"钉钉发送失败：HTTP {r.status_code} {r.text[:200]}")

    # ---- stream mode --------------------------------------------------------------------
    def stream_handler(self):
        """A dingtalk-stream ChatbotHandler that feeds this bot (acknowledges at once)."""
        import dingtalk_stream

        bot = self

        class Handler(dingtalk_stream.ChatbotHandler):
            async def process(self, callback: dingtalk_stream.CallbackMessage):
                data = callback.data if isinstance(callback.data, dict) else json.loads(callback.data or "{}")
                bot.receive(data)
                return dingtalk_stream.AckMessage.STATUS_OK, "OK"

        return Handler()

    def start_stream(self) -> None:
        """Connect to DingTalk's Stream gateway in a background thread (for intranets without a public address)."""
        import dingtalk_stream

        client = dingtalk_stream.DingTalkStreamClient(
            dingtalk_stream.Credential(self.settings.dingtalk_app_key, self.settings.dingtalk_app_secret))
        client.register_callback_handler(dingtalk_stream.ChatbotMessage.TOPIC, self.stream_handler())
        self._stream_thread = threading.Thread(target=client.start_forever, name="dingtalk-stream", daemon=True)
        self._stream_thread.start()

    def close(self) -> None:
        self.dispatcher.close()
        self.http.close()
