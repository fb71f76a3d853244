"""Tier items (#25): the facts of one row of a loaded 裁量基准 table as a scenario, the discretion advisor's own first
answer as the key (kept only when it is that row), rows of the same form and nearest amount as distractors; a row
whose cited basis is a repealed law gives no key."""

from __future__ import annotations

import random
import re

# ---- tiers of a loaded 裁量基准 --------------------------------------------------------------------------------
def tier_items(advisor, table_id: str, rng: random.Random, limit: int = 40) -> list[dict]:
    """Items on the tiers of one 裁量 table (document id ``table_id``): the facts of one tier as a scenario, the key
    the advisor's own first answer for them (kept only when it is that tier), distractors the other tiers'
    ranges of the same violation (else of other violations of the table)."""
    groups = [g for g in advisor.groups if g.doc.id == table_id and not g.no_penalty and not g.weighted]
    low = {t.chunk.record.range_text: t.chunk.record.min_yuan for g in groups for t in g.tiers
           if t.chunk.record.range_text}
    all_ranges = list(low)
    rng.shuffle(groups)
    out = []
    for group in groups:
        if len(out) >= limit:
            break
        tiers = [t for t in group.tiers if t.chunk.record.range_text]
        if len({t.chunk.record.range_text for t in tiers}) < 2:
            continue
        tier = rng.choice(tiers)
        rec = tier.chunk.record
        if re.search(r"拒不|逾期不", group.violation) and re.search(r"限期内|已改正", rec.circumstance or ""):
            continue  # the row's circumstance contradicts its violation («拒不改正» and «限期内改正»)
        party = "某企业"
        facts = (f"经查，{party}存在以下违法行为：{group.violation.rstrip('的。；')}。"
                 + ("情节：" + "；".join(x for x in (rec.circumstance, rec.prior_violation) if x) + "。"
                    if rec.circumstance or rec.prior_violation else ""))
        advice = advisor.advise(facts, region=group.doc.region)
        if advice.decision != "matched" or not advice.matches or advice.matches[0].chunk_id != tier.chunk.id:
            continue
        match = advice.matches[0]
        if not match.citations or any(not c.verified or c.successor or c.note for c in match.citations):
            continue  # a tier resting on a repealed article: its amount may not be lawful today — no exam key
        key = rec.range_text

        def alike(r: str) -> bool:  # options of one form: a per-person part in all or none
            return ("；" in r) == ("；" in key) and ("对单位" in r) == ("对单位" in key)

        near = [t.chunk.record.range_text for t in tiers if t.chunk.record.range_text != key]
        # other rows' ranges of about the same size (a 30万 option beside a 2万 cap gives the answer away)
        size = rec.min_yuan or 0.0
        pool = sorted((r for r in all_ranges if r != key and alike(r) and low.get(r) is not None),
                      key=lambda r: (abs((low[r] or 0.0) - size), r))[:6]
        rng.shuffle(pool)
        others = list(dict.fromkeys([r for r in near if alike(r)] + pool))[:3]
        if len(others) < 3:
            continue
        cited = [c for c in match.citations if c.verified]
        # a tier citing a repealed law: the key's basis is its current successor, and the item says so
        basis = "；".join(f"{c.label}（已不现行，现行：{c.successor}）" if c.successor else c.label for c in cited)
        basis = f"处罚依据：{basis}。" if basis else ""
        note = f"（{match.note}）" if match.note else ""
        why = (f"依据《{group.doc.title}》，「{group.violation.rstrip('的。；')}」" + (f"（{rec.circumstance}" + (
            f"；{rec.prior_violation}" if rec.prior_violation else "") + "）" if rec.circumstance or rec.prior_violation
            else "") + f"对应档次为「{key}」。{basis}{note}")
        src = {"title": group.doc.title, "article": None, "paragraph": None, "chunk_id": tier.chunk.id,
               "label": rec.seq or "", "version_date": group.doc.version_date or None,
               "effective_date": group.doc.effective_date or None, "status": group.doc.status_on().value}
        out.append({"type": "single", "stem": f"{facts}依据《{group.doc.title}》，对{party}应在什么幅度内处以罚款？",
                    "choices": [key, *others], "keys": [key], "explanation": why, "source": src,
                    "tag": f"{group.doc.title[:12]}·应用·裁量档次", "difficulty": "较难",
                    "verify": {"kind": "computed", "engine": "tier", "params": {"facts": facts, "region": group.doc.region},
                               "needle": ""}})
    return out


