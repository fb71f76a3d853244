"""``e-assistant migrate``: the numbered schema migrations of a shared PostgreSQL store (#24,
corpus/migrations). The embedded SQLite store needs none (it adds its columns when opened)."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from cli.main import app, console, err
from corpus.pg import where


@app.command()
def migrate(
    url: Annotated[Optional[str], typer.Option("--url", help="PostgreSQL 地址（默认取 E_ASSISTANT_STORE_URL）")] = None,
    status: Annotated[bool, typer.Option("--status", help="只列出已执行和待执行的迁移，不执行")] = False,
) -> None:
    """执行共享 PostgreSQL 知识库的数据库结构迁移（按序号，一个事务内完成；副本启动时也会自动执行）。"""
    import os

    from corpus.migrations import applied, migrations
    from corpus.migrations import migrate as run

    # only the URL matters here: the other settings (the answer backend …) are the replicas' business
    url = (url or os.environ.get("E_ASSISTANT_STORE_URL", "")).strip()
    if not url:
        err.print("[red]未配置 PostgreSQL：请设置 E_ASSISTANT_STORE_URL 或使用 --url（内置 SQLite 知识库无需迁移）[/red]")
        raise typer.Exit(2)
    if not url.startswith(("postgresql://", "postgres://")):
        err.print("[red]只支持 PostgreSQL 地址（postgresql://用户@主机:端口/库名）[/red]")
        raise typer.Exit(2)
    try:
        import psycopg

        with psycopg.connect(url, autocommit=True, connect_timeout=10) as con:
            if status:
                done = applied(con)
                for m in migrations():
                    state = f"已执行 {done[m.version][:19]}" if m.version in done else "待执行"
                    console.print(f"{m.version:04d}_{m.name}：{state}")
                return
            new = run(con)
    except ImportError:
        err.print("[red]使用 PostgreSQL 需要安装 psycopg：pip install 'e-assistant[postgres]'[/red]")
        raise typer.Exit(2) from None
    except psycopg.OperationalError as exc:
        err.print(f"[red]无法连接 PostgreSQL（{where(url)}）：{str(exc).strip().splitlines()[0]}[/red]")
        raise typer.Exit(2) from None
    except psycopg.Error as exc:
        err.print(f"[red]迁移失败，数据库保持原状：{str(exc).strip().splitlines()[0]}[/red]")
        raise typer.Exit(1) from None
    if new:
        console.print("已执行迁移：" + "、".join(f"{m.version:04d}_{m.name}" for m in new))
    else:
        console.print("数据库结构已是最新，无需迁移")
