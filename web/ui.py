"""The Gradio UI for officers (all text in Chinese): 问答 (streaming answers with their sources) and 文档库."""

from __future__ import annotations

import logging
import re
import secrets
import tempfile
import time
from pathlib import Path
from typing import Any

import gradio as gr

from assistant.answer.pipeline import Answer
from assistant.discretion.types import Advice
from assistant.answer.context import DOC_TYPE_ZH, cite_label
from assistant.retrieval import Filters, QueryError
from assistant.service.service import AssistantService, UploadError
from corpus.model import Status
from corpus.numerals import article_label
from web.ui_case import build_case_tab
from web.ui_stream import ticking

log = logging.getLogger(__name__)

EXAMPLES = ["摊贩第一次占道经营，当场改正了，要罚款吗？", "行政处罚法第三十三条是什么内容",
            "执法人员当场作出行政处罚决定应当遵守哪些程序？", "在饮用水水源一级保护区内垂钓怎么处罚？"]
DOC_TYPE_CHOICES = [(zh, value) for value, zh in DOC_TYPE_ZH.items()]
SOURCES_TITLE = "依据与来源"


def theme() -> gr.themes.Base:
    system_fonts = ["PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", "sans-serif"]
    return gr.themes.Soft(primary_hue="blue", font=system_fonts, font_mono=["monospace"])


def message_text(message: dict[str, Any]) -> str:
    """The text of a chat message (Gradio 6 hands content over as a list of parts)."""
    content = message.get("content")
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "".join(p.get("text", "") for p in content if isinstance(p, dict))
    return ""


def conversation(chat: list[dict[str, Any]]) -> list[dict[str, str]]:
    """The chat as question/answer turns for follow-up rewriting (source panels left out)."""
    turns = []
    for m in chat:
        if (m.get("metadata") or {}).get("title") or m.get("role") not in ("user", "assistant"):
            continue
        text = message_text(m).strip()
        if text:
            turns.append({"role": m["role"], "content": text})
    return turns


_ACTIVE = re.compile(r"<|!\[|\]\(")


def as_text(text: str) -> str:
    """Corpus text (and answers quoting it) shown as text: no HTML tags, images or links a document smuggled in
    (an uploaded 规定 with «![](http://…)» would otherwise be fetched by every officer's browser, #23)."""
    return _ACTIVE.sub(lambda m: {"<": "&lt;", "![": "!\\[", "](": "]\\("}[m.group(0)], text)


def answer_markdown(answer: Answer) -> str:
    parts = [as_text(answer.answer.strip())]
    for w in answer.warnings:
        parts.append(f"> 【注意】{w}")
    for n in answer.notices:
        parts.append(f"> 【提示】{n}")
    return "\n\n".join(p for p in parts if p)


def sources_panel(answer: Answer) -> tuple[str, str]:
    """(title, markdown) of the expandable source panel shown under an answer."""
    verified = [c for c in answer.citations if c.verified]
    flagged = len(answer.unverified) + sum(1 for c in answer.citations if not c.verified)
    badge = f"已核验 {len(verified)} 处引用" if verified else "未引用具体条文"
    if flagged:
        badge += f"｜{flagged} 处未通过核验（已标记）"
    title = f"{SOURCES_TITLE}（{len(answer.context)} 条）｜{badge}"
    cited_ids = {c.chunk_id for c in verified}
    lines = []
    for item in answer.context:
        d, c = item.hit.document, item.hit.chunk
        where = article_label(c.article, item.hit.paragraph, c.article_suffix) or (c.heading or "")
        if not c.article and c.page:
            where = f"{where} 第{c.page}页".strip()
        mark = "〔已引用·已核验〕" if c.id in cited_ids else "〔检索到，未引用〕"
        meta = [DOC_TYPE_ZH.get(d.doc_type.value, d.doc_type.value), Status.shown(d.status_on(answer.as_of).value),
                f"{d.effective_date}施行" if d.effective_date else "施行日期未载明"]
        if d.region and d.region != "全国":
            meta.append(d.region)
        meta.extend(item.hit.pairs[:3])  # 罚则：第一千一百八十九条 next to the duty (corpus/references.py)
        text = as_text((item.hit.chunk.paragraph(item.hit.paragraph) or c.text).strip())
        quoted = "\n".join(f"> {line}" for line in text[:600].splitlines() if line.strip())
        if len(text) > 600:
            quoted += "……"
        lines.append(f"**[{item.n}] 《{as_text(d.title)}》{where}** {mark}  \n<small>{' · '.join(meta)}</small>\n\n{quoted}")
    for u in answer.unverified:
        lines.append(f"**〔未通过核验〕** {u.citation}（{u.reason}）")
    return title, "\n\n".join(lines) or "没有检索到可用的依据。"


