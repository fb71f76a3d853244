"""Answer evaluation: citation precision, gold coverage, hallucinated citations before/after verification,
refusals on questions the corpus cannot answer, conclusion accuracy, the citation check's own errors, latency.

The conclusion questions (``evals/data/conclusion_questions.jsonl``, 45) were written from articles of the corpus,
each with the article text that decides it; they are kept out of prompt tuning. Twelve whose answer is a penalty
outcome carry ``outcome`` — ``no_penalty`` (不予处罚), ``may_no_penalty`` (可以不予处罚) or ``penalty`` — and are
scored on it (a flat 「不予行政处罚」 for a 「可以不予」 question is wrong); the others on yes/no.

The citation-check set (``evals/data/citation_checks.jsonl``, 20) holds answers written the way the model and the
extractive backend write them, each quoting or citing an article either rightly (``expect: ok``) or wrongly
(``flag``: words of another article or 款, a changed number, an article or law that does not exist, a marker
with no source); it measures false alarms (a right answer flagged) and misses (a wrong one passed).
"""

from __future__ import annotations

import json
import re
import statistics
from pathlib import Path

from assistant.answer.pipeline import NO_BASIS, Answer, AnswerPipeline
from assistant.answer.consistency import conclusion_of, outcome
from evals.retrieval import law_key

DATA = Path(__file__).resolve().parent / "data"
NEGATIVE = re.compile(r"不予|不能|不可以|不得|不应|不需|无需|不用|不会|不属于|不是|不再|不停止|无权|否|没有权|不必|不承担|不视为|不构成|不可")
POSITIVE = re.compile(r"可以|应当|需要|有权|能够|能|是|属于|视为|要|会|应|必须|构成")


def yes_no(conclusion: str) -> str | None:
    if NEGATIVE.search(conclusion):
        return "no"
    if POSITIVE.search(conclusion):
        return "yes"
    return None


def _jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))]


def answerability(pipeline: AnswerPipeline, path: Path = DATA / "answerability.jsonl", run=None) -> dict:
    """Refusals on ``evals/data/answerability.jsonl`` per split: the share of answerable questions refused
    (target ≤ 5 %) and of unanswerable ones refused (target ≥ 90 %), for the product's decision and for the
    earlier rule (refuse when the encoder's best cosine is under its floor, unless a lookup or rule hit)."""
    from assistant.retrieval.base import FIXED_VIA

    run = run or pipeline.ask
    out: dict = {}
    rows = _jsonl(path)
    for split in sorted({r["split"] for r in rows}):
        part = [r for r in rows if r["split"] == split]
        now, old = [], []
        for r in part:
            refused = NO_BASIS in conclusion_of(run(r["question"]).answer)
            hits = pipeline.retriever.search(r["question"], k=pipeline.top_k)
            old_refused = bool(hits) and not any(h.via in FIXED_VIA for h in hits) and \
                pipeline.retriever.is_outside_corpus(r["question"])
            now.append((r["answerable"], refused))
            old.append((r["answerable"], old_refused))
        for name, pairs in (("", now), ("old_cosine_", old)):
            a = [x for x in pairs if x[0]]
            u = [x for x in pairs if not x[0]]
            refused = sum(ref for _, ref in pairs)
            out[f"{split}_{name}answerable_refused"] = sum(ref for _, ref in a) / len(a) if a else 0.0
            out[f"{split}_{name}unanswerable_refused"] = sum(ref for _, ref in u) / len(u) if u else 0.0
            # a refusal as the prediction of "unanswerable": how many refusals were right, how many were found
            out[f"{split}_{name}refusal_precision"] = sum(ref for _, ref in u) / refused if refused else 1.0
            out[f"{split}_{name}refusal_recall"] = out[f"{split}_{name}unanswerable_refused"]
    return out


