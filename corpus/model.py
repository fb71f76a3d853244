"""The document model every other package builds on.

A :class:`Document` is one version of one legal text (a law, a regulation, a
裁量基准 table, a case, a procedure). A :class:`Chunk` is one retrievable unit
of it: one 条 of a statute, one tier (one table row) of a discretion standard,
one section of a case, one step of a procedure.

This module imports nothing of ours.
"""

from __future__ import annotations

import datetime
import hashlib
import re
from dataclasses import asdict, dataclass, field
from enum import Enum
from typing import Any


class DocType(str, Enum):
    LAW = "law"
    REGULATION = "regulation"  # 行政法规
    RULE = "rule"  # 部门规章 / 地方政府规章
    JUDICIAL_INTERPRETATION = "judicial_interpretation"
    LOCAL_REGULATION = "local_regulation"  # 地方性法规
    DISCRETION = "discretion"  # 裁量基准, 不予处罚清单
    CASE = "case"
    PROCEDURE = "procedure"

    @property
    def is_statute(self) -> bool:
        return self not in (DocType.DISCRETION, DocType.CASE, DocType.PROCEDURE)


class Status(str, Enum):
    CURRENT = "现行有效"
    AMENDED = "已修改"
    REPEALED = "已废止"
    EXPIRED = "已失效"  # its own term ran out (有效期届满, 试行期满) — no document repealed it
    NOT_YET = "尚未生效"
    UNKNOWN = "unknown"

    @staticmethod
    def shown(value: str | None) -> str:
        """The status as officers read it: 「效力未标注」 for unknown (the JSON keeps ``unknown``), '' for none."""
        return "效力未标注" if value == Status.UNKNOWN.value else (value or "")

    @classmethod
    def parse(cls, value: str | None) -> "Status":
        """Map the many spellings found in sources onto the five statuses."""
        v = (value or "").strip()
        if not v:
            return cls.UNKNOWN
        if v in ("现行有效", "有效", "现行"):
            return cls.CURRENT
        if v in ("已修改", "已被修改", "历史版本", "修改"):
            return cls.AMENDED
        if v in ("已废止", "已失效", "失效", "废止"):
            return cls.REPEALED
        if v in ("尚未生效", "未生效"):
            return cls.NOT_YET
        return cls.UNKNOWN


def content_hash(*parts: str, length: int = 16) -> str:
    h = hashlib.sha256()
    for p in parts:
        h.update(p.encode("utf-8"))
        h.update(b"\x1f")
    return h.hexdigest()[:length]


_WS = re.compile(r"\s+")


def squash(text: str) -> str:
    """Remove all whitespace (used to compare texts modulo layout)."""
    return _WS.sub("", text or "")

_CN_DIGITS = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0, "○": 0, "两": 2}
_N = "0-9〇零○一二两三四五六七八九十"
_DATE = re.compile(rf"([{_N}]{{4}})\s*(?:[-./]|年)\s*([{_N}]{{1,3}})(?:\s*(?:[-./]|月)\s*([{_N}]{{1,3}})\s*日?|\s*月)?")


def _number(text: str) -> int | None:
    """「2021」/「二〇二一」 digit by digit; 「十二」「二十五」「三十一」 with 十; None otherwise."""
    if text.isdigit():
        return int(text)
    if "十" in text:
        tens, _, units = text.partition("十")
        if (tens and tens not in _CN_DIGITS) or (units and units not in _CN_DIGITS):
            return None
        return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[units] if units else 0)
    if all(c in _CN_DIGITS for c in text):
        return int("".join(str(_CN_DIGITS[c]) for c in text))
    return None


def normalise_date(text: str | None) -> str:
    """A date as YYYY-MM-DD: 「2026-8-15」, 「2026/08/15」, 「2026年8月15日」, 「二〇二一年七月十五日」, 「2027年3月」
    (→ the 1st); "" when ``text`` holds no date a calendar has."""
    m = _DATE.search((text or "").strip())
    if not m:
        return ""
    year, month = _number(m.group(1)), _number(m.group(2))
    day = _number(m.group(3)) if m.group(3) else 1
    if year is None or month is None or day is None:
        return ""
    try:
        return datetime.date(year, month, day).isoformat()
    except ValueError:
        return ""


@dataclass
class Document:
    title: str
    doc_type: DocType
    body: str = ""
    level: str = ""  # 法律 / 行政法规 / 部门规章 / 地方性法规 / 司法解释 / 规范性文件 …
    issuer: str = ""
    region: str = ""  # 全国 or a province/city
    effective_date: str = ""  # YYYY-MM-DD or "" (other spellings are normalised, see normalise_date)
    version_date: str = ""
    status: Status = Status.UNKNOWN
    source: str = ""  # path or package URI it came from
    sha256: str = ""  # of the source file (or of the body for DB rows)
    note: str = ""
    is_current: bool = True  # the version to serve among versions of the same title
    id: str = ""
    # validity from the evidence the store holds (corpus/currency.py); ``status`` is the status before any
    # dated repeal, so that the status on a date can be told (corpus.validity.status_on)
    repealed_on: str = ""  # YYYY-MM-DD the repeal takes effect ("" none known)
    repealed_by: str = ""  # title of the repealing document
    superseded_on: str = ""  # YYYY-MM-DD a newer version or an amending decision took effect ("" none known)
    status_basis: str = ""  # where the status comes from, shown to the user
    declared_status: Status = Status.UNKNOWN  # what the document's own source said
    # sentences addressed to a language model found in the file and removed from its text (corpus/planted.py)
    planted: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.doc_type = DocType(self.doc_type)
        if not isinstance(self.status, Status):
            self.status = Status.parse(self.status)
        if not isinstance(self.declared_status, Status):
            self.declared_status = Status.parse(self.declared_status)
        if self.declared_status == Status.UNKNOWN:  # a loader's status is what the source declares
            self.declared_status = self.status
        self.effective_date = normalise_date(self.effective_date)
        self.version_date = normalise_date(self.version_date)
        if not self.id:
            self.id = content_hash(self.title, self.version_date or self.effective_date, squash(self.body))

    def status_on(self, on: str | None = None) -> "Status":
        """The status on ``on`` (YYYY-MM-DD; None: today) — see corpus.validity.status_on."""
        from corpus.validity import status_on

        return status_on(self, on)

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["doc_type"] = self.doc_type.value
        d["status"] = self.status_on().value
        d["declared_status"] = self.declared_status.value
        d.pop("body", None)
        return d


