"""HTML sources: bytes decoded the way TXT is (declared charset, UTF-8, GB18030), then the page's text.

Decoding happens before the parser sees the page, so neither a missing declaration (a short GBK page that a
guesser takes for another encoding: 第一条 → 菴珨沭) nor a too narrow one (``charset=gb2312`` on a page that uses
GBK/GB18030 characters such as 〇 喆 䶮) garbles or empties it: gb2312/gbk declarations are read as GB18030, their
superset. Tables become Markdown tables, so a 裁量 table's rows parse as tiers.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from corpus.errors import IngestError
from corpus.metadata import looks_like_title
from corpus.sources.document import make_document
from corpus.sources.loaded import Loaded
from corpus.sources.text_files import decode_text

_DECLARED = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)|<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""",
                       re.I)
_SUPERSET = {"gb2312": "gb18030", "gbk": "gb18030", "gb_2312-80": "gb18030", "x-gbk": "gb18030", "cp936": "gb18030",
             "euc-cn": "gb18030", "hz-gb-2312": "gb18030", "iso-8859-1": "cp1252", "ascii": "utf-8",
             "us-ascii": "utf-8"}
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def declared_charset(raw: bytes) -> str:
    """The charset a page declares in its first 4 KB (``<meta charset>``, ``http-equiv`` content, ``<?xml
    encoding>``), lower-cased, "" when none."""
    m = _DECLARED.search(raw[:4096])
    if not m:
        return ""
    return (m.group(1) or m.group(2)).decode("ascii", "replace").lower()


def decode_html(raw: bytes) -> tuple[str, str]:
    """(text, encoding used): a byte-order mark first, then the declared charset (gb2312/gbk read as GB18030), then
    UTF-8, then GB18030 (:func:`corpus.sources.text_files.decode_text`). Raises IngestError when none decodes."""
    for bom, enc in _BOMS:
        if raw.startswith(bom):
            return raw.decode(enc), enc
    declared = declared_charset(raw)
    if declared:
        enc = _SUPERSET.get(declared, declared)
        try:
            codecs.lookup(enc)
            return raw.decode(enc), enc.upper()
        except (LookupError, UnicodeDecodeError):
            pass  # an unknown or wrong declaration: decode as TXT is decoded
    text, enc = decode_text(raw)
    return text, enc


def _cell_text(cell) -> str:
    return re.sub(r"\s+", " ", cell.get_text(" ", strip=True)).replace("|", "｜")


def _table_lines(table) -> list[str]:
    """A ``<table>`` as Markdown table lines; ``rowspan``/``colspan`` cells repeated over the cells they cover."""
    grid: dict[tuple[int, int], str] = {}
    rows = table.find_all("tr")
    for r, tr in enumerate(rows):
        c = 0
        for cell in tr.find_all(["td", "th"], recursive=False):
            while (r, c) in grid:
                c += 1
            text = _cell_text(cell)
            span_r = int(cell.get("rowspan") or 1) if str(cell.get("rowspan") or "1").isdigit() else 1
            span_c = int(cell.get("colspan") or 1) if str(cell.get("colspan") or "1").isdigit() else 1
            for dr in range(max(1, span_r)):
                for dc in range(max(1, span_c)):
                    grid[(r + dr, c + dc)] = text
            c += max(1, span_c)
    if not grid:
        return []
    height = max(r for r, _ in grid) + 1
    width = max(c for _, c in grid) + 1
    lines = []
    for r in range(height):
        lines.append("| " + " | ".join(grid.get((r, c), "") for c in range(width)) + " |")
        if r == 0:
            lines.append("|" + "---|" * width)
    return lines


def load_html(path: Path, raw: bytes, sha: str) -> Loaded:
    from bs4 import BeautifulSoup

    text, enc = decode_html(raw)
    soup = BeautifulSoup(text, "lxml")
    for tag in soup(["script", "style", "nav", "header", "footer"]):
        tag.decompose()
    title = (soup.title.string or "").strip() if soup.title and soup.title.string else ""
    h1 = soup.find("h1")
    if h1 and h1.get_text(strip=True):
        title = h1.get_text(strip=True)
    lines: list[str] = []
    for el in soup.find_all(["h1", "h2", "h3", "h4", "p", "li", "table", "div"]):
        if el.find_parent("table") is not None:
            continue  # read with its table
        if el.name == "table":
            lines.append("\n".join(_table_lines(el)))
            continue
        if el.name == "div" and el.find(["p", "div", "h1", "h2", "h3", "li", "table"]):
            continue
        line = el.get_text(" ", strip=True)
        if not line:
            continue
        if el.name in ("h2", "h3", "h4"):
            line = "#" * int(el.name[1]) + " " + line
        elif el.name == "h1":
            line = "# " + line
        lines.append(line)
    body = "\n\n".join(x for x in lines if x)
    if not body.strip():
        raise IngestError("HTML 中没有可读正文")
    notes = [] if enc.lower().replace("-sig", "") in ("utf-8",) else [f"编码 {enc}"]
    hint = title if looks_like_title(title) else ""  # a <title> is often the site's name
    return Loaded(make_document(path, body, {}, sha, title_hint=hint), notes=notes)
