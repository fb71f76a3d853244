"""Whom an act of the 裁量 tables is for, read from its own words: a subject that lists kinds of enterprise or place
(«钢铁、建材、有色金属……等企业») and an exception («除工业涂装企业以外的……»). The facts that name one of the kinds,
or say the party is not one, make the act fit better or worse (``scope_fit``, ``subject_named``); an act done only
inside a protected place is out when the facts say it was not in one (``outside_place``) and ranks lower when they
name no such place (``place_unsaid``); all used by
matching.ViolationMatcher."""

from __future__ import annotations

import re

from assistant.discretion.facts import bigrams

# 特别规定优先: an act whose subject is a list of kinds («钢铁、建材、有色金属……等企业», «码头、矿山、填埋场和消纳场»)
# fits facts that name one of them (水泥厂 → 建材, 采石场 → 矿山) better than the general act beside it
# («对不能密闭的易产生扬尘的物料…»; dev7 d7-005)
SUBJECT_FACTOR = 1.15
_SUBJECT_LIST = re.compile(r"^((?:[\u4e00-\u9fff]{2,6}、){2,}[\u4e00-\u9fff]{2,6}?)(?:(?:和|及)([\u4e00-\u9fff]{2,4}?))?"
                           r"(?:等企业|等行业企业|场)(?:，|未|不)")  # three kinds or more, nouns: 企业, 场


def subject_kinds(violation: str) -> tuple[str, ...]:
    """The kinds a violation's subject lists («钢铁、建材、有色金属、石油、化工、制药、矿产开采等企业，未采取……» →
    (钢铁, 建材, …, 矿产开采)); () when its subject is no list of three kinds or more."""
    m = _SUBJECT_LIST.match(violation)
    if not m:
        return ()
    return tuple(k for k in re.split(r"、|和|及", m.group(1) + "、" + (m.group(2) or "")) if len(k) >= 2)


def subject_named(violation: str, said: str, kinds: tuple[str, ...] | None = None) -> bool:
    """Whether ``said`` (the facts and their legal words) names one of the kinds a violation's subject lists (facts
    of a 水泥厂 that the term list calls 建材); ``kinds``: ``subject_kinds(violation)`` when the caller keeps them."""
    return any(k in said for k in (subject_kinds(violation) if kinds is None else kinds))


# 「不是涂装企业」: the row for 「除工业涂装企业以外的……企业」 fits, the row whose subject is 工业涂装企业 does not
SCOPE_FACTOR = {1: 1.25, -1: 0.6}
_NOT_A = re.compile(r"(?:不是|并非|不属于)([^，,。；;（）()、]{2,10})")
_EXCEPT = re.compile(r"除(?:了)?([^，,。；;]{2,16}?)(?:以外|之外)")


def scope_fit(violation: str, facts: str) -> int:
    """Whether what the facts say the party is *not* («不是涂装企业») fits a violation's scope: 1 when the
    violation excepts it («除工业涂装企业以外的其他……»), -1 when the violation's subject is it («工业涂装企业未使用
    ……»), 0 when the facts deny nothing the violation names."""
    denied = [bigrams(m.group(1)) for m in _NOT_A.finditer(facts)]
    if not denied:
        return 0
    excepted = [bigrams(m.group(1)) for m in _EXCEPT.finditer(violation)]
    if any(len(d & e) >= 2 for d in denied for e in excepted):
        return 1
    subject = bigrams(_EXCEPT.sub("", violation)[:12])
    return -1 if any(len(d & subject) >= 2 for d in denied) else 0


# an act of a party without a permit («未依法取得排污许可证排放水污染物») is not the act of one whose own permit
# the facts cite («不走排污证上定的总排口», «排污证要求每季度测»: dev9 d9-016 got the 无证 rows)
_WITHOUT_PERMIT = re.compile(r"(?:未依法取得|未取得|无)([\u4e00-\u9fff]{0,8}?)许可证")
_PERMIT_CITED = re.compile(r"([\u4e00-\u9fff]{0,6}?)(?:许可证|证)(?:上|里|中)?(?:定|写|规定|要求|载明|核定)")
_NO_PERMIT = re.compile(r"(?:没有|无)[\u4e00-\u9fff]{0,6}?证"
                        r"|(?:没|未|不)去?(?:办理?|领取?|取得|申领|申请|拿到|持有?|延续)[^，,。；;]{0,6}?证"
                        r"|证[^，,。；;]{0,8}?(?:过期|到期|届满|吊销|注销|撤销|失效|(?:还)?没(?:办|批|下来|延续))")
# rows where the permit lacked is another party's («委托给无经营许可证的单位») or that cover acting beyond one's own
# permit as well («无经营许可证或者不按照经营许可证规定从事…»): a permit the facts cite rules neither out
_NOT_OWN_LACK = re.compile(r"(?:给|委托|交由|提供)[^，,；;]{0,6}?无[^，,；;]{0,8}?许可证|不按照[^，,；;]{0,8}?许可证(?:的)?规定")


def permit_held(violation: str, facts: str) -> bool:
    """Whether ``facts`` cite the party's own permit of the kind a violation says it lacks (排污 in both
    «未依法取得排污许可证…» and «排污证上定的排口»), and say nothing of its lacking or losing one («没办证»,
    «证过期了», «有效期届满后没申请延续», «证被撤销了»). A violation that names no kind of permit, whose permit lacked
    is another party's, or that also covers acting beyond one's own permit, and facts that name another kind, give
    False."""
    lacked = _WITHOUT_PERMIT.search(violation)
    if not lacked or not lacked.group(1) or _NOT_OWN_LACK.search(violation) or _NO_PERMIT.search(facts):
        return False
    kind = lacked.group(1)
    return any(m.group(1) and (m.group(1).endswith(kind) or kind.endswith(m.group(1)[-2:]))
               for m in _PERMIT_CITED.finditer(facts))


