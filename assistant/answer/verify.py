"""Citation verification: every [n] and every 《X》第N条(第M款) in an answer must exist.

- ``[n]`` must number an item of the context given to the generator;
- 《X》第N条 must be an article of a retrieved chunk or of the corpus, and 第M款 must exist in it;
- text quoted in 「」 or “” must occur in the cited chunk (or, without a nearby citation, in some context item);
- anything that fails is marked in the text (〔未核实：…〕) and listed in ``unverified``;
- citing a document that is not in force today (已废止 / 已修改 / 尚未生效) adds a warning saying since when and
  why, naming the article that took its place when the corpus knows it (corpus/succession.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pydantic import BaseModel, computed_field

from assistant.answer.context import ContextItem
from assistant.retrieval import Hit
from corpus.citations import Citation, find_citations
from corpus.lookup import find_article, find_documents, resolve_title
from corpus.metadata import title_key
from corpus.model import Status
from corpus.numerals import article_label
from corpus.store import Store
from corpus.succession import currency_note
from corpus.validity import cn_date, in_force_ids

_MARKER = re.compile(r"\[(\d{1,3})\]")
_QUOTE = re.compile(r"「([^「」]{6,400})」|“([^“”]{6,400})”")
_NORM = re.compile(r"[\s，。、；：？！“”‘’（）()《》「」【】,.;:?!\"'·…—\-]")


def _norm(text: str) -> str:
    return _NORM.sub("", text or "")


class CitationRecord(BaseModel):
    """One source an answer cites, as checked against the corpus (also the API's ``citations[]`` schema)."""

    n: int | None  # the [n] of the context item, None for an article found in the corpus outside the context
    title: str
    article: int | None
    paragraph: int | None  # 款
    chunk_id: str | None
    status: str | None  # 现行有效 / 已修改 / 已废止 / 尚未生效 / unknown
    verified: bool
    in_context: bool = False
    article_suffix: int | None = None  # 第十条之一 → 1

    @computed_field
    @property
    def label(self) -> str:
        """「第十条之一第二款」 as statutes write it ('' for a 裁量 row or case without an article)."""
        return article_label(self.article, self.paragraph, self.article_suffix)


class Unverified(BaseModel):
    """A citation or quotation that failed verification: marked in the text, listed with the reason."""

    citation: str
    reason: str


@dataclass
class Verification:
    text: str  # the answer with failures marked
    citations: list[CitationRecord] = field(default_factory=list)
    unverified: list[Unverified] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    checked_before: int = 0  # citations found before verification
    failed_before: int = 0  # of which failed


def _item_for(items: list[ContextItem], cite: Citation) -> ContextItem | None:
    want = resolve_title(cite.title) if cite.title else None
    for item in items:
        c = item.hit.chunk
        if c.article != cite.article or (c.article_suffix or None) != (cite.suffix or None):
            continue
        key = title_key(item.hit.document.title)
        if want is None or key == want or want in key:
            return item
    return None


def verify(answer: str, items: list[ContextItem], store: Store, on: str | None = None,
           question: str = "") -> Verification:
    """Check every citation and quotation of ``answer`` against the numbered ``items`` and the ``store``.

    Returns the answer with each failure marked in place (〔未核实：reason〕, 〔引文未核实〕,
    〔未核实的引用编号〕), the citations that hold (``verified`` True), the failures with their reasons,
    and warnings for cited documents that are not in force on ``on`` (YYYY-MM-DD; None: today), statuses being
    those of that day. A quotation of the ``question``'s own words (「第一次占道经营且当场改正」, 4 characters or
    more) is the officer's, not a statute's, and is not checked. Never raises for a malformed answer.
    """
    result = Verification(text=answer)
    seen: set[tuple] = set()
    marks: list[tuple[int, int, str]] = []  # (start, end, replacement)

    for m in _MARKER.finditer(answer):
        n = int(m.group(1))
        result.checked_before += 1
        if 1 <= n <= len(items):
            hit = items[n - 1].hit
            key = ("n", n)
            if key not in seen:
                seen.add(key)
                result.citations.append(_record(hit, hit.paragraph, n, on))
        else:
            result.failed_before += 1
            result.unverified.append(Unverified(citation=m.group(0), reason="编号不在检索资料中"))
            marks.append((m.start(), m.end(), "〔未核实的引用编号〕"))

    for cite in find_citations(answer):
        if _inside_quote(answer, cite.start):
            continue
        result.checked_before += 1
        record, reason = _check_citation(cite, items, store, on)
        if record is None:
            result.failed_before += 1
            label = f"《{cite.title}》" if cite.title else ""
            result.unverified.append(Unverified(citation=f"{label}{cite.label}", reason=reason))
            marks.append((cite.end, cite.end, f"〔未核实：{reason}〕"))
            continue
        same = next((c for c in result.citations if (c.title, c.article, c.article_suffix) == (
            record.title, record.article, record.article_suffix)), None)
        if same is None:
            result.citations.append(record)
        elif record.paragraph and not same.paragraph:
            same.paragraph = record.paragraph

    for m in _QUOTE.finditer(answer):
        quoted = m.group(1) or m.group(2)
        if question and len(_norm(quoted)) >= 4 and _norm(quoted) in _norm(question):
            continue  # the officer's own words, quoted back
        if not _quote_supported(answer, m.end(), quoted, items, store):
            result.unverified.append(Unverified(citation=f"「{quoted[:40]}」", reason="引文与所引条文不符"))
            marks.append((m.end(), m.end(), "〔引文未核实〕"))

    text = answer
    for start, end, repl in sorted(marks, key=lambda t: t[0], reverse=True):
        text = text[:start] + repl + text[end:]
    result.text = text
    result.warnings = _status_warnings(result.citations, store, on)
    return result


def _inside_quote(text: str, pos: int) -> bool:
    return any(m.start() < pos < m.end() for m in _QUOTE.finditer(text))


def _check_citation(cite: Citation, items: list[ContextItem], store: Store,
                    on: str | None = None) -> tuple[CitationRecord | None, str]:
    item = _item_for(items, cite)
    if item is not None:
        hit = item.hit
        if cite.paragraph and not hit.chunk.paragraph(cite.paragraph):
            return None, f"该条没有第{cite.paragraph}款"
        return _record(hit, cite.paragraph, item.n, on), ""
    if not cite.title:
        return None, "未注明法律名称，且不在检索资料中"
    label = f"第{cite.article}条" + (f"之{cite.suffix}" if cite.suffix else "")
    found = find_article(store, cite.title, label, current_only=False)
    if found is None:
        if not find_documents(store, cite.title, current_only=False):
            return None, "语料中没有这部文件"
        return None, "语料中没有这一条"
    doc, chunk = found
    if cite.paragraph and not chunk.paragraph(cite.paragraph):
        return None, f"该条没有第{cite.paragraph}款"
    return CitationRecord(n=None, title=doc.title, article=chunk.article, article_suffix=chunk.article_suffix,
                          paragraph=cite.paragraph, chunk_id=chunk.id, status=doc.status_on(on).value, verified=True), ""


def _record(hit: Hit, paragraph: int | None, n: int, on: str | None = None) -> CitationRecord:
    """A verified citation of context item [n], its status that of ``on`` (None: today)."""
    return CitationRecord(n=n, title=hit.document.title, article=hit.chunk.article,
                          article_suffix=hit.chunk.article_suffix, paragraph=paragraph, chunk_id=hit.chunk.id,
                          status=hit.document.status_on(on).value, verified=True, in_context=True)


def _named_before(answer: str, line_start: int, start: int) -> Citation | None:
    """The article named right before a quote opening at ``start`` — 「《刑法》第一百三十三条规定「…」」,
    「第十条第二款 [1]：「…」」: at most 12 characters between, no sentence break."""
    cites = find_citations(answer[line_start:start])
    if not cites:
        return None
    between = answer[line_start + cites[-1].end:start]
    return cites[-1] if len(between) <= 12 and not re.search(r"[。；;]", between) else None


def _article_text(cite: Citation, items: list[ContextItem], store: Store) -> str | None:
    """The text of the article (or the 款, when the citation names one) that ``cite`` names: from the context
    first, then from the store; None when it cannot be found (the citation check reports that) or when a bare
    「第十条」 could be any of several context items (the [n] marker decides then)."""
    if cite.title is None and sum(_item_for([i], cite) is not None for i in items) != 1:
        return None
    item = _item_for(items, cite)
    chunk = item.hit.chunk if item is not None else None
    if chunk is None and cite.title:
        label = f"第{cite.article}条" + (f"之{cite.suffix}" if cite.suffix else "")
        found = find_article(store, cite.title, label, current_only=False)
        chunk = found[1] if found else None
    if chunk is None:
        return None
    if cite.paragraph:
        return chunk.paragraph(cite.paragraph) or ""
    return chunk.text


def _quote_supported(answer: str, end: int, quoted: str, items: list[ContextItem], store: Store) -> bool:
    """Whether the quoted words are in the article they are attributed to: the article named right before the
    quote (its 款 when one is named), else the context item of the [n] that follows or leads on the same line,
    else any context item."""
    q = _norm(quoted)
    if not q:
        return True
    start = end - len(quoted) - 2
    line_start = answer.rfind("\n", 0, start) + 1
    named = _named_before(answer, line_start, start)
    text = _article_text(named, items, store) if named is not None else None
    if text is not None:
        return q in _norm(text)
    before = list(_MARKER.finditer(answer, line_start, start))  # 「1. 《X》第十条 [1]：「…」」: the marker leads
    after = _MARKER.search(answer[end: end + 24].split("\n", 1)[0])  # 「…」[1]: the marker follows
    m = after or (before[-1] if before else None)
    if m and 1 <= int(m.group(1)) <= len(items):
        return q in _norm(items[int(m.group(1)) - 1].hit.chunk.text)
    return any(q in _norm(i.hit.chunk.text) for i in items)


def _status_warnings(citations: list[CitationRecord], store: Store, on: str | None = None) -> list[str]:
    """For every cited article not in force on ``on`` (None: today): why, and the article that took its place (when the store
    knows it), e.g. 「《中华人民共和国大气污染防治法》已于2026年8月15日废止（…）；第一百一十九条对应的现行条文为
    《中华人民共和国生态环境法典》第一千一百三十一条（文本相似度 0.78）」."""
    warnings: list[str] = []
    for rec in citations:
        if rec.status not in (Status.REPEALED.value, Status.EXPIRED.value, Status.AMENDED.value,
                              Status.NOT_YET.value) or not rec.chunk_id:
            continue
        chunk = store.chunk(rec.chunk_id)
        doc = store.document(chunk.doc_id) if chunk is not None else None
        note = currency_note(store, doc, chunk, on) if doc is not None else None
        if note is None:
            continue
        current = [d for d in find_documents(store, rec.title, on=on) if d.id != doc.id]
        if current and not doc.repealed_on and doc.id not in in_force_ids([doc, *current], on):
            d = current[0]
            which = f"{cn_date(on)}有效的版本" if on else "现行版本"
            note += f"；{which}为《{d.title}》（{d.version_date or d.effective_date or '日期未载明'}），请以该版本为准"
        elif not current and rec.status == Status.NOT_YET.value:
            note += "；知识库中没有该日有效的版本，请核对当时的文本"
        if note not in warnings:
            warnings.append(note)
    return warnings
