"""Discretion-advisor evaluation: a fact set built from the structured 裁量 records, and top-1/top-3 accuracy.

Building (``build_set``): for every violation with two or more amount tiers (factor-weight tables are left
out: no single tier is "the" answer there), each tier becomes one case. Its facts are written the way an
officer would put them, not copied from the row: the act shortened to its first clause, a 情节 value kept
as the deciding phrase, a quantity range replaced by one number inside it («涉案面积约7亩»), the 同类违法
condition replaced by a count («去年也被查处过一次», «第一次被查处»). Violations are split by a hash of their
text: one in five is held out (``split == "test"``) and was never used for tuning; the rest is ``dev``.

Scoring: top-1 tier (the first match is the expected row: same document, violation, 情节, 同类违法 and range), top-3 tier, top-1 range (the first match's
penalty range equals the expected one, which counts tiers that share a range), latency.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import statistics
import time
from pathlib import Path

from assistant.discretion.advisor import DiscretionAdvisor
from corpus.validity import in_force_ids
from assistant.discretion.facts import PLAIN, quantity_range
from assistant.discretion.prior import PRIOR, prior_from_tier

DATA = Path(__file__).resolve().parent / "data" / "discretion_eval.jsonl"
# the day the cases are advised on (a case may give its own ``as_of``): the sets were written in 2026 for the
# tables then in force, and 广东's run out on 2027-01-01 (their 规定 第二十五条: 有效期五年) — a fixed day keeps
# the scores comparable across runs
EVAL_DAY = "2026-12-01"
_UNIT_BACK = {"m2": ("平方米", 1), "t": ("吨", 1), "m3": ("立方米", 1), "day": ("天", 1), "yuan": ("元", 1),
              "unit": ("件", 1), "m": ("米", 1), "person": ("人", 1), "kw": ("千瓦", 1), "steam_t": ("蒸吨", 1),
              "times": ("倍", 1), "ringelmann": ("级林格曼黑度", 1)}


def _short_act(violation: str) -> str:
    text = re.sub(r"^[（(][一二三四五六七八九十\d]+[）)]", "", violation.strip())
    text = re.split(r"[（(][一二三四五六七八九十]+[）)]|；|;|。", text)[0]
    return text.split("，")[0][:40]


def _prior_phrase(value: str, bounds: str = "", counts_current: bool = False) -> str | None:
    """A count of earlier violations that the tier's 同类违法 condition holds, read as the advisor reads the
    table (its 以上/以下 note and whether it counts the present case)."""
    rng = prior_from_tier(value, bounds, counts_current)
    if rng is None:
        return None
    lo, hi = rng
    if hi == 0:
        return "这是第一次被查处，此前没有同类违法记录"
    # a count strictly inside the interval: 以上/以下 include the boundary, so tables that say both
    # 「2次以下」 and 「2次以上」 leave a boundary count ambiguous by their own wording
    n = int(lo) + 1 if lo + 1 <= hi else int(lo)
    n = max(n, 1)
    return "去年也因同类违法被查处过一次" if n == 1 else f"近两年已因同类违法被查处过{n}次"


def _quantity_phrase(factor: str, value: str) -> str | None:
    rng = quantity_range(value)
    if rng is None:
        return None
    dim, lo, hi = rng
    if math.isinf(lo) and math.isinf(hi):
        return None
    x = (lo + hi) / 2 if not (math.isinf(lo) or math.isinf(hi)) else (hi * 0.5 if math.isinf(lo) else lo * 1.5 + 1)
    unit, factor_k = _UNIT_BACK[dim]
    number = f"{x / factor_k:.0f}" if x >= 10 else f"{x / factor_k:.1f}"
    return f"{factor}约{number}{unit}"


def _facts_for(violation: str, conds, bounds: str = "", counts_current: bool = False) -> str | None:
    parts = [_short_act(violation)]
    for c in conds:
        if c.factor == PRIOR:
            phrase = _prior_phrase(c.value, bounds, counts_current)
        elif quantity_range(c.value):
            phrase = _quantity_phrase(c.factor, c.value)
        elif c.factor == PLAIN:
            phrase = c.value if len(c.value) <= 24 else re.split(r"或者|，", c.value)[0]
        else:
            phrase = f"{c.factor.removesuffix('情况')}{c.value}" if c.value not in c.factor else c.value
        if not phrase:
            return None
        parts.append(phrase)
    return "，".join(p for p in parts if p)


def build_set(advisor: DiscretionAdvisor) -> list[dict]:
    rows = []
    live = in_force_ids({g.doc.id: g.doc for g in advisor.groups}.values())
    for group in advisor.groups:
        tiers = [t for t in group.tiers if t.chunk.record.kind == "tier"]
        if group.weighted or group.no_penalty or len(tiers) < 2 or group.doc.id not in live:
            continue  # the advisor prefers current standards, so cases come from current ones only
        split = "test" if int(hashlib.sha256(group.violation.encode()).hexdigest(), 16) % 5 == 0 else "dev"
        for t in tiers:
            facts = _facts_for(group.violation, t.conds, t.bounds, t.counts_current)
            if not facts:
                continue
            r = t.chunk.record
            row = {"split": split, "facts": facts, "document": group.doc.title, "region": group.doc.region,
                   "violation": r.violation, "circumstance": r.circumstance, "prior_violation": r.prior_violation,
                   "range_text": r.range_text, "min_yuan": r.min_yuan, "max_yuan": r.max_yuan}
            rows.append({"id": hashlib.sha256("|".join(tier_key(row)).encode()).hexdigest()[:16], **row})
    return rows


def tier_key(tier) -> tuple[str, str, str, str, str]:
    """The row a case expects, independent of chunk ids (which change with every chunker version).

    Args:
        tier: a case (dict) or a ``TierMatch``.

    Returns:
        (document title, violation, 情节, 同类违法, 处罚幅度) as the table writes them.
    """
    get = tier.get if isinstance(tier, dict) else (lambda k: getattr(tier, k))
    return (get("document"), get("violation"), get("circumstance"), get("prior_violation"), get("range_text"))


def write_set(rows: list[dict], path: Path = DATA) -> None:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")


def load_set(path: Path = DATA) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


WARM_UP = "东莞一家五金厂偷排电镀废水，去年也被罚过一次"  # facts of no set: builds what the advisor builds lazily


def _warm_up(advisor: DiscretionAdvisor) -> None:
    """One advice before timing: the first call builds the title resolver and loads the encoder (about 1 s on
    2 cores, once per process — the service pays it at its first request, not at each); without it a set of
    35 cases put that one call into its p95 (dev7, 2026-12-02: 233 ms → see README)."""
    advisor.advise(WARM_UP, as_of=EVAL_DAY)


def evaluate(advisor: DiscretionAdvisor, rows: list[dict]) -> dict:
    _warm_up(advisor)
    out: dict[str, dict] = {}
    for split in sorted({r["split"] for r in rows}) + ["all"]:
        subset = [r for r in rows if split == "all" or r["split"] == split]
        top1 = top3 = range1 = 0
        times = []
        for r in subset:
            t0 = time.perf_counter()
            advice = advisor.advise(r["facts"], region=r["region"], as_of=r.get("as_of", EVAL_DAY))
            times.append(time.perf_counter() - t0)
            keys = [tier_key(m) for m in advice.matches]
            expected = tier_key(r)
            top1 += bool(keys) and keys[0] == expected
            top3 += expected in keys[:3]
            first = advice.matches[0] if advice.matches else None
            range1 += bool(first) and first.range_text == r["range_text"]
        n = len(subset) or 1
        times.sort()
        out[split] = {"cases": len(subset), "top1_tier": top1 / n, "top3_tier": top3 / n, "top1_range": range1 / n,
                      "latency_p50_ms": 1000 * statistics.median(times) if times else 0.0,
                      "latency_p95_ms": 1000 * times[min(len(times) - 1, int(0.95 * len(times)))] if times else 0.0}
    return out


OFFICER_DATA = Path(__file__).resolve().parent / "data" / "discretion_officer.jsonl"
# the later blind sets, discretion_officer_dev2.jsonl … (dev2 after the first round of tuning; dev7 on re-worded
# groups earlier sets used; each one's writing in data/discretion_officer.README.md), found by name in number order
OFFICER_DEV_SETS = sorted(OFFICER_DATA.parent.glob("discretion_officer_dev*.jsonl"),
                          key=lambda p: int(re.sub(r"\D", "", p.stem) or 0))


def officer_sets() -> list[Path]:
    """The officer-wording sets in the order the report shows them: discretion_officer.jsonl (dev and the held-out
    test split), then dev2, dev3, … by number."""
    return [OFFICER_DATA, *OFFICER_DEV_SETS]


def _keys(row: dict) -> list[tuple[str, str, str, str, str]]:
    return [tier_key(row)] + [tier_key(a) for a in row.get("also", [])]


def evaluate_officer(advisor: DiscretionAdvisor, rows: list[dict]) -> dict:
    """Scores on the officer-wording set (evals/data/discretion_officer.jsonl, see its README), per split.

    Returns, per split and "all": ``tier_cases``, ``top1_tier`` / ``top3_tier`` / ``top1_range`` (a case may
    list equally right rows in ``also``), ``ambiguous_cases`` and ``missing_asked`` (the advice is
    「ambiguous」, names facts to establish, and one of the candidate rows is among its matches),
    ``uncovered_cases`` and ``no_invented_range`` (no tier and no range at all), ``no_penalty_cases`` and
    ``no_penalty_found`` (the expected 不予处罚 item, or the identical item of the other list in ``also``, is listed), and latency p50/p95 in ms.
    """
    _warm_up(advisor)
    out: dict[str, dict] = {}
    for split in sorted({r["split"] for r in rows}) + ["all"]:
        subset = [r for r in rows if split == "all" or r["split"] == split]
        counts: dict[str, float] = {k: 0 for k in ("tier", "top1", "top3", "range1", "ambiguous", "asked",
                                                   "uncovered", "clean", "no_penalty", "np_found")}
        times, failures = [], []
        for r in subset:
            t0 = time.perf_counter()
            advice = advisor.advise(r["facts"], region=r.get("region"), as_of=r.get("as_of", EVAL_DAY))
            times.append(time.perf_counter() - t0)
            got = [tier_key(m) for m in advice.matches]
            kind = r["kind"]
            if kind == "tier":
                want = _keys(r)
                ranges = {k[4] for k in want}
                counts["tier"] += 1
                ok1 = bool(got) and got[0] in want
                counts["top1"] += ok1
                counts["top3"] += any(k in want for k in got[:3])
                counts["range1"] += bool(got) and got[0][4] in ranges
                if not ok1:
                    failures.append(r["id"])
            elif kind == "ambiguous":
                want = [tier_key(c) for c in r.get("candidates", [])]
                counts["ambiguous"] += 1
                asked = advice.decision == "ambiguous" and bool(advice.missing_facts) and any(k in want for k in got)
                counts["asked"] += asked
                if not asked:
                    failures.append(r["id"])
            elif kind == "uncovered":
                counts["uncovered"] += 1
                clean = not advice.matches
                counts["clean"] += clean
                if not clean:
                    failures.append(r["id"])
            elif kind == "no_penalty":
                counts["no_penalty"] += 1
                items = {(a["document"], a["violation"]) for a in [r, *r.get("also", [])]}  # an identical item elsewhere
                found = any((i.document, i.violation) in items for i in advice.no_penalty)
                counts["np_found"] += found
                if not found:
                    failures.append(r["id"])
        times.sort()

        def rate(num: str, den: str) -> float:
            return counts[num] / counts[den] if counts[den] else 0.0

        out[split] = {"tier_cases": int(counts["tier"]), "top1_tier": rate("top1", "tier"),
                      "top3_tier": rate("top3", "tier"), "top1_range": rate("range1", "tier"),
                      "ambiguous_cases": int(counts["ambiguous"]), "missing_asked": rate("asked", "ambiguous"),
                      "uncovered_cases": int(counts["uncovered"]), "no_invented_range": rate("clean", "uncovered"),
                      "no_penalty_cases": int(counts["no_penalty"]), "no_penalty_found": rate("np_found", "no_penalty"),
                      "latency_p50_ms": 1000 * statistics.median(times) if times else 0.0,
                      "latency_p95_ms": 1000 * times[min(len(times) - 1, int(0.95 * len(times)))] if times else 0.0,
                      "failures": failures}
    return out
