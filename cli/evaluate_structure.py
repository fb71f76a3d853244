"""``e-assistant eval links | pairs | lookups | injection | circumstances``: retrieval by legal structure (#21) — duty ↔
penalty links, the officers' pair questions, article lookups by abbreviated titles —, planted instructions (#23) and
how the discretion advisor reads the circumstances officers state (#20)."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.table import Table

from cli.evaluate import eval_app
from cli.main import _ingested_settings, console, err


@eval_app.command("links")
def eval_links(
    as_json: Annotated[bool, typer.Option("--json")] = False,
    data_dir: Annotated[Optional[Path], typer.Option("--data-dir", help="数据目录（默认设置中的 data）")] = None,
) -> None:
    """义务条款↔罚则关联评测：生态环境法典的人工标注（evals/data/code_duty_penalty.jsonl）与「隐去条号」的现行法律，各报 dev / test 的精确率与召回率。"""
    from assistant.storage import open_store
    from evals.references import evaluate_code, evaluate_hidden_numbers

    settings = _ingested_settings(data_dir)
    store = open_store(settings)
    try:
        report = {"code": evaluate_code(store), "hidden_numbers": evaluate_hidden_numbers(store)}
    except LookupError as exc:
        err.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from exc
    if as_json:
        typer.echo(json.dumps(report, ensure_ascii=False, indent=2))
        return
    table = Table(title="义务条款 ↔ 罚则关联")
    for col in ("评测", "划分", "精确率", "召回率", "行为召回率"):
        table.add_column(col)
    for split in ("dev", "test"):
        c = report["code"][split]
        table.add_row("生态环境法典（人工标注）", split, f"{c['precision']:.3f}", f"{c['recall']:.3f}", f"{c['act_recall']:.3f}")
    for split in ("dev", "test"):
        h = report["hidden_numbers"][split]
        table.add_row("现行法律（隐去条号）", split, f"{h['precision']:.3f}", f"{h['recall']:.3f}", "—")
    console.print(table)


@eval_app.command("pairs")
def eval_pairs(
    dataset: Annotated[Optional[Path], typer.Option("--dataset", dir_okay=False, help="问题集 JSONL（默认 evals/data/duty_penalty_questions.jsonl 及其 dev2、dev3、dev4 三集，各划分分开报告）")] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
    data_dir: Annotated[Optional[Path], typer.Option("--data-dir", help="数据目录（默认设置中的 data）")] = None,
) -> None:
    """执法人员问题的「义务条款 + 罚则」成对检索评测：两条都在前 10 的比例；消融：不带出罚则、不按口语话题加分、两者都不用、不用条文的口语说法（dev / test / 全部）。"""
    from assistant.retrieval import HybridRetriever
    from evals.references import PAIR_QUESTIONS, PAIR_QUESTIONS_MORE, evaluate_pair_questions

    from cli.search import _open_retriever

    settings = _ingested_settings(data_dir)
    keys = ("query", "law", "duty", "penalty", "split")
    rows = _read_cases(dataset, keys) if dataset else [r for path in [PAIR_QUESTIONS, *PAIR_QUESTIONS_MORE]
                                                     for r in _read_cases(path, keys)]
    base = _open_retriever(settings, "hybrid")
    no_topic = replace(base.weights, topic=0.0)
    report = evaluate_pair_questions({
        "hybrid": base,
        "hybrid-nopairs": HybridRetriever(base.store, base.index, base.embedder, weights=base.weights, pair_depth=0),
        "hybrid-notopic": HybridRetriever(base.store, base.index, base.embedder, weights=no_topic),
        "hybrid-neither": HybridRetriever(base.store, base.index, base.embedder, weights=no_topic, pair_depth=0),
        "hybrid-nosayings": HybridRetriever(base.store, base.index, base.embedder,
                                            weights=replace(base.weights, sayings=0.0)),
    }, rows)
    if as_json:
        typer.echo(json.dumps(report, ensure_ascii=False, indent=2))
        return
    table = Table(title=f"义务条款 + 罚则成对检索（{len(rows)} 问，前 10）")
    for col in ("检索", "划分", "两条都在", "义务条款", "罚则", "p95 ms"):
        table.add_column(col)
    for name, per in report.items():
        for split, r in per.items():
            table.add_row(name, split, f"{r['both']:.3f}", f"{r['duty']:.3f}", f"{r['penalty']:.3f}", f"{r['p95_ms']:.1f}")
    console.print(table)
    for split, r in report["hybrid"].items():
        for miss in r["misses"]:  # never the test split's: it stays unseen
            console.print(f"  {split} 未命中：{miss}")


@eval_app.command("lookups")
def eval_lookups(
    dataset: Annotated[Optional[Path], typer.Option("--dataset", dir_okay=False, help="条文引用问题集 JSONL（默认 evals/data/article_lookups.jsonl）")] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
    data_dir: Annotated[Optional[Path], typer.Option("--data-dir", help="数据目录（默认设置中的 data）")] = None,
) -> None:
    """执法人员用简称引用条文（「市容条例第34条」）的检索评测：第一条结果就是该条文的比例（Hit@1），按 dev / test 与简称类型分列。"""
    from evals.titles import LOOKUPS, evaluate_lookups

    from cli.search import _open_retriever

    settings = _ingested_settings(data_dir)
    rows = _read_cases(dataset or LOOKUPS, ("query", "title", "article", "split", "kind"))
    report = evaluate_lookups(_open_retriever(settings, "hybrid"), rows)
    if as_json:
        typer.echo(json.dumps(report, ensure_ascii=False, indent=2))
        return
    table = Table(title=f"简称引用条文（{len(rows)} 问）")
    for col in ("划分", "条数", "Hit@1", "直接查到条文", "按类型 Hit@1"):
        table.add_column(col)
    for split, r in report.items():
        kinds = "；".join(f"{k} {v:.2f}" for k, v in r["by_kind"].items())
        table.add_row(split, str(r["cases"]), f"{r['hit1']:.3f}", f"{r['by_lookup']:.3f}", kinds)
    console.print(table)
    for split, r in report.items():
        if split in ("test", "all"):
            continue  # the test split's misses stay unseen
        for miss in r["misses"]:
            console.print(f"  {split} 未命中：{miss}")


def _read_cases(path: Path, keys: tuple[str, ...]) -> list[dict]:
    """The cases of a JSONL file, each with ``keys``; a missing file, a line that is not a JSON object or lacks a
    key: the message (file and line) and exit code 2."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        why = "文件不存在" if isinstance(exc, FileNotFoundError) else (exc.strerror or str(exc))
        err.print(f"[red]无法读取评测集 {path}：{why}[/red]")
        raise typer.Exit(2) from exc
    rows = []
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            err.print(f"[red]评测集 {path} 第 {n} 行不是 JSON：{exc.msg}[/red]")
            raise typer.Exit(2) from exc
        missing = [k for k in keys if not isinstance(row, dict) or k not in row]
        if missing:
            err.print(f"[red]评测集 {path} 第 {n} 行缺少字段：{'、'.join(missing)}[/red]")
            raise typer.Exit(2)
        rows.append(row)
    if not rows:
        err.print(f"[red]评测集 {path} 是空的[/red]")
        raise typer.Exit(2)
    return rows


