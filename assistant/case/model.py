"""Typed shapes of the case-handling model: the procedure data file as read, and the results shown to officers.

The data file (``data/procedures.yaml`` and extensions) is parsed into :class:`ProcedureFile`; after it has been
checked against the store (book.py) each step's basis is a list of :class:`BasisArticle` whose text comes from
the corpus, never from the data file. A timeline (timeline.py) is a list of :class:`StepView`.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, Field, field_validator

Unit = Literal["日", "工作日", "月", "年", "小时"]


class DeadlineSpec(BaseModel):
    """A step's time limit as the data file states it.

    ``rule``: 「自立案之日起九十日内」, 「告知后五日内」, 「举行听证的七日前」 (parsed by rules.parse_rule);
    ``basis``: the article that sets it (「第六十条」 of the procedure's law, or 「《X》第N条第M款」);
    ``stated_in``: the limit is whatever a document states (「告知书」) — then ``from`` names the event it runs
    from and the officer supplies the period; ``from_step``: the rule runs from another step's deadline
    (延长查封、扣押: 自原期限届满之日起三十日); ``note``: shown with the deadline."""

    rule: str = ""
    basis: str = ""
    stated_in: str = ""
    from_: str = Field("", alias="from")
    from_step: str = ""
    note: str = ""

    model_config = {"populate_by_name": True}


class StepSpec(BaseModel):
    id: str
    name: str = ""
    event: str = ""  # the event that marks the step done (立案, 决定 …)
    after_event: str = ""  # the step only applies once this event happened (先行登记保存, 紧急实施)
    basis: list[str] = Field(default_factory=list)
    actions: list[str] = Field(default_factory=list)
    documents: list[str] = Field(default_factory=list)
    deadline: DeadlineSpec | None = None
    by: Literal["行政机关", "当事人"] = "行政机关"  # who must act within the limit (当事人: a right's period)
    law: str = ""  # filled on load: the law the step's plain 「第N条」 bases refer to


class ProcedureSpec(BaseModel):
    id: str
    name: str = ""
    law: str = ""
    applies: str = ""
    extends: str = ""
    requires: list[str] = Field(default_factory=list)  # document titles the store must hold
    steps: list[StepSpec] = Field(default_factory=list)
    source: str = ""  # the data file it came from (filled on load)


class WorkingDayRule(BaseModel):
    """Which 「N日」 of a law are working days: ``days`` listed (行政处罚法 第八十五条: 二日、三日、五日、七日) or
    every period ``up_to`` days (行政强制法 第六十九条: 十日以内)."""

    law: str
    basis: str
    days: list[int] = Field(default_factory=list)
    up_to: int = 0

    def applies(self, n: int) -> bool:
        return n in self.days or (self.up_to > 0 and n <= self.up_to)


class CountingSpec(BaseModel):
    law: str = "中华人民共和国民法典"
    start: str = "第二百零一条"
    months: str = "第二百零二条"
    holiday_end: str = "第二百零三条"


class EventSpec(BaseModel):
    label: str = ""
    aliases: list[str] = Field(default_factory=list)


class ProcedureFile(BaseModel):
    version: int = 1
    counting: CountingSpec | None = None
    working_days: list[WorkingDayRule] = Field(default_factory=list)
    events: dict[str, EventSpec] = Field(default_factory=dict)
    order: list[str] = Field(default_factory=list)  # events in the order a case passes them (checked on dates)
    procedures: list[ProcedureSpec] = Field(default_factory=list)

    @field_validator("events", mode="before")
    @classmethod
    def _events(cls, value):
        return {k: (v or {}) for k, v in (value or {}).items()}


# ---- results -------------------------------------------------------------------------------------------------

class BasisArticle(BaseModel):
    """One article a step rests on, looked up in the store. ``text`` is the corpus text (the 款 when one is
    named); ``verified`` False when the store lacks it (then ``text`` is empty and ``problem`` says why)."""

    label: str  # 《中华人民共和国行政处罚法》第六十条
    title: str
    article: int
    paragraph: int | None = None
    item: int | None = None
    text: str = ""
    chunk_id: str = ""
    status: str = ""
    verified: bool = False
    problem: str = ""


class Deadline(BaseModel):
    """A computed time limit. ``due`` is the last day (for 「……日前」 rules: the last day the act may be done);
    None when it cannot be computed yet (``waiting_for`` names the missing event or period). ``counted``
    lists each counting rule applied, with its article (「开始的当日不计入（《民法典》第二百零一条）」)."""

    rule: str
    basis: BasisArticle | None = None
    from_event: str = ""
    from_date: date | None = None
    amount: int = 0
    unit: Unit | None = None
    due: date | None = None
    before: bool = False
    counted: list[str] = Field(default_factory=list)
    estimated: bool = False
    estimate_reason: str = ""
    waiting_for: str = ""
    note: str = ""


StepState = Literal["已完成", "逾期完成", "进行中", "已逾期", "已届满", "待前序", "不适用", "无时限"]
# 已逾期: the agency missed its limit (shown in red); 已届满: a party's period (陈述申辩, 复议 …) has run out


class StepView(BaseModel):
    id: str
    name: str
    state: StepState
    by: str = "行政机关"
    done_on: date | None = None
    deadline: Deadline | None = None
    overdue_days: int = 0
    actions: list[str] = Field(default_factory=list)
    documents: list[str] = Field(default_factory=list)
    basis: list[BasisArticle] = Field(default_factory=list)


class Timeline(BaseModel):
    procedure: str
    name: str
    applies: str = ""
    today: date
    events: dict[str, date]
    steps: list[StepView]
    warnings: list[str] = Field(default_factory=list)
    notice: str = "办案期限由系统按法定计算规则推算，仅供参考，请以法律规定和案卷为准。"
