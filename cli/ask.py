"""``e-assistant ask``: an answer with verified citations (local LLM, any OpenAI-compatible endpoint, or extractive)."""

from __future__ import annotations

import json
import sys
from typing import Annotated, Optional

import typer

from cli.main import DataDir, _settings, app, console, err


@app.command()
def ask(
    question: Annotated[str, typer.Argument(help="问题，如「摊贩第一次占道经营，当场改正了，要罚款吗？」")],
    backend: Annotated[Optional[str], typer.Option("--backend", help="local | openai | extractive")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="输出 JSON")] = False,
    region: Annotated[Optional[str], typer.Option("--region", help="限定地区（全国性文件总是包含）")] = None,
    data_dir: DataDir = None,
) -> None:
    """回答问题：只依据检索到的条文，逐条标注并核验出处。"""
    from assistant.answer.pipeline import AnswerPipeline
    from assistant.llm.factory import make_generator, stop_local_llm
    from assistant.retrieval import Filters, QueryError
    from cli.search import _open_retriever

    settings = _settings(data_dir)
    retriever = _open_retriever(settings)
    try:
        generator = make_generator(settings, backend)
    except Exception as exc:  # a missing endpoint or model: say so, answer extractively
        err.print(f"[yellow]大模型不可用（{exc}），改用抽取式回答。[/yellow]")
        generator = None
    pipeline = AnswerPipeline(retriever, generator, context_chars=settings.answer_context_chars,
                              max_tokens=settings.answer_max_tokens)
    streamed: list[str] = []

    def on_token(piece: str) -> None:
        streamed.append(piece)
        if not as_json:
            sys.stderr.write(piece)
            sys.stderr.flush()

    try:
        answer = pipeline.ask(question, filters=Filters(region=region), on_token=on_token)
    except QueryError as exc:
        err.print(f"[red]{exc}[/red]")
        raise typer.Exit(2)
    finally:
        stop_local_llm()
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
        mark = "✔ 已核验" if c["verified"] else "✘ 未核验"
        console.print(f"[dim]{mark} [{c['n'] or '-'}] 《{c['title']}》 第{c['article'] or '-'}条 {c['status'] or ''}[/dim]")
    for u in answer.unverified:
        console.print(f"[red]✘ 已标记：{u['citation']}（{u['reason']}）[/red]")
    console.print(f"[dim]后端 {answer.backend} · 用时 " + " · ".join(f"{k} {v:.2f}s" for k, v in answer.timings.items()) + "[/dim]")
