"""WeCom and DingTalk channels: protocol crypto on official vectors, forged/stale/replayed callbacks, and end to
end against a local stand-in of each platform's HTTP API (the real servers cannot be reached from here)."""

import base64
import json
import os
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

import pytest
from fastapi.testclient import TestClient

from assistant.service.service import AssistantService
from assistant.settings import Settings
from web.app import create_app
from web.bots.common import compact_answer, split_text
from web.bots.dingtalk import check_signature, sign, DingTalkAuthError
from web.bots.wecom_crypto import WeComCrypto, WeComCryptoError, pkcs7_pad, signature

# The official WXBizMsgCrypt sample (WeCom developer documentation)
SAMPLE = {"token": "QDG6eK", "key": "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C", "corp": "wx5823bf96d3bd56c7"}
SAMPLE_URL = ("5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3", "1409659589", "263014780",
              "P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ==")
SAMPLE_MSG = ("477715d11cdb4164915debcba66cb864d751f3e6", "1409659813", "1372623149",
              "RypEvHKD8QQKFhvQ6QleEB4J58tiPdvo+rtK1I9qca6aM/wvqnLSV5zEPeusUiX5L5X/0lWfrf0QADHHhGd3QczcdCUpj911L3vg3W/"
              "sYYvuJTs3TUUkSUXxaccAS0qhxchrRYt66wiSpGLYL42aM6A8dTT+6k4aSknmPj48kzJs8qLjvd4Xgpue06DOdnLxAUHzM6+kDZ+HMZfJ"
              "YuR+LtwGc2hgf5gsijff0ekUNXZiqATP7PF5mZxZ3Izoun1s4zG4LUMnvw2r+KqCKIw+3IQH03v+BCA9nMELNqbSf6tiWSrXJB3LAVGUc"
              "allcrw8V2t9EL4EhzJWrQUax5wLVMNS0+rUPA3k22Ncx4XXZS9o0MBH27Bo6BpNelZpS+/uh9KsNlY6bHCmJU9p8g7m3fVKn28H3KDYA5P"
              "l/T8Z1ptDAVe0lXdQ2YoyyH2uyPIGHBZZIs2pDBS8R07+qN+E7Q==")
QUESTION = "行政处罚法第三十三条是什么内容"
CITATION = "《中华人民共和国行政处罚法》第三十三条"


# -- WeCom crypto ----------------------------------------------------------------------

def sample_crypto() -> WeComCrypto:
    return WeComCrypto(SAMPLE["token"], SAMPLE["key"], SAMPLE["corp"])


def test_official_url_verification_vector():
    assert sample_crypto().verify_url(*SAMPLE_URL) == "1616140317555161061"


def test_official_message_vector_decrypts():
    xml = sample_crypto().decrypt_message(*SAMPLE_MSG)
    assert "<FromUserName><![CDATA[mycreate]]></FromUserName>" in xml
    assert "<Content><![CDATA[hello]]></Content>" in xml and "<MsgId>4561255354251345929</MsgId>" in xml


def test_round_trip_and_block_size():
    c = sample_crypto()
    for msg in ("", "执法e助理", "x" * 1000):
        enc = c.encrypt(msg)
        assert len(base64.b64decode(enc)) % 32 == 0
        assert c.decrypt(enc) == msg
    enc, sig = c.encrypt_reply("<xml>回复</xml>", "1700000000", "42")
    assert c.decrypt_message(sig, "1700000000", "42", enc) == "<xml>回复</xml>"
    assert pkcs7_pad(b"a" * 32)[-1] == 32


def test_forged_signature_wrong_corp_and_bad_padding_are_rejected():
    c = sample_crypto()
    sig, ts, nonce, enc = SAMPLE_MSG
    with pytest.raises(WeComCryptoError, match="签名"):
        c.decrypt_message("0" * 40, ts, nonce, enc)
    with pytest.raises(WeComCryptoError, match="签名"):
        c.decrypt_message(sig, ts, "1", enc)
    other = WeComCrypto(SAMPLE["token"], SAMPLE["key"], "ww-another-corp")
    with pytest.raises(WeComCryptoError, match="CorpID"):
        other.decrypt_message(*SAMPLE_MSG)
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
    key = c.key
    enc_bad = Cipher(algorithms.AES(key), modes.CBC(key[:16])).encryptor()
    bad = base64.b64encode(enc_bad.update(b"\x00" * 48) + enc_bad.finalize()).decode()  # last byte 0: not PKCS#7
    with pytest.raises(WeComCryptoError, match="填充"):
        c.decrypt(bad)
    with pytest.raises(WeComCryptoError):
        c.decrypt("not base64!!")
    with pytest.raises(ValueError):
        WeComCrypto("t", "short", "corp")