# a protected place the facts say the act was not in («那里不在水源保护区»), and the acts that happen only inside one
# («在饮用水水源保护区内设置排污口»): such an act is no candidate (dev5 d5-019)
_PLACE = r"(?:保护区|敏感区|限批区|风景名胜区|自然保护地|红线)"
_NOT_IN = re.compile(rf"(?:不在|没在|不属于|不是)([^，,。；;]{{0,8}}?{_PLACE})")
_INSIDE = re.compile(rf"在([^，,。；;]{{2,16}}?{_PLACE}[^，,。；;]{{0,4}}?)内")


def outside_place(violation: str, facts: str) -> bool:
    """Whether ``violation`` is done only inside a protected place that ``facts`` say the act was not in."""
    denied = [bigrams(m.group(1)) for m in _NOT_IN.finditer(facts)]
    if not denied:
        return False
    return any(len(d & bigrams(m.group(1))) >= 2 for d in denied for m in _INSIDE.finditer(violation))


# an act done only inside a protected place ranks lower when the facts name no such place: the place is the act
# (dev15 d15-001: «电镀厂的排污口一直没立牌子» had 「在饮用水水源保护区内设置排污口」 first; 0.8 and 0.6 moved the same
# case and nothing else on every set, evals/README.md «Seventeenth round»)
PLACE_UNSAID_FACTOR = 0.8


def place_unsaid(violation: str, said: str) -> bool:
    """Whether ``violation`` is done only inside a protected place («在饮用水水源保护区内设置排污口») that ``said`` (the
    facts and their legal words) does not name: fewer than two bigrams of the place shared."""
    places = [bigrams(m.group(1)) for m in _INSIDE.finditer(violation)]
    have = bigrams(said)
    return bool(places) and all(len(p & have) < 2 for p in places)


# an act only a defined party can do ranks lower when the facts name no such party nor what makes one: a 稀土冶炼厂's
# 放射性废渣 is no 核技术利用单位's (dev18 d18-017). The parties and their marks: the scope of 放射性同位素与射线装置
# 安全和防护条例 第二条 (who produces, sells or uses 放射性同位素 or 射线装置), 核安全法 第二条 (the 核设施 it lists),
# 大气污染防治法 第五十四条 (排放检验机构). 0.8 as PLACE_UNSAID_FACTOR; 0.85 left d18-017's act tied with the
# party's row (evals/README.md «Nineteenth round»). The same holds for an act that opens with the place or the thing
# it is about: 医疗废物管理条例 第二十一条's 「不具备集中处置医疗废物条件的农村」 (a 处置中心's 焚烧炉 is not one, dev14
# d14-009) and 第四十五条's 「医疗废物运送工具或者运送车辆」 (a 蒸煮 line's 灭菌 is not one, dev14 d14-016)
SUBJECT_UNSAID_FACTOR = 0.8
_SOLE = r"(?=未|不|将|违反|以|擅自|拒)"  # the party alone opens the act: «核设施营运单位、核技术利用单位或者……» lists three
_DEFINED_SUBJECTS = (
    (re.compile(r"^(?:（[一二三四五六七八九十]）)?核技术利用单位" + _SOLE),
     re.compile(r"核技术|放射源|废源|类源|[铯钴铱硒]源|中子源|探伤|测井|辐照|放疗|放射治疗|核医学|射线装置|同位素|加速器"
                r"|CT|DSA|X光|伽[马玛]刀|医用直线|核子秤|辐射安全许可证", re.IGNORECASE)),
    (re.compile(r"^(?:（[一二三四五六七八九十]）)?核设施营运单位" + _SOLE),
     re.compile(r"核设施|核电|核动力|核热电|反应堆|研究堆|实验堆|临界装置|核燃料|乏燃料|后处理")),
    (re.compile(r"^(?:（[一二三四五六七八九十]）)?机动车排放检验机构" + _SOLE),
     re.compile(r"检测站|检验站|检测线|检验机构|检测机构|检测中心|尾气检测|尾气检验|排放检验|环检|车检|年检")),
    (re.compile(r"^不具备集中处置医疗废物条件的农村"),
     re.compile(r"农村|乡村|村[卫医里子民委]|[乡镇]卫生院|山区|偏远|没法集中|没有[^，,。；;]{0,6}集中")),
    (re.compile(r"^对使用后的医疗废物运送工具或者运送车辆"),
     re.compile(r"车(?!间)|运送工具|运输工具|周转箱|转运箱|推车|手推")),
)


def subject_unsaid(violation: str, said: str) -> bool:
    """Whether ``violation`` opens with a party the law defines (核技术利用单位, 核设施营运单位, 机动车排放检验机构), or
    with the place or thing it is about (不具备集中处置条件的农村, 医疗废物运送工具), that ``said`` (the facts and their
    legal words) neither names nor marks («探伤», «核电站», «检测站», «村卫生室», «转运车»)."""
    return any(party.match(violation) and not marks.search(said) for party, marks in _DEFINED_SUBJECTS)
