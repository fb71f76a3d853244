"""Application items (应用题): a concrete scenario, the question an officer faces in it, and a key computed by the
product's own engines — never guessed, never taken from an LLM.

Every scenario is generated from data (a party from a neutral pool: 张某, 某餐饮店; no real address), so the
key is derivable from the facts, and :func:`recompute` derives it again when the item is verified:

- **conditions** of 行政处罚法 第三十条 (age), 第三十三条第一款 (轻微/初次 + 及时改正) and 第三十六条 (二年 时效):
  the scenario meets or misses one condition; the key follows the article, the explanation names the condition;
- **thresholds** of 第五十一条 (简易程序: 公民 二百元以下, 法人或者其他组织 三千元以下 罚款, or 警告): amounts on
  either side of the line;
- **deadlines** from the 办案 timeline (assistant/case, 民法典 第二百零一至二百零三条 and the holiday calendar):
  「立案日为……，最迟应在何日前作出决定？」 (第六十条), 「……送达告知书，当事人最迟何日提出听证？」 (第六十四条);
- **tiers** of a loaded 裁量基准: the facts of one tier, the advisor's tier as the key (checked to be the
  advisor's own first answer), the other tiers of the same violation as distractors.

Each raw item has the shape of assistant/quiz/builders.py's (``type`` 单选, ``choices``, ``keys``, ``verify``
with ``kind`` 「computed」, the engine and its inputs).
"""

from __future__ import annotations

import random
import re
from datetime import date, timedelta

from assistant.quiz.builders import source_of
from corpus.lookup import find_article
from corpus.numerals import int_to_cn
from corpus.store import Store

LAW = "中华人民共和国行政处罚法"
PEOPLE = ("张某", "李某", "王某", "赵某", "刘某", "陈某", "杨某", "周某")
FIRMS = ("某餐饮店", "某便利店", "某五金店", "某水果店", "某汽车维修店", "某服装店", "某建材公司", "某物流公司")
ACTS = ("在人行道上摆放经营用桌椅", "在店门外占道堆放货物", "在临街墙面张贴小广告", "在公共绿地内堆放杂物")
# a slight harm that each act can cause (首违不罚 scenarios: 「危害后果轻微」 must fit the act)
SLIGHT_HARM = {ACTS[0]: "午间一小时内行人通行略受影响", ACTS[1]: "半天内行人通行略受影响",
               ACTS[2]: "两张小广告影响了墙面整洁", ACTS[3]: "压坏了约一平方米草皮"}
TAG = "行政处罚法·应用"


