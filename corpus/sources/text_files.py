"""Markdown (YAML front matter, English or Chinese keys, or the LawRefBook layout) and TXT sources.

HTML is read in :mod:`corpus.sources.html_files`, DOCX in :mod:`corpus.sources.docx_files`; every loader builds its
Document with :func:`corpus.sources.document.make_document`.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from corpus.errors import IngestError
from corpus.sources.document import make_document
from corpus.sources.loaded import Loaded

_FRONT_MATTER = re.compile(r"\A---\s*\n(.*?)\n---\s*\n", re.S)


def decode_text(raw: bytes) -> tuple[str, str]:
    """Decode UTF-8 (with or without BOM), else GB18030 (a superset of GBK/GB2312)."""
    for enc in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(enc)
        except UnicodeDecodeError:
            continue
        if enc == "gb18030" and _looks_binary(text):
            break
        return text, ("UTF-8" if enc == "utf-8-sig" else "GBK/GB18030")
    raise IngestError("无法识别的文本编码（既不是 UTF-8 也不是 GBK）")


def _looks_binary(text: str) -> bool:
    sample = text[:2000]
    bad = sum(1 for c in sample if ord(c) < 32 and c not in "\n\r\t\f")
    return bad > len(sample) * 0.01


def load_markdown(path: Path, raw: bytes, sha: str) -> Loaded:
    text, enc = decode_text(raw)
    meta: dict = {}
    m = _FRONT_MATTER.match(text)
    if m:
        try:
            meta = yaml.safe_load(m.group(1)) or {}
        except yaml.YAMLError as exc:
            raise IngestError(f"YAML 头信息格式错误：{exc.__class__.__name__}") from exc
        if not isinstance(meta, dict):
            raise IngestError("YAML 头信息不是键值对")
        text = text[m.end():]
    if not text.strip():
        raise IngestError("文件没有正文")
    doc = make_document(path, text, meta, sha)
    doc.planted = planted_in_fields(meta)  # fields nothing reads (remark, summary …) can still carry instructions
    if doc.source != str(path):  # the front matter named where the text came from
        doc.source = f"{path} ← {doc.source}"
    return Loaded(doc, notes=[] if enc == "UTF-8" else [f"编码 {enc}"], rank=0 if meta else 2)


def planted_in_fields(meta: dict) -> list[str]:
    """Planted instructions in any front-matter value (strings, or strings in lists), for the document's flag."""
    from corpus.planted import is_planted

    values = [v for value in meta.values() for v in (value if isinstance(value, list) else [value])]
    return [str(v) for v in values if isinstance(v, str) and is_planted(v)]


def load_txt(path: Path, raw: bytes, sha: str) -> Loaded:
    text, enc = decode_text(raw)
    if not text.strip():
        raise IngestError("文件没有正文")
    body = tab_tables(text)
    return Loaded(make_document(path, body, {}, sha), notes=[] if enc == "UTF-8" else [f"编码 {enc}"])


def tab_tables(text: str) -> str:
    """A TXT table whose cells are separated by tabs (as copied out of Word or Excel) as a Markdown table, when its
    first row is a 裁量 header (so its rows parse as tiers); other text is returned as it is."""
    if "\t" not in text:
        return text
    from corpus.chunking.discretion import is_discretion_header

    lines = text.splitlines()
    out: list[str] = []
    i = 0
    while i < len(lines):
        cells = [c.strip() for c in lines[i].split("\t")]
        if len(cells) >= 3 and is_discretion_header(cells):
            width = len(cells)
            out += ["| " + " | ".join(cells) + " |", "|" + "---|" * width]
            i += 1
            while i < len(lines) and "\t" in lines[i]:
                row = [c.strip() for c in lines[i].split("\t")]
                out.append("| " + " | ".join(row + [""] * (width - len(row))) + " |")
                i += 1
            continue
        out.append(lines[i])
        i += 1
    return "\n".join(out)