def advice_markdown(advice: Advice) -> str:
    """The discretion advisor's result for the 裁量 tab."""
    head = {"matched": "### 已确定裁量档次", "ambiguous": "### 有多个候选档次，需要查明下列事实",
            "no_match": "### 未找到适用的裁量基准"}[advice.decision]
    lines = [head + (f"（按 {advice.as_of} 有效的裁量基准）" if advice.as_of else "")]
    if advice.no_penalty_lead:
        lines.append(f"**可能不予处罚**：{advice.no_penalty_lead}")
    if advice.missing_facts:
        lines.append("\n".join(f"- 请补充：{q}" for q in (advice.questions or advice.missing_facts)))
    for i, m in enumerate(advice.matches, 1):
        basis = "；".join(c.shown + ("〔已核验〕" if c.verified and c.in_force else "") for c in m.citations)
        lines.append(f"**{i}. {'〔相近违法行为，仅供核对〕' if m.related else ''}{m.violation[:80]}**  \n情节：{m.circumstances}  \n处罚幅度：**{m.range_text}**{m.amount}  \n"
                     f"依据：{basis or '见原表'}  \n<small>来源：{m.source} {m.region} · {Status.shown(m.status)}</small>")
    for fine in advice.fines:
        lines.append(f"**按因素计算**（{fine.violation[:40]}）：{fine.shown}")
    for item in advice.no_penalty:
        lines.append(f"**不予处罚清单**：{item.violation[:80]}  \n{item.conditions[:300]}  \n"
                     f"<small>《{item.document}》{item.region} · {Status.shown(item.status)}</small>"
                     + (f"  \n**可能不适用**：{item.ruled_out}" if item.ruled_out else ""))
    if advice.related_articles:
        lines.append("**可能相关的罚则**（检索所得，未经裁量基准细化；请核对是否适用，幅度以条文为准）：")
    for a in advice.related_articles:
        lines.append(f"- **{a.label}**〔{Status.shown(a.status)}〕「{a.text}」")
    for rule in advice.general_rules:
        lines.append(f"**总则**：{rule.label}：「{rule.text[:300]}」")
    lines.extend(f"> 【注意】{w}" for w in advice.warnings)
    return "\n\n".join(lines)


def quiz_markdown(result: dict) -> str:
    """Preview of a quiz: each item with its options, key, 解析 and source."""
    from assistant.quiz.export import source_label

    zh = {"single": "单选", "multi": "多选", "judge": "判断", "case": "案例分析"}
    blocks = []
    for n, item in enumerate(result["items"], 1):
        parts = [f"**{n}.【{zh[item['type']]}】** {item['stem']}"]
        subs = item.get("sub_questions") or [item]
        for j, sub in enumerate(subs, 1):
            if item["type"] == "case":
                parts.append(f"（{j}）{sub['stem']}")
            parts.append("  \n".join(f"{k}. {v}" for k, v in sub["options"].items()))
            parts.append(f"答案：**{''.join(sub['answer'])}**　解析：{sub['explanation']}　"
                         f"<small>出处：{source_label(sub['source'])}</small>")
        blocks.append("\n\n".join(parts))
    return "\n\n---\n\n".join(blocks) or "没有生成题目。"


def _user(request: gr.Request | None) -> str:
    if request is None:
        return "ui"
    host = request.client.host if request.client else "unknown"
    return f"{request.username}@{host}" if getattr(request, "username", None) else host


# Gradio's front end titles the toasts of component errors (a refused upload) with a hard-coded English 「Error」
# (its own i18n does not reach them): the titles are put in Chinese as the toasts appear (#23 item 8)
TOAST_TITLES_JS = """
() => {
  const zh = {"Error": "错误", "Warning": "警告", "Info": "提示", "Success": "成功"};
  const fix = () => document.querySelectorAll(".toast-title").forEach((el) => {
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const t = n.nodeValue.trim();
      if (zh[t]) n.nodeValue = n.nodeValue.replace(t, zh[t]);
    }
  });
  new MutationObserver(fix).observe(document.body, {childList: true, subtree: true, characterData: true});
}
"""


