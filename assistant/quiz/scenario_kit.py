"""What the application items of the quiz share (#25): the neutral pools a scenario draws its party and act from,
the raw item shape, and the check that lets an LLM reword a scenario only when every fact is kept."""

from __future__ import annotations

import re
from datetime import date

from assistant.quiz.builders import source_of
from corpus.lookup import find_article
from corpus.store import Store

LAW = "中华人民共和国行政处罚法"
PEOPLE = ("张某", "李某", "王某", "赵某", "刘某", "陈某", "杨某", "周某")
FIRMS = ("某餐饮店", "某便利店", "某五金店", "某水果店", "某汽车维修店", "某服装店", "某建材公司", "某物流公司")
ACTS = ("在人行道上摆放经营用桌椅", "在店门外占道堆放货物", "在临街墙面张贴小广告", "在公共绿地内堆放杂物")
# a slight harm that each act can cause (首违不罚 scenarios: 「危害后果轻微」 must fit the act)
SLIGHT_HARM = {ACTS[0]: "午间一小时内行人通行略受影响", ACTS[1]: "半天内行人通行略受影响",
               ACTS[2]: "两张小广告影响了墙面整洁", ACTS[3]: "压坏了约一平方米草皮"}
TAG = "行政处罚法·应用"


def cn_date(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def article_text(store: Store, article: int, paragraph: int | None = None, needle: str = ""):
    """(document, chunk, text) of 行政处罚法's current 第article条 (第paragraph款), when its text holds ``needle``."""
    found = find_article(store, LAW, article, current_only=True)
    if not found:
        return None
    doc, chunk = found
    text = (chunk.paragraph(paragraph) if paragraph else None) or chunk.text
    return (doc, chunk, text) if needle in text else None


def raw_item(store: Store, article: int, paragraph: int | None, needle: str, stem: str, key: str, others: list[str],
         why: str, engine: str, params: dict, kind: str) -> dict | None:
    found = article_text(store, article, paragraph, needle)
    if found is None or key in others or len(set(others)) != 3:
        return None
    doc, chunk, text = found
    src = source_of(chunk, doc, paragraph)
    return {"type": "single", "stem": stem, "choices": [key, *others], "keys": [key],
            "explanation": f"{why}《{doc.title}》{src['label']}规定：「{text}」", "source": src,
            "tag": f"{TAG}·{kind}", "difficulty": "中等",
            "verify": {"kind": "computed", "engine": engine, "params": params, "needle": needle}}


# ---- an LLM may reword a scenario, never its facts --------------------------------------------------------------
_FACT = re.compile(r"\d{4}年\d{1,2}月\d{1,2}日|\d+(?:\.\d+)?(?:万元|元|日|天|周岁|吨|平方米|%)?|[一二三四五六七八九十]+周岁"
                   r"|[张李王赵刘陈杨周黄]某|某[\u4e00-\u9fff]{1,6}?(?:店|公司|企业|厂)")
CONDITION_WORDS = ("初次", "首次", "当场改正", "拒不改正", "未造成", "轻微", "去年", "终了", "发现", "个人", "单位", "立案",
                   "送达", "较大数额", "不涉及", "事实确凿", "普通程序", "简易程序", "同一违法行为", "除年龄外")


def scenario_facts(text: str) -> set[str]:
    """The facts a rewrite must keep: dates, numbers with their units, ages, parties and the condition words."""
    return set(_FACT.findall(text)) | {w for w in CONDITION_WORDS if w in text}


def rewrite_scenario(stem: str, generator, options: list[str]) -> str | None:
    """The stem with its scenario reworded by ``generator`` (prompts/quiz_scenario), or None when the rewrite drops
    or changes a fact (:func:`scenario_facts`), adds an article or a law, gives an option away, or fails. The
    question (the stem's last sentence) is kept as written."""
    from assistant.llm.base import GenerationError
    from assistant.llm.prompts import load_prompt

    cut = max(stem.rfind("。", 0, len(stem) - 1), stem.rfind("；", 0, len(stem) - 1))
    if cut < 0:
        return None
    scenario, question = stem[:cut + 1], stem[cut + 1:]
    template, _ = load_prompt("quiz_scenario")
    try:
        text = "".join(generator.stream([{"role": "user", "content": template.format(scenario=scenario)}],
                                        max_tokens=240)).strip()
    except GenerationError:
        return None
    text = text.strip("「」\"' \n")
    if not text or len(text) > 2 * len(scenario) + 20 or re.search(r"第[一二三四五六七八九十百\d]+条|《", text):
        return None
    if not scenario_facts(scenario) <= scenario_facts(text) or any(o in text for o in options):
        return None
    return (text if text.endswith("。") else text + "。") + question

