"""``e-assistant case``: the 办案助手 — procedure steps with computed deadlines, 文书 drafts, the procedure rules."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Optional

import typer

from cli.main import DataDir, _exit_2_on, _ingested_settings, app, cli_user, console, err, open_service, \
    refusing_bad_queries

case_app = typer.Typer(help="办案助手：办案程序的步骤与期限、执法文书草稿。", no_args_is_help=True)
app.add_typer(case_app, name="case")

_STATE_STYLE = {"已逾期": "bold red", "逾期完成": "red", "进行中": "yellow", "已完成": "green", "已届满": "dim",
                "不适用": "dim", "待前序": "cyan", "无时限": ""}


def _pairs(values: list[str] | None, what: str) -> dict[str, str]:
    pairs = {}
    for value in values or []:
        key, sep, rest = value.replace("＝", "=").partition("=")
        if not sep or not key.strip() or not rest.strip():
            err.print(f"[red]{what}「{value}」应写作 名称=值（例如 立案=2026-09-25）[/red]")
            raise typer.Exit(2)
        pairs[key.strip()] = rest.strip()
    return pairs


def _day(d) -> str:
    return f"{d.year}-{d.month:02d}-{d.day:02d}（{'一二三四五六日'[d.weekday()]}）" if d else ""


def render_timeline(timeline) -> None:
    """One block per step: state (red when the agency is overdue), deadline and how it was counted, basis,
    what to do and the documents."""
    console.print(f"[bold]{timeline.name}[/bold]  今天：{_day(timeline.today)}")
    if timeline.applies:
        console.print(f"[dim]适用：{timeline.applies}[/dim]")
    for i, step in enumerate(timeline.steps, 1):
        style = _STATE_STYLE.get(step.state, "")
        state = step.state + (f" {step.overdue_days}天" if step.overdue_days else "")
        state = f"[{style}]{state}[/]" if style else state
        done = f"  {_day(step.done_on)}" if step.done_on else ""
        who = "[dim]（当事人的期限）[/dim]" if step.by == "当事人" else ""
        console.print(f"\n[bold]{i}. {step.name}[/bold]{who}  {state}{done}")
        d = step.deadline
        if d is not None:
            due = f"[bold]{_day(d.due)}[/bold]" if d.due else f"待「{d.waiting_for}」"
            console.print(f"   期限：{d.rule} → {due}" + ("  [yellow]（估算）[/yellow]" if d.estimated else ""))
            for line in d.counted:
                console.print(f"   [dim]· {line}[/dim]")
            if d.note:
                console.print(f"   [dim]· {d.note}[/dim]")
        for b in step.basis:
            console.print(f"   依据：{b.label}" if b.verified else f"   [red]✘ {b.label}（{b.problem}）[/red]")
        for action in step.actions:
            console.print(f"   □ {action}")
        if step.documents:
            console.print(f"   文书：{'、'.join(step.documents)}")
    console.print()
    for w in timeline.warnings:
        console.print(f"[yellow]⚠ {w}[/yellow]")
    console.print(f"[dim]{timeline.notice}[/dim]")


@case_app.command("steps")
def steps(
    procedure: Annotated[str, typer.Option("--procedure", "-p", help="程序：简易程序、普通程序、听证程序、查封扣押"
                                                                    "（及扩展文件中的程序，见 case rules）")] = "普通程序",
    event: Annotated[Optional[list[str]], typer.Option("--event", "-e", help="已发生的节点及日期，可多次给出："
                                                                              "立案=2026-09-25 告知送达=2026-09-30")] = None,
    period: Annotated[Optional[list[str]], typer.Option("--period", help="文书载明的期限，如 告知书=5个工作日")] = None,
    today: Annotated[Optional[str], typer.Option("--today", help="按哪一天判断是否逾期（默认今天）")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="输出 JSON")] = False,
    data_dir: DataDir = None,
) -> None:
    """办案程序的步骤：每一步要做的事、产生的文书、法律依据（从知识库核对）和按法定规则推算的期限。"""
    from assistant.case.timeline import CaseInputError

    settings = _ingested_settings(data_dir)
    events, periods = _pairs(event, "节点"), _pairs(period, "期限")
    with open_service(settings, preload=False) as service, _exit_2_on(CaseInputError, as_json=as_json):
        timeline = service.case_steps(procedure, events, periods, today, user=cli_user(), channel="cli")
    if as_json:
        typer.echo(timeline.model_dump_json(indent=2))
    else:
        render_timeline(timeline)


@case_app.command("draft")
def draft(
    kind: Annotated[str, typer.Argument(help="文书：责令改正通知书、事先告知书、决定书")],
    facts: Annotated[str, typer.Option("--facts", help="违法事实（案情）")],
    out: Annotated[Path, typer.Option("--out", help="写出的 DOCX 文件")],
    party: Annotated[str, typer.Option("--party", help="当事人（不填则在草稿中标出待填写）")] = "",
    case_no: Annotated[str, typer.Option("--case-no", help="案号")] = "",
    organ: Annotated[str, typer.Option("--organ", help="行政机关名称")] = "",
    served_on: Annotated[Optional[str], typer.Option("--served-on", help="告知书送达日期（写出期限届满的日期）")] = None,
    statement_period: Annotated[str, typer.Option("--statement-period", help="告知书给出的陈述申辩期限")] = "5个工作日",
    region: Annotated[Optional[str], typer.Option("--region", help="执法所在地区（选择当地裁量基准）")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="另在标准输出打印草稿内容（JSON）")] = False,
    data_dir: DataDir = None,
) -> None:
    """执法文书草稿（DOCX）：违法事实、违反条款和处罚依据（已核对）、裁量理由、期限和救济途径。"""
    from assistant.case.drafts import DraftError
    from assistant.case.timeline import CaseInputError

    if out.suffix.lower() != ".docx":
        err.print(f"[red]输出文件应以 .docx 结尾：{out}[/red]")
        raise typer.Exit(2)
    settings = _ingested_settings(data_dir)
    with open_service(settings, preload=False) as service, refusing_bad_queries(as_json), \
            _exit_2_on((DraftError, CaseInputError), as_json=as_json):
        made, data = service.case_draft(kind, facts, region=region, party=party, case_no=case_no, organ=organ,
                                        served_on=served_on, statement_period=statement_period, user=cli_user(),
                                        channel="cli")
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(data)
    except OSError as exc:
        err.print(f"[red]无法写入 {out}：{exc}[/red]")
        raise typer.Exit(2) from exc
    if as_json:
        typer.echo(made.model_dump_json(indent=2))
        return
    console.print(f"[green]已写出 {made.title}草稿：{out}[/green]")
    if made.tier:
        console.print(f"裁量档次：{made.tier}")
    if made.amount_yuan is not None:
        console.print(f"拟罚款：{made.amount_yuan:,.0f}元（档次内，请执法人员确定）")
    for c in made.citations:
        console.print(f"  {'✔' if c.verified else '✘'} {c.label}")
    for w in made.warnings:
        console.print(f"[yellow]⚠ {w}[/yellow]")


@case_app.command("rules")
def rules(
    as_json: Annotated[bool, typer.Option("--json", help="输出 JSON")] = False,
    data_dir: DataDir = None,
) -> None:
    """办案流程数据：有哪些程序、是否可用，以及对照知识库核对出的问题（依据缺失、规则无法识别）。"""
    settings = _ingested_settings(data_dir)
    with open_service(settings, preload=False) as service:
        procedures, problems = service.case.procedures(), service.case.book.problems
    if as_json:
        typer.echo(json.dumps({"procedures": procedures, "problems": problems}, ensure_ascii=False, indent=2))
        return
    for p in procedures:
        mark = "[green]✔[/green]" if p["available"] else f"[red]✘ {p['why']}[/red]"
        console.print(f"{mark} [bold]{p['id']}[/bold] {p['name']}（{p['law']}）")
    if problems:
        console.print("[yellow]核对发现的问题：[/yellow]")
        for line in problems:
            console.print(f"  [yellow]⚠ {line}[/yellow]")
    else:
        console.print("[green]全部依据均已在知识库中核对。[/green]")
