"""``e-assistant discretion``: from the facts of a case to the 裁量基准 tier, 不予处罚 items and basis."""

from __future__ import annotations

import json
from typing import Annotated, Optional

import typer

from cli.main import DataDir, _ingested_settings, app, console, err


def provision_label(c: dict) -> str:
    from corpus.numerals import article_label

    return article_label(c["article"], c.get("paragraph"))


def render_advice(advice: dict) -> None:
    decision = {"matched": "[green]已确定裁量档次[/green]", "ambiguous": "[yellow]有多个候选档次[/yellow]",
                "no_match": "[red]未找到适用的裁量基准[/red]"}[advice["decision"]]
    console.print(f"[bold]{decision}[/bold]")
    for i, m in enumerate(advice["matches"], 1):
        facts = "；".join(x for x in (m["circumstance"], m["prior_violation"]) if x) or "（未分情节）"
        console.print(f"[bold]{i}. {m['violation'][:60]}[/bold]")
        console.print(f"   情节：{facts}")
        console.print(f"   处罚幅度：[bold]{m['range_text']}[/bold]"
                      + (f"（{m['min_yuan']:g}–{m['max_yuan']:g} 元）" if m["min_yuan"] is not None and m["max_yuan"] is not None else ""))
        for c in m["citations"]:
            mark = "✔" if c["verified"] else "✘ 未收录"
            console.print(f"   [dim]{mark} 《{c['title']}》{provision_label(c)}[/dim]")
        console.print(f"   [dim]来源：《{m['document']}》{m['region']} {m['status']} {'第' + str(m['page']) + '页' if m['page'] else ''}[/dim]")
    if advice["missing_facts"]:
        console.print("[yellow]需要查明：[/yellow]" + "；".join(advice["missing_facts"]))
    for np in advice["no_penalty"]:
        console.print(f"[cyan]不予处罚清单：[/cyan]{np['violation'][:60]} —— {np['conditions'][:120]}（《{np['document']}》）")
    for rule in advice["general_rules"]:
        console.print(f"[cyan]总则：[/cyan]{rule['label']}：{rule['text'][:120]}")
    for w in advice["warnings"]:
        console.print(f"[yellow]⚠ {w}[/yellow]")


@app.command()
def discretion(
    facts: Annotated[str, typer.Argument(help="案情，如「在饮用水水源一级保护区内垂钓，去年也被查处过一次」")],
    region: Annotated[Optional[str], typer.Option("--region", help="执法所在地区，如 广东江门（优先适用当地现行标准）")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="输出 JSON")] = False,
    data_dir: DataDir = None,
) -> None:
    """裁量辅助：根据案情给出适用的裁量档次、处罚幅度、不予处罚情形和法律依据（不使用大模型）。"""
    from assistant.discretion.advisor import DiscretionAdvisor
    from assistant.retrieval import QueryError, validate_query
    from corpus.sqlite_store import SQLiteStore

    settings = _ingested_settings(data_dir)
    try:
        facts = validate_query(facts, settings.max_query_chars)
    except QueryError as exc:
        err.print(f"[red]{exc}[/red]")
        raise typer.Exit(2)
    advice = DiscretionAdvisor(SQLiteStore(settings.store_path), region=settings.region).advise(facts, region=region)
    if as_json:
        typer.echo(json.dumps(advice, ensure_ascii=False, indent=2))
    else:
        render_advice(advice)
