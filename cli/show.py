"""``e-assistant show`` (one article, with its validity and successor) and ``e-assistant status`` (the
currency report)."""

from __future__ import annotations

import json
from typing import Annotated, Optional

import typer
from rich.table import Table

from cli.main import DOC_TYPE_ZH, DataDir, _ingested_settings, app, console, err

AsOf = Annotated[Optional[str], typer.Option("--as-of", help="按某日（YYYY-MM-DD）判断效力（默认今天）")]


def check_date(as_of: str | None) -> None:
    """A --as-of that is not a calendar date (YYYY-MM-DD): a message, exit code 2."""
    from corpus.validity import calendar_day

    try:
        if calendar_day(as_of) != (as_of or None):  # the option is used as typed: blanks around it are no date
            raise ValueError(f"日期应为 YYYY-MM-DD 形式的有效日期：{as_of}")
    except ValueError as exc:
        err.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from None


def article_view(store, doc, chunk, as_of: str | None) -> dict:
    """One article as ``show --json`` gives it: text, status on the date with its evidence, successor."""
    from corpus.model import Status
    from corpus.succession import currency_note, current_successor
    from corpus.validity import status_on

    status = status_on(doc, as_of)
    found = current_successor(store, chunk.id, as_of) if status not in (Status.CURRENT, Status.UNKNOWN) else None
    successor = None
    if found is not None:
        sdoc, schunk, similarity = found
        successor = {"title": sdoc.title, "article": schunk.article, "label": schunk.label_cn,
                     "chunk_id": schunk.id, "similarity": similarity, "status": sdoc.status_on(as_of).value,
                     "paragraphs": schunk.paragraphs}
    return {"title": doc.title, "article": chunk.article, "article_suffix": chunk.article_suffix,
            "label": chunk.label_cn, "paragraphs": chunk.paragraphs, "doc_type": doc.doc_type.value,
            "issuer": doc.issuer or None, "as_of": as_of, "status": status.value, "status_basis": doc.status_basis or None,
            "repealed_on": doc.repealed_on or None, "repealed_by": doc.repealed_by or None,
            "declared_status": doc.declared_status.value, "note": currency_note(store, doc, chunk, as_of),
            "successor": successor, "effective_date": doc.effective_date or None,
            "version_date": doc.version_date or None, "source": doc.source, "chunk_id": chunk.id, "path": chunk.path}


@app.command()
def show(
    title: Annotated[str, typer.Argument(help="法律名称或简称，如 行政处罚法、处罚法")],
    article: Annotated[str, typer.Argument(help="条文号，如 第三十三条、33、第十条之一")],
    as_json: Annotated[bool, typer.Option("--json", help="输出 JSON")] = False,
    all_versions: Annotated[bool, typer.Option("--all-versions", help="列出这一条的所有版本")] = False,
    region: Annotated[Optional[str], typer.Option("--region", help="执法所在地区，如 北京（「市容条例」→ 北京市市容环境卫生条例；默认 E_ASSISTANT_REGION）")] = None,
    as_of: AsOf = None,
    data_dir: DataDir = None,
) -> None:
    """显示某部法律的某一条（含各款）、它在某日的效力（依据何在），以及已废止或已修改时对应的现行条文。"""
    from corpus.lookup import find_article, find_documents
    from assistant.storage import open_store

    check_date(as_of)
    settings = _ingested_settings(data_dir)
    store = open_store(settings)
    # the version in force on the date; else the best-matching text that has the article, shown with its status
    region = region or settings.region
    found = find_article(store, title, article, on=as_of, region=region) or \
        find_article(store, title, article, current_only=False, region=region)
    if not found:
        from corpus.lookup import resolve_cited_title

        label = f"第{article}条" if str(article).isdigit() else article
        err.print(f"[red]未找到：《{title.strip().strip('《》')}》{label}[/red]")
        match = resolve_cited_title(store, title, region)
        if match is not None and not match.decisive:  # 消防条例: several provinces' — say which ones
            options = "、".join(f"《{t}》" for t in [match.title, *match.alternatives][:5])
            err.print(f"「{title}」可能指：{options}。请写出全称或用 --region 指明地区。")
        raise typer.Exit(1)
    doc, chunk = found
    views = [article_view(store, doc, chunk, as_of)]
    if all_versions:
        from corpus.metadata import title_key

        for other in find_documents(store, doc.title, current_only=False):
            if other.id == doc.id or title_key(other.title) != title_key(doc.title):  # versions of this title only
                continue
            c = store.article_chunk(other.id, chunk.article, chunk.article_suffix)
            if c is not None:
                views.append(article_view(store, other, c, as_of))
    if as_json:
        typer.echo(json.dumps(views if all_versions else views[0], ensure_ascii=False, indent=2))
        return
    for view in views:
        _print_view(view)