def citation_checks(pipeline: AnswerPipeline, path: Path = DATA / "citation_checks.jsonl") -> dict:
    """False alarms and misses of the citation check (assistant/answer/verify.py) on crafted answers: each is
    verified against the context the pipeline retrieves for its question, as an answer would be."""
    from assistant.answer.context import build_context
    from assistant.answer.verify import verify

    rows = _jsonl(path)
    false_alarms, misses = [], []
    for r in rows:
        items = build_context(pipeline.retriever.search(r["question"], k=pipeline.top_k), pipeline.context_chars)
        flagged = bool(verify(r["answer"], items, pipeline.store, question=r["question"]).unverified)
        if flagged and r["expect"] == "ok":
            false_alarms.append(r["id"])
        if not flagged and r["expect"] == "flag":
            misses.append(r["id"])
    ok = sum(r["expect"] == "ok" for r in rows)
    return {"answers": len(rows), "right_answers": ok, "wrong_answers": len(rows) - ok,
            "false_alarm_rate": len(false_alarms) / ok if ok else 0.0,
            "miss_rate": len(misses) / (len(rows) - ok) if len(rows) > ok else 0.0,
            "false_alarms": false_alarms, "misses": misses}


def evaluate(pipeline: AnswerPipeline, dataset: Path | None, limit: int | None = None,
             conclusions: Path = DATA / "conclusion_questions.jsonl",
             unanswerable: Path = DATA / "unanswerable_questions.jsonl", progress=None) -> dict:
    answers: list[Answer] = []
    report: dict = {"backend": pipeline.backend}
    cited = gold_hits = gold_total = covered = 0
    checked = failed = shown_unverified = 0

    def run(question: str) -> Answer:
        ans = pipeline.ask(question)
        answers.append(ans)
        if progress:
            progress(len(answers))
        return ans

    if dataset is not None:
        rows = _jsonl(dataset)[:limit] if limit else _jsonl(dataset)
        for row in rows:
            ans = run(row["query"])
            gold = {(law_key(g["law"]), g["article"]) for g in row["gold"]}
            mine = {(law_key(c.title), c.article) for c in ans.citations if c.article}
            cited += len(mine)
            gold_hits += len(mine & gold)
            gold_total += len(gold)
            covered += len(mine & gold)
            checked += ans.checked_before
            failed += ans.failed_before
            shown_unverified += sum(1 for c in ans.citations if not c.verified)
        report["dataset"] = {
            "questions": len(rows),
            "citation_precision_gold": gold_hits / cited if cited else 0.0,
            "citation_precision_verified": 1.0 - (shown_unverified / cited if cited else 0.0),
            "gold_coverage": covered / gold_total if gold_total else 0.0,
            "hallucinated_before_verification": failed / checked if checked else 0.0,
            "unverified_shown_as_valid_after": shown_unverified,
        }
    qs = _jsonl(conclusions)
    right = 0
    details = []
    outcome_rows = outcome_right = 0
    for q in qs:
        ans = run(q["question"])
        conclusion = conclusion_of(ans.answer)
        if "outcome" in q:  # 不予 / 可以不予 / 处罚 are different answers
            expected, got = q["outcome"], outcome(conclusion)
            outcome_rows += 1
            outcome_right += got == expected
        else:
            expected, got = q["expected"], yes_no(conclusion)
        right += got == expected
        details.append({"id": q["id"], "expected": expected, "got": got, "backend": ans.backend})
    report["conclusions"] = {"questions": len(qs), "accuracy": right / len(qs) if qs else 0.0,
                             "outcome_questions": outcome_rows,
                             "outcome_accuracy": outcome_right / outcome_rows if outcome_rows else 0.0, "details": details}
    report["citation_checks"] = citation_checks(pipeline)
    report["answerability"] = answerability(pipeline)  # its own runs: not in the latency numbers
    un = _jsonl(unanswerable)
    refused = sum(1 for q in un if NO_BASIS in conclusion_of(run(q["question"]).answer))
    report["unanswerable"] = {"questions": len(un), "refusal_rate": refused / len(un) if un else 0.0}
    totals = [a.timings.get("total", 0.0) for a in answers]
    firsts = [a.timings.get("first_token", a.timings.get("total", 0.0)) for a in answers]
    report["latency"] = {"total_p50": statistics.median(totals) if totals else float("nan"),
                         "total_p95": _pct(totals, 0.95), "first_token_p50": statistics.median(firsts) if firsts else float("nan"),
                         "first_token_p95": _pct(firsts, 0.95), "answers": len(answers),
                         "fallbacks": sum(1 for a in answers if a.backend.startswith("extractive (fallback"))}
    return report
