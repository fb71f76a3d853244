"""How well the discretion advisor reads the circumstances officers state: earlier violations, the order's deadline,
cooperation, quantities and an incident's grade (evals/data/discretion_phrases.jsonl, see its README).

Each phrase is a short case note that states one thing about one aspect; the gold value is what it states. The
parsers are the advisor's own (``prior.prior_from_facts``, ``spoken.deadline_kept``, ``quantities.quantities``,
``spoken.event_grades``, and ``tiers.stated_value`` between 「配合调查」 and 「不配合调查」, the advisor's own choice of a
配合调查情况 row). No store, model or index is needed.

Split: a phrase is in ``test`` when ``sha1("phrases-v1|" + id) % 3 == 0``, else ``dev``; only dev misses may be
read when changing a parser.

Run: ``e-assistant eval circumstances [--json] [--show-misses]`` or ``python -m evals.circumstances``.
"""

from __future__ import annotations

import hashlib
import json
import math
import sys
from collections import defaultdict
from pathlib import Path

from assistant.discretion.prior import prior_from_facts
from assistant.discretion.quantities import quantities
from assistant.discretion.spoken import deadline_kept, event_grades
from assistant.discretion.tiers import stated_value

DATA = Path(__file__).resolve().parent / "data" / "discretion_phrases.jsonl"
ASPECTS = ("prior", "deadline", "cooperation", "quantity", "grade")
_DIMS = {"head": "unit"}  # the phrase set's name → the parser's dimension (头, 只 … are counted as units)
TOLERANCE = 0.01  # relative: 「一千二百平方米」 is 1200 m², 「三亩」 1999.99 m² against 2000.01


def split_of(phrase_id: str) -> str:
    """``test`` for a third of the phrases (by a hash of the id), ``dev`` for the rest."""
    return "test" if int(hashlib.sha1(f"phrases-v1|{phrase_id}".encode()).hexdigest(), 16) % 3 == 0 else "dev"


def read(aspect: str, facts: str):
    """What the advisor's parser reads of ``aspect`` in ``facts``, in the phrase set's terms (see ``right``)."""
    if aspect == "prior":
        found = prior_from_facts(facts)
        return None if found is None else {"lo": found[0], "hi": None if math.isinf(found[1]) else found[1]}
    if aspect == "deadline":
        return {True: "kept", False: "overdue", None: None}[deadline_kept(facts)]
    if aspect == "cooperation":
        return {"配合调查": "yes", "不配合调查": "no", None: None}[stated_value(["配合调查", "不配合调查"], facts)]
    if aspect == "quantity":
        return quantities(facts)
    if aspect == "grade":
        return sorted(event_grades(facts))
    raise ValueError(f"未知的方面：{aspect}")


def right(aspect: str, gold, got) -> bool:
    """Whether the parser's reading ``got`` states ``gold``. Quantities: the gold dimension's value within
    ``TOLERANCE`` (and, for money, under the gold kind when one is given); a null gold wants no quantity at all.
    Deadlines: 「not_yet」 is read as nothing decided (None), which is what the advisor does with it."""
    if aspect == "quantity":
        if gold is None:
            return not got
        dim = _DIMS.get(gold["dim"], gold["dim"])
        kind = {"投资额": "投资"}.get(gold.get("kind") or "", gold.get("kind"))  # the parser names 投资额 投资
        key = f"yuan:{kind}" if dim == "yuan" and kind else dim
        value = got.get(key)
        return value is not None and abs(value - gold["value"]) <= TOLERANCE * max(1.0, abs(gold["value"]))
    if aspect == "deadline":
        return got == (None if gold == "not_yet" else gold)
    if aspect == "grade":
        return got == ([] if gold is None else [gold])
    if aspect == "prior" and gold is not None and got is not None:
        return float(got["lo"]) == float(gold["lo"]) and (got["hi"] is None) == (gold["hi"] is None) and (
            gold["hi"] is None or float(got["hi"]) == float(gold["hi"]))
    return got == gold


def evaluate(path: Path = DATA) -> tuple[dict, list[dict]]:
    """Accuracy per split and aspect, and the misses.

    Returns:
        ({split: {aspect: {"n": int, "right": int, "accuracy": float}, "all": {...}}}, [miss, ...]) where a miss is
        {"id", "split", "aspect", "facts", "gold", "got"}.
    """
    counts: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    misses = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        split, aspect = split_of(row["id"]), row["aspect"]
        got = read(aspect, row["facts"])
        ok = right(aspect, row["gold"], got)
        for key in (aspect, "all"):
            counts[split][key][0] += 1
            counts[split][key][1] += ok
        if not ok:
            misses.append({"id": row["id"], "split": split, "aspect": aspect, "facts": row["facts"],
                           "gold": row["gold"], "got": got})
    report = {split: {a: {"n": n, "right": r, "accuracy": round(r / n, 3)} for a, (n, r) in sorted(per.items())}
              for split, per in sorted(counts.items())}
    return report, misses


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    report, misses = evaluate()
    print(json.dumps(report, ensure_ascii=False, indent=1))
    if "--show-misses" in args:  # dev only: the test split's misses stay unread
        for m in misses:
            if m["split"] == "dev":
                print(json.dumps(m, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
