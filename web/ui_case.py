"""The 办案 tab of the Gradio UI: pick a procedure, enter the case's dates, see the timeline (overdue steps in
red); draft 文书 and download them. It calls the same service methods as the CLI and the API."""

from __future__ import annotations

import re
import tempfile
from collections.abc import Callable
from pathlib import Path

import gradio as gr

from assistant.case.model import Timeline
from assistant.retrieval import QueryError
from assistant.service.service import AssistantService

_LINE = re.compile(r"^\s*(\S+?)\s*[=＝:：\s]\s*(\S+)\s*$")


def parse_event_lines(text: str) -> dict[str, str]:
    """「立案 2026-09-25」 / 「告知送达=2026-09-30」, one per line → {节点: 日期}. Raises gr.Error for a line
    that is neither."""
    events = {}
    for line in (text or "").splitlines():
        if not line.strip():
            continue
        m = _LINE.match(line)
        if not m:
            raise gr.Error(f"无法识别「{line.strip()}」：每行写一个节点和日期，如「立案 2026-09-25」")
        events[m[1]] = m[2]
    return events


def _day(d) -> str:
    return f"{d.year}-{d.month:02d}-{d.day:02d}（周{'一二三四五六日'[d.weekday()]}）"


def timeline_markdown(timeline: Timeline) -> str:
    lines = [f"### {timeline.name}", f"今天：{_day(timeline.today)}" + (f"　适用：{timeline.applies}" if timeline.applies
                                                                       else ""), ""]
    for i, step in enumerate(timeline.steps, 1):
        state = step.state + (f" {step.overdue_days} 天" if step.overdue_days else "")
        if step.state == "已逾期":
            state = f'<span style="color:#c00"><b>{state}</b></span>'
        who = "（当事人的期限）" if step.by == "当事人" else ""
        done = f"，{_day(step.done_on)}" if step.done_on else ""
        lines.append(f"**{i}. {step.name}**{who} — {state}{done}")
        d = step.deadline
        if d is not None:
            due = f"**{_day(d.due)}**" if d.due else f"待「{d.waiting_for}」"
            lines.append(f"- 期限：{d.rule} → {due}" + ("（估算）" if d.estimated else ""))
            lines += [f"  - {c}" for c in d.counted] + ([f"  - {d.note}"] if d.note else [])
            if d.estimated:
                lines.append(f"  - ⚠ {d.estimate_reason}")
        for b in step.basis:
            lines.append(f"- 依据：{b.label}" if b.verified else f"- ✘ {b.label}（{b.problem}）")
        if step.actions:
            lines.append("- 要做的事：" + "；".join(step.actions))
        if step.documents:
            lines.append("- 文书：" + "、".join(step.documents))
        lines.append("")
    lines += [f"> ⚠ {w}" for w in timeline.warnings]
    lines.append(f"\n*{timeline.notice}*")
    return "\n".join(lines)


def build_case_tab(service: AssistantService, user_of: Callable[[gr.Request | None], str]) -> None:
    """The 办案 tab's components and handlers (call inside ``gr.Blocks``)."""
    from assistant.case.drafts import DraftError
    from assistant.case.timeline import CaseInputError

    offered = [p for p in service.case.procedures() if p["available"]]
    gr.Markdown("选择程序并填写已发生的节点日期，得到每一步要做的事、法律依据（已在知识库中核对）和按法定规则推算的期限；"
                "逾期的步骤标红。下方可起草执法文书（Word）。")
    with gr.Row():
        procedure = gr.Dropdown([(p["name"], p["id"]) for p in offered], label="程序", scale=2,
                                value="普通程序" if any(p["id"] == "普通程序" for p in offered) else None,
                                elem_id="case-procedure")
        period = gr.Textbox(label="告知书载明的陈述申辩期限", value="5个工作日", scale=1)
    events = gr.Textbox(label="已发生的节点（每行一个：节点 日期）", lines=3, elem_id="case-events",
                        placeholder="立案 2026-09-25\n告知送达 2026-09-30",
                        info="节点：" + "、".join(service.case.book.events))
    steps_btn = gr.Button("计算步骤与期限", variant="primary", elem_id="case-steps")
    steps_out = gr.Markdown(elem_id="case-timeline")

    def show_steps(proc: str, text: str, stated: str, request: gr.Request):
        if not proc:
            raise gr.Error("请先选择程序。")
        try:
            timeline = service.case_steps(proc, parse_event_lines(text), {"告知书": stated} if stated.strip() else {},
                                          user=user_of(request), channel="ui")
        except CaseInputError as exc:
            raise gr.Error(str(exc)) from None
        return timeline_markdown(timeline)

    steps_btn.click(show_steps, [procedure, events, period], steps_out)

    gr.Markdown("#### 文书草稿")
    with gr.Row():
        kind = gr.Dropdown(["责令改正通知书", "事先告知书", "决定书"], value="决定书", label="文书", scale=1,
                           elem_id="case-kind")
        party = gr.Textbox(label="当事人（可留空）", scale=2)
        case_no = gr.Textbox(label="案号（可留空）", scale=1)
        served_on = gr.Textbox(label="告知书送达日期（可留空）", scale=1, placeholder="2026-09-30")
    draft_facts = gr.Textbox(label="违法事实", lines=3, elem_id="case-facts",
                             placeholder="例如：某公司在饮用水水源一级保护区内新建排污口，已责令拆除")
    draft_btn = gr.Button("起草", variant="primary", elem_id="case-draft")
    draft_out = gr.Markdown(elem_id="case-draft-summary")
    draft_file = gr.File(label="下载草稿（DOCX）")

    def make(kind_name: str, facts_text: str, who: str, number: str, served: str, stated: str, request: gr.Request):
        try:
            draft, data = service.case_draft(kind_name, facts_text, party=who, case_no=number,
                                             served_on=served.strip() or None, statement_period=stated or "5个工作日",
                                             user=user_of(request), channel="ui")
        except (QueryError, DraftError, CaseInputError) as exc:
            raise gr.Error(str(exc)) from None
        path = Path(tempfile.mkdtemp(prefix="draft-")) / f"{draft.title}（草稿）.docx"
        path.write_bytes(data)
        lines = [f"**{draft.title}**（草稿，须经执法人员核对）"]
        if draft.tier:
            lines.append(f"- 裁量档次：{draft.tier}")
        if draft.amount_yuan is not None:
            lines.append(f"- 拟罚款：{draft.amount_yuan:,.0f} 元（档次内，请执法人员确定）")
        lines += [f"- 依据：{c.label}" for c in draft.citations]
        lines += [f"> ⚠ {w}" for w in draft.warnings]
        return "\n".join(lines), str(path)

    draft_btn.click(make, [kind, draft_facts, party, case_no, served_on, period], [draft_out, draft_file])