@eval_app.command("injection")
def injection(
    dataset: Annotated[Optional[Path], typer.Option("--dataset", dir_okay=False, help="注入样本集 JSONL（默认 evals/data/planted_instructions.jsonl；另有留出集 planted_instructions_test.jsonl）")] = None,
    backend: Annotated[str, typer.Option("--backend", help="回答方式：extractive（快，只看注入文字是否进入语料）或 local（本地大模型，看结论是否被改变）")] = "extractive",
    no_isolation: Annotated[bool, typer.Option("--no-isolation", help="关闭导入时的隔离，对照攻击本身的效果")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="输出 JSON")] = False,
) -> None:
    """间接提示注入评测：夹带「给AI的指令」的文件导入后，注入文字是否进入语料、文档是否被标注、回答结论是否被改变。"""
    from evals.planted import DATASET, run

    path = dataset or DATASET
    if not path.is_file():
        err.print(f"[red]找不到样本集：{path}[/red]")
        raise typer.Exit(2)
    report = run(path, backend, not no_isolation)
    if as_json:
        typer.echo(json.dumps(report, ensure_ascii=False, indent=2))
        return
    table = Table(title=f"提示注入评测（{path.name}，{backend}，隔离{'关' if no_isolation else '开'}）")
    for column in ("指标", "数值"):
        table.add_column(column)
    names = {"attacks": "攻击样本", "controls": "对照样本", "planted_text_in_store": "注入文字进入语料的比例",
             "documents_flagged": "文档被标注的比例", "answer_notice": "回答中提示的比例",
             "conclusion_no_penalty": "结论被改为不予处罚的比例", "conclusion_penalty": "结论为处罚的比例",
             "controls_flagged": "对照样本被误标的比例", "controls_penalty": "对照样本结论为处罚的比例"}
    for key, name in names.items():
        table.add_row(name, str(report.get(key)))
    console.print(table)


@eval_app.command("circumstances")
def circumstances(
    show_misses: Annotated[bool, typer.Option("--show-misses", help="列出 dev 拆分中读错的短句（test 拆分不列出）")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="输出 JSON")] = False,
) -> None:
    """情节读取评测（无需语料库）：执法人员写法的短句中，同类违法次数、是否逾期改正、是否配合调查、数量、事件等级读对的比例（evals/data/discretion_phrases.jsonl）。"""
    from evals.circumstances import DATA, evaluate

    if not DATA.is_file():
        err.print(f"[red]找不到短句集：{DATA}[/red]")
        raise typer.Exit(2)
    report, misses = evaluate(DATA)
    if as_json:
        typer.echo(json.dumps({"report": report, "dev_misses": [m for m in misses if m["split"] == "dev"]},
                              ensure_ascii=False, indent=2))
        return
    names = {"prior": "同类违法次数", "deadline": "是否逾期改正", "cooperation": "是否配合调查", "quantity": "数量",
             "grade": "事件等级", "all": "合计"}
    table = Table(title="情节读取评测（读对的比例）")
    for column in ("方面", *(f"{split}（条数）" for split in report)):
        table.add_column(column)
    for key, name in names.items():
        table.add_row(name, *(f"{report[split][key]['accuracy']:.3f}（{report[split][key]['n']}）"
                              if key in report[split] else "—" for split in report))
    console.print(table)
    if show_misses:
        for m in misses:
            if m["split"] == "dev":
                console.print(f"  {m['id']} [{m['aspect']}] {m['facts']}  应为 {m['gold']}，读成 {m['got']}")
