"""Quiz exports: DOCX (a printable paper, then on a new page the answer sheet with 解析 and sources) and XLSX
(one row per item, the columns common exam systems import: 题型, 题干, 选项A–E, 答案, 解析, 出处, 知识点, 难度)."""

from __future__ import annotations

import io

from assistant.quiz.generate import TYPE_ZH

SECTION_ORDER = ("single", "multi", "judge", "case")
SECTION_ZH = {"single": "一、单项选择题", "multi": "二、多项选择题", "judge": "三、判断题", "case": "四、案例分析题"}


def source_label(src: dict) -> str:
    date = src.get("version_date") or src.get("effective_date") or ""
    return f"《{src['title']}》{src.get('label') or ''}" + (f"（{date}版）" if date else "")


def _numbered(items: list[dict]) -> list[tuple[str, dict]]:
    out, n = [], 0
    for kind in SECTION_ORDER:
        for item in (i for i in items if i["type"] == kind):
            n += 1
            out.append((str(n), item))
    return out


def to_docx(quiz: dict) -> bytes:
    from docx import Document
    from docx.enum.text import WD_BREAK

    doc = Document()
    doc.add_heading(f"执法知识测试：{quiz['scope']}", level=1)
    doc.add_paragraph("姓名：__________　单位：__________　得分：__________")
    blueprint = quiz.get("report", {}).get("blueprint")
    if blueprint:  # 命题蓝图: how many items each chapter gives (#25)
        doc.add_paragraph("命题蓝图：" + "；".join(f"{chapter} {count} 题" for chapter, count in blueprint.items()))
    numbered = _numbered(quiz["items"])
    current = None
    for no, item in numbered:
        if item["type"] != current:
            current = item["type"]
            doc.add_heading(SECTION_ZH[current], level=2)
        doc.add_paragraph(f"{no}. {item['stem']}")
        if item["type"] == "case":
            for j, sub in enumerate(item["sub_questions"], 1):
                doc.add_paragraph(f"（{j}）{sub['stem']}")
                for letter, text in sub["options"].items():
                    doc.add_paragraph(f"    {letter}. {text}")
        else:
            for letter, text in item["options"].items():
                doc.add_paragraph(f"    {letter}. {text}")
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    doc.add_heading("答案与解析", level=1)
    for no, item in numbered:
        if item["type"] == "case":
            for j, sub in enumerate(item["sub_questions"], 1):
                doc.add_paragraph(f"{no}（{j}）答案：{''.join(sub['answer'])}　解析：{sub['explanation']}　"
                                  f"出处：{source_label(sub['source'])}")
        else:
            doc.add_paragraph(f"{no}. 答案：{''.join(item['answer'])}　解析：{item['explanation']}　"
                              f"出处：{source_label(item['source'])}")
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def to_xlsx(quiz: dict) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "试题"
    ws.append(["序号", "题型", "题干", "选项A", "选项B", "选项C", "选项D", "选项E", "答案", "解析", "出处", "知识点", "难度"])
    for no, item in _numbered(quiz["items"]):
        rows = [(no, item)] if item["type"] != "case" else [
            (f"{no}-{j}", {**sub, "stem": f"{item['stem']}\n（{j}）{sub['stem']}"}) for j, sub in enumerate(item["sub_questions"], 1)]
        for label, it in rows:
            opts = [it["options"].get(letter, "") for letter in "ABCDE"]
            ws.append([label, TYPE_ZH[item["type"]] if item["type"] == "case" else TYPE_ZH[it["type"]], it["stem"], *opts,
                       "".join(it["answer"]), it["explanation"], source_label(it["source"]), item["tag"], item["difficulty"]])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
