"""The default 执法文书 template (``templates/文书.docx``) and rendering of a draft into it with ``docxtpl``.

The template is an ordinary Word file with Jinja tags; a deployer may put their own unified 文书 (same tags) in
``E_ASSISTANT_CASE_TEMPLATES``/<文书名>.docx (e.g. 行政处罚决定书.docx) to replace it for that kind. Context:
``organ`` (机关名称), ``title``, ``case_no``, ``party``, ``sections`` (list of {heading, lines}), ``footer``
(lines), ``notice`` (the draft warning), ``tips`` (what the officer must check; printed last, to delete).

``python -m assistant.case.template_docx`` rewrites the bundled default.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docxtpl import DocxTemplate

DEFAULT_TEMPLATE = Path(__file__).parent / "templates" / "文书.docx"


def write_default_template(path: Path = DEFAULT_TEMPLATE) -> Path:
    """Write the generic template (one layout for every kind of 文书) to ``path``."""
    doc = Document()
    section = doc.sections[0]  # A4 (GB/T 9704: 党政机关公文格式), margins 37/28/26/26 mm
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin, section.left_margin, section.right_margin = Mm(37), Mm(35), Mm(28), Mm(26)
    style = doc.styles["Normal"]
    style.font.size = Pt(16)  # 三号
    style.font.name = "仿宋_GB2312"
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "仿宋_GB2312")
    props = doc.core_properties
    props.author, props.comments, props.title = "执法e助理", "执法文书草稿模板（docxtpl）", "执法文书"

    def centred(text: str, size: int, bold: bool = False) -> None:
        p = doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = p.add_run(text)
        run.font.size, run.bold = Pt(size), bold

    centred("{{ notice }}", 10)
    centred("{{ organ }}", 18, bold=True)
    centred("{{ title }}", 22, bold=True)
    p = doc.add_paragraph("{{ case_no }}")
    p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    doc.add_paragraph("当事人：{{ party }}")
    doc.add_paragraph("{%p for section in sections %}")
    doc.add_paragraph().add_run("{{ section.heading }}").bold = True
    doc.add_paragraph("{%p for line in section.lines %}")
    doc.add_paragraph("{{ line }}")
    doc.add_paragraph("{%p endfor %}")
    doc.add_paragraph("{%p endfor %}")
    doc.add_paragraph("{%p for line in footer %}")
    p = doc.add_paragraph("{{ line }}")
    p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    doc.add_paragraph("{%p endfor %}")
    doc.add_paragraph("{%p if tips %}")
    doc.add_paragraph().add_run("起草提示（定稿前删除）").bold = True
    doc.add_paragraph("{%p for tip in tips %}")
    doc.add_paragraph("⚠ {{ tip }}")
    doc.add_paragraph("{%p endfor %}")
    doc.add_paragraph("{%p endif %}")
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(path)
    return path


def render(context: dict[str, Any], template: Path = DEFAULT_TEMPLATE) -> bytes:
    """The filled template as DOCX bytes."""
    tpl = DocxTemplate(str(template))
    tpl.render(context, autoescape=True)
    props = tpl.docx.core_properties  # python-docx's defaults name itself; the draft names the product
    props.author, props.last_modified_by, props.comments = "执法e助理", "执法e助理", "执法文书草稿，须经执法人员核对"
    out = io.BytesIO()
    tpl.save(out)
    return out.getvalue()


if __name__ == "__main__":
    print(write_default_template())
