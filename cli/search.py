"""``e-assistant search``: single queries and JSONL batches."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from assistant.settings import Settings
from cli.main import (DOC_TYPE_ZH, DataDir, _ingested_settings, _settings, app, cli_user, console, err, open_service,
                      refusing_bad_settings)


def _progress_bar():
    return Progress(TextColumn("[bold]{task.description}[/bold]"), BarColumn(), MofNCompleteColumn(),
                    TimeElapsedColumn(), console=err, transient=True)


STAGE_ZH = {"tokenize": "分词", "embed": "向量化", "write": "写入索引", "model": "组装模型"}


def _stage_updater(progress):
    """A ``progress(stage, done, total)`` callback drawing one bar per stage (导入, 分词, 向量化, 写入索引)."""
    tasks: dict[str, int] = {}

    def on_progress(stage: str, done: int, total: int) -> None:
        label = STAGE_ZH.get(stage, "导入")
        if label not in tasks:
            tasks[label] = progress.add_task(label, total=total or None)
        progress.update(tasks[label], completed=done, total=total or None)

    return on_progress


def _open_retriever(settings: Settings, mode: str | None = None):
    from assistant.retrieval.factory import open_retriever

    with refusing_bad_settings(), _progress_bar() as progress:
        return open_retriever(settings, progress=_stage_updater(progress), mode=mode)


def _filters(doc_type: list[str] | None, region: str | None, law: str | None, all_versions: bool,
             as_of: str | None):
    from assistant.retrieval import Filters

    return Filters(doc_types=frozenset(doc_type) if doc_type else None, region=region, law=law,
                   current_only=not all_versions, as_of=as_of)


def _doc_types(values: list[str] | None) -> list[str] | None:
    """``--doc-type`` values as DocType values; the Chinese names (法律, 裁量基准 …) are accepted too.
    Exits 2 naming the allowed values for any other."""
    if not values:
        return values
    by_zh = {zh: t for t, zh in DOC_TYPE_ZH.items()}
    out = [by_zh.get(v.strip(), v.strip()) for v in values]
    bad = [v for v, t in zip(values, out) if t not in DOC_TYPE_ZH]
    if bad:
        allowed = "、".join(f"{t}（{zh}）" for t, zh in DOC_TYPE_ZH.items())
        err.print(f"[red]未知的文档类型：{'、'.join(bad)}；可选：{allowed}[/red]")
        raise typer.Exit(2)
    return out


@app.command()
def search(
    query: Annotated[Optional[str], typer.Argument(help="问题或条文，如「行政处罚法第三十三条」")] = None,
    top_k: Annotated[int, typer.Option("--top-k", "-k", min=1, max=200, help="返回条数")] = 10,
    as_json: Annotated[bool, typer.Option("--json", help="输出 JSON")] = False,
    queries: Annotated[Optional[Path], typer.Option("--queries", help="批量：JSONL 文件，每行 {id, query}")] = None,
    doc_type: Annotated[Optional[list[str]], typer.Option("--doc-type", help="限定文档类型（可多次）：law 法律、regulation 行政法规、rule 规章、local_regulation 地方性法规、judicial_interpretation 司法解释、discretion 裁量基准、case 案例、procedure 工作规范")] = None,
    region: Annotated[Optional[str], typer.Option("--region", help="限定地区（全国性文件总是包含）")] = None,
    law: Annotated[Optional[str], typer.Option("--law", help="限定某部法律（可用简称）")] = None,
    all_versions: Annotated[bool, typer.Option("--all-versions", help="包含已修改/已废止的版本")] = False,
    as_of: Annotated[Optional[str], typer.Option("--as-of", help="按某日（YYYY-MM-DD）有效的版本检索")] = None,
    mode: Annotated[Optional[str], typer.Option("--mode", help="hybrid | bm25 | dense（默认 E_ASSISTANT_RETRIEVAL_MODE）")] = None,
    data_dir: DataDir = None,
) -> None:
    """检索法律条文、裁量基准、案例和工作规范（与网页、API 走同一条路径，并记入审计日志）。"""
    from assistant.retrieval import ModelServerError, QueryError
    from corpus.model import Status

    if (query is None) == (queries is None):
        err.print("[red]请给出一个查询，或用 --queries 给出 JSONL 文件（二选一）。[/red]")
        raise typer.Exit(2)
    from cli.show import check_date

    check_date(as_of)
    if queries is not None and not queries.is_file():
        err.print(f"[red]找不到查询文件：{queries}[/red]")
        raise typer.Exit(2)
    doc_type = _doc_types(doc_type)
    settings = _settings(data_dir, retrieval_mode=mode)
    filters = _filters(doc_type, region, law, all_versions, as_of)
    user = cli_user()
    with open_service(settings, llm=settings.query_expansion == "llm") as service:
        if queries is not None:
            for n, line in enumerate(queries.read_text(encoding="utf-8").splitlines(), 1):
                if not line.strip():
                    continue
                try:
                    item = json.loads(line)
                    qid, text = item.get("id", n), item.get("query", "")
                except (json.JSONDecodeError, AttributeError):
                    typer.echo(json.dumps({"id": n, "error": "该行不是 JSON 对象", "hits": []}, ensure_ascii=False))
                    continue
                try:
                    hits = [h.to_dict(as_of) for h in service.search(text, top_k, filters, user=user, channel="cli")]
                    typer.echo(json.dumps({"id": qid, "query": text, "hits": hits}, ensure_ascii=False))
                except QueryError as exc:
                    typer.echo(json.dumps({"id": qid, "query": text, "error": str(exc), "hits": []}, ensure_ascii=False))
                except ModelServerError as exc:  # the server is down: every further line would fail the same way
                    err.print(f"[red]{exc}[/red]")
                    raise typer.Exit(2) from exc
            return
        try:
            hits = service.search(query, top_k, filters, user=user, channel="cli")
        except (QueryError, ModelServerError) as exc:
            if as_json:
                typer.echo(json.dumps({"error": str(exc), "hits": []}, ensure_ascii=False))
            else:
                err.print(f"[red]{exc}[/red]")
            raise typer.Exit(2) from exc
    if as_json:
        typer.echo(json.dumps({"query": query, "hits": [h.to_dict(as_of) for h in hits]}, ensure_ascii=False, indent=2))
        return
    if not hits:
        console.print("未检索到相关内容。" + (f"（知识库中可能没有「{law}」，或它不含与查询相关的条文）" if law else ""))
    for i, h in enumerate(hits, 1):
        d = h.to_dict(as_of)
        label = h.chunk.label_cn or h.chunk.heading or ""
        status = Status.shown(d["status"])
        kind = DOC_TYPE_ZH.get(d["doc_type"], d["doc_type"])
        console.print(f"[bold]{i}. 《{d['title']}》{label}[/bold]  [dim]{status} · {kind} · "
                      f"{d['effective_date'] or '施行日期未载明'} · {h.via} {h.score:.4f}[/dim]")
        if h.pairs:
            console.print(f"   [cyan]{'；'.join(h.pairs[:3])}[/cyan]")
        console.print("   " + h.chunk.text[:300].replace("\n", "\n   "))


@app.command("rerank-warm")
def rerank_warm(data_dir: DataDir = None) -> None:
    """为重排序模型预先计算全部条文的向量（E_ASSISTANT_RERANK=e5 或 st 时使用）。

    不预先计算也能检索：缺少的向量在查询时临时计算并缓存，只是首次查询较慢。
    预先计算后，结果不变，查询只需计算问题本身的向量。
    """
    from assistant.retrieval.factory import make_reranker
    from assistant.storage import open_store

    settings = _ingested_settings(data_dir)
    with refusing_bad_settings():
        reranker = make_reranker(settings)
    if reranker is None:
        err.print("[red]未启用重排序：请先设置 E_ASSISTANT_RERANK=e5（或 st）。[/red]")
        raise typer.Exit(2)
    if not hasattr(reranker, "warm"):
        console.print("E_ASSISTANT_RERANK=http：重排序由模型服务逐次计算，没有需要预先计算的向量。")
        return
    store = open_store(settings)
    try:
        chunks = list(store.servable_chunks())
        with _progress_bar() as progress:
            new = reranker.warm(chunks, progress=_stage_updater(progress))
    finally:
        store.close()
        reranker.close()
    console.print(f"重排序向量：共 {len(chunks)} 条，本次新计算 {new} 条（模型 {reranker.embedder.model_id}）。")
