"""What the discretion advisor takes and returns (also the API's ``/api/discretion`` response schema).

Amounts are in yuan; ``page`` is the page of the source PDF (None for XLS/Markdown tables).
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, Field, computed_field

from assistant.retrieval.base import QueryError, checked_text
from corpus.numerals import article_label, int_to_cn
from corpus.succession import LOOSE_SIMILARITY


class ProvisionCitation(BaseModel):
    """An article a table row cites (违反条款 / 处罚依据), checked against the corpus."""

    title: str
    article: int
    article_suffix: int | None = None  # 之一 → 1
    paragraph: int | None = None
    chunk_id: str | None = None
    status: str | None = None  # the cited document's status today
    verified: bool  # the article (and 款) exists in the corpus
    note: str | None = None  # why it is not in force today, naming the article that took its place
    successor: str | None = None  # 《生态环境法典》第一千一百三十一条: the current article in its place
    successor_chunk_id: str | None = None
    successor_similarity: float | None = None  # 0–1, corpus/succession.py: below LOOSE_SIMILARITY a loose match

    @property
    def label(self) -> str:
        """《标题》第N条(之M)第K款."""
        label = article_label(self.article, None)
        if self.article_suffix:
            label += f"之{int_to_cn(self.article_suffix)}"
        if self.paragraph:
            label += f"第{int_to_cn(self.paragraph)}款"
        return f"《{self.title}》{label}"

    @property
    def loose_successor(self) -> bool:
        """Whether the successor was found by a loose text match (similarity below LOOSE_SIMILARITY)."""
        return self.successor_similarity is not None and self.successor_similarity < LOOSE_SIMILARITY

    @property
    def in_force(self) -> bool:
        return self.status in (None, "现行有效", "unknown")

    @property
    def shown(self) -> str:
        """The label with what the corpus says of it: 「《…》第七十二条第一款（已废止 → 现行：《…》第二百四十三条）」."""
        if not self.verified:
            return f"{self.label}（语料未收录）"
        if self.in_force:
            return self.label
        if not self.successor:
            return f"{self.label}（{self.status}）"
        loose = f"，文本相似度 {self.successor_similarity:.2f}，仅供参考，请核对" if self.loose_successor else ""
        return f"{self.label}（{self.status} → 现行：{self.successor}{loose}）"


def validate_facts(facts: str | None, max_chars: int = 2000) -> str:
    """The facts of a case stripped of surrounding blanks.

    Raises:
        QueryError: (message in Chinese) when they are empty, longer than ``max_chars`` characters, only
            punctuation, or hold no Chinese (the tables are matched on Chinese wording).
    """
    text = checked_text(facts, max_chars, empty="案情为空：请说明当事人做了什么、涉及什么物品或设施、数量、地点，以及此前是否被查处过。",
                        too_long="案情过长（{n} 字），上限为 {max} 字：请保留违法行为、数量、地点、同类违法次数等要点。",
                        only_marks="案情只有标点或符号：请用中文描述案情。")
    if not re.search(r"[\u4e00-\u9fff]", text):
        raise QueryError("案情里没有中文：裁量基准按中文措辞匹配，请用中文描述案情（如「台山一家电镀厂没有环评就开工了」）。")
    return text


def _yuan(amount: float) -> str:
    """An amount in yuan with thousands separators, without a needless decimal: 1000000.0 → 「1,000,000」, 0.5 → 「0.5」."""
    return f"{amount:,.0f}" if float(amount).is_integer() else f"{amount:,.2f}".rstrip("0").rstrip(".")


class TierMatch(BaseModel):
    """One tier (table row) of a 裁量基准 that fits the facts."""

    violation: str
    circumstance: str
    prior_violation: str
    range_text: str  # 处罚幅度 as the table writes it
    min_yuan: float | None
    max_yuan: float | None
    violated_provision: str
    penalty_basis: str
    document: str
    region: str
    status: str
    page: int | None
    seq: str = ""
    chunk_id: str
    note: str = ""
    citations: list[ProvisionCitation]
    score: float  # BM25 of the violation against the facts (comparable within one advice only)
    coverage: float  # share (0–1) of the facts' best clause the violation text covers
    related: bool = False  # a row of a further act, less similar, shown for checking only (advisor.MORE_ACTS)

    @property
    def circumstances(self) -> str:
        """情节 and 同类违法 of the tier, 「（未分情节）」 when the table has none."""
        return "；".join(x for x in (self.circumstance, self.prior_violation) if x) or "（未分情节）"

    @property
    def amount(self) -> str:
        """「（30,000–40,000 元）」 when the table's range was read as amounts, 「（20,000 元）」 for a fixed sum, else ""."""
        if self.min_yuan is None or self.max_yuan is None:
            return ""
        if self.min_yuan == self.max_yuan:
            return f"（{_yuan(self.min_yuan)} 元）"
        return f"（{_yuan(self.min_yuan)}–{_yuan(self.max_yuan)} 元）"

    @property
    def source(self) -> str:
        """《标准名》第N页."""
        return f"《{self.document}》" + (f"第{self.page}页" if self.page else "")

    def line(self) -> str:
        """The tier in one line: 「情节：… → 处罚幅度：…（《…》第N页）」 (chat, UI and CLI all show it so)."""
        return f"情节：{self.circumstances} → 处罚幅度：{self.range_text or '见原表'}（{self.source}）"