def test_dingtalk_signature():
    ts = str(int(time.time() * 1000))
    check_signature(ts, sign(ts, "secret"), "secret")
    with pytest.raises(DingTalkAuthError, match="签名"):
        check_signature(ts, sign(ts, "other"), "secret")
    old = str(int(time.time() * 1000) - 2 * 3600 * 1000)
    with pytest.raises(DingTalkAuthError, match="过期"):
        check_signature(old, sign(old, "secret"), "secret")
    with pytest.raises(DingTalkAuthError, match="缺少"):
        check_signature(None, None, "secret")


def test_split_respects_the_byte_limit():
    text = "\n".join(f"第{i}行：" + "罚款" * 50 for i in range(40)) + "\n" + "长" * 3000
    parts = split_text(text, 2000)
    assert len(parts) > 3 and all(len(p.encode("utf-8")) <= 2000 for p in parts)
    assert "".join(parts).replace("\n", "") == text.replace("\n", "")


# -- a local stand-in of both platforms' HTTP APIs ---------------------------------------------

class StandIn:
    """Records what the bots send; answers like WeCom's and DingTalk's APIs do."""

    def __init__(self):
        self.calls: list[tuple[str, dict, dict]] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _reply(self, body: dict) -> None:
                data = json.dumps(body).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):
                url = urlparse(self.path)
                outer.calls.append((url.path, parse_qs(url.query), {}))
                if url.path == "/cgi-bin/gettoken":
                    self._reply({"errcode": 0, "errmsg": "ok", "access_token": "TOKEN-1", "expires_in": 7200})
                else:
                    self._reply({"errcode": 404})

            def do_POST(self):
                url = urlparse(self.path)
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
                outer.calls.append((url.path, parse_qs(url.query), body))
                if url.path == "/v1.0/oauth2/accessToken":
                    self._reply({"accessToken": "DT-TOKEN", "expireIn": 7200})
                else:
                    self._reply({"errcode": 0, "errmsg": "ok"})

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def sent(self, path: str) -> list[tuple[dict, dict]]:
        return [(q, b) for p, q, b in self.calls if p == path]

    def close(self):
        self.server.shutdown()


@pytest.fixture(scope="module")
def standin():
    s = StandIn()
    yield s
    s.close()


@pytest.fixture(scope="module")
def service(laws, tmp_path_factory):
    corpus = laws(tmp_path_factory.mktemp("corpus"), "中华人民共和国行政处罚法")
    data = tmp_path_factory.mktemp("data")
    svc = AssistantService(Settings(data_dir=data, corpus=[corpus], law_db=False, embedder="hashing",
                                    backend="extractive"))
    yield svc
    svc.close()


AES_KEY = base64.b64encode(os.urandom(32)).decode()[:43]


@pytest.fixture()
def app(service, standin):
    settings = service.settings.model_copy(update={
        "wecom_token": "tok", "wecom_aes_key": AES_KEY, "wecom_corp_id": "ww-test-corp", "wecom_agent_id": "1000002",
        "wecom_secret": "wsecret", "wecom_api_base": standin.base, "dingtalk_app_key": "ding-key",
        "dingtalk_app_secret": "ding-secret", "dingtalk_api_base": standin.base,
        "dingtalk_webhook_hosts": ["127.0.0.1"]})
    standin.calls.clear()
    application = create_app(settings, service=service, with_ui=False)
    with TestClient(application) as client:
        yield client, application


def wecom_callback(user: str, content: str, msg_id: str, ts: int | None = None, corp: str = "ww-test-corp"):
    ts = str(ts or int(time.time()))
    inner = (f"<xml><ToUserName><![CDATA[{corp}]]></ToUserName><FromUserName><![CDATA[{user}]]></FromUserName>"
             f"<CreateTime>{ts}</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[{content}]]></Content>"
             f"<MsgId>{msg_id}</MsgId><AgentID>1000002</AgentID></xml>")
    crypto = WeComCrypto("tok", AES_KEY, corp)
    encrypted = crypto.encrypt(inner)
    body = f"<xml><ToUserName><![CDATA[{corp}]]></ToUserName><Encrypt><![CDATA[{encrypted}]]></Encrypt></xml>"
    params = {"msg_signature": signature("tok", ts, "nonce1", encrypted), "timestamp": ts, "nonce": "nonce1"}
    return params, body.encode()


