"""WeCom (企业微信) self-built application: callback at /bots/wecom, answers through the send-message API.

WeCom retries a callback that is not answered within 5 s, up to 3 times: the
callback is acknowledged at once, deduplicated by MsgId, and the answer is sent
asynchronously (access token from gettoken, cached until shortly before it
expires; answers over the platform's 2,048-byte text limit are split).
"""

from __future__ import annotations

import logging
import threading
import time

import httpx
from defusedxml import ElementTree

from assistant.service.service import AssistantService
from assistant.settings import Settings
from web.bots.common import Dispatcher, split_text
from web.bots.wecom_crypto import WeComCrypto, WeComCryptoError

log = logging.getLogger(__name__)

TEXT_LIMIT_BYTES = 2000  # the platform's limit is 2,048 bytes per text message
MAX_CLOCK_SKEW = 3600  # seconds; older callbacks are refused (replays), newer ones deduplicated by MsgId
TOKEN_ERRORS = {40014, 42001}  # invalid / expired access token: fetch a new one and retry once


class WeComError(RuntimeError):
    """The WeCom API answered with an error."""


def wecom_configured(settings: Settings) -> bool:
    return all((settings.wecom_token, settings.wecom_aes_key, settings.wecom_corp_id, settings.wecom_secret,
                settings.wecom_agent_id))


class WeComBot:
    def __init__(self, service: AssistantService, settings: Settings, http: httpx.Client | None = None):
        self.settings = settings
        self.crypto = WeComCrypto(settings.wecom_token, settings.wecom_aes_key, settings.wecom_corp_id)
        self.api = settings.wecom_api_base.rstrip("/")
        self.http = http or httpx.Client(timeout=15)
        self.dispatcher = Dispatcher(service, "wecom")
        self._token: tuple[str, float] | None = None
        self._token_lock = threading.Lock()

    # ---- callbacks ----------------------------------------------------------------------
    def verify_url(self, msg_signature: str, timestamp: str, nonce: str, echostr: str) -> str:
        return self.crypto.verify_url(msg_signature, timestamp, nonce, echostr)

    def receive(self, msg_signature: str, timestamp: str, nonce: str, body: bytes) -> str:
        """Verify, decrypt and queue a message; returns what to answer the callback with (always at once)."""
        try:
            outer = ElementTree.fromstring(body)
        except Exception as exc:
            raise WeComCryptoError("回调内容不是合法的 XML") from exc
        encrypted = outer.findtext("Encrypt") or ""
        if not encrypted:
            raise WeComCryptoError("回调缺少 Encrypt")
        self.crypto.verify(msg_signature, timestamp, nonce, encrypted)
        if not timestamp.isdigit() or abs(time.time() - int(timestamp)) > MAX_CLOCK_SKEW:
            raise WeComCryptoError("时间戳过期或不合法")
        try:
            message = ElementTree.fromstring(self.crypto.decrypt(encrypted).encode("utf-8"))
        except WeComCryptoError:
            raise
        except Exception as exc:
            raise WeComCryptoError("解密后的消息不是合法的 XML") from exc
        msg_type = message.findtext("MsgType") or ""
        user = message.findtext("FromUserName") or ""
        msg_id = message.findtext("MsgId") or f"{user}:{message.findtext('CreateTime')}"
        if msg_type == "text" and user:
            self.dispatcher.submit(msg_id, user, message.findtext("Content") or "", lambda text: self.send(user, text))
        elif msg_type in ("image", "voice", "video", "file", "location", "link") and user:
            self.dispatcher.submit(msg_id, user, "", lambda _: self.send(user, "目前只支持文字提问，请直接输入问题。"))
        return ""  # WeCom: an empty body acknowledges the callback

    # ---- sending ------------------------------------------------------------------------
    def access_token(self, refresh: bool = False) -> str:
        with self._token_lock:
            if self._token and not refresh and time.monotonic() < self._token[1]:
                return self._token[0]
            r = self.http.get(f"{self.api}/cgi-bin/gettoken",
                              params={"corpid": self.settings.wecom_corp_id, "corpsecret": self.settings.wecom_secret})
            data = r.json()
            if data.get("errcode", 0) != 0 or not data.get("access_token"):
                raise WeComError(f"gettoken 失败：{data.get('errcode')} {data.get('errmsg')}")
            expires = float(data.get("expires_in", 7200))
            self._token = (data["access_token"], time.monotonic() + max(60.0, expires - 300))
            return self._token[0]

    def send(self, user: str, text: str) -> None:
        for part in split_text(text, TEXT_LIMIT_BYTES):
            self._send_one(user, part)

    def _send_one(self, user: str, content: str) -> None:
        payload = {"touser": user, "msgtype": "text", "agentid": int(self.settings.wecom_agent_id),
                   "text": {"content": content}, "safe": 0}
        for attempt in (0, 1):
            token = self.access_token(refresh=attempt == 1)
            data = self.http.post(f"{self.api}/cgi-bin/message/send", params={"access_token": token},
                                  json=payload).json()
            code = data.get("errcode", 0)
            if code == 0:
                return
            if code not in TOKEN_ERRORS:
                break
        raise WeComError(f"message/send 失败：{data.get('errcode')} {data.get('errmsg')}")

    def close(self) -> None:
        self.dispatcher.close()
        self.http.close()
