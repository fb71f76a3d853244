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
from datetime import date, timedelta

from assistant.quiz.deadline_items import deadline_items, deadline_key
from assistant.quiz.scenario_kit import ACTS, FIRMS, PEOPLE, SLIGHT_HARM, cn_date, raw_item
from corpus.numerals import int_to_cn
from corpus.store import Store

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
        raw = raw_item(store, 30, None, "十四周岁", stem, key, [o for o in AGE_OPTIONS if o != key], why, "age", {"age": age},
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
        raw = raw_item(store, 33, 1, "初次违法", stem, key, [o for o in MINOR_OPTIONS if o != key], why, "minor",
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
        stem = (f"{firm}{act}，该行为持续至{cn_date(ended)}终了，{cn_date(found)}被执法人员发现。该行为不涉及公民生命健康安全、"
                f"金融安全。对{firm}应当如何处理？")
        key = limit_key(ended, found)
        cutoff = cn_date(_two_years(ended))
        why = (f"期限从行为终了之日（{cn_date(ended)}）起计算（第二款），二年届满于{cutoff}；{cn_date(found)}发现，"
               + ("已超过二年，不再给予行政处罚（第一款）。" if key == LIMIT_OPTIONS[0] else "在二年之内，应依法处罚。"))
        raw = raw_item(store, 36, None, "二年内未被发现", stem, key, [o for o in LIMIT_OPTIONS if o != key], why, "limit",
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
        raw = raw_item(store, 51, None, "当场作出行政处罚决定", stem, key, others, why, "summary", {"person": person},
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
        raw = raw_item(store, 51, None, "当场作出行政处罚决定", stem, key, [o for o in options if o != key], why, "summary",
                   {"person": person, "fine": fine}, "简易程序")
        if raw:
            out.append(raw)
    return out


# ---- 第四十二条 两人执法, 第四十三条 回避, 第六十三条 听证 --------------------------------------------------------
PROCEDURE_CASES = {
    # engine: (article, paragraph, needle, [(facts, key index)], options, why per key index)
    "two_officers": (42, 1, "不得少于两人", [
        ("执法队员甲独自一人到现场，对{party}{act}当场调查取证并作出了罚款决定，本案无法律另有规定的情形。", 1),
        ("执法队员甲、乙两人出示执法证件后，对{party}{act}进行调查取证，违法事实确凿。", 0)],
        ("执法人员人数符合规定", "执法人员不得少于两人，该程序违法", "一名执法人员即可，但须事后补签", "须三名以上执法人员在场"),
        ("两名执法人员实施，符合「执法人员不得少于两人」。", "只有一名执法人员实施，违反「执法人员不得少于两人」（法律另有规定的除外）。")),
    "recusal": (43, None, "应当回避", [
        ("承办{party}{act}一案的执法队员甲，是{party}经营者的亲兄弟。", 0),
        ("{party}认为承办其{act}一案的执法队员甲与其有过节、可能影响公正执法，提出回避申请。", 2)],
        ("执法队员甲应当回避", "无须回避，由执法队员甲继续办理", "由行政机关负责人审查决定，决定作出前不停止调查", "调查立即中止，等待上级机关决定"),
        ("与案件当事人有直接利害关系（近亲属），应当回避。", "", "当事人申请回避的，由行政机关负责人决定，决定作出之前不停止调查。")),
}


def procedure_key(engine: str, case: int) -> str:
    """The key of a 第四十二条 / 第四十三条 scenario: read from PROCEDURE_CASES (the article's rule)."""
    _, _, _, cases, options, _ = PROCEDURE_CASES[engine]
    return options[cases[case][1]]


def procedure_items(store: Store, rng: random.Random) -> list[dict]:
    out = []
    for engine, (article, paragraph, needle, cases, options, whys) in PROCEDURE_CASES.items():
        for case, (facts, key_index) in enumerate(cases):
            party, act = rng.choice(FIRMS), rng.choice(ACTS)
            stem = facts.format(party=party, act=act) + "对此，下列说法正确的是？"
            key = procedure_key(engine, case)
            raw = raw_item(store, article, paragraph, needle, stem, key, [o for o in options if o != key], whys[key_index],
                       engine, {"case": case}, "执法程序")
            if raw:
                out.append(raw)
    return out


HEARING_OPTIONS = ("应当告知当事人有要求听证的权利", "无须告知听证权利，但应告知陈述、申辩权", "可以适用简易程序当场作出决定",
                   "只有当事人申请才告知听证权利")


def hearing_key(person: bool, fine: int, person_line: int, unit_line: int) -> str:
    """行政处罚法 第六十三条第一款第一项: 较大数额罚款 → 应当告知听证权利; the amount is the local standard the
    scenario states (it is set by each province)."""
    return HEARING_OPTIONS[0] if fine >= (person_line if person else unit_line) else HEARING_OPTIONS[1]


def hearing_items(store: Store, rng: random.Random) -> list[dict]:
    out = []
    person_line, unit_line = 5000, 50000  # stated in each scenario as the province's standard
    for person, fine in ((True, 6000), (False, 30000), (False, 80000)):
        party = rng.choice(PEOPLE) if person else rng.choice(FIRMS)
        stem = (f"某省规定，较大数额罚款是指对公民处以{person_line}元以上、对法人或者其他组织处以{unit_line}元以上的罚款。"
                f"执法人员拟对{party}（{'个人' if person else '单位'}）{rng.choice(ACTS)}的行为处以{fine}元罚款，"
                "作出决定前应当如何处理？")
        key = hearing_key(person, fine, person_line, unit_line)
        line = person_line if person else unit_line
        why = (f"本省较大数额罚款的标准为{'公民' if person else '法人或者其他组织'}{line}元以上；拟罚{fine}元，"
               + ("属于较大数额罚款，应当告知听证权利。" if key == HEARING_OPTIONS[0] else "不属于较大数额，无须告知听证权利，"
                  "但仍须告知陈述、申辩权（第四十四条）。"))
        raw = raw_item(store, 63, None, "较大数额罚款", stem, key, [o for o in HEARING_OPTIONS if o != key], why, "hearing",
                   {"person": person, "fine": fine, "person_line": person_line, "unit_line": unit_line}, "听证")
        if raw:
            out.append(raw)
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
    if engine in PROCEDURE_CASES:
        return procedure_key(engine, p["case"])
    if engine == "hearing":
        return hearing_key(p["person"], p["fine"], p["person_line"], p["unit_line"])
    if engine == "deadline":
        from assistant.case.book import load_book
        from assistant.case.holidays import HolidayCalendar

        deadline = deadline_key(load_book(store), HolidayCalendar(None), p["step"], date.fromisoformat(p["start"]))
        return cn_date(deadline.due) if deadline and deadline.due else None
    if engine == "tier" and advisor is not None:
        advice = advisor.advise(p["facts"], region=p["region"])
        return advice.matches[0].range_text if advice.decision == "matched" and advice.matches else None
    return None


def application_items(store: Store, rng: random.Random) -> list[dict]:
    """Every application item on 行政处罚法 the engines can build for ``store`` (conditions, thresholds, deadlines),
    shuffled; empty when the store lacks the law."""
    items = (age_items(store, rng) + minor_items(store, rng) + limit_items(store, rng) + summary_items(store, rng)
             + procedure_items(store, rng) + hearing_items(store, rng) + deadline_items(store, rng))
    rng.shuffle(items)
    return items