def test_wecom_url_verification(app):
    client, _ = app
    crypto = WeComCrypto("tok", AES_KEY, "ww-test-corp")
    echo = crypto.encrypt("echo-123456")
    params = {"msg_signature": signature("tok", "1", "2", echo), "timestamp": "1", "nonce": "2", "echostr": echo}
    r = client.get("/bots/wecom", params=params)
    assert r.status_code == 200 and r.text == "echo-123456"
    assert client.get("/bots/wecom", params={**params, "msg_signature": "f" * 40}).status_code == 403


def test_wecom_message_answered_exactly_once_despite_three_retries(app, standin):
    client, application = app
    params, body = wecom_callback("zhangsan", QUESTION, "7000000000000000001")
    for _ in range(4):  # the original callback and WeCom's three retries
        r = client.post("/bots/wecom", params=params, content=body)
        assert r.status_code == 200 and r.text == ""
    application.state.wecom.dispatcher.wait_idle()
    sends = standin.sent("/cgi-bin/message/send")
    assert len(sends) == 1
    query, payload = sends[0]
    assert query["access_token"] == ["TOKEN-1"]
    assert payload["touser"] == "zhangsan" and payload["agentid"] == 1000002
    assert CITATION in payload["text"]["content"] and "✔已核验" in payload["text"]["content"]
    assert len(payload["text"]["content"].encode()) <= 2048
    audit = [e for e in application.state.service.audit.read() if e.get("channel") == "wecom"]
    assert audit and audit[-1]["user"] == "wecom:zhangsan" and audit[-1]["question"] == QUESTION


def test_wecom_forged_stale_and_foreign_callbacks_send_nothing(app, standin):
    client, application = app
    params, body = wecom_callback("lisi", QUESTION, "7000000000000000002")
    assert client.post("/bots/wecom", params={**params, "msg_signature": "0" * 40}, content=body).status_code == 403
    old, old_body = wecom_callback("lisi", QUESTION, "7000000000000000003", ts=int(time.time()) - 7200)
    assert client.post("/bots/wecom", params=old, content=old_body).status_code == 403
    foreign, foreign_body = wecom_callback("lisi", QUESTION, "7000000000000000004", corp="ww-other-corp")
    assert client.post("/bots/wecom", params=foreign, content=foreign_body).status_code == 400
    assert client.post("/bots/wecom", params=params, content=b"<xml><oops").status_code == 400
    application.state.wecom.dispatcher.wait_idle()
    assert standin.sent("/cgi-bin/message/send") == []


def dingtalk_message(msg_id: str, text: str, conversation: str = "1", at: bool = False, webhook_ms: int = 600_000,
                     base: str = "") -> dict:
    now = int(time.time() * 1000)
    return {"msgtype": "text", "text": {"content": text}, "msgId": msg_id, "createAt": now,
            "conversationType": conversation, "conversationId": "cid-1", "senderId": "$:LWCP_v1:$abc",
            "senderStaffId": "staff-007", "senderNick": "王五", "isInAtList": at, "robotCode": "ding-key",
            "sessionWebhook": f"{base}/robot/sendBySession?session=s1", "sessionWebhookExpiredTime": now + webhook_ms}


def signed(body: dict, secret: str = "ding-secret", ts: int | None = None) -> dict:
    ts = str(ts or int(time.time() * 1000))
    return {"timestamp": ts, "sign": sign(ts, secret), "content-type": "application/json"}


def test_dingtalk_message_answered_exactly_once_despite_retries(app, standin):
    client, application = app
    msg = dingtalk_message("msg-1", QUESTION, base=standin.base)
    for _ in range(4):
        r = client.post("/bots/dingtalk", content=json.dumps(msg), headers=signed(msg))
        assert r.status_code == 200
    application.state.dingtalk.dispatcher.wait_idle()
    replies = standin.sent("/robot/sendBySession")
    assert len(replies) == 1
    body = replies[0][1]
    assert body["msgtype"] == "markdown" and CITATION in body["markdown"]["text"]
    assert body["at"]["atUserIds"] == ["staff-007"]


