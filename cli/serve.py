"""``e-assistant serve``: the web app (API + Gradio UI) and the local LLM, on one port."""

from __future__ import annotations

import secrets
from typing import Annotated, Optional

import typer

from cli.main import DataDir, _settings, app, console, err, refusing_bad_settings


@app.command()
def serve(
    host: Annotated[str, typer.Option("--host", help="监听地址（内网部署可用 0.0.0.0）")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="端口")] = 7860,
    backend: Annotated[Optional[str], typer.Option("--backend", help="local | openai | extractive")] = None,
    data_dir: DataDir = None,
) -> None:
    """启动网页界面和 API（首次启动时导入语料、建立索引，并启动本地大模型）。"""
    import uvicorn

    from assistant.service.service import AssistantService
    from cli.search import _progress_bar, _stage_updater
    from web.app import create_app

    settings = _settings(data_dir, backend=backend)
    if not settings.admin_token:
        settings.admin_token = secrets.token_urlsafe(16)
        console.print(f"[yellow]未设置 E_ASSISTANT_ADMIN_TOKEN，本次的管理令牌为：[bold]{settings.admin_token}[/bold]"
                      "（上传、删除文档时需要）[/yellow]")
    with refusing_bad_settings(), _progress_bar() as progress:
        service = AssistantService(settings, progress=_stage_updater(progress), start_llm=False)
    health = service.health()
    console.print(f"语料：{health['documents']} 份文档，{health['chunks']} 个内容块；索引模型 {health['index']['model']}")
    if service.llm_status == "starting":
        with console.status("正在启动大模型（首次需要合并模型文件，约 1 分钟）…"):
            service.start_llm_now()
        if service.llm_status == "ready":
            console.print(f"大模型已就绪（{settings.backend}）。")
        else:
            err.print(f"[yellow]大模型不可用（{service.llm_error}），将以抽取式回答（直接列出条文原文）。[/yellow]")
    web = create_app(settings, service, owns_service=True)  # the app's shutdown stops the LLM server
    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    console.print(f"[bold green]执法e助理已启动：http://{shown}:{port}/ui/[/bold green]  API 文档：http://{shown}:{port}/docs"
                  "  （Ctrl+C 停止）")
    uvicorn.run(web, host=host, port=port, log_level="warning")