def build_ui(service: AssistantService) -> gr.Blocks:
    settings = service.settings

    def respond(question: str, chat: list, doc_types: list, region: str, current_only: bool, extractive: bool,
                audit_ids: dict, request: gr.Request):
        question = (question or "").strip()
        chat = list(chat or [])
        if not question:
            gr.Warning("请输入问题。")
            yield chat, audit_ids, question
            return
        history = conversation(chat)
        chat = chat + [{"role": "user", "content": question}, {"role": "assistant", "content": "正在检索…"}]
        yield chat, audit_ids, ""
        filters = Filters(doc_types=frozenset(doc_types) if doc_types else None, region=(region or "").strip() or None,
                          current_only=bool(current_only))
        streamed, last, answer = "", 0.0, None
        started, found, stage = time.monotonic(), "", "正在检索"
        try:  # the stream runs in a worker; a tick each second keeps the stage and the elapsed time on screen
            for event in ticking(service.ask_stream(question, history=history or None, filters=filters,
                                                    user=_user(request), channel="ui", extractive=bool(extractive))):
                if event is None or event.kind == "sources":
                    if event is not None:
                        found = "**已找到依据：**" + "；".join(cite_label(i.hit) for i in event.answer.context[:5])
                        stage = "大模型正在阅读条文并作答"
                    if not streamed:
                        chat[-1] = {"role": "assistant", "content": f"{found}\n\n{stage}……（已用 "
                                                                    f"{time.monotonic() - started:.0f} 秒）".lstrip()}
                        yield chat, audit_ids, ""
                    continue
                if event.kind == "answer":
                    answer = event.answer
                    continue
                if event.kind == "reset":  # the model failed mid-answer: its half-written text goes
                    streamed = ""
                    continue
                streamed += event.text
                if time.monotonic() - last > 0.15:
                    chat[-1] = {"role": "assistant", "content": streamed + " ▌"}
                    last = time.monotonic()
                    yield chat, audit_ids, ""
        except QueryError as exc:
            chat[-1] = {"role": "assistant", "content": f"【出错】{exc}"}
            yield chat, audit_ids, ""
            return
        except Exception:  # noqa: BLE001 — shown as a message; the trace goes to the server log
            log.exception("answer in the UI failed")
            chat[-1] = {"role": "assistant", "content": "【出错】回答时出错，请稍后再试。"}
            yield chat, audit_ids, ""
            return
        chat[-1] = {"role": "assistant", "content": answer_markdown(answer)}
        audit_ids = {**(audit_ids or {}), str(len(chat) - 1): answer.audit_id}
        if answer.context or answer.unverified:
            title, body = sources_panel(answer)
            chat.append({"role": "assistant", "content": body, "metadata": {"title": title, "status": "done"}})
        yield chat, audit_ids, ""

    def on_like(audit_ids: dict, data: gr.LikeData, request: gr.Request):
        audit_id = (audit_ids or {}).get(str(data.index if isinstance(data.index, int) else data.index[0]))
        if not audit_id:
            return
        service.record_feedback(audit_id, "up" if data.liked else "down", user=_user(request), channel="ui")
        gr.Info("已记录您的反馈，谢谢！")

    def list_docs(doc_type: str | None, q: str):
        total, docs = service.documents(doc_type or None, (q or "").strip() or None, limit=500)
        rows = [[d["id"], d["title"], DOC_TYPE_ZH.get(d["doc_type"], d["doc_type"]), Status.shown(d["status"]),
                 d["status_basis"] or "", d["region"], d["effective_date"] or d["version_date"], d["chunks"],
                 f"⚠ 含疑似AI指令{len(d['planted'])}处（已隔离）：" + "；".join(d["planted"])[:200]
                 if d.get("planted") else ""]
                for d in docs]
        return rows, f"共 {total} 份文档（显示前 {len(rows)} 份）"

    def check_admin(token: str) -> None:
        if not settings.admin_token:
            raise gr.Error("管理操作未启用：请设置 E_ASSISTANT_ADMIN_TOKEN")
        if not secrets.compare_digest((token or "").strip().encode(), settings.admin_token.encode()):
            raise gr.Error("管理令牌不正确")

    def wait(job, progress: gr.Progress) -> str:
        deadline = time.monotonic() + 3600
        while job.status in ("queued", "running") and time.monotonic() < deadline:
            progress(job.fraction, desc=f"{job.description}：{job.to_dict()['stage_zh']}")
            time.sleep(0.3)
        if job.status == "succeeded":
            changes = "".join(f"\n- 效力变化：《{c['title']}》{c['status']}（{c['basis']}）"
                              for c in (job.result or {}).get("status_changes", []))
            return f"【完成】{job.description}{changes}"
        return f"【失败】{job.description}：{job.error or '仍在进行，请稍后刷新'}"

    def upload(files: list | None, token: str, request: gr.Request, progress=gr.Progress()):
        check_admin(token)
        if not files:
            raise gr.Error("请先选择要上传的文件。")
        lines = []
        for f in files:
            path = Path(f if isinstance(f, str) else f.name)
            if path.stat().st_size > settings.max_bytes:
                lines.append(f"【失败】{path.name}：文件过大，上限 {settings.max_file_mb:g} MB")
                continue
            try:
                job = service.upload(path.name, path.read_bytes(), user=_user(request), channel="ui")
            except UploadError as exc:
                lines.append(f"【失败】{path.name}：{exc}")
                continue
            lines.append(wait(job, progress))
        return "\n\n".join(lines)

    def delete(doc_id: str, token: str, request: gr.Request, progress=gr.Progress()):
        check_admin(token)
        doc_id = (doc_id or "").strip()
        try:
            job = service.delete_document(doc_id, user=_user(request), channel="ui")
        except KeyError:
            raise gr.Error(f"没有编号为「{doc_id}」的文档") from None
        return wait(job, progress)

    # files uploaded through the UI (its upload route takes them before any token is asked) are removed from Gradio's
    # cache after an hour, checked hourly (#23 item 7: the UI keeps only what it needs)
    with gr.Blocks(title="执法e助理", analytics_enabled=False, delete_cache=(3600, 3600)) as ui:
        gr.Markdown("## 执法e助理\n回答只依据检索到的法律、法规、裁量基准和工作规范，每处引用都经过核验。"
                    "　[API 文档](/docs)")
        with gr.Tab("问答"):
            chatbot = gr.Chatbot(label="对话", height=680, elem_id="chat", buttons=["copy"],
                                 placeholder="请输入执法中遇到的问题，回答会注明依据并核验出处。")
            with gr.Row():
                question = gr.Textbox(placeholder="例如：摊贩第一次占道经营，当场改正了，要罚款吗？", show_label=False,
                                      scale=8, max_lines=4, elem_id="question")
                send = gr.Button("提问", variant="primary", scale=1, elem_id="send")
            gr.Examples(EXAMPLES, inputs=question, label="示例问题")
            with gr.Accordion("检索范围", open=False):
                doc_types = gr.CheckboxGroup(DOC_TYPE_CHOICES, label="文档类型（不选即全部）")
                with gr.Row():
                    region = gr.Textbox(label="地区（如 广东；全国性文件总是包含）", scale=2)
                    current_only = gr.Checkbox(True, label="只用现行有效版本")
                    extractive = gr.Checkbox(False, label="不用大模型，直接列出条文原文")
            clear = gr.Button("清空对话", size="sm")
            audit_ids = gr.State({})
            inputs = [question, chatbot, doc_types, region, current_only, extractive, audit_ids]
            send.click(respond, inputs, [chatbot, audit_ids, question])
            question.submit(respond, inputs, [chatbot, audit_ids, question])
            chatbot.like(on_like, [audit_ids], None)
            clear.click(lambda: ([], {}), None, [chatbot, audit_ids])
        with gr.Tab("裁量"):
            gr.Markdown("输入案情（违法行为、情节、是否有同类违法记录、面积/数量等），给出适用的裁量档次、处罚幅度、"
                        "不予处罚情形和依据。结果直接取自裁量基准表，不经大模型改写。")
            with gr.Row():
                facts = gr.Textbox(label="案情", placeholder="例如：在饮用水水源一级保护区内垂钓，去年也被查处过一次",
                                   scale=6, lines=2, elem_id="facts")
                facts_region = gr.Textbox(label="地区", value=settings.region or "", scale=1)
                facts_day = gr.Textbox(label="违法行为发生日（YYYY-MM-DD，可空）", scale=1, elem_id="facts-day")
            advise_btn = gr.Button("查询裁量档次", variant="primary", elem_id="advise")
            advice_out = gr.Markdown(elem_id="advice")

            def advise(text: str, where: str, day: str, request: gr.Request):
                try:
                    return advice_markdown(service.discretion(text, region=(where or "").strip() or None,
                                                              user=_user(request), channel="ui", as_of=day))
                except QueryError as exc:
                    raise gr.Error(str(exc)) from None

            advise_btn.click(advise, [facts, facts_region, facts_day], advice_out)
            facts.submit(advise, [facts, facts_region, facts_day], advice_out)
        with gr.Tab("办案"):
            build_case_tab(service, _user)
        with gr.Tab("出题"):
            gr.Markdown("从法律条文直接出题：每道题的答案都对照条文核验，无法核验的题目不会出现。"
                        "「应用」难度的情境题（年龄、首违不罚、时效、简易程序、办案期限、裁量档次）答案由系统计算。")
            with gr.Row():
                quiz_scope = gr.Textbox(label="出题范围", value="行政处罚法", scale=3,
                                        placeholder="法律名称、「行政处罚法 第四章」、「行政处罚法 第30-33条」或主题")
                quiz_n = gr.Slider(1, 100, value=20, step=1, label="题目数量", scale=2)
            with gr.Row():
                quiz_types = gr.CheckboxGroup([("单选", "single"), ("多选", "multi"), ("判断", "judge"), ("案例分析", "case")],
                                              value=["single", "multi", "judge"], label="题型", scale=3)
                quiz_level = gr.Radio(["基础", "应用", "综合"], value="基础", label="难度", scale=2, elem_id="quiz_level")
            quiz_btn = gr.Button("生成试题", variant="primary", elem_id="quiz")
            quiz_report = gr.Markdown()
            quiz_preview = gr.Markdown(elem_id="quiz-preview")
            quiz_files = gr.File(label="下载（试卷 DOCX、题库 XLSX）", file_count="multiple")

            def make_quiz(scope_text: str, count: float, kinds: list, level: str, request: gr.Request,
                          progress=gr.Progress()):
                from assistant.quiz import ScopeError
                from assistant.quiz.export import to_docx, to_xlsx

                if not kinds:
                    raise gr.Error("请至少选择一种题型。")
                try:
                    # the LLM is asked only for 案例分析 (about a minute each, with the progress bar)
                    result = service.quiz(scope_text, int(count), tuple(kinds), use_llm="case" in kinds,
                                          user=_user(request), channel="ui", level=level or "基础",
                                          progress=lambda stage, done, total: progress(
                                              (done, max(total, 1)), desc=f"{stage}：{done}/{total}"))
                except (ScopeError, QueryError) as exc:
                    raise gr.Error(str(exc)) from None
                out_dir = Path(tempfile.mkdtemp(prefix="quiz-"))
                (out_dir / "试卷.docx").write_bytes(to_docx(result))
                (out_dir / "题库.xlsx").write_bytes(to_xlsx(result))
                r = result["report"]
                summary = (f"共 {r['items']} 题（情境应用题 {r.get('application_items', 0)}），答案全部核验："
                           f"{r['keys_verified']}/{r['items']}，形式检查通过 {r['passed_checks']}，"
                           f"舍弃无法核验的 {r['dropped_unverified']} 题。" + (f"\n\n{r['note']}" if r.get("note") else ""))
                return summary, quiz_markdown(result), [str(out_dir / "试卷.docx"), str(out_dir / "题库.xlsx")]

            quiz_btn.click(make_quiz, [quiz_scope, quiz_n, quiz_types, quiz_level], [quiz_report, quiz_preview, quiz_files])
        with gr.Tab("文档库"):
            token = gr.Textbox(label="管理令牌（上传、删除需要）", type="password", elem_id="admin_token")
            with gr.Row():
                # no file_types: Gradio would refuse another type with an English error; upload() says it in Chinese
                files = gr.File(label="上传文档（PDF / DOCX / Markdown / TXT / HTML / XLS / XLSX）", file_count="multiple",
                                scale=3, elem_id="doc_files")
                with gr.Column(scale=1):
                    upload_btn = gr.Button("上传并导入", variant="primary", elem_id="upload")
                    upload_status = gr.Markdown(elem_id="upload_status")
            with gr.Row():
                doc_type = gr.Dropdown([("全部", "")] + DOC_TYPE_CHOICES, value="", label="类型")
                title_q = gr.Textbox(label="按标题查找")
                refresh = gr.Button("刷新列表")
            count = gr.Markdown()
            table = gr.Dataframe(headers=["编号", "标题", "类型", "状态（今天）", "状态依据", "地区", "施行/版本日期", "内容块", "安全提示"],
                                 interactive=False, wrap=True, max_height=480)
            with gr.Row():
                delete_id = gr.Textbox(label="要删除的文档编号（见上表第一列）", scale=3)
                delete_btn = gr.Button("删除文档", variant="stop", scale=1)
            delete_status = gr.Markdown()
            refresh.click(list_docs, [doc_type, title_q], [table, count])
            title_q.submit(list_docs, [doc_type, title_q], [table, count])
            upload_btn.click(upload, [files, token], upload_status).then(list_docs, [doc_type, title_q], [table, count])
            delete_btn.click(delete, [delete_id, token], delete_status).then(list_docs, [doc_type, title_q],
                                                                           [table, count])
        ui.load(list_docs, [doc_type, title_q], [table, count])
    return ui