class ComputedFine(BaseModel):
    """The fine a factor-weight table's 备注 formula gives for the facts (assistant/discretion/weights.py):
    裁量起点 + each factor's weight, as a range while factors are open."""

    document: str
    violation: str
    percent_min: float  # 裁量百分值总和, percent
    percent_max: float
    start_min: float = 0.0  # 裁量起点, percent (two values when the facts leave its case open)
    start_max: float = 0.0
    yuan_min: float | None = None  # None while a sum of the case the formula needs is not stated
    yuan_max: float | None = None
    formula: str  # 「裁量百分值总和 × 100万」
    open_factors: list[str] = Field(default_factory=list, description="factors the facts do not decide yet")
    needs: list[str] = Field(default_factory=list, description="sums of the case the formula needs (建设项目总投资额)")

    @property
    def shown(self) -> str:
        """「裁量百分值总和 35%–50%，罚款金额 350,000–500,000 元（裁量百分值总和 × 100万）；尚未确定：建设情况」."""
        def span(lo: float, hi: float) -> str:
            return f"{lo:g}%" if lo == hi else f"{lo:g}%–{hi:g}%"

        pct = (f"{span(self.percent_min, self.percent_max)}（裁量起点 {span(self.start_min, self.start_max)} + 各因素 "
               f"{span(self.percent_min - self.start_min, self.percent_max - self.start_max)}）")
        if self.yuan_min is not None and self.yuan_max is not None:
            money = (f"{_yuan(self.yuan_min)} 元" if self.yuan_min == self.yuan_max
                     else f"{_yuan(self.yuan_min)}–{_yuan(self.yuan_max)} 元")
            out = f"裁量百分值总和 {pct}，罚款金额 {money}（{self.formula}）"
        else:
            out = f"裁量百分值总和 {pct}；罚款金额 = {self.formula}" + (
                f"，需查明：{'、'.join(self.needs)}" if self.needs else "")
        if self.open_factors:
            out += f"；尚未确定的因素：{'、'.join(self.open_factors)}（按其最低至最高权重计）"
        return out


class NoPenaltyItem(BaseModel):
    """An item of a 不予处罚 list that may apply, with its conditions."""

    violation: str
    conditions: str
    document: str
    region: str
    status: str
    page: int | None
    chunk_id: str
    note: str = ""
    citations: list[ProvisionCitation]
    ruled_out: str = ""  # why the stated facts rule this item out («此前已有同类违法…»); "" when nothing does
    stated: bool = False  # the facts state its 首次违法 and 及时改正 conditions (no_penalty.conditions_stated)


class RuleText(BaseModel):
    """A general rule the facts trigger (初次违法 + 改正 → 行政处罚法 第三十三条), its text from the corpus."""

    title: str
    article: int
    paragraph: int | None = None
    text: str
    chunk_id: str
    label: str  # 《标题》第N条第M款
    verified: bool = True


class RelatedArticle(BaseModel):
    """An article of a statute that the search finds nearest to facts no 裁量基准 covers — a 罚则 the officer may
    apply directly (never a range of our own: the article's own words)."""

    title: str
    label: str  # 《标题》第N条
    text: str  # the article's text (at most 400 characters)
    chunk_id: str
    status: str  # the document's status on the day asked
    relation: str = ""  # 「罚则」 when the search found it as the penalty of a duty article it also found


class ParsedFacts(BaseModel):
    """What the advisor read from the facts."""

    prior_violations: list[int | None] | None = Field(
        None, description="[min, max] earlier violations of the same kind (max None: no upper bound)")
    quantities: dict[str, float] = Field(default_factory=dict, description="m2, t, day, yuan, times … read from the facts")
    region: str | None = Field(None, description="the region whose standards were preferred («广东江门»)")
    region_from: Literal["request", "facts", "settings", "none"] = "none"


class Advice(BaseModel):
    """The advice for the facts of one case."""

    facts: str
    decision: Literal["matched", "ambiguous", "no_match"]
    matches: list[TierMatch]
    no_penalty: list[NoPenaltyItem]
    missing_facts: list[str]  # what would decide between candidate tiers: 「整改情况：限期内改正 / 逾期未改正」
    questions: list[str] = Field(default_factory=list,
                                 description="the missing facts as questions the officer can answer")
    general_rules: list[RuleText]
    warnings: list[str]
    parsed: ParsedFacts
    fines: list[ComputedFine] = Field(default_factory=list,
                                      description="factor-weight tables: the fine their 备注 formula gives for the facts")
    as_of: str | None = Field(None, description="依哪一天（YYYY-MM-DD，违法行为发生之日）有效的裁量基准；空为今天")
    @computed_field  # in the API's JSON too
    @property
    def no_penalty_lead(self) -> str:
        """The headline when a 不予处罚 item in force fits what the facts state (its 首次违法 and 及时改正 conditions,
        nothing stated against it): shown before the tiers, since such a case may end without a fine; "" else."""
        item = next((i for i in self.no_penalty if i.stated and i.status == "现行有效"), None)
        if item is None:
            return ""
        return (f"所述事实（首次违法、及时改正）符合《{item.document}》「{item.violation[:40]}」的不予处罚条件，"
                "请逐项核对其余条件（如危害后果轻微、数量限值）后决定是否不予处罚；不适用时再参照下列裁量档次。")

    related_articles: list[RelatedArticle] = Field(
        default_factory=list, description="没有裁量基准覆盖所述事实时：检索到的可能相关的罚则条文（条文原文，请核对是否适用）")
