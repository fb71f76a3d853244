"""``e-assistant quiz``: exam items for trainers, every key verified against its source article."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Optional

import typer

from cli.main import DataDir, _ingested_settings, _settings, app, cli_user, console, err, open_service


@app.command()
def quiz(
    scope: Annotated[str, typer.Option("--scope", help="出题范围：法律名称（可用简称）、「行政处罚法 第四章」、「行政处罚法 第30-33条」或主题")],
    n: Annotated[int, typer.Option("--n", min=1, max=200, help="题目数量")] = 20,
    types: Annotated[str, typer.Option("--types", help="题型，逗号分隔：single,multi,judge,case")] = "single,multi,judge",
    fmt: Annotated[str, typer.Option("--format", help="json | docx | xlsx")] = "json",
    out: Annotated[Optional[Path], typer.Option("--out", help="输出文件（json 默认打印到屏幕）")] = None,
    seed: Annotated[int, typer.Option("--seed", help="随机种子（同一种子得到同一套题）")] = 0,
    level: Annotated[str, typer.Option("--level", help="基础（识记题）| 应用（约七成为情境应用题，答案由系统计算并核验）| 综合（约四成）；范围为裁量基准时只出应用题")] = "基础",
    backend: Annotated[Optional[str], typer.Option("--backend", help="案例分析题的情景由谁编写：local | openai | extractive（不用大模型）")] = None,
    data_dir: DataDir = None,
) -> None:
    """出题：单选、多选、判断、案例分析，答案逐题对照条文核验，未通过核验的题目不输出。"""
    from assistant.quiz import TYPES, ScopeError
    from assistant.quiz.export import to_docx, to_xlsx

    from assistant.quiz.generate import TYPE_ZH

    by_name = {**{zh: t for t, zh in TYPE_ZH.items()}, **{zh + "题": t for t, zh in TYPE_ZH.items()}}  # 单选、单选题
    wanted = tuple(by_name.get(t.strip(), t.strip()) for t in types.replace("，", ",").split(",") if t.strip())
    unknown = [t for t in wanted if t not in TYPES]
    if unknown or fmt not in ("json", "docx", "xlsx"):
        names = "、".join(f"{t}（{TYPE_ZH.get(t, t)}）" for t in TYPES)
        err.print(f"[red]题型只能是 {names}，格式只能是 json/docx/xlsx[/red]")
        raise typer.Exit(2)
    if fmt != "json" and out is None:
        err.print("[red]docx/xlsx 需要用 --out 指定输出文件[/red]")
        raise typer.Exit(2)
    if out is not None and (out.is_dir() or not out.parent.is_dir()):
        err.print(f"[red]无法写入 {out}：{'这是一个目录' if out.is_dir() else '所在目录不存在'}[/red]")
        raise typer.Exit(2)
    _ingested_settings(data_dir)
    # the LLM writes 案例分析 facts, and rewords 应用 scenarios when a backend is named (every fact checked kept)
    use_llm = ("case" in wanted or (backend is not None and level != "基础")) and (backend or "").strip().lower() != "extractive"
    settings = _settings(data_dir, backend=backend if use_llm else None)
    use_llm = use_llm and settings.backend != "extractive"
    with open_service(settings, preload=False, llm=use_llm) as service:
        try:
            shown = {"stage": ""}

            def progress(stage: str, done: int, total: int) -> None:  # per item, the stage named (#25)
                if stage != shown["stage"] or done:
                    err.print(f"[dim]{stage}：{done}/{total}[/dim]")
                    shown["stage"] = stage

            result = service.quiz(scope, n, wanted, seed, use_llm=use_llm, user=cli_user(), channel="cli",
                                  level=level, progress=progress)
        except ScopeError as exc:
            err.print(f"[red]{exc}[/red]")
            raise typer.Exit(2) from exc
    report = result["report"]
    by_type = "、".join(f"{TYPE_ZH.get(t, t)} {n}" for t, n in report["by_type"].items())
    err.print(f"共 {report['items']} 题（{by_type}；其中情境应用题 {report.get('application_items', 0)}），"
              f"核验通过 {report['keys_verified']}，形式检查通过 {report['passed_checks']}，"
              f"因无法核验而舍弃 {report['dropped_unverified']}")
    if report.get("note"):
        err.print(f"[yellow]{report['note']}[/yellow]")
    if fmt == "json":
        text = json.dumps(result, ensure_ascii=False, indent=2)
        if out:
            out.write_text(text, encoding="utf-8")
        else:
            typer.echo(text)
        return
    out.write_bytes(to_docx(result) if fmt == "docx" else to_xlsx(result))
    console.print(f"已写入 {out}")
