"""``e-assistant discretion``: from the facts of a case to the 裁量基准 tier, 不予处罚 items and basis."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from cli.main import DataDir, _ingested_settings, app, cli_user, console, open_service, refusing_bad_queries
from cli.show import check_date
from corpus.model import Status


def render_advice(advice) -> None:
    decision = {"matched": "[green]已确定裁量档次[/green]", "ambiguous": "[yellow]有多个候选档次[/yellow]",
                "no_match": "[red]未找到适用的裁量基准[/red]"}[advice.decision]
    console.print(f"[bold]{decision}[/bold]" + (f"（按 {advice.as_of} 有效的裁量基准）" if advice.as_of else ""))
    if advice.no_penalty_lead:
        console.print(f"[bold cyan]可能不予处罚：[/bold cyan]{advice.no_penalty_lead}")
    noted: set[str] = set()
    for i, m in enumerate(advice.matches, 1):
        console.print(f"[bold]{i}. {m.violation[:60]}[/bold]")
        console.print(f"   情节：{m.circumstances}")
        console.print(f"   处罚幅度：[bold]{m.range_text}[/bold]{m.amount}")
        for c in m.citations:
            mark = "✔" if c.verified and c.in_force else ("⚠" if c.verified else "✘")
            console.print(f"   [dim]{mark} {c.shown}[/dim]")
        console.print(f"   [dim]来源：{m.source} {m.region} {Status.shown(m.status)}[/dim]")
        if m.note and m.document not in noted:  # the table's own 备注 (how a weighted row becomes an amount), once
            noted.add(m.document)
            console.print(f"   [dim]备注：{m.note[:300]}[/dim]")
    for fine in advice.fines:  # a factor-weight table: its 备注 formula applied to the facts
        console.print(f"[bold]按因素计算[/bold]（{fine.violation[:30]}…）：{fine.shown}")
    if advice.missing_facts:
        console.print("[yellow]需要查明：[/yellow]")
        for q in advice.questions or advice.missing_facts:
            console.print(f"  [yellow]？[/yellow]{q}")
    for item in advice.no_penalty:
        console.print(f"[cyan]不予处罚清单：[/cyan]{item.violation[:60]} —— {item.conditions[:120]}（《{item.document}》）")
        if item.ruled_out:
            console.print(f"   [yellow]可能不适用：{item.ruled_out}[/yellow]")
    if advice.related_articles:
        console.print("[bold]可能相关的罚则[/bold]（检索所得，未经裁量基准细化；请核对是否适用，幅度以条文为准）：")
    for a in advice.related_articles:
        console.print(f"  [cyan]{a.label}[/cyan]〔{Status.shown(a.status)}〕{a.text[:200]}")
    for rule in advice.general_rules:
        console.print(f"[cyan]总则：[/cyan]{rule.label}：{rule.text[:120]}")
    for w in advice.warnings:
        console.print(f"[yellow]⚠ {w}[/yellow]")


@app.command()
def discretion(
    facts: Annotated[str, typer.Argument(help="案情，如「在饮用水水源一级保护区内垂钓，去年也被查处过一次」")],
    region: Annotated[Optional[str], typer.Option("--region", help="执法所在地区，如 广东江门（优先适用当地现行标准；只给省份时，按事实中的地名细化到市）")] = None,
    as_of: Annotated[Optional[str], typer.Option("--as-of", help="违法行为发生之日（YYYY-MM-DD）：按当日有效的裁量基准"
                                                             "（默认今天；过去的日子会提示从旧兼从轻）")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="输出 JSON")] = False,
    data_dir: DataDir = None,
) -> None:
    """裁量辅助：根据案情给出适用的裁量档次、处罚幅度、不予处罚情形和法律依据（不使用大模型）。"""
    check_date(as_of)
    settings = _ingested_settings(data_dir)
    with open_service(settings, preload=False) as service, refusing_bad_queries(as_json):
        advice = service.discretion(facts, region=region, user=cli_user(), channel="cli", as_of=as_of)
    if as_json:
        typer.echo(advice.model_dump_json(indent=2))
    else:
        render_advice(advice)
