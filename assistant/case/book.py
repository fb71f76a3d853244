"""The procedure book: the bundled data file, its extensions and a deployer's own rule files, read and checked
against the store.

Every basis (「第六十条」 of the procedure's law, 「《中华人民共和国行政复议法》第二十条第一款」) is looked up in the
store; its text shown to officers is the corpus text. A basis the store lacks (or holds only in a version no
longer in force), a rule that cannot be read, an unknown event and a procedure whose ``requires`` documents are
absent are reported in :attr:`ProcedureBook.problems`; such a procedure is not offered (``unavailable``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from pydantic import ValidationError

from corpus.lookup import find_article, find_documents
from corpus.numerals import cn_to_int
from corpus.store import Store

from assistant.case.model import (BasisArticle, CountingSpec, EventSpec, ProcedureFile, ProcedureSpec, StepSpec,
                                  WorkingDayRule)
from assistant.case.rules import RuleError, event_index, parse_rule, resolve_event

DATA_DIR = Path(__file__).parent / "data"
BUNDLED = DATA_DIR / "procedures.yaml"
EXTENSIONS = DATA_DIR / "extensions"

_REF = re.compile(r"^(?:《(?P<title>[^》]+)》)?第(?P<art>[〇零一二两三四五六七八九十百千\d]+)条"
                  r"(?:第(?P<para>[一二三四五六七八九十\d]+)款)?(?:第(?P<item>[一二三四五六七八九十\d]+)项)?$")


class ProcedureFileError(ValueError):
    """A procedure file that cannot be read at all (YAML or shape errors; the message is Chinese)."""


def _int(text: str | None) -> int | None:
    if not text:
        return None
    return int(text) if text.isdigit() else cn_to_int(text)


def _item_text(paragraph: str, item: int) -> str:
    """The 项 「（N）…」 of a 款, up to the next item (「」 when absent)."""
    from corpus.numerals import int_to_cn

    start = paragraph.find(f"（{int_to_cn(item)}）")
    if start < 0:
        return ""
    end = paragraph.find(f"（{int_to_cn(item + 1)}）", start)
    return paragraph[start:end if end > 0 else None].strip()


def lookup_basis(store: Store, ref: str, law: str) -> BasisArticle:
    """``ref`` (「第六十四条第一款第一项」, or 「《X》第N条」 naming another document) of ``law`` → the article as
    the store holds it in force today; ``verified`` False (with ``problem``) when it does not."""
    m = _REF.match("".join(ref.split()))
    if not m:
        return BasisArticle(label=ref, title=law, article=0, problem=f"无法识别的条文「{ref}」")
    title = m["title"] or law
    article, paragraph, item = _int(m["art"]), _int(m["para"]), _int(m["item"])
    label = f"《{title}》{ref[ref.index('第'):] if m['title'] else ref}"
    basis = BasisArticle(label=label, title=title, article=article or 0, paragraph=paragraph, item=item)
    found = find_article(store, title, article or 0)
    if found is None:
        stale = find_article(store, title, article or 0, current_only=False)
        basis.problem = (f"知识库中的《{title}》已非现行有效版本" if stale else
                         f"知识库中没有《{title}》{ref[ref.index('第'):]}") + "，该依据无法核对"
        return basis
    doc, chunk = found
    text = "\n".join(chunk.paragraphs) if chunk.paragraphs else chunk.text
    if paragraph is not None:
        text = chunk.paragraph(paragraph) or ""
        if item is not None and text:
            text = _item_text(text, item)
        if not text:
            basis.problem = f"《{doc.title}》第{article}条没有所指的款、项"
            return basis
    basis.title, basis.text, basis.chunk_id, basis.verified = doc.title, text, chunk.id, True
    basis.status = "现行有效"
    return basis


@dataclass
class ProcedureBook:
    """Procedures by id (only those whose every basis and rule checked out, or whose problems are minor), the
    events, the counting articles and working-day rules, and every problem found (Chinese, one per line)."""

    procedures: dict[str, ProcedureSpec]
    events: dict[str, EventSpec]
    working_days: list[WorkingDayRule]
    counting: CountingSpec
    bases: dict[tuple[str, str], BasisArticle]  # (law, ref) → the looked-up article
    problems: list[str] = field(default_factory=list)
    unavailable: dict[str, str] = field(default_factory=dict)  # procedure id → why it is not offered
    order: list[str] = field(default_factory=list)  # events in the order a case passes them

    def basis(self, ref: str, law: str) -> BasisArticle:
        return self.bases[(law, ref)]

    def event_of(self, wording: str) -> str | None:
        return resolve_event(wording, event_index(self.events))


def _read(path: Path) -> ProcedureFile:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        spec = ProcedureFile.model_validate(raw or {})
    except (OSError, UnicodeDecodeError, yaml.YAMLError, ValidationError) as exc:
        raise ProcedureFileError(f"办案流程文件 {path} 无法读取：{str(exc)[:300]}") from exc
    for procedure in spec.procedures:
        procedure.source = str(path)
        for step in procedure.steps:
            step.law = procedure.law
    return spec


def _extend(parent: ProcedureSpec, child: ProcedureSpec) -> ProcedureSpec:
    """``child`` on top of ``parent``: a step with a parent's id replaces its deadline and event and adds its
    bases (which refer to the child's law); a new step is appended."""
    steps = [s.model_copy(deep=True) for s in parent.steps]
    by_id = {s.id: s for s in steps}
    for own in child.steps:
        if own.id in by_id:
            step = by_id[own.id]
            step.basis = [*(b if b.startswith("《") else f"《{step.law}》{b}" for b in step.basis),
                          *(b if b.startswith("《") else f"《{own.law}》{b}" for b in own.basis)]
            if own.deadline is None and step.deadline and step.deadline.basis and \
                    not step.deadline.basis.startswith("《"):  # the parent's limit keeps the parent's law
                step.deadline.basis = f"《{step.law}》{step.deadline.basis}"
            step.law = own.law
            step.deadline = own.deadline or step.deadline
            step.event = own.event or step.event
            step.actions = own.actions or step.actions
            step.documents = own.documents or step.documents
        else:
            steps.append(own)
    merged = child.model_copy(update={"steps": steps, "law": child.law or parent.law,
                                      "applies": child.applies or parent.applies})
    return merged


def load_book(store: Store, extra_files: list[Path] | None = None, bundled: Path = BUNDLED,
              extensions: Path | None = EXTENSIONS) -> ProcedureBook:
    """Read the bundled file, the bundled extensions and ``extra_files`` (a deployer's), merge them (later files
    add procedures and extend earlier ones) and check every basis, rule and event against ``store``.

    Raises ProcedureFileError only for a file that cannot be read; everything else is a reported problem."""
    files = [bundled, *sorted((extensions.glob("*.yaml") if extensions and extensions.is_dir() else [])),
             *(extra_files or [])]
    events: dict[str, EventSpec] = {}
    order: list[str] = []
    working: list[WorkingDayRule] = []
    counting = CountingSpec()
    procedures: dict[str, ProcedureSpec] = {}
    problems: list[str] = []
    for path in files:
        spec = _read(Path(path))
        events.update(spec.events)
        order = spec.order or order
        working.extend(spec.working_days)
        counting = spec.counting or counting
        for procedure in spec.procedures:
            if procedure.extends:
                parent = procedures.get(procedure.extends)
                if parent is None:
                    problems.append(f"{path}：程序「{procedure.id}」扩展的「{procedure.extends}」不存在")
                    continue
                procedure = _extend(parent, procedure)
            procedures[procedure.id] = procedure
    book = ProcedureBook(procedures, events, working, counting, {}, problems, order=order)
    _check(book, store)
    return book


def _check(book: ProcedureBook, store: Store) -> None:
    index = event_index(book.events)

    def look(ref: str, law: str) -> BasisArticle:
        key = (law, ref)
        if key not in book.bases:
            book.bases[key] = lookup_basis(store, ref, law)
        return book.bases[key]

    for ref in (book.counting.start, book.counting.months, book.counting.holiday_end):
        if not (basis := look(ref, book.counting.law)).verified:
            book.problems.append(f"期间计算规则：{basis.problem}")
    for rule in book.working_days:
        if not (basis := look(rule.basis, rule.law)).verified:
            book.problems.append(f"工作日规则：{basis.problem}")
    for pid, procedure in book.procedures.items():
        where = f"程序「{pid}」（{Path(procedure.source).name}）"
        missing = [t for t in procedure.requires if not find_documents(store, t)]
        if missing:
            book.unavailable[pid] = "知识库未收录" + "、".join(f"《{t}》" for t in missing)
            book.problems.append(f"{where}：{book.unavailable[pid]}，不提供该程序")
            continue
        for step in procedure.steps:
            for ref in step.basis:
                if not (basis := look(ref, step.law)).verified:
                    book.problems.append(f"{where}第「{step.id}」步：{basis.problem}")
            for name in filter(None, (step.event, step.after_event)):
                if name not in book.events:
                    book.problems.append(f"{where}第「{step.id}」步：未定义的事件「{name}」")
            spec = step.deadline
            if spec is None:
                continue
            if spec.basis and not (basis := look(spec.basis, step.law)).verified:
                book.problems.append(f"{where}第「{step.id}」步的时限：{basis.problem}")
            if spec.rule:
                try:
                    parsed = parse_rule(spec.rule)
                except RuleError as exc:
                    book.problems.append(f"{where}第「{step.id}」步：{exc}")
                    continue
                if not spec.from_step and resolve_event(parsed.event, index) is None:
                    book.problems.append(f"{where}第「{step.id}」步：时限规则中的「{parsed.event}」不是已定义的事件")
            elif spec.stated_in and spec.from_ not in book.events:
                book.problems.append(f"{where}第「{step.id}」步：未定义的事件「{spec.from_}」")
