"""Turning files into documents: one loader per file type, and discovery of files in folders."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from corpus.errors import IngestError, SkippedFile
from corpus.sources.loaded import Loaded

SUPPORTED = {".md", ".markdown", ".txt", ".html", ".htm", ".pdf", ".docx", ".xls", ".xlsx"}
NOT_DOCUMENTS = {"readme.md", "manifest.md", "_index.md", "license", "license.md"}


def iter_files(roots: Iterable[Path]) -> Iterator[Path]:
    """Every file below the roots (or the root itself when it is a file), sorted, hidden ones skipped."""
    for root in roots:
        if root.is_file():
            yield root
            continue
        for path in sorted(root.rglob("*")):
            if path.is_file() and not any(part.startswith(".") for part in path.relative_to(root).parts):
                yield path


def load_file(path: Path, raw: bytes | None = None, max_bytes: int = 50 << 20,
              on_page: Callable[[int, int], None] | None = None) -> Loaded:
    """Load one file into a Document (plus table records); raise IngestError with the reason."""
    if path.name.lower() in NOT_DOCUMENTS:
        raise SkippedFile("说明文件，不是法律文档")
    ext = path.suffix.lower()
    if ext not in SUPPORTED:
        raise IngestError(f"不支持的文件类型「{ext or '无扩展名'}」（支持：{' '.join(sorted(SUPPORTED))}）")
    size = path.stat().st_size if raw is None else len(raw)
    if size == 0:
        raise IngestError("空文件（0 字节）")
    if size > max_bytes:
        raise IngestError(f"文件过大：{size / 2**20:.1f} MB，超过上限 {max_bytes / 2**20:.0f} MB")
    if raw is None:
        raw = path.read_bytes()
    sha = hashlib.sha256(raw).hexdigest()
    if ext in (".md", ".markdown"):
        from corpus.sources.text_files import load_markdown
        return load_markdown(path, raw, sha)
    if ext == ".txt":
        from corpus.sources.text_files import load_txt
        return load_txt(path, raw, sha)
    if ext in (".html", ".htm"):
        from corpus.sources.html_files import load_html
        return load_html(path, raw, sha)
    if ext == ".docx":
        from corpus.sources.docx_files import load_docx
        return load_docx(path, raw, sha)
    if ext == ".pdf":
        from corpus.sources.pdf_files import load_pdf
        return load_pdf(path, raw, sha, on_page=on_page)
    from corpus.sources.excel_files import load_excel
    return load_excel(path, raw, sha)


__all__ = ["IngestError", "Loaded", "SUPPORTED", "SkippedFile", "iter_files", "load_file"]