def _cn_date(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def _article(store: Store, article: int, paragraph: int | None = None, needle: str = ""):
    """(document, chunk, text) of 行政处罚法's current 第article条 (第paragraph款), when its text holds ``needle``."""
    found = find_article(store, LAW, article, current_only=True)
    if not found:
        return None
    doc, chunk = found
    text = (chunk.paragraph(paragraph) if paragraph else None) or chunk.text
    return (doc, chunk, text) if needle in text else None


def _raw(store: Store, article: int, paragraph: int | None, needle: str, stem: str, key: str, others: list[str],
         why: str, engine: str, params: dict, kind: str) -> dict | None:
    found = _article(store, article, paragraph, needle)
    if found is None or key in others or len(set(others)) != 3:
        return None
    doc, chunk, text = found
    src = source_of(chunk, doc, paragraph)
    return {"type": "single", "stem": stem, "choices": [key, *others], "keys": [key],
            "explanation": f"{why}《{doc.title}》{src['label']}规定：「{text}」", "source": src,
            "tag": f"{TAG}·{kind}", "difficulty": "中等",
            "verify": {"kind": "computed", "engine": engine, "params": params, "needle": needle}}


# ---- 第三十条: age -------------------------------------------------------------------------------------------
AGE_OPTIONS = ("不予行政处罚，责令监护人加以管教", "应当从轻或者减轻行政处罚", "可以从轻或者减轻行政处罚", "依法给予行政处罚，不因年龄从轻")


def age_key(age: int) -> str:
    """行政处罚法 第三十条: 不满十四周岁 不予处罚; 已满十四周岁不满十八周岁 应当从轻或者减轻."""
    return AGE_OPTIONS[0] if age < 14 else AGE_OPTIONS[1] if age < 18 else AGE_OPTIONS[3]


def age_items(store: Store, rng: random.Random) -> list[dict]:
    out = []
    for age in (13, 15, 17, 19):
        who, act = rng.choice(PEOPLE), rng.choice(ACTS)
        stem = (f"{who}（{int_to_cn(age)}周岁）{act}，经查违法事实清楚，除年龄外没有其他从轻、减轻或者不予处罚的情节。"
                f"对{who}应当如何处理？")
        key = age_key(age)
        why = f"{who}{int_to_cn(age)}周岁，" + ("不满十四周岁。" if age < 14 else "已满十四周岁不满十八周岁。" if age < 18 else "已成年。")
        raw = _raw(store, 30, None, "十四周岁", stem, key, [o for o in AGE_OPTIONS if o != key], why, "age", {"age": age},
                   "年龄")
        if raw:
            out.append(raw)
    return out


# ---- 第三十三条第一款: 轻微、初次、及时改正 ---------------------------------------------------------------------
MINOR_OPTIONS = ("不予行政处罚", "可以不予行政处罚", "应当从轻或者减轻行政处罚", "依法给予行政处罚")
# (what the facts say, the key, the condition that decides)
MINOR_CASES = (
    ("违法行为轻微，执法人员指出后当场改正，未造成任何危害后果", 0, "违法行为轻微并及时改正，没有造成危害后果：不予行政处罚（应当）。"),
    ("系初次违法，{harm}，执法人员指出后当场改正", 1,
     "初次违法且危害后果轻微并及时改正：可以不予行政处罚（裁量）。"),
    ("去年曾因同一违法行为被处罚，此次经责令改正后仍拒不改正", 3, "不是初次违法，也未及时改正：不符合第三十三条第一款的条件，依法给予行政处罚。"),
)


def minor_key(case: int) -> str:
    return MINOR_OPTIONS[MINOR_CASES[case][1]]


def minor_items(store: Store, rng: random.Random) -> list[dict]:
    out = []
    for case, (facts, _, why) in enumerate(MINOR_CASES):
        firm, act = rng.choice(FIRMS), rng.choice(ACTS)
        stem = f"{firm}{act}。{facts.format(harm=SLIGHT_HARM[act])}。依据行政处罚法，对{firm}应当如何处理？"
        key = minor_key(case)
        raw = _raw(store, 33, 1, "初次违法", stem, key, [o for o in MINOR_OPTIONS if o != key], why, "minor",
                   {"case": case}, "首违不罚")
        if raw:
            out.append(raw)
    return out


# ---- 第三十六条: 二年 时效 -------------------------------------------------------------------------------------
LIMIT_OPTIONS = ("不再给予行政处罚", "依法给予行政处罚", "可以不予行政处罚", "应当从轻或者减轻行政处罚")


def limit_key(ended: date, found: date) -> str:
    """行政处罚法 第三十六条第一款: 违法行为在二年内未被发现的，不再给予行政处罚 (from the day the act ended; acts
    touching 公民生命健康安全、金融安全 with harm: five years — not used in these scenarios)."""
    return LIMIT_OPTIONS[0] if found > _two_years(ended) else LIMIT_OPTIONS[1]


def _two_years(ended: date) -> date:
    try:
        return ended.replace(year=ended.year + 2)
    except ValueError:  # 2月29日
        return ended.replace(year=ended.year + 2, day=28)


def limit_items(store: Store, rng: random.Random) -> list[dict]:
    out = []
    for months in (20, 30):  # well inside and well past two years
        ended = date(2022, 1, 1) + timedelta(days=rng.randrange(0, 600))
        found = ended + timedelta(days=months * 30 + rng.randrange(0, 20))
        firm, act = rng.choice(FIRMS), rng.choice(ACTS)
        stem = (f"{firm}{act}，该行为持续至{_cn_date(ended)}终了，{_cn_date(found)}被执法人员发现。该行为不涉及公民生命健康安全、"
                f"金融安全。对{firm}应当如何处理？")
        key = limit_key(ended, found)
        cutoff = _cn_date(_two_years(ended))
        why = (f"期限从行为终了之日（{_cn_date(ended)}）起计算（第二款），二年届满于{cutoff}；{_cn_date(found)}发现，"
               + ("已超过二年，不再给予行政处罚（第一款）。" if key == LIMIT_OPTIONS[0] else "在二年之内，应依法处罚。"))
        raw = _raw(store, 36, None, "二年内未被发现", stem, key, [o for o in LIMIT_OPTIONS if o != key], why, "limit",
                   {"ended": ended.isoformat(), "found": found.isoformat()}, "时效")
        if raw:
            out.append(raw)
    return out


# ---- 第五十一条: 简易程序 --------------------------------------------------------------------------------------
SUMMARY_LIMITS = {True: 200, False: 3000}  # 公民 / 法人或者其他组织 (第五十一条)


def summary_key(person: bool, fine: int | None = None) -> str:
    """行政处罚法 第五十一条: the highest fine on the spot (简易程序) — 公民 二百元, 法人或者其他组织 三千元; with
    ``fine``: whether that fine may be decided on the spot."""
    limit = SUMMARY_LIMITS[person]
    if fine is None:
        return f"{limit}元"
    return "可以当场作出行政处罚决定" if fine <= limit else "不能当场作出，应当适用普通程序"


def summary_items(store: Store, rng: random.Random) -> list[dict]:
    out = []
    for person in (True, False):
        party = rng.choice(PEOPLE) if person else rng.choice(FIRMS)
        kind = "个人" if person else "单位"
        stem = (f"执法人员巡查时发现{party}（{kind}）{rng.choice(ACTS)}，违法事实确凿并有法定依据，拟适用简易程序当场作出罚款决定。"
                f"当场可以处以的罚款最高为多少？")
        key = summary_key(person)
        # the other party's limit, the 当场收缴 limit (第六十八条 一百元), a round number between
        others = ["3000元", "100元", "1000元"] if person else ["200元", "1000元", "5000元"]
        why = f"{party}是{'公民' if person else '法人或者其他组织'}，简易程序当场罚款的上限为{key}。"
        raw = _raw(store, 51, None, "当场作出行政处罚决定", stem, key, others, why, "summary", {"person": person},
                   "简易程序")
        if raw:
            out.append(raw)
    for person, fine in ((True, 150), (True, 500), (False, 2000), (False, 5000)):
        party = rng.choice(PEOPLE) if person else rng.choice(FIRMS)
        stem = (f"{party}（{'个人' if person else '单位'}）{rng.choice(ACTS)}，违法事实确凿并有法定依据，执法人员拟对其处以{fine}元罚款。"
                f"能否适用简易程序当场作出行政处罚决定？")
        key = summary_key(person, fine)
        options = ["可以当场作出行政处罚决定", "不能当场作出，应当适用普通程序", "可以当场作出，但须经行政机关负责人批准",
                   "不能当场作出，应当先举行听证"]
        limit = SUMMARY_LIMITS[person]
        why = (f"当场罚款的上限：{'公民' if person else '法人或者其他组织'}{limit}元；拟罚{fine}元"
               + ("未超过，可以当场作出（无须负责人批准，作出后报所属机关备案，第五十二条）。" if fine <= limit
                  else "超过上限，应当适用普通程序；听证只适用于第六十三条所列较大数额罚款等情形。"))
        raw = _raw(store, 51, None, "当场作出行政处罚决定", stem, key, [o for o in options if o != key], why, "summary",
                   {"person": person, "fine": fine}, "简易程序")
        if raw:
            out.append(raw)
    return out


# ---- deadlines: 第六十条 (决定), 第六十四条 (听证申请), computed by the 办案 timeline ---------------------------------
DEADLINES = {  # step of 普通程序 → (the event the facts give, the question, the article deciding, a phrase of it)
    "审查决定": ("立案", "作出行政处罚决定的期限的最后一日是哪一天？", 60, None, "九十日"),
    "听证申请": ("告知送达", "当事人要求听证的期限的最后一日是哪一天？", 64, 1, "五日内"),
}
LAST_COVERED = date(2026, 12, 31)  # the last day chinese-calendar knows holidays for (its 2026 data)


def deadline_key(book, holidays, step: str, start: date):
    """The computed last day (and the Deadline) of ``step`` of 普通程序 when its event happened on ``start``."""
    from assistant.case.timeline import build_timeline

    event = DEADLINES[step][0]
    timeline = build_timeline(book, "普通程序", {"立案": start, event: start}, start, holidays)
    view = next(s for s in timeline.steps if s.id == step)
    return view.deadline


def _miscounts(start: date, due: date, amount: int, event: str) -> list[date]:
    """Three wrong last days an officer might compute: counting the start day, calendar days instead of working
    days (五日) or not moving a last day off a holiday (九十日), and three months for 九十日; then a day either side."""
    naive = start + timedelta(days=amount)  # calendar days, start day not counted, no holiday moved
    wrong = [naive - timedelta(days=1) if naive != due else due - timedelta(days=1), naive]
    if event == "立案":
        month = start.month + 3
        wrong.append(start.replace(year=start.year + (month - 1) // 12, month=(month - 1) % 12 + 1, day=min(start.day, 28)))
    wrong += [due + timedelta(days=1), due - timedelta(days=2), due + timedelta(days=2)]
    out: list[date] = []
    for d in wrong:
        if d != due and d not in out:
            out.append(d)
    return out[:3]


def _holidays_between(start: date, due: date) -> str:
    """The statutory holidays (named) between ``start`` and ``due``, from chinese-calendar."""
    import chinese_calendar

    names: dict[str, list[date]] = {}
    day = start + timedelta(days=1)
    while day <= due:
        try:
            on, name = chinese_calendar.get_holiday_detail(day)
        except NotImplementedError:
            break
        if on and name:
            names.setdefault(name, []).append(day)
        day += timedelta(days=1)
    zh = {"New Year's Day": "元旦", "Spring Festival": "春节", "Tomb-sweeping Day": "清明节", "Labour Day": "劳动节",
          "Dragon Boat Festival": "端午节", "National Day": "国庆节", "Mid-autumn Festival": "中秋节"}
    return "、".join(f"{zh.get(n, n)}（{d[0].month}月{d[0].day}日—{d[-1].month}月{d[-1].day}日）" for n, d in names.items())


def deadline_items(store: Store, rng: random.Random) -> list[dict]:
    from assistant.case.book import load_book
    from assistant.case.holidays import HolidayCalendar

    try:
        book, holidays = load_book(store), HolidayCalendar(None)
    except Exception:  # noqa: BLE001 - a store without 行政处罚法 has no procedure book; no deadline items then
        return []
    out = []
    for step, (event, question, article, paragraph, needle) in DEADLINES.items():
        for _ in range(2):
            start = date(2025, 1, 2) + timedelta(days=rng.randrange(0, 540))
            deadline = deadline_key(book, holidays, step, start)
            if deadline is None or deadline.due is None or deadline.estimated or deadline.due > LAST_COVERED:
                continue
            due = deadline.due
            firm = rng.choice(FIRMS)
            what = (f"某综合行政执法队于{_cn_date(start)}对{firm}涉嫌{rng.choice(ACTS)}一案立案调查（普通程序），"
                    "无延长办案期限的情形。") if event == "立案" else (
                f"某综合行政执法队拟对{firm}作出较大数额罚款，于{_cn_date(start)}向其送达了行政处罚事先告知书，"
                "告知其有要求听证的权利。")
            others = [_cn_date(d) for d in _miscounts(start, due, deadline.amount, event)]
            rules = "；".join(deadline.counted)
            skipped = _holidays_between(start, due)
            why = (f"{deadline.rule}，自{_cn_date(start)}起算，最后一日为{_cn_date(due)}（{rules}）。"
                   + (f"其间的法定节假日：{skipped}。" if skipped else ""))
            raw = _raw(store, article, paragraph, needle, what + question, _cn_date(due), others, why, "deadline",
                       {"step": step, "start": start.isoformat()}, "期限")
            if raw:
                out.append(raw)
    return out


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


def recompute(verify: dict, store: Store, advisor=None) -> str | None:
    """The key an application item's engine gives again for its inputs (``verify["params"]``); None when the
    engine cannot tell (its data is missing)."""
    p, engine = verify["params"], verify["engine"]
    if engine == "age":
        return age_key(p["age"])
    if engine == "minor":
        return minor_key(p["case"])
    if engine == "limit":
        return limit_key(date.fromisoformat(p["ended"]), date.fromisoformat(p["found"]))
    if engine == "summary":
        return summary_key(p["person"], p.get("fine"))
    if engine == "deadline":
        from assistant.case.book import load_book
        from assistant.case.holidays import HolidayCalendar

        deadline = deadline_key(load_book(store), HolidayCalendar(None), p["step"], date.fromisoformat(p["start"]))
        return _cn_date(deadline.due) if deadline and deadline.due else None
    if engine == "tier" and advisor is not None:
        advice = advisor.advise(p["facts"], region=p["region"])
        return advice.matches[0].range_text if advice.decision == "matched" and advice.matches else None
    return None


def application_items(store: Store, rng: random.Random) -> list[dict]:
    """Every application item on 行政处罚法 the engines can build for ``store`` (conditions, thresholds, deadlines),
    shuffled; empty when the store lacks the law."""
    items = (age_items(store, rng) + minor_items(store, rng) + limit_items(store, rng) + summary_items(store, rng)
             + deadline_items(store, rng))
    rng.shuffle(items)
    return items


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
