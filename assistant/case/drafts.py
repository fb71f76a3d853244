"""执法文书 drafts: 责令（限期）改正通知书, 行政处罚事先告知书, 行政处罚决定书 — from the facts, the discretion
advice (assistant.discretion) and bases verified in the store.

Every article a draft cites is one the store holds in force (a 裁量 row's citation of a repealed law is replaced
by its current successor article, with the 从旧兼从轻 note of 行政处罚法 第三十七条); a citation that cannot be
verified is left out and named in ``warnings``. What only the officer knows (当事人, 案号, 证据) is marked
「【待填写：…】」. The proposed fine lies inside the advised tier. Every draft says it is a draft to be checked.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from pydantic import BaseModel, Field

from corpus.numerals import int_to_cn
from corpus.store import Store

from assistant.case.book import ProcedureBook, lookup_basis
from assistant.case.holidays import HolidayCalendar
from assistant.case.model import BasisArticle
from assistant.case.periods import count_period
from assistant.case.rules import RuleError, parse_period
from assistant.case.template_docx import DEFAULT_TEMPLATE, render
from assistant.discretion.types import Advice, ProvisionCitation, TierMatch

KINDS = {"责令改正通知书": "责令（限期）改正通知书", "事先告知书": "行政处罚事先告知书", "决定书": "行政处罚决定书"}
_ALIASES = {"责令改正": "责令改正通知书", "责令限期改正通知书": "责令改正通知书", "责令（限期）改正通知书": "责令改正通知书",
            "告知书": "事先告知书", "行政处罚事先告知书": "事先告知书", "处罚决定书": "决定书", "行政处罚决定书": "决定书"}
PENALTY_LAW = "中华人民共和国行政处罚法"
MAX_FACTS_CHARS = 4000  # a 违法事实 of a real 决定书 runs to a page or two
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
DRAFT_NOTICE = "【草稿】本文书由执法e助理根据案情和裁量基准自动生成，须经执法人员核对、修改并按程序审批后方可使用。"
_SUCCESSOR = re.compile(r"《([^》]+)》(第[〇零一二两三四五六七八九十百千\d]+条(?:之[一二三四五六七八九十]+)?"
                        r"(?:第[一二三四五六七八九十]+款)?)")


class DraftError(ValueError):
    """A draft that cannot be made (unknown kind; Chinese message)."""


def _clean(text: str) -> str:
    """Control characters (they split a Word paragraph) removed, ends trimmed."""
    return _CONTROL.sub("", text or "").strip()


def usable_tier(advice: Advice | None, region: str | None = None) -> tuple[TierMatch | None, list[str]]:
    """The advised tier a draft may rest on, and notes on why others were passed over. The advisor must have
    settled on a tier (``decision == "matched"``); of its matches in rank order, the first whose 裁量基准 is in
    force, applies to ``region`` (when known) and states an amount is used; otherwise the amount and the basis
    are left to the officer."""
    from corpus.metadata import region_applies

    if advice is None or not advice.matches:
        return None, ["未找到适用的裁量基准档次：违反条款、处罚依据和罚款数额请执法人员填写"]
    if advice.decision != "matched":
        asks = "；".join(q.rstrip("？?。") for q in (advice.questions or advice.missing_facts or ["相关情节"]))
        return None, [f"案情可对应多个裁量档次，尚需查明：{asks}。查明前未给出罚款数额"]
    notes: list[str] = []
    chosen = [m for m in advice.matches if not m.related]  # a further act shown for checking is never the draft's
    for match in chosen[:3]:
        if match.status not in ("现行有效", "unknown", ""):
            notes.append(f"《{match.document}》状态为「{match.status}」，未据此确定罚款数额")
        elif region and match.region and not region_applies(match.region, region):
            notes.append(f"《{match.document}》适用于{match.region}，与案件地区「{region}」不符，未采用")
        elif match.min_yuan is None and match.max_yuan is None:
            notes.append(f"《{match.document}》该档次（{match.range_text}）没有可直接采用的罚款数额")
        else:
            if not region:
                notes.append(f"未填写地区，按《{match.document}》（{match.region or '未标注地区'}）起草，请确认适用地区")
            return match, notes
    return None, notes + ["没有可采用的现行裁量基准档次：罚款数额请执法人员依现行标准确定"]


def fill(what: str) -> str:
    return f"【待填写：{what}】"


class Draft(BaseModel):
    """A drafted 文书: its parts as text (also what the API returns) and the DOCX made from them."""

    kind: str
    title: str
    party: str
    case_no: str
    sections: list[dict] = Field(default_factory=list)  # {"heading": str, "lines": [str]}
    citations: list[BasisArticle] = Field(default_factory=list)
    amount_yuan: float | None = None
    tier: str = ""  # the advised tier: 「2万元以上10万元以下」 (《裁量基准》, 情节)
    warnings: list[str] = Field(default_factory=list)
    notice: str = DRAFT_NOTICE

    @property
    def text(self) -> str:
        lines = [self.notice, self.title, self.case_no, f"当事人：{self.party}"]
        for s in self.sections:
            lines += [s["heading"], *s["lines"]]
        return "\n".join(lines)


def kind_of(name: str) -> str:
    key = "".join(name.split())
    key = _ALIASES.get(key, key)
    if key not in KINDS:
        raise DraftError(f"未知的文书「{name}」；可选：{'、'.join(KINDS)}")
    return key


def proposed_amount(match: TierMatch) -> float | None:
    """A fine inside the tier: its middle rounded to 100 yuan (the floor when the tier has no ceiling, the
    ceiling when it has no floor), clamped to the tier; None for a tier without amounts."""
    low, high = match.min_yuan, match.max_yuan
    if low is None and high is None:
        return None
    if low is None or high is None:
        return float(low if high is None else high)
    value = round((low + high) / 2 / 100) * 100
    return float(min(max(value, low), high))


def yuan(value: float) -> str:
    return f"{value:,.0f}元" if value == int(value) else f"{value:,.2f}元"


@dataclass
class _Cited:
    violated: list[BasisArticle] = field(default_factory=list)
    penalty: list[BasisArticle] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)


def _verified(store: Store, citation: ProvisionCitation) -> tuple[BasisArticle | None, str]:
    """The article to cite for a table's citation: itself when in force, its successor when not (with the
    从旧兼从轻 note); None when neither can be verified."""
    ref = citation.label[citation.label.index("》") + 1:]
    if citation.verified and citation.in_force:
        basis = lookup_basis(store, ref, citation.title)
        return (basis, "") if basis.verified else (None, "")
    if citation.successor and (m := _SUCCESSOR.search(citation.successor)):
        basis = lookup_basis(store, m[2], m[1])
        if basis.verified:
            return basis, (f"裁量基准引用的{citation.label}（{citation.status or '已失效'}），现行依据为{basis.label}；"
                           "对新法施行前发生的违法行为，适用当时的规定，新规定处罚较轻或者不认为违法的适用新规定"
                           "（从旧兼从轻，《行政处罚法》第三十七条）")
    return None, ""


def _cite(store: Store, match: TierMatch) -> _Cited:
    out = _Cited()
    for citation in match.citations:
        basis, note = _verified(store, citation)
        if basis is None:
            out.dropped.append(citation.label)
            continue
        number = int_to_cn(citation.article)
        target = out.violated if f"第{number}条" in match.violated_provision else out.penalty
        if basis.label not in {b.label for b in out.violated + out.penalty}:
            target.append(basis)
        if note and note not in out.notes:
            out.notes.append(note)
    return out


def _ref(basis: BasisArticle) -> str:
    """「（《X》第N条）」 for a verified article; nothing for one the store lacks (it is named in warnings)."""
    return f"（{basis.label}）" if basis.verified else ""


def _quote(basis: BasisArticle) -> str:
    return f"{basis.label}：「{basis.text}」"


def make_draft(kind: str, facts: str, advice: Advice | None, book: ProcedureBook, store: Store,
               holidays: HolidayCalendar, *, party: str = "", case_no: str = "",
               served_on: date | None = None, statement_period: str = "5个工作日",
               hearing_threshold: float = 50000.0, correction_days: int = 15, region: str | None = None) -> Draft:
    """Draft ``kind`` (责令改正通知书 / 事先告知书 / 决定书, or their full names) for ``facts``.

    ``advice``: the discretion advice for the facts (its first match gives the tier, the amount and the
    articles); None or no match → the articles and amount are left for the officer to fill in.
    ``served_on``: the day the 告知书/决定书 is (to be) served, for the dates of the periods; ``statement_period``:
    the 陈述、申辩 period the 告知书 states; ``hearing_threshold``: 较大数额罚款 in yuan as local rules set it
    (行政处罚法 第六十三条); ``correction_days``: the 改正 period the 通知书 gives (days). Raises DraftError."""
    key = kind_of(kind)
    title = KINDS[key]
    facts = _clean(facts)
    if not facts:
        raise DraftError("请填写违法事实")
    if len(facts) > MAX_FACTS_CHARS:
        raise DraftError(f"违法事实过长：{len(facts)} 字，上限 {MAX_FACTS_CHARS} 字")
    draft = Draft(kind=key, title=title, party=_clean(party) or fill("当事人姓名或者名称、地址"),
                  case_no=_clean(case_no) or fill("案号"))
    match, why_not = usable_tier(advice, (advice.parsed.region if advice else None) or region)
    draft.warnings += why_not
    cited = _cite(store, match) if match else _Cited()
    if cited.dropped:
        draft.warnings.append("以下依据在知识库中无法核对或已失效且无现行对应条文，未写入草稿，请执法人员查证：" +
                              "、".join(cited.dropped))
    draft.warnings += cited.notes
    amount = proposed_amount(match) if match else None
    draft.amount_yuan = amount
    if match:
        draft.tier = f"{match.range_text}（{match.document}；{match.circumstance or match.violation}）"

    def law(ref: str, title: str = PENALTY_LAW) -> BasisArticle:
        return book.bases.get((title, ref)) or lookup_basis(store, ref, title)

    def until(n: int, unit: str) -> str:
        """「（截至2026年10月13日，含当日）」 for a period from ``served_on``; the estimate noted."""
        if served_on is None:
            return ""
        counted = count_period(served_on, n, unit, holidays, {})
        due = counted.due
        if counted.unknown_years:
            from assistant.case.timeline import estimate_reason

            note = estimate_reason("、".join(map(str, sorted(counted.unknown_years))))
            if note not in draft.warnings:
                draft.warnings.append(f"告知书中的届满日期为估算：{note}")
        return f"（截至{due.year}年{due.month}月{due.day}日，含当日{'；估算，请核对' if counted.unknown_years else ''}）"

    violated = [_quote(b) for b in cited.violated] or [fill("违反的法律、法规、规章条款")]
    penalty = [_quote(b) for b in cited.penalty] or [fill("处罚依据条款")]
    fine = f"罚款{yuan(amount)}" if amount is not None else fill("处罚种类和罚款数额")
    sections: list[dict] = [{"heading": "一、违法事实", "lines": [facts]}]
    if key == "责令改正通知书":
        sections += [{"heading": "二、违反的规定", "lines": violated},
                     {"heading": "三、责令改正", "lines": [
                         f"责令你（单位）立即停止上述违法行为，并于收到本通知书之日起{fill(f'改正期限（如{correction_days}日）')}内"
                         f"改正。{fill('改正的具体要求')}",
                         "逾期不改正的，本机关将依法处理。"]}]
        citations = cited.violated
    else:
        reason = fill("裁量理由")
        if match:
            reason = (f"依据《{match.document}》，本案属「{match.violation}」，比对的情节为「{match.circumstance or '一般'}」"
                      f"{'，' + match.prior_violation if match.prior_violation else ''}，对应裁量档次为{match.range_text}。"
                      f"{fill('核实上述情节与本案查明的事实一致，并写明从轻、减轻或者从重的理由')}")
        sections += [{"heading": "二、证据", "lines": [fill("证据名称及证明事项（现场检查笔录、询问笔录、照片视频等）")]},
                     {"heading": "三、违反的规定", "lines": violated},
                     {"heading": "四、处罚依据", "lines": penalty},
                     {"heading": "五、裁量理由", "lines": [reason]}]
        citations = cited.violated + cited.penalty
        if key == "事先告知书":
            try:
                n, unit = parse_period(statement_period, "工作日")
            except RuleError as exc:
                raise DraftError(str(exc)) from None
            if unit not in ("日", "工作日") or n > 90:
                raise DraftError(f"陈述申辩期限「{statement_period}」不合理：应为若干日或工作日（1—90日）")
            rights = [law("第四十四条"), law("第四十五条")]
            lines = [f"本机关拟对你（单位）作出如下行政处罚：{fine}。",
                     f"你（单位）可在收到本告知书之日起{n}{'个工作日' if unit == '工作日' else '日'}内进行陈述、申辩"
                     f"{until(n, unit)}{_ref(rights[0])[:-1] + '、第四十五条）' if rights[0].verified else ''}；"
                     "逾期未提出的，视为放弃此权利。"]
            hearing = amount is not None and amount >= hearing_threshold
            if hearing:
                hearing_basis = law("第六十四条第一款第一项")
                lines.append(f"你（单位）有权要求听证，应当在收到本告知书之日起五个工作日内提出{until(5, '工作日')}"
                             f"{_ref(hearing_basis)}。")
                citations += [law("第六十三条"), hearing_basis]
            elif amount is None:
                lines.append(fill("拟作出的处罚属于听证范围（《行政处罚法》第六十三条）的，写明要求听证的权利和期限"))
            sections.append({"heading": "六、拟作出的处罚和你（单位）的权利", "lines": lines})
            citations += rights
        else:
            pay = law("第六十七条第三款")
            appeal = law("第二十条第一款", "中华人民共和国行政复议法")
            suit = law("第四十六条第一款", "中华人民共和国行政诉讼法")
            sections += [{"heading": "六、处罚决定", "lines": [f"决定对你（单位）作出如下行政处罚：{fine}。"]},
                         {"heading": "七、履行方式和期限", "lines": [
                             "请自收到本决定书之日起十五日内，到指定的银行或者通过电子支付系统缴纳罚款"
                             f"{_ref(pay)}{fill('收款银行、账号或者电子支付方式')}。到期不缴纳罚款的，每日按罚款数额的百分之三加处罚款"
                             f"{_ref(law('第七十二条'))}。"]},
                         {"heading": "八、救济途径和期限", "lines": [
                             f"如不服本决定，可以在收到本决定书之日起六十日内依法向{fill('行政复议机关')}申请行政复议"
                             f"{_ref(appeal)}，或者在六个月内依法向{fill('人民法院')}提起行政诉讼{_ref(suit)}。"
                             "申请行政复议或者提起行政诉讼的，行政处罚不停止执行，法律另有规定的除外。"]}]
            citations += [pay, law("第七十二条"), appeal, suit]
    draft.sections = sections
    unique = list(dict((c.label, c) for c in citations).values())
    draft.citations = [c for c in unique if c.verified]
    bad = [c.label for c in unique if not c.verified]
    if bad:
        draft.warnings.append("以下条文在知识库中无法核对，请人工查证：" + "、".join(bad))
    return draft


def draft_docx(draft: Draft, organ: str = "", templates: Path | None = None, today: date | None = None) -> bytes:
    """The draft as DOCX bytes, in ``templates``/<文书名>.docx when the deployer supplied one, else the default."""
    template = DEFAULT_TEMPLATE
    if templates is not None:
        own = Path(templates) / f"{draft.title}.docx"
        template = own if own.is_file() else template
    day = today or date.today()
    return render({"notice": draft.notice, "organ": _clean(organ) or fill("行政机关名称"), "title": draft.title,
                   "case_no": draft.case_no, "party": draft.party, "sections": draft.sections,
                   "tips": draft.warnings,
                   "footer": [_clean(organ) or fill("行政机关名称（印章）"), fill(f"文书日期（起草于{day.year}年{day.month}月{day.day}日）")]},
                  template)
