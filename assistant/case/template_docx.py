"""The default 执法文书 template (``templates/文书.docx``) and rendering of a draft into it with ``docxtpl``.

The template is an ordinary Word file with Jinja tags; a deployer may put their own unified 文书 (same tags) in
``E_ASSISTANT_CASE_TEMPLATES``/<文书名>.docx (e.g. 行政处罚决定书.docx) to replace it for that kind. Context:
``organ`` (机关名称), ``title``, ``case_no``, ``party``, ``sections`` (list of {heading, lines}), ``footer``
(lines), ``notice`` (the draft warning), ``today``.

``python -m assistant.case.template_docx`` rewrites the bundled default.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt
from docxtpl import DocxTemplate

DEFAULT_TEMPLATE = Path(__file__).parent / "templates" / "文书.docx"


def write_default_template(path: Path = DEFAULT_TEMPLATE) -> Path:
    """Write the generic template (one layout for every kind of 文书) to ``path``."""
    doc = Document()
    style = doc.styles["Normal"]
    style.font.size = Pt(12)

    def centred(text: str, size: int, bold: bool = False) -> None:
        p = doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = p.add_run(text)
        run.font.size, run.bold = Pt(size), bold

    centred("{{ notice }}", 10)
    centred("{{ organ }}", 16, bold=True)
    centred("{{ title }}", 20, bold=True)
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
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(path)
    return path


def render(context: dict[str, Any], template: Path = DEFAULT_TEMPLATE) -> bytes:
    """The filled template as DOCX bytes."""
    tpl = DocxTemplate(str(template))
    tpl.render(context, autoescape=True)
    out = io.BytesIO()
    tpl.save(out)
    return out.getvalue()


if __name__ == "__main__":
    print(write_default_template())
