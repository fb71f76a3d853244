"""Markdown (YAML front matter or LawRefBook layout), TXT, HTML and DOCX sources."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from corpus.errors import IngestError
from corpus.metadata import (LEVEL_BY_TYPE, effective_date_from_text, guess_doc_type, region_of,
                             title_from_filename)
from corpus.model import DocType, Document, Status
from corpus.sources.loaded import Loaded

_FRONT_MATTER = re.compile(r"\A---\s*\n(.*?)\n---\s*\n", re.S)
_H1 = re.compile(r"^#\s+(.+?)\s*$", re.M)
INFO_END = "<!-- INFO END -->"


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


def _document(path: Path, body: str, meta: dict, sha: str) -> Document:
    file_title, file_date = title_from_filename(path)
    h1 = _H1.search(body)
    title = str(meta.get("title") or "").strip() or (h1.group(1).strip() if h1 else file_title)
    doc_type = meta.get("doc_type") or guess_doc_type(title, path)
    try:
        doc_type = DocType(doc_type)
    except ValueError:
        doc_type = guess_doc_type(title, path)
    info = body.split(INFO_END, 1)[0] if INFO_END in body else body[:600]
    effective = str(meta.get("effective_date") or "") or effective_date_from_text(info)
    return Document(
        title=title,
        doc_type=doc_type,
        body=body,
        level=str(meta.get("level") or LEVEL_BY_TYPE[doc_type]),
        issuer=str(meta.get("issuer") or ""),
        region=str(meta.get("region") or region_of(title, path)),
        effective_date=effective,
        version_date=str(meta.get("version_date") or file_date or ""),
        status=Status.parse(str(meta.get("status") or "")),
        source=str(meta.get("source") or "") or str(path),
        sha256=sha,
        note=str(meta.get("note") or ""),
    )


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
    doc = _document(path, text, meta, sha)
    if meta.get("source"):
        doc.source = f"{path} ← {meta['source']}"
    return Loaded(doc, notes=[] if enc == "UTF-8" else [f"编码 {enc}"], rank=0 if meta else 2)


def load_txt(path: Path, raw: bytes, sha: str) -> Loaded:
    text, enc = decode_text(raw)
    if not text.strip():
        raise IngestError("文件没有正文")
    return Loaded(_document(path, text, {}, sha), notes=[] if enc == "UTF-8" else [f"编码 {enc}"])


def load_html(path: Path, raw: bytes, sha: str) -> Loaded:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(raw, "lxml")
    for tag in soup(["script", "style", "nav", "header", "footer"]):
        tag.decompose()
    title = (soup.title.string or "").strip() if soup.title and soup.title.string else ""
    h1 = soup.find("h1")
    if h1 and h1.get_text(strip=True):
        title = h1.get_text(strip=True)
    lines: list[str] = []
    for el in soup.find_all(["h1", "h2", "h3", "h4", "p", "li", "tr", "div"]):
        if el.name == "div" and el.find(["p", "div", "h1", "h2", "h3", "li", "table"]):
            continue
        text = el.get_text(" ", strip=True)
        if not text:
            continue
        if el.name in ("h2", "h3", "h4"):
            text = "#" * int(el.name[1]) + " " + text
        elif el.name == "h1":
            text = "# " + text
        lines.append(text)
    body = "\n\n".join(lines)
    if not body.strip():
        raise IngestError("HTML 中没有可读正文")
    return Loaded(_document(path, body, {"title": title} if title else {}, sha))


def load_docx(path: Path, raw: bytes, sha: str) -> Loaded:
    import io
    import zipfile

    from docx import Document as DocxDocument

    try:
        docx = DocxDocument(io.BytesIO(raw))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise IngestError("DOCX 文件损坏或不是有效的 Word 文档") from exc
    lines: list[str] = []
    for para in docx.paragraphs:
        text = para.text.strip()
        if not text:
            continue
        style = (para.style.name or "").lower() if para.style is not None else ""
        if style.startswith("title"):
            text = "# " + text
        elif style.startswith("heading"):
            level = re.sub(r"\D", "", style) or "1"
            text = "#" * min(int(level) + 1, 4) + " " + text
        lines.append(text)
    for table in docx.tables:  # rendered as Markdown tables, so 裁量 rows parse like any other table
        rows = [[c.text.strip().replace("\n", " ") for c in row.cells] for row in table.rows]
        if not rows:
            continue
        md = ["| " + " | ".join(rows[0]) + " |", "|" + "---|" * len(rows[0])]
        md += ["| " + " | ".join(r) + " |" for r in rows[1:]]
        lines.append("\n".join(md))
    body = "\n\n".join(lines)
    if not body.strip():
        raise IngestError("DOCX 中没有可读正文")
    return Loaded(_document(path, body, {}, sha))
