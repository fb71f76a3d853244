"""Answers with verified citations: retrieve → number the context → generate → verify → check the conclusion.

Falls back to the extractive answer (with a notice) when no generator is configured, when the generator
fails or times out, and when the conclusion contradicts the legal consequence of the provisions it cites.

:meth:`AnswerPipeline.stream` is the one road: it yields the generator's tokens as they come, then the
verified :class:`Answer`; :meth:`AnswerPipeline.ask` is the same road, collected.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

from assistant.answer.answerability import Answerability, assess
from assistant.answer.consistency import is_consistent
from assistant.answer.context import (ContextItem, build_context, cite_label, planted_notice, render_block,
                                      render_context)
from assistant.answer.extractive import extractive_answer
from assistant.answer.facts import flag_assumed
from assistant.answer.references import resolve_references
from assistant.answer.transition import act_date, compare, pairs_for, rule_text
from assistant.answer.verify import CitationRecord, Unverified, Verification, verify
from assistant.llm.base import GenerationError, Generator
from assistant.llm.prompts import load_prompt
from assistant.retrieval import Filters, Hit, Retriever, validate_query
from assistant.retrieval.base import FIXED_VIA
from assistant.settings import Settings
from corpus.citations import find_citations
from corpus.succession import similarity_note
from corpus.validity import cn_date

NO_BASIS = "未检索到明确依据"
# A question that only asks what a cited article says (answered by quoting it, without the LLM)
ASKS_FOR_TEXT = re.compile(r"(?:是|有)?什么内容|内容是什么|规定了?什么|怎么规定|如何规定|原文|全文|是什么$|是什么[？?。]?$")
# The production budgets are the settings' defaults (prompt evaluation runs ≈ 38 tokens/s on 2 cores)
DEFAULT_CONTEXT_CHARS: int = Settings.model_fields["answer_context_chars"].default
DEFAULT_MAX_TOKENS: int = Settings.model_fields["answer_max_tokens"].default
_SAME: Any = object()  # "the pipeline's own generator"


@dataclass
class Answer:
    """A verified answer: its text (结论 → 理由 → 依据), the citations that hold, the failures marked in the
    text, status warnings, notices (fallbacks), timings in seconds, and the numbered context it rests on."""

    question: str
    answer: str
    backend: str  # local | openai | … | extractive | "extractive (fallback from …)" | discretion
    citations: list[CitationRecord] = field(default_factory=list)
    unverified: list[Unverified] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)  # retrieval, first_token, total (seconds)
    standalone_query: str = ""
    context: list[ContextItem] = field(default_factory=list)
    raw_answer: str = ""  # what the generator said, before verification
    checked_before: int = 0
    failed_before: int = 0
    audit_id: str = ""  # the audit-log entry of this answer (feedback refers to it)
    answerability: str = ""  # how it was decided the knowledge base can (not) answer (answer/answerability.py)
    as_of: str | None = None  # YYYY-MM-DD the answer is given for (statuses and warnings of that day); None: today

    def to_dict(self) -> dict:
        """The JSON shape of ``ask --json`` and ``POST /api/ask`` (web/schemas.py: AskResponse)."""
        return {"question": self.question, "answer": self.answer, "backend": self.backend,
                "citations": [c.model_dump() for c in self.citations],
                "unverified": [u.model_dump() for u in self.unverified], "warnings": self.warnings,
                "notices": self.notices, "timings": self.timings, "standalone_query": self.standalone_query,
                "audit_id": self.audit_id or None, "answerability": self.answerability or None, "as_of": self.as_of,
                "sources": [{"n": i.n, **i.hit.to_dict(self.as_of)} for i in self.context]}


@dataclass
class AnswerEvent:
    """One step of a streamed answer: a piece of text as it is written, or the final verified answer."""

    # sources: retrieval is done and the model starts (``answer`` holds the context so far); token: a piece of text;
    # reset: drop the text streamed so far (the model failed mid-way); answer: the verified answer
    kind: Literal["sources", "token", "reset", "answer"]
    text: str = ""
    answer: Answer | None = None


def _only_citation(question: str) -> bool:
    """「行政处罚法第三十三条第二款」: nothing but a citation (a few characters of particles aside)."""
    rest = question
    for cite in sorted(find_citations(question), key=lambda c: -c.start):
        rest = rest[:cite.start] + rest[cite.end:]
    return len(re.sub(r"[^\u4e00-\u9fffA-Za-z0-9]", "", rest)) <= 2


def conclusion_first(text: str) -> str:
    """Show 结论 → 理由 → 依据: the model reasons first (适用条文, 事实对照) and concludes after."""
    lines = text.strip().splitlines()
    idx = next((i for i, line in enumerate(lines) if line.lstrip().startswith("结论")), None)
    if idx is None or idx == 0:
        return text.strip()
    basis = [i for i, line in enumerate(lines) if line.lstrip().startswith("依据") and i > idx]
    end = basis[0] if basis else len(lines)
    conclusion = lines[idx:end]
    reasons = lines[:idx]
    rest = lines[end:]
    if reasons and not reasons[0].lstrip().startswith("理由"):
        reasons = ["理由："] + reasons
    return "\n".join(conclusion + reasons + rest)


class AnswerPipeline:
    """Retrieval → numbered context → generation → verification → consistency check.

    Built once per retriever (the service points ``retriever`` at a new index when one is swapped in); the
    generator may be given per call. Budgets default to the settings' defaults: ``context_chars``
    characters of retrieved text and ``max_tokens`` generated tokens.
    """

    def __init__(self, retriever: Retriever, generator: Generator | None = None, top_k: int = 8,
                 context_chars: int = DEFAULT_CONTEXT_CHARS, max_tokens: int = DEFAULT_MAX_TOKENS,
                 prompt_version: int | None = None):
        self.retriever, self.generator = retriever, generator
        self.top_k, self.context_chars, self.max_tokens = top_k, context_chars, max_tokens
        self.system_prompt, self.prompt_version = load_prompt("answer", prompt_version)

    @classmethod
    def from_settings(cls, retriever: Retriever, generator: Generator | None, settings: Settings) -> AnswerPipeline:
        """The pipeline with the settings' budgets (``answer_context_chars``, ``answer_max_tokens``)."""
        return cls(retriever, generator, context_chars=settings.answer_context_chars,
                   max_tokens=settings.answer_max_tokens)

    @property
    def store(self):
        return self.retriever.store

    @property
    def backend(self) -> str:
        return self.generator.name if self.generator else "extractive"

    def ask(self, question: str, history: list[dict[str, str]] | None = None, filters: Filters | None = None,
            on_token: Callable[[str], None] | None = None, generator: Generator | None = _SAME) -> Answer:
        """The verified answer to ``question`` (see :meth:`stream`); ``on_token`` sees the streamed text."""
        answer = None
        for event in self.stream(question, history, filters, generator):
            if event.kind == "token" and on_token:
                on_token(event.text)
            elif event.kind == "answer":
                answer = event.answer
        return answer

    def stream(self, question: str, history: list[dict[str, str]] | None = None, filters: Filters | None = None,
               generator: Generator | None = _SAME) -> Iterator[AnswerEvent]:
        """Tokens as the generator writes them (the extractive text in one piece), then the verified answer.

        ``history`` ([{"role": "user"|"assistant", "content": …}]) makes the question a follow-up, rewritten
        into a standalone query first. ``generator`` overrides the pipeline's (None: extractive). Raises
        QueryError, on the first ``next()``, for a question that cannot be searched. The final text can
        differ from the streamed one: failed citations are marked, and a failed or inconsistent generation
        is replaced by the extractive answer (with a notice saying why). When the question dates the act before
        the law in force today took effect, the answer ends with the 新旧衔接 section (answer/transition.py).
        """
        for event in self._stream(question, history, filters, generator):
            if event.kind == "answer" and not (filters and filters.as_of):
                self._add_transition(event.answer, filters)
            yield event

    def _add_transition(self, result: Answer, filters: Filters | None) -> None:
        """Append 新旧衔接 — the article in force when the act occurred, the one in force now, the two fines
        compared and the 从旧兼从轻 rule — all quoted from the corpus and verified."""
        on = act_date(result.standalone_query or result.question)
        if not on or not result.context or result.answerability not in ("legal_question", "evidence", "rule"):
            return  # no date, a refusal, or an article looked up by its number
        pairs = pairs_for(self.retriever, self.store, result.standalone_query or result.question, on, filters)[:2]
        if not pairs:
            return
        items = list(result.context)

        def add(hit: Hit) -> int:
            for item in items:
                if item.hit.chunk.id == hit.chunk.id:
                    return item.n
            items.append(ContextItem(len(items) + 1, hit, render_block(len(items) + 1, hit, result.as_of)))
            return len(items)

        lines = [f"新旧衔接：问题所述行为发生于{cn_date(on)}前后，其后适用的规定有变化。"]
        for p in pairs:
            then_n = add(p.then)
            now_n = add(Hit(p.now_chunk, p.now_doc, 0.0, "successor"))
            lines.append(f"行为时适用{cite_label(p.then)}[{then_n}]（{p.then.document.status_basis}）；"
                         f"现行对应条文为《{p.now_doc.title}》{p.now_chunk.label_cn}[{now_n}]{similarity_note(p.similarity)}。")
            verdict = compare(p.then.chunk.text, p.now_chunk.text)
            if verdict:
                lines.append(verdict + "。")
        rule = rule_text(self.store, pairs)
        if rule is not None:
            doc, chunk = rule
            n = add(Hit(chunk, doc, 0.0, "rule"))
            lines.append(f"适用规则（从旧兼从轻）：《{doc.title}》{chunk.label_cn}[{n}]规定：「{''.join(chunk.paragraphs)}」")
        text = "\n".join(lines)
        checked = verify(text, items, self.store, result.as_of, result.standalone_query or result.question)
        result.answer = f"{result.answer}\n{checked.text}"
        result.context = items
        known = {(c.chunk_id, c.n) for c in result.citations}
        result.citations += [c for c in checked.citations if (c.chunk_id, c.n) not in known]
        result.unverified += checked.unverified
        result.warnings += [w for w in checked.warnings if w not in result.warnings]

    def _stream(self, question: str, history: list[dict[str, str]] | None, filters: Filters | None,
                generator: Generator | None) -> Iterator[AnswerEvent]:
        gen = self.generator if generator is _SAME else generator
        t0 = time.perf_counter()
        q = validate_query(question, self.retriever.max_query_chars)
        standalone = self.rewrite(q, history, gen) if history else q
        law, on = (filters.law, filters.as_of) if filters else (None, None)
        resolved = resolve_references(standalone, self.store, history, law=law, on=on)
        standalone = resolved.query
        if resolved.unresolved:  # 「第十条讲什么」 with many documents in scope: ask, do not guess
            ranked = [h.document.title for h in self.retriever.search(standalone, k=20, filters=filters)]
            resolved = resolve_references(standalone, self.store, history, law=law, on=on, prefer=ranked)
            hits, verdict = [], Answerability(False, "ambiguous_reference", resolved.message)
        else:
            hits = self.retriever.search(standalone, k=self.top_k, filters=filters)
            verdict = assess(standalone, hits, self.retriever, self.retriever.tokenize)
        if not verdict.answerable:
            hits = []  # no source card is shown as the basis of an answer the knowledge base cannot give
        if any(h.via == "rule" for h in hits):
            # A general rule the facts trigger decides the question; with a small model, other
            # provisions in the context were seen to pull the conclusion away from it.
            hits = [h for h in hits if h.via in FIXED_VIA]
        items = build_context(hits, self.context_chars, on=on)
        timings = {"retrieval": time.perf_counter() - t0}
        result = Answer(question=q, answer="", backend=gen.name if gen else "extractive",
                        standalone_query=standalone, context=items, timings=timings, answerability=verdict.kind,
                        as_of=on)
        if (planted := planted_notice(items)) is not None:
            result.notices.append(planted)
        if not items:
            if verdict.kind == "ambiguous_reference":
                result.answer = f"结论：{verdict.message}"
            else:
                result.answer = (f"结论：{NO_BASIS}。{verdict.message.removeprefix(NO_BASIS + '：')}"
                                 if verdict.message else extractive_answer([]))
            result.backend = "extractive"
            timings["first_token"] = timings["total"] = time.perf_counter() - t0
            yield AnswerEvent("token", result.answer)
            yield AnswerEvent("answer", answer=result)
            return
        if hits[0].via == "lookup" and (ASKS_FOR_TEXT.search(q) or _only_citation(q)):
            # 「第三十三条是什么内容」: the article itself is the answer, quoted exactly and at once
            yield from self._extractive(result, items, t0, gen, fallback=False)
            return
        raw = None
        if gen is not None:
            yield AnswerEvent("sources", answer=result)  # shown while the model reads them (#23: no frozen page)
            pieces: list[str] = []
            streamed = False
            for piece in self._generate(gen, standalone, items, result, t0, pieces):
                streamed = True
                yield AnswerEvent("token", piece)
            if streamed and not pieces:  # it failed after some text: clients drop the half-written answer
                yield AnswerEvent("reset")
            raw = "".join(pieces).strip() or None
            if raw is None and not result.notices:
                result.notices.append("大模型没有返回内容，已改为列出检索到的条文原文。")
        if raw is None:
            yield from self._extractive(result, items, t0, gen)
            return
        checked = verify(raw, items, self.store, result.as_of, standalone)
        cited_texts = [i.hit.chunk.text for i in items if any(c.chunk_id == i.hit.chunk.id for c in checked.citations)]
        ok, reason = is_consistent(checked.text, cited_texts, standalone)
        if ok:
            rule_texts = [i.hit.chunk.paragraph(i.hit.paragraph) or i.hit.chunk.text for i in items if i.hit.via == "rule"]
            ok, reason = is_consistent(checked.text, rule_texts, standalone)
        if not ok:
            result.notices.append(f"模型的结论与其引用的条文不一致（{reason}），已改为列出条文原文。")
            result.raw_answer = raw
            yield from self._extractive(result, items, t0, gen, stream_text=False)
            return
        self._fill(result, checked, raw)
        result.answer, assumed = flag_assumed(conclusion_first(result.answer), standalone)
        result.warnings += assumed  # 事实对照 taking as known what the officer did not say
        timings["total"] = time.perf_counter() - t0
        yield AnswerEvent("answer", answer=result)

    def _generate(self, gen: Generator, question: str, items: list[ContextItem], result: Answer, t0: float,
                  pieces: list[str]) -> Iterator[str]:
        """The generator's pieces, also collected in ``pieces``; a GenerationError empties them, with a notice."""
        messages = [{"role": "system", "content": self.system_prompt},
                    {"role": "user", "content": f"【资料】\n{render_context(items)}\n\n【问题】\n{question}"}]
        try:
            for piece in gen.stream(messages, max_tokens=self.max_tokens):
                if not pieces:
                    result.timings["first_token"] = time.perf_counter() - t0
                pieces.append(piece)
                yield piece
        except GenerationError as exc:
            pieces.clear()
            result.notices.append(f"大模型暂不可用（{exc}），本次已改为列出检索到的条文原文。")

    def _extractive(self, result: Answer, items: list[ContextItem], t0: float, gen: Generator | None,
                    fallback: bool = True, stream_text: bool = True) -> Iterator[AnswerEvent]:
        text = extractive_answer(items, question=result.standalone_query or result.question)
        checked = verify(text, items, self.store, result.as_of, result.standalone_query or result.question)
        before = (result.checked_before, result.failed_before)
        removed: list[Unverified] = []
        if result.raw_answer:  # the model's answer is not shown: what failed in it is reported as removed
            first = verify(result.raw_answer, items, self.store, result.as_of, result.standalone_query or result.question)
            before = (first.checked_before, first.failed_before)
            removed = first.unverified
        self._fill(result, checked, result.raw_answer or text)
        result.unverified = removed + result.unverified
        result.checked_before, result.failed_before = before
        result.backend = "extractive" if gen is None or not fallback else f"extractive (fallback from {gen.name})"
        if "first_token" not in result.timings:
            result.timings["first_token"] = time.perf_counter() - t0
        result.timings["total"] = time.perf_counter() - t0
        if stream_text:
            yield AnswerEvent("token", result.answer)
        yield AnswerEvent("answer", answer=result)

    @staticmethod
    def _fill(result: Answer, checked: Verification, raw: str) -> None:
        result.answer = checked.text
        result.raw_answer = raw
        result.citations = list(checked.citations)
        result.unverified = checked.unverified
        result.warnings = checked.warnings
        result.checked_before = checked.checked_before
        result.failed_before = checked.failed_before

    def rewrite(self, question: str, history: list[dict[str, str]], generator: Generator | None = _SAME) -> str:
        """A follow-up rewritten into a standalone query (by the LLM; without one, prefixed with the last question)."""
        gen = self.generator if generator is _SAME else generator
        last_user = next((m["content"] for m in reversed(history) if m.get("role") == "user"), "")
        if gen is None:
            return self._joined(last_user, question)
        template, _ = load_prompt("rewrite")
        convo = "\n".join(f"{'用户' if m['role'] == 'user' else '助理'}：{m['content'][:300]}" for m in history[-6:])
        messages = [{"role": "user", "content": template.format(history=convo, question=question)}]
        try:
            text = "".join(gen.stream(messages, max_tokens=96)).strip().splitlines()
        except GenerationError:
            text = []
        rewritten = text[0].strip() if text else ""
        return rewritten if 2 <= len(rewritten) <= self.retriever.max_query_chars else self._joined(last_user, question)

    def _joined(self, earlier: str, question: str) -> str:
        """The previous question and the follow-up in one query, the earlier one cut so the whole fits the limit."""
        room = self.retriever.max_query_chars - len(question) - 1
        return f"{earlier[-room:]} {question}".strip() if earlier and room > 0 else question