def _print_view(v: dict) -> None:
    from corpus.numerals import int_to_cn
    from corpus.succession import similarity_note

    console.print(f"[bold]《{v['title']}》{v['label']}[/bold]  {' / '.join(v['path'])}")
    when = f"（{v['as_of']}）" if v["as_of"] else "（今天）"
    colour = "green" if v["status"] == "现行有效" else "yellow"
    shown = "未标注" if v["status"] == "unknown" else v["status"]
    console.print(f"状态{when}：[{colour}]{shown}[/{colour}]  施行日期：{v['effective_date'] or '未载明'}  "
                  f"版本：{v['version_date'] or '未载明'}" + (f"  制定机关：{v['issuer']}" if v["issuer"] else ""))
    if v["repealed_on"] and v["status"] not in ("已废止", "已失效"):
        console.print(f"[dim]注意：{v['status_basis']}（该日之前有效）[/dim]")
    elif v["status_basis"]:
        console.print(f"[dim]状态依据：{v['status_basis']}[/dim]")
    for i, p in enumerate(v["paragraphs"], 1):
        console.print(f"  第{int_to_cn(i)}款  {p}")
    if v["note"]:
        console.print(f"[yellow]⚠ {v['note']}[/yellow]")
    if v["successor"]:
        s = v["successor"]
        console.print(f"[bold]对应的现行条文：《{s['title']}》{s['label']}[/bold]{similarity_note(s['similarity'])}")
        for i, p in enumerate(s["paragraphs"], 1):
            console.print(f"  第{int_to_cn(i)}款  {p}")
    console.print(f"[dim]来源：{v['source']}[/dim]\n")


@app.command()
def status(
    as_of: AsOf = None,
    show_all: Annotated[bool, typer.Option("--all", help="列出所有非现行有效的文件（不只是与来源标注不同的）")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="输出 JSON")] = False,
    data_dir: DataDir = None,
) -> None:
    """效力报告：列出语料自身的证据（新法的废止条款、修改决定、国家法律库）改变了效力状态的文件，并给出依据。"""
    from dataclasses import asdict

    from corpus.currency import currency_report
    from assistant.storage import open_store

    check_date(as_of)
    settings = _ingested_settings(data_dir)
    rows = currency_report(open_store(settings), as_of, everything=show_all)
    if as_json:
        typer.echo(json.dumps([asdict(r) for r in rows], ensure_ascii=False, indent=2))
        return
    day = as_of or "今天"
    table = Table(title=f"效力报告（{day}）：{len(rows)} 份文件的效力由语料中的证据确定", show_lines=True)
    for col, ratio in (("文件", 3), ("类型", 1), ("来源标注", 1), (f"状态（{day}）", 1), ("依据", 5)):
        table.add_column(col, ratio=ratio, overflow="fold")
    for r in rows:
        table.add_row(r.title, DOC_TYPE_ZH.get(r.doc_type, r.doc_type), r.declared.replace("unknown", "未标注"),
                      r.status.replace("unknown", "未标注"), r.basis)
    console.print(table)
