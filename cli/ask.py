"""``e-assistant ask``: an answer with verified citations, through the same service call as the API and the UI."""

from __future__ import annotations

import json
import sys
from typing import Annotated, Optional

import typer

from cli.main import DataDir, _settings, app, cli_user, console, open_service, refusing_bad_queries

TIMING_ZH = {"retrieval": "检索", "first_token": "首字", "total": "合计", "generation": "生成"}


@app.command()
def ask(
    question: Annotated[str, typer.Argument(help="问题，如「摊贩第一次占道经营，当场改正了，要罚款吗？」")],
    backend: Annotated[Optional[str], typer.Option("--backend", help="local | openai | extractive（默认 E_ASSISTANT_BACKEND）")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="输出 JSON")] = False,
    region: Annotated[Optional[str], typer.Option("--region", help="限定地区（全国性文件总是包含）")] = None,
    as_of: Annotated[Optional[str], typer.Option("--as-of", help="依某日（YYYY-MM-DD）有效的版本回答（默认今天）")] = None,
    data_dir: DataDir = None,
) -> None:
    """回答问题：只依据检索到的条文，逐条标注并核验出处（与网页、API、机器人走同一条路径，并记入审计日志）。"""
    from assistant.retrieval import Filters
    from corpus.model import Status
    from cli.show import check_date

    check_date(as_of)
    extractive = (backend or "").strip().lower() == "extractive"
    settings = _settings(data_dir, backend=None if extractive else backend)
    streamed: list[str] = []
    answer = None
    with open_service(settings, llm=not extractive) as service, refusing_bad_queries(as_json):
        for event in service.ask_stream(question, filters=Filters(region=region, as_of=as_of), user=cli_user(),
                                        channel="cli",
                                        extractive=extractive):
            if event.kind == "answer":
                answer = event.answer
                continue
            if event.kind == "sources":
                if not as_json:
                    from assistant.answer.context import cite_label

                    names = "、".join(cite_label(i.hit) for i in event.answer.context[:4])
                    sys.stderr.write(f"依据：{names}……大模型正在作答\n")
                continue
            if event.kind == "reset":  # the model failed mid-answer: say so under what it had written
                if streamed and not as_json:
                    sys.stderr.write("\n（大模型中断，以下改为条文原文）\n")
                continue
            streamed.append(event.text)
            if not as_json:
                sys.stderr.write(event.text)
                sys.stderr.flush()
    if as_json:
        typer.echo(json.dumps(answer.to_dict(), ensure_ascii=False, indent=2))
        return
    if streamed:
        sys.stderr.write("\n" + "─" * 40 + "\n")
    for notice in answer.notices:
        console.print(f"[yellow]{notice}[/yellow]")
    console.print(answer.answer)
    for w in answer.warnings:
        console.print(f"[yellow]⚠ {w}[/yellow]")
    for c in answer.citations:
        mark = "✔ 已核验" if c.verified else "✘ 未核验"
        console.print(f"[dim]{mark} [{c.n or '-'}] 《{c.title}》{c.label} {Status.shown(c.status)}[/dim]")
    for u in answer.unverified:
        console.print(f"[red]✘ 已标记：{u.citation}（{u.reason}）[/red]")
    console.print(f"[dim]后端 {answer.backend} · 用时 " + " · ".join(
        f"{TIMING_ZH.get(k, k)} {v:.2f} 秒" for k, v in answer.timings.items()) + "[/dim]")
