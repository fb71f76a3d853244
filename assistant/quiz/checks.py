"""Checks on quiz items: every key verified against the cited article (read again from the store), and the
batch rules (no duplicates, options alike in length and form, keys spread over A–D, not answerable from the
stem alone)."""

from __future__ import annotations

import re
from collections import Counter

from corpus.store import Store

LETTERS = "ABCDE"


def _chunk_text(store: Store, chunk_id: str) -> str | None:
    chunk = store.chunk(chunk_id)
    return "\n".join(chunk.paragraphs) if chunk else None


def verify_item(item: dict, store: Store, law_text: str, advisor=None) -> tuple[bool, str]:
    """(ok, reason): the key follows from the cited article's text, and no distractor does; for an application
    item (``verify["kind"]`` 「computed」) its engine gives the key again from the scenario's inputs
    (assistant/quiz/application.py; ``advisor`` for 裁量 tier items) and the cited article says the rule."""
    if item["type"] == "case":
        subs = item.get("sub_questions") or []
        if not subs:
            return False, "案例分析没有小题"
        for sub in subs:
            ok, why = verify_item(sub, store, law_text, advisor)
            if not ok:
                return False, f"小题：{why}"
        return True, ""
    text = _chunk_text(store, item["source"]["chunk_id"])
    if text is None:
        return False, "出处条文不在语料库中"
    v = item["verify"]
    keys = [item["options"][a] for a in item["answer"]]
    others = [o for a, o in item["options"].items() if a not in item["answer"]]
    if v["kind"] == "computed":
        from assistant.quiz.application import recompute

        if v.get("needle") and v["needle"] not in text:
            return False, "出处条文中没有该规则"
        again = recompute(v, store, advisor)
        if again is None or keys != [again] or again in others:
            return False, "按情境重新计算的答案与给出的答案不符"
    elif v["kind"] == "fill":
        s = v["sentence"]
        if s not in text or len(keys) != 1 or s[:v["start"]] + keys[0] + s[v["end"]:] != s:
            return False, "答案代入后与条文不符"
        if any(s[:v["start"]] + o + s[v["end"]:] in law_text for o in others):
            return False, "干扰项代入后也与法律条文相符"
    elif v["kind"] == "list":
        flat = re.sub(r"\s+", "", text)
        if not all(re.sub(r"\s+", "", k) in flat for k in keys) or len(keys) < 2:
            return False, "答案不全在条文所列情形中"
        if any(re.sub(r"\s+", "", o) in flat for o in others):
            return False, "干扰项也是该条所列情形"
    elif v["kind"] == "judge":
        if v["sentence"] not in text:
            return False, "判断依据的句子不在条文中"
        says_true = v["statement"] in text
        if says_true != v["true"] or keys != (["正确"] if v["true"] else ["错误"]):
            return False, "判断答案与条文不符"
        if not v["true"] and v["statement"] in law_text:
            return False, "改写后的表述在法律中另有规定"
    else:
        return False, "未知的核验方式"
    return True, ""


def item_problems(item: dict) -> list[str]:
    """Form problems of one item (empty when it passes)."""
    problems = []
    opts = list(item.get("options", {}).values())
    if item["type"] == "case":
        if len(item.get("stem", "")) < 20:
            problems.append("案例事实过短")
        for sub in item.get("sub_questions", []):
            problems.extend(f"小题：{p}" for p in item_problems(sub))
            if sub["type"] == "judge" and sub["verify"]["sentence"] in item["stem"]:
                problems.append("案例事实中已写出判断题所依据的条文")
            if any(sub["options"][a] in item["stem"] for a in sub["answer"] if sub["type"] == "single"):
                problems.append("案例事实中已出现小题答案")
        return problems
    if not item.get("stem") or not item.get("answer"):
        problems.append("缺少题干或答案")
    if len(set(opts)) != len(opts) or any(not o.strip() for o in opts):
        problems.append("选项重复或为空")
    if item["type"] in ("single", "multi") and opts:
        lengths = [len(o) for o in opts]
        if max(lengths) > 3 * min(lengths) + 6:
            problems.append("选项长短悬殊")
        if len({bool(re.search(r"\d", o)) for o in opts}) > 1 and item["type"] == "single":
            problems.append("选项形式不一（数字与汉字混用）")
        if any(item["options"][a] in item["stem"] for a in item["answer"]):
            problems.append("题干中已出现答案")
    if item["type"] == "multi" and not (2 <= len(item["answer"]) <= len(opts) - 1 and 4 <= len(opts) <= 5):
        problems.append("多选题的选项数或答案数不合要求")
    if item["type"] == "single" and (len(opts) != 4 or len(item["answer"]) != 1):
        problems.append("单选题应为四个选项、一个答案")
    return problems


def batch_report(items: list[dict], verified: int, dropped: list[str]) -> dict:
    stems = Counter(i["stem"] for i in items)
    singles = Counter(i["answer"][0] for i in items if i["type"] == "single")
    passed = [i for i in items if not item_problems(i)]
    return {"items": len(items), "passed_checks": len(passed),
            "pass_rate": len(passed) / len(items) if items else 0.0,
            "keys_verified": verified, "dropped_unverified": len(dropped), "dropped_reasons": dropped[:20],
            "duplicate_stems": sum(n - 1 for n in stems.values() if n > 1),
            "single_key_positions": {k: singles.get(k, 0) for k in LETTERS[:4]},
            "by_type": dict(Counter(i["type"] for i in items))}