def test_dingtalk_expired_webhook_falls_back_to_the_openapi(app, standin):
    client, application = app
    single = dingtalk_message("msg-2", QUESTION, webhook_ms=-1000, base=standin.base)
    group = dingtalk_message("msg-3", "@执法e助理 " + QUESTION, conversation="2", at=True, webhook_ms=-1000,
                             base=standin.base)
    for m in (single, group):
        assert client.post("/bots/dingtalk", content=json.dumps(m), headers=signed(m)).status_code == 200
    application.state.dingtalk.dispatcher.wait_idle()
    assert standin.sent("/robot/sendBySession") == []
    assert len(standin.sent("/v1.0/oauth2/accessToken")) == 1  # cached for the second send
    (_, one), = standin.sent("/v1.0/robot/oToMessages/batchSend")
    assert one["userIds"] == ["staff-007"] and CITATION in json.loads(one["msgParam"])["text"]
    (_, grp), = standin.sent("/v1.0/robot/groupMessages/send")
    assert grp["openConversationId"] == "cid-1" and grp["msgKey"] == "sampleMarkdown"


def test_dingtalk_group_message_without_mention_is_ignored(app, standin):
    client, application = app
    m = dingtalk_message("msg-4", QUESTION, conversation="2", at=False, base=standin.base)
    assert client.post("/bots/dingtalk", content=json.dumps(m), headers=signed(m)).status_code == 200
    application.state.dingtalk.dispatcher.wait_idle()
    assert standin.calls == []


def test_dingtalk_forged_or_stale_requests_get_401_or_403(app, standin):
    client, application = app
    m = dingtalk_message("msg-5", QUESTION, base=standin.base)
    assert client.post("/bots/dingtalk", content=json.dumps(m)).status_code == 401
    assert client.post("/bots/dingtalk", content=json.dumps(m), headers=signed(m, secret="guess")).status_code == 403
    stale = int(time.time() * 1000) - 2 * 3600 * 1000
    assert client.post("/bots/dingtalk", content=json.dumps(m), headers=signed(m, ts=stale)).status_code == 403
    application.state.dingtalk.dispatcher.wait_idle()
    assert standin.calls == []


def test_dingtalk_stream_mode_handler_uses_the_same_path(app, standin):
    import asyncio

    import dingtalk_stream

    _, application = app
    bot = application.state.dingtalk
    msg = dingtalk_message("msg-6", QUESTION, base=standin.base)
    callback = dingtalk_stream.CallbackMessage.from_dict(
        {"specVersion": "1.0", "type": "CALLBACK", "headers": {"topic": dingtalk_stream.ChatbotMessage.TOPIC},
         "data": json.dumps(msg)})
    code, _ = asyncio.run(bot.stream_handler().process(callback))
    assert code == dingtalk_stream.AckMessage.STATUS_OK
    bot.dispatcher.wait_idle()
    (_, body), = standin.sent("/robot/sendBySession")
    assert CITATION in body["markdown"]["text"]


def test_channels_without_settings_answer_404(service):
    with TestClient(create_app(service=service, with_ui=False)) as client:
        assert client.get("/bots/wecom").status_code == 404
        assert client.post("/bots/wecom", content=b"<xml/>").status_code == 404
        assert client.post("/bots/dingtalk", content=b"{}").status_code == 404


def test_compact_answer_names_verified_sources(service):
    answer = service.ask(QUESTION, extractive=True)
    text = compact_answer(answer)
    assert CITATION in text and "✔已核验" in text and "—— 依据 ——" in text


def test_non_ascii_signatures_are_refused_not_crashing(app):
    client, _ = app
    params, body = wecom_callback("lisi", QUESTION, "7000000000000000009")
    assert client.post("/bots/wecom", params={**params, "msg_signature": "é" * 40}, content=body).status_code == 403
    m = dingtalk_message("msg-9", QUESTION)
    headers = {**signed(m), "sign": "%C3%A9"}
    assert client.post("/bots/dingtalk", content=json.dumps(m), headers=headers).status_code == 403


def test_a_deadline_question_with_a_date_gets_the_computed_date(app, standin):
    client, application = app
    params, body = wecom_callback("lisi", "9月25日立案的案子，最晚什么时候要作出处罚决定？", "7000000000000000099")
    assert client.post("/bots/wecom", params=params, content=body).status_code == 200
    application.state.wecom.dispatcher.wait_idle()
    sends = [p for _, p in standin.sent("/cgi-bin/message/send") if p["touser"] == "lisi"]
    assert len(sends) == 1
    text = sends[0]["text"]["content"]
    year = __import__("datetime").date.today().year
    assert "最迟" in text and "《中华人民共和国行政处罚法》第六十条" in text and f"{year}年" in text
    audit = [e for e in application.state.service.audit.read() if e.get("user") == "wecom:lisi"]
    assert audit and audit[-1]["action"] == "case_deadline"
