"""WeCom (企业微信) callback cryptography, as the platform specifies it (WXBizMsgCrypt).

- signature: SHA1 over the sorted concatenation of token, timestamp, nonce and the encrypted text;
- AES-256-CBC with key = Base64(EncodingAESKey + "="), IV = the key's first 16 bytes;
- PKCS#7 padding to 32-byte blocks (not AES's 16);
- plaintext = random(16) + msg_len (4 bytes, big-endian) + msg + receiveid, where receiveid is the CorpID.

Uses the maintained ``cryptography`` package for AES and for the PKCS#7 padding (with a 256-bit block).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import struct

from cryptography.hazmat.primitives import padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

BLOCK = 32


class WeComCryptoError(ValueError):
    """A callback that fails verification or decryption (forged, corrupted, or for another corp)."""


def signature(token: str, timestamp: str, nonce: str, encrypted: str) -> str:
    return hashlib.sha1("".join(sorted([token, timestamp, nonce, encrypted])).encode("utf-8")).hexdigest()


def pkcs7_pad(data: bytes, block: int = BLOCK) -> bytes:
    """``data`` padded to a multiple of ``block`` bytes (PKCS#7)."""
    padder = padding.PKCS7(block * 8).padder()
    return padder.update(data) + padder.finalize()


def pkcs7_unpad(data: bytes, block: int = BLOCK) -> bytes:
    """``data`` without its PKCS#7 padding; WeComCryptoError when the padding is not valid."""
    unpadder = padding.PKCS7(block * 8).unpadder()
    try:
        return unpadder.update(data) + unpadder.finalize()
    except ValueError as exc:
        raise WeComCryptoError("填充不正确") from exc


class WeComCrypto:
    def __init__(self, token: str, encoding_aes_key: str, corp_id: str):
        if len(encoding_aes_key) != 43:
            raise ValueError("EncodingAESKey 应为 43 个字符")
        try:
            self.key = base64.b64decode(encoding_aes_key + "=", validate=True)
        except binascii.Error as exc:
            raise ValueError("EncodingAESKey 不是合法的 Base64") from exc
        if len(self.key) != 32:
            raise ValueError("EncodingAESKey 解码后应为 32 字节")
        self.token, self.corp_id = token, corp_id

    def _cipher(self) -> Cipher:
        return Cipher(algorithms.AES(self.key), modes.CBC(self.key[:16]))

    def verify(self, msg_signature: str, timestamp: str, nonce: str, encrypted: str) -> None:
        expected = signature(self.token, timestamp, nonce, encrypted)
        if not hmac.compare_digest(expected.encode(), (msg_signature or "").lower().encode("utf-8", "replace")):
            raise WeComCryptoError("签名校验失败")

    def decrypt(self, encrypted: str) -> str:
        try:
            raw = base64.b64decode(encrypted, validate=True)
        except (binascii.Error, ValueError) as exc:
            raise WeComCryptoError("密文不是合法的 Base64") from exc
        if not raw or len(raw) % 16:
            raise WeComCryptoError("密文长度不正确")
        dec = self._cipher().decryptor()
        plain = pkcs7_unpad(dec.update(raw) + dec.finalize())
        if len(plain) < 20:
            raise WeComCryptoError("明文过短")
        (length,) = struct.unpack(">I", plain[16:20])
        if 20 + length > len(plain):
            raise WeComCryptoError("消息长度不正确")
        msg, receive_id = plain[20:20 + length], plain[20 + length:]
        if receive_id.decode("utf-8", "replace") != self.corp_id:
            raise WeComCryptoError("CorpID 不匹配")
        try:
            return msg.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise WeComCryptoError("消息不是 UTF-8 文本") from exc

    def encrypt(self, msg: str, random16: bytes | None = None) -> str:
        body = msg.encode("utf-8")
        plain = (random16 or os.urandom(16)) + struct.pack(">I", len(body)) + body + self.corp_id.encode("utf-8")
        enc = self._cipher().encryptor()
        return base64.b64encode(enc.update(pkcs7_pad(plain)) + enc.finalize()).decode("ascii")

    def verify_url(self, msg_signature: str, timestamp: str, nonce: str, echostr: str) -> str:
        """GET URL verification: the decrypted echostr, to be sent back as the body."""
        self.verify(msg_signature, timestamp, nonce, echostr)
        return self.decrypt(echostr)

    def decrypt_message(self, msg_signature: str, timestamp: str, nonce: str, encrypted: str) -> str:
        self.verify(msg_signature, timestamp, nonce, encrypted)
        return self.decrypt(encrypted)

    def encrypt_reply(self, msg: str, timestamp: str, nonce: str) -> tuple[str, str]:
        """(encrypted, signature) for a passive reply."""
        encrypted = self.encrypt(msg)
        return encrypted, signature(self.token, timestamp, nonce, encrypted)
