"""Duty ↔ penalty links (#21), measured two ways.

1. **生态环境法典, by hand** (evals/data/code_duty_penalty.jsonl, see its README): 46 of the code's penalty
   articles, each listed act linked by reading to the duty article(s) it breaks. None of these penalty articles
   names its duty by number, so every link there is an aligned one. Split by penalty article number: even →
   dev, odd → test.
2. **Stated numbers hidden** (``evaluate_hidden_numbers``): penalty articles of current statutes that name their
   duty by number are aligned again with the numbers removed. The stated articles are the answer; a penalty
   article that lists several acts but names the number of only one (电子商务法 第八十一条 → 第四十条) makes the
   other correct links count as wrong, so precision there is a lower bound.

A third way was tried and dropped: mapping the repealed environmental laws' stated pairs into the code through
the succession table. Those laws too say 「违反本法规定」, so it gave one pair.
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

from corpus.metadata import title_key
from corpus.model import DUTY
from corpus.references import link_articles, without_stated_references
from corpus.store import Store

CODE = "中华人民共和国生态环境法典"
CODE_GOLD = Path(__file__).resolve().parent / "data" / "code_duty_penalty.jsonl"


def evaluate_code(store: Store, gold_path: Path = CODE_GOLD, code_title: str = CODE) -> dict:
    """Per split: article-level precision and recall of the duty links of the sampled penalty articles
    (predicted duty articles vs the union of the hand-linked ones), and act-level recall (acts with a gold
    duty whose penalty article links at least one of its duties). Raises LookupError without the code."""
    code = next((d for d in store.documents(title_key=title_key(code_title)) if d.is_current), None)
    if code is None:
        raise LookupError(f"库中没有《{code_title}》：请先导入国家法律库（e-assistant ingest）。")
    chunks = store.chunks_of(code.id, articles_only=True)
    link_articles(chunks)  # as this code version links them, whatever chunker cut the store
    linked = {c.article: {x.article for x in c.links if x.relation == DUTY} for c in chunks}
    rows = [json.loads(line) for line in gold_path.read_text(encoding="utf-8").splitlines() if line.strip()]
    out: dict = {}
    for split, parity in (("dev", 0), ("test", 1)):
        mine = [r for r in rows if r["penalty"] % 2 == parity]
        gold: dict[int, set[int]] = defaultdict(set)
        for r in mine:
            gold[r["penalty"]] |= set(r["duties"])
        predicted = sum(len(linked.get(p, set())) for p in gold)
        correct = sum(len(linked.get(p, set()) & g) for p, g in gold.items())
        wanted = sum(len(g) for g in gold.values())
        acts = [r for r in mine if r["duties"]]
        found = sum(bool(linked.get(r["penalty"], set()) & set(r["duties"])) for r in acts)
        out[split] = {"penalty_articles": len(gold), "acts": len(acts), "gold_links": wanted, "predicted": predicted,
                      "correct": correct, "precision": round(correct / predicted, 3) if predicted else 0.0,
                      "recall": round(correct / wanted, 3) if wanted else 0.0,
                      "act_recall": round(found / len(acts), 3) if acts else 0.0}
        if split == "dev":
            out["dev_missed"] = [f"第{r['penalty']}条{r['item']} {r['act'][:30]} → {r['duties']}" for r in acts
                                 if not linked.get(r["penalty"], set()) & set(r["duties"])]
            out["dev_wrong"] = [f"第{p}条 → 第{d}条" for p, g in gold.items() for d in sorted(linked.get(p, set()) - g)]
    return out


def evaluate_hidden_numbers(store: Store) -> dict:
    """The alignment where the answer is known: penalty articles of current statutes that state their duty
    articles by number («违反本法第二十条规定») are aligned again with the numbers removed, and the aligned duty
    articles are compared with the stated ones. Split by document: title key hash even → dev, odd → test."""
    from dataclasses import replace
    from zlib import crc32

    from corpus.validity import in_force_ids

    docs = [d for d in store.documents() if d.doc_type.is_statute and d.is_current]
    live = in_force_ids(docs)
    totals = {split: defaultdict(int) for split in ("dev", "test")}
    for doc in docs:
        if doc.id not in live:
            continue
        chunks = store.chunks_of(doc.id, articles_only=True)
        link_articles(chunks)
        stated = {c.id: {x.chunk_id for x in c.links if x.relation == DUTY and x.how == "stated" and x.chunk_id}
                  for c in chunks}
        stated = {k: v for k, v in stated.items() if v}
        if not stated:
            continue
        hidden = [replace(c, text=without_stated_references(c.text), links=[]) if c.id in stated else c
                  for c in chunks]
        link_articles(hidden)
        t = totals["dev" if crc32(doc.title.encode()) % 2 == 0 else "test"]
        t["documents"] += 1
        for c in hidden:
            if c.id not in stated:
                continue
            pred = {x.chunk_id for x in c.links if x.relation == DUTY and x.how == "aligned"}
            t["penalty_articles"] += 1
            t["stated"] += len(stated[c.id])
            t["predicted"] += len(pred)
            t["correct"] += len(pred & stated[c.id])
    out = {}
    for split, t in totals.items():
        out[split] = dict(t) | {"precision": round(t["correct"] / t["predicted"], 3) if t["predicted"] else 0.0,
                                "recall": round(t["correct"] / t["stated"], 3) if t["stated"] else 0.0}
    return out


def splits_of(rows: list[dict]) -> list[str]:
    """The splits an evaluation reports, in order: dev, dev2 …, test, any other ``split`` value of the rows, then
    ``all``. E.g. rows split dev2 only → ["dev2", "all"]."""
    present = {r["split"] for r in rows}
    order = sorted(present, key=lambda s: (s == "test", not s.startswith("dev"), s))
    return [*order, "all"]


PAIR_QUESTIONS = Path(__file__).resolve().parent / "data" / "duty_penalty_questions.jsonl"
# the second and third sets, written blind by helper sessions (splits dev2 and dev3; see their READMEs)
PAIR_QUESTIONS_MORE = [Path(__file__).resolve().parent / "data" / f"duty_penalty_questions_{s}.jsonl" for s in ("dev2", "dev3", "dev4")]


def evaluate_pair_questions(retrievers: dict, rows: list[dict], k: int = 10) -> dict:
    """Officers' questions whose basis is a (duty, penalty) pair (evals/data/duty_penalty_questions.jsonl):
    per retriever and split, the share with both articles in the top ``k``, with the duty, with the penalty,
    and the latency p95 (ms); for every split but ``test``, the questions that missed (``misses``: id, query and
    which half was not found). Splits are the rows' ``split`` values (dev, dev2, test …) and ``all``.
    ``retrievers``: name → Retriever (e.g. with and without partners)."""
    import statistics
    import time

    from assistant.retrieval import Filters

    out: dict = {}
    for name, retriever in retrievers.items():
        retriever.search(rows[0]["query"], k, Filters())  # warm: the first search loads what later ones reuse
        per: dict = {}
        for split in splits_of(rows):
            mine = [r for r in rows if split == "all" or r["split"] == split]
            both = duty = penalty = 0
            times = []
            misses = []
            for r in mine:
                start = time.perf_counter()
                hits = retriever.search(r["query"], k, Filters())
                times.append((time.perf_counter() - start) * 1000)
                got = {h.chunk.article for h in hits if title_key(h.document.title) == title_key(r["law"])}
                duty += r["duty"] in got
                penalty += r["penalty"] in got
                both += r["duty"] in got and r["penalty"] in got
                if split not in ("test", "all") and not (r["duty"] in got and r["penalty"] in got):
                    lost = "、".join(w for w, a in (("义务条款", r["duty"]), ("罚则", r["penalty"])) if a not in got)
                    misses.append(f"{r.get('id', '')} {r['query']} → 缺{lost}（第{r['duty']}/{r['penalty']}条）")
            n = len(mine) or 1
            per[split] = {"questions": len(mine), "both": round(both / n, 3), "duty": round(duty / n, 3),
                          "penalty": round(penalty / n, 3),
                          "p95_ms": round(statistics.quantiles(times, n=20)[-1], 1) if len(times) > 1 else 0.0,
                          "misses": misses}
        out[name] = per
    return out