@dataclass
class DiscretionTier:
    """One tier (one table row) of a 裁量基准 or one item of a 不予处罚 list."""

    violation: str  # 违法行为
    violated_provision: str = ""  # 违反条款
    penalty_basis: str = ""  # 处罚依据
    circumstance: str = ""  # 违法程度 / 裁量情节 (e.g. 较轻：…)
    prior_violation: str = ""  # 近一年同类违法行为情况, where the table has it
    range_text: str = ""  # 处罚幅度 / 罚款 as written
    min_yuan: float | None = None
    max_yuan: float | None = None
    page: int | None = None
    category: str = ""  # chapter of the table, e.g. 第二章 水污染防治类
    seq: str = ""  # 序号 in the table
    kind: str = "tier"  # tier | no_penalty (不予处罚 list item)
    extra: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def render(self) -> str:
        """Readable text for search and for answers."""
        lines = [f"违法行为：{self.violation}"]
        for label, value in (
            ("违反条款", self.violated_provision),
            ("处罚依据", self.penalty_basis),
            ("违法情节", self.circumstance),
            ("同类违法情况", self.prior_violation),
            ("不予处罚的情节" if self.kind == "no_penalty" else "处罚幅度", self.range_text),
        ):
            if value:
                lines.append(f"{label}：{value}")
        for k, v in self.extra.items():
            if v:
                lines.append(f"{k}：{v}")
        return "\n".join(lines)


PENALTY = "罚则"  # on a duty article: the article that punishes breaking it
DUTY = "违反条款"  # on a penalty article: the duty article it punishes
CITES = "引用"
CITED_BY = "被引用"


@dataclass(frozen=True)
class ArticleLink:
    """One edge from the chunk holding it to an article.

    ``relation``: 罚则 (the target punishes breaking this article's duty), 违反条款 (the target is the duty this
    penalty article punishes), 引用 / 被引用 (a plain citation either way). ``title`` is None for an article of
    the same document (then ``chunk_id`` is its chunk), else the other document's title as cited. ``score`` is
    1.0 for a stated reference and the alignment share (0–1) for an aligned one; ``how`` says which.
    """

    relation: str
    article: int
    suffix: int | None = None
    chunk_id: str = ""
    title: str | None = None
    score: float = 1.0
    how: str = "stated"  # stated | aligned

    @property
    def label(self) -> str:
        """「第一千一百八十九条」, or 「《X》第N条」 for another document."""
        from corpus.numerals import int_to_cn

        own = f"第{int_to_cn(self.article)}条" + (f"之{int_to_cn(self.suffix)}" if self.suffix else "")
        return f"《{self.title}》{own}" if self.title else own

    @property
    def shown(self) -> str:
        """「罚则：第一千一百八十九条」 as answers and the UI show it."""
        return f"{self.relation}：{self.label}"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, row: dict[str, Any]) -> "ArticleLink":
        """The inverse of :meth:`to_dict`; unknown keys are ignored."""
        return cls(**{k: row[k] for k in cls.__dataclass_fields__ if k in row})


@dataclass
class Chunk:
    doc_id: str
    title: str
    doc_type: DocType
    text: str
    path: list[str] = field(default_factory=list)  # 编/章/节 headings, outermost first
    article: int | None = None  # 第三十三条 -> 33
    article_suffix: int | None = None  # 第十条之一 -> 1
    paragraphs: list[str] = field(default_factory=list)  # 款, in order
    heading: str = ""  # case section or procedure step heading
    page: int | None = None
    seq: int = 0  # position within the document
    record: DiscretionTier | None = None
    id: str = ""
    links: list[ArticleLink] = field(default_factory=list)  # to other articles (corpus/references.py)

    def __post_init__(self) -> None:
        self.doc_type = DocType(self.doc_type)
        if not self.id:
            self.id = content_hash(self.doc_id, "/".join(self.path), self.article_label or self.heading, self.text)

    @property
    def article_label(self) -> str:
        if self.article is None:
            return ""
        from_suffix = f"之{self.article_suffix}" if self.article_suffix else ""
        return f"第{self.article}条{from_suffix}"

    @property
    def label_cn(self) -> str:
        """「第三十三条」 / 「第十条之一」 as statutes write it ('' for non-article chunks)."""
        if self.article is None:
            return ""
        from corpus.numerals import int_to_cn

        return f"第{int_to_cn(self.article)}条" + (f"之{int_to_cn(self.article_suffix)}" if self.article_suffix else "")

    def paragraph(self, n: int | None) -> str | None:
        """The n-th 款 (1-based), or None."""
        if n is not None and 1 <= n <= len(self.paragraphs):
            return self.paragraphs[n - 1]
        return None

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["doc_type"] = self.doc_type.value
        d["record"] = self.record.to_dict() if self.record else None
        d["links"] = [link.to_dict() for link in self.links]
        return d
