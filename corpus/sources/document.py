"""One loaded file → one :class:`Document`: text normalised, metadata from the file's own words first.

Every file loader ends here (:func:`make_document`), so every source gets the same treatment:

* the body and title go through :func:`corpus.normalize.normalize_chars` (radical look-alikes, spaced article
  numbers) before anything reads them;
* front matter keys may be English or Chinese (标题, 发布机关, 施行日期, 状态, 版本 … :data:`KEY_ALIASES`), values of
  状态 and 类型 Chinese too;
* the title is the front matter's, else the document's own title line (a Markdown ``#`` heading, the title a
  loader found — DOCX title style, HTML ``<h1>``, a sheet's merged title row — or the first line that reads as a
  title, :func:`corpus.metadata.title_from_text`), and the file name only when there is none;
* the type is the front matter's, else ``discretion`` when the text holds a 裁量 table (a Markdown table whose
  header has 违法行为 and a penalty column) or the loader found tiers, else guessed from the title and folder;
  the level (规章 or 规范性文件 for a 办法/规定/细则) from the issuer (:func:`corpus.metadata.level_of`).
"""

from __future__ import annotations

import datetime as _dt
import re
from pathlib import Path

from corpus.chunking import has_discretion_tables
from corpus.metadata import (cn_date, effective_date_from_text, guess_doc_type, issuer_from_text, level_of,
                             region_of, title_from_filename, title_from_text)
from corpus.model import DocType, Document, Status
from corpus.normalize import normalize_chars

_H1 = re.compile(r"^#\s+(.+?)\s*$", re.M)
INFO_END = "<!-- INFO END -->"

# Chinese front matter keys → the English ones (first match wins when both are given: English is kept)
KEY_ALIASES = {
    "标题": "title", "名称": "title", "文件名称": "title", "法规名称": "title",
    "类型": "doc_type", "文档类型": "doc_type", "文件类型": "doc_type", "类别": "doc_type",
    "发布机关": "issuer", "制定机关": "issuer", "发文机关": "issuer", "颁布机关": "issuer", "发布单位": "issuer",
    "施行日期": "effective_date", "生效日期": "effective_date", "实施日期": "effective_date",
    "版本": "version_date", "版本日期": "version_date", "公布日期": "version_date", "发布日期": "version_date",
    "修订日期": "version_date",
    "状态": "status", "效力": "status", "效力状态": "status", "时效性": "status",
    "层级": "level", "效力级别": "level", "效力位阶": "level",
    "地区": "region", "区域": "region", "适用地区": "region",
    "来源": "source", "出处": "source",
    "备注": "note", "说明": "note",
}
DOC_TYPE_ALIASES = {
    "法律": DocType.LAW, "行政法规": DocType.REGULATION, "规章": DocType.RULE, "部门规章": DocType.RULE,
    "地方政府规章": DocType.RULE, "政府规章": DocType.RULE, "规范性文件": DocType.RULE,
    "司法解释": DocType.JUDICIAL_INTERPRETATION, "地方性法规": DocType.LOCAL_REGULATION,
    "裁量基准": DocType.DISCRETION, "裁量标准": DocType.DISCRETION, "案例": DocType.CASE,
    "工作规范": DocType.PROCEDURE, "执法规范": DocType.PROCEDURE,
}
_DATE_KEYS = ("effective_date", "version_date")


def canonical_meta(meta: dict) -> dict:
    """Front matter with Chinese keys mapped to the English ones (an English key given too wins), dates as
    YYYY-MM-DD (YAML dates and 「2024年3月1日」 alike), values as stripped strings."""
    out: dict = {}
    for key, value in (meta or {}).items():
        name = str(key).strip()
        out.setdefault(KEY_ALIASES.get(name, name), value)
    for key, value in list(out.items()):
        if isinstance(value, (_dt.date, _dt.datetime)):
            value = value.strftime("%Y-%m-%d")
        out[key] = "" if value is None else str(value).strip()
    for key in _DATE_KEYS:
        if out.get(key) and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", out[key]):
            out[key] = cn_date(out[key]) or out[key]
    return out


def doc_type_of(value: str) -> DocType | None:
    """A front matter type, English (``rule``) or Chinese (规章), as a DocType; None when unknown."""
    value = (value or "").strip()
    try:
        return DocType(value)
    except ValueError:
        return DOC_TYPE_ALIASES.get(value)


def make_document(path: Path, body: str, meta: dict, sha: str, *, title_hint: str = "",
                  has_tiers: bool = False) -> Document:
    """The Document of one file: ``body`` (Markdown-ish text, normalised here), ``meta`` (front matter, any
    keys), ``title_hint`` (a title the loader found in the file's structure), ``has_tiers`` (the loader read
    裁量 tiers from its tables). See the module docstring for the order of the sources of each field."""
    meta = canonical_meta(meta)
    body = normalize_chars(body)
    file_title, file_date = title_from_filename(path)
    h1 = _H1.search(body)
    title = normalize_chars(meta.get("title") or (h1.group(1).strip() if h1 else "") or title_hint.strip()
                            or title_from_text(body) or file_title)
    doc_type = doc_type_of(meta.get("doc_type", ""))
    if doc_type is None:
        discretion = has_tiers or has_discretion_tables(body)
        doc_type = DocType.DISCRETION if discretion else guess_doc_type(title, path)
    info = body.split(INFO_END, 1)[0] if INFO_END in body else body[:600]
    issuer = meta.get("issuer") or issuer_from_text(info)
    region = meta.get("region") or region_of(title, path)
    return Document(
        title=title,
        doc_type=doc_type,
        body=body,
        level=meta.get("level") or level_of(doc_type, issuer, region),
        issuer=issuer,
        region=region,
        effective_date=meta.get("effective_date") or effective_date_from_text(info),
        version_date=meta.get("version_date") or file_date or "",
        status=Status.parse(meta.get("status", "")),
        source=meta.get("source") or str(path),
        sha256=sha,
        note=meta.get("note", ""),
    )
