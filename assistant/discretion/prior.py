"""What the facts state of earlier violations (同类违法) and what they leave unknown.

The tables' 同类违法 columns (「近二年同类违法行为情况：2次以下」, 「有同类违法行为」) are compared with the count the
facts state: 「已经是第三次了」, 「去年也被查过一次」, 「近两年同类违法共2次（含本次）」. Both sides become an interval
(lo, hi) of earlier violations, the present one excluded.
"""

from __future__ import annotations

import math
import re

from assistant.discretion.answers import open_questions_dropped, questions_read, read_questions
from corpus.numerals import cn_to_int

PRIOR = "近年同类违法行为"
INF = math.inf
NUMERAL = r"[0-9一二两三四五六七八九十]+"
_PRIOR_NONE = re.compile(r"有没有[^，。；]{0,10}(?:罚|查处|违法)[^。；]{0,3}[，,][^。；]{0,8}?(?:称|表示|说|答|回答)(?:没有|没|无|从没)|首次|首违|从没有?过|(?:以前|之前|此前|从前|过去)(?:也|都|还|从来)?(?:没|未|从没|从未)[出有犯干]过|从没(?:有)?(?:犯|干|被查|被罚|被处理)过|第一次|第1次(?!\d)|(?:以前|之前|此前|从前|过去)没(?!有?(?:整改|改))|(?<!有)没(?:有)?(?:犯|干|被查|被罚|被处理)过|(?<!有)没(?:有)?(?:挨|受)过?[^，。；]{0,2}罚|初次|头一[次回]|从未|从来没|此前没有|以前没有|之前没有|(?<!有)没有(?:被)?(?:查处|处罚|罚)过"
                         r"|无同类违法|没有同类违法|未曾|(?:就|只有?|仅)这一?[次回]|仅此一次"
                         # «系统里也没有处罚记录», «之前未见违法记录»
                         r"|(?:(?<!有)没有?|无|未见|未发现|查不到)(?:同类)?(?:违法|处罚|查处|违规)(?:记录|前科)")
# 「多次被查处」, not 「城管多次劝离不听」 (asking a vendor to leave is not an earlier violation)
_PRIOR_MANY = re.compile(r"屡次|屡教不改|惯犯|(?:多次|多回|反复|经常)(?:被|因|受到)?(?:查处|处罚|罚|违法|违规|查到|发现|被查|被罚)"
                         r"|(?:查处|处罚|罚|被查|警告)过?(?:好几|很多|多|几)次")  # «之前因为台账问题被罚过多次»
# a time within the tables' windows: a point in time («去年», «上个月», «半年前», «八个月前»; three years and more:
# _LONG_AGO), or any time before («以前», «之前»)
_WHEN = (r"(?:去年|前年|上个?月|上周|前几天|上半年|年初"
         r"|(?:半年|[一二两三四五六七八九十\d]+个多?月|一年|两年|[12]年)(?:多)?(?:以)?前)")
_AGO = r"(?:" + _WHEN + r"|以前|之前|此前)"
_PRIOR_SOME = re.compile(r"(?<![没未])(?:也|又)(?:这么|这样|如此|同样)[^，。；]{0,4}过|再次|又一次|又被|也被|曾被|曾经被|曾经|以前被|之前被|此前被|再犯|累犯|前科|被警告|上次(?!(?:来|去|的)?(?:检查|复查|现场|执法|巡查)[^，。；]{0,6}(?:责令|下|让|要求|发现))|(?<![没无])有同类违法|被查处过|被处罚过|罚过"
                         r"|(?<![没未])(?:挨(?:过|了)?[^，。；]{0,3}罚|吃过[^，。；]{0,3}罚单|领过[^，。；]{0,3}罚单)"
                         r"|被处理过|(?:去年|前年|以前|之前|此前)[^。；]{0,8}(?:干过|[挪弄搞拆排倒烧堆]过|犯过|[出有]过[^，。；]{0,3}(?:同样|类似|这样|这种|一样)的?(?:问题|事|情况))"
                         r"|" + _AGO + r"[^，。；]{0,10}(?:查处|处罚|罚款|罚过|被罚|处理|查过|检查)")
_PRIOR_N = re.compile(r"(?:查处|处罚|罚款?|处理|违法|被查|(?<!没)(?:查|抓|逮)到|警告|前科|(?:也|又)(?:这么|这样|如此|同样)[^，。；]{0,4})[过了]?(?:有)?(?P<n>" + NUMERAL + r")次|(?P<m>" + NUMERAL + r")次(?:被)?(?:查处|处罚|违法)"
                      # the party named between a penalty and its count: «查处过他三回», «罚过这家厂两次» (dev21 d21-001)
                      r"|(?:查处|处罚|罚款?|警告)[过了]?(?:他们?|她们?|对方|(?:该|这个?|那个?)家?(?:厂|公司|单位|企业)|他们厂)"
                      r"(?P<p>" + NUMERAL + r")次(?![^，。；]{0,2}(?:投诉|举报|信访|检查))")
_PRIOR_NTH = re.compile(r"第(?P<n>[二两三四五六七八九十2-9]\d*)次")
# 「近两年同类违法共2次（含本次）」: a count that includes the present case
_INCLUDING = re.compile(r"含本次|包括本次|包括这次|含这次|算上这次|连这次|连同本次|加上这次|本次在内|这次在内")
# 「前年和去年各被罚过一次」: the count times the number of periods named before 各
_PERIOD = (r"(?:(?:前年|去年|今年|(?:19|20)\d\d年)?(?:[0-9一二三四五六七八九十]+月份?|上半年|下半年|年初|年底)|前年|去年|今年"
           r"|上个?月|(?:19|20)\d\d年)")
_EACH = re.compile(r"(?P<periods>" + _PERIOD + r"(?:(?:[和、与及跟]|还有)" + _PERIOD + r")+)各[^。；，]{0,6}?(?P<n>" + NUMERAL
                   + r")次")
_TOTAL = re.compile(r"(?:共|累计|一共|总共|总计|合计)(?:被?(?:查处|处罚|查|罚))?(?:过)?(?P<n>" + NUMERAL + r")次")


# a clause that says a fact is not yet known («以前的处罚记录还没调出来», «是否按期改好了还没复查», «物品属于几类还没查清»)
# states nothing: its words must not decide a condition (they are what the officer still has to establish)
_UNKNOWN = re.compile(r"(?:还没|尚未|还未|暂未|没有?|未)(?:能)?(?:调出来|调取|调(?=记录|档案|资料|系统)|查清|查明|核实|核清|确认|确定|复查|定下来|定|弄清|搞清)"
                      r"|待(?:核实|查明|查|确认|定)|还[得要需](?:再)?(?:查|核|调|问|确认)(?!处)|不清楚|不确定|不详|未知|说不[清准好定]|拿不准|吃不准|不知道"
                      r"|(?:还在|正在|仍在|尚在)(?:核实|核查|调查|查|确认|调取|了解|统计|测算)"
                      r"|哪一?[类种级]|多少|多高|多大")  # a question is no answer: «具体是哪一类源、量多少» (dev6 d6-015)
_CLAUSE_END = re.compile(r"(?<=[，,。；;！!？?\n])")


def stated_only(facts: str) -> str:
    """``facts`` without the clauses that say a fact is unknown (``_UNKNOWN``) and the questions they leave open
    («是不是在限批区，还没核实»: answers.open_questions_dropped), for reading conditions (counts, quantities, 情节); the
    violation is still matched on the whole text."""
    return "".join(c for c in _CLAUSE_END.split(open_questions_dropped(facts or "")) if not _UNKNOWN.search(c))


def _num(text: str) -> int | None:
    return int(text) if text.isdigit() else cn_to_int(text)


# a clause about a penalty three or more years back («三年前被罚过一次», «好几年前») lies outside every table's 同类违法
# window (近一年, 近二年): it counts no earlier violation
_LONG_AGO = re.compile(r"(?:[三四五六七八九十]|[3-9]|\d{2})\s*年(?:多)?(?:以)?前|好几年前|多年前|很多年前|几年前")


def prior_from_facts(facts: str) -> tuple[float, float] | None:
    """Previous same violations stated by the facts, as an interval (lo, hi) of counts; None when not stated.

    「已经是第三次了」 → (2, 2); 「近两年同类违法共2次（含本次）」 → (1, 1) (含本次 counted as stated);
    「去年也被查过一次」 → (1, 1); 「前年和去年各被罚过一次」 → (2, 2); 「近一年没有同类违法」 → (0, 0);
    「屡教不改」 → (2, inf); 「三年前被罚过一次」 → (0, 0) (outside the tables' windows of one and two years);
    「不是头一回」 → (1, inf) unless the facts count them (dev17 d17-018 read it as a first time).
    """
    found = _prior_of(_NOT_FIRST.sub("，", facts))
    if _NOT_FIRST.search(facts) and found is None:  # a count the facts give stands («…，五年前被罚过一次»: none within)
        return (1, INF)
    return found


def _prior_of(facts: str) -> tuple[float, float] | None:
    facts = re.sub(r"(" + NUMERAL + r")回", r"\1次", facts)  # 「被查过一回」「第二回」
    clauses = read_questions(_CLAUSE_END.split(facts))  # «是否被罚过，当事人称没有» → «此前没有同类违法»
    facts = "".join(clauses)
    if _RECENT_NONE.search(facts):  # «2019年被罚过一次，近两年无违法记录»: the window the tables count is stated
        dated = [c for c in clauses if _DATED.search(c) and not _RECENT_NONE.search(c)]
        clauses = [c for c in clauses if c not in dated]
        facts = "".join(clauses)
    old = [c for c in clauses if _LONG_AGO.search(c) and (_stated_prior(c) or (0, 0))[1] > 0]
    if old:  # «三年前被罚过一次»: not «三年前建的厂»
        recent = "".join(c for c in clauses if c not in old)
        found = _stated_prior(recent) if recent.strip() else None
        return found if found is not None else (0, 0)
    return _stated_prior(facts)


# a first time denied: «不是头一回», «并非首次», «也不是第一次了», «不是初犯»
_NOT_FIRST = re.compile(r"(?:不是|并非|不算|哪是)(?:第一次|头一[次回]|首次|初次|初犯|首违)(?![^，,。；;]{0,3}(?:投诉|举报))")


# «近两年无违法记录», «近一年没有同类违法»: none within a window the tables count
_RECENT_NONE = re.compile(r"近[一两二12]年(?:内|来|以来)?(?:都|也)?(?:无|没有?|未(?:见|发现|有))(?:同类|类似)?(?:违法|处罚|违规|被查)")
_DATED = re.compile(r"(?:19|20)\d\d\s*年")


_FIRST_TIME = re.compile(r"首次|初次|头一[次回]|从未|从来没|没有(?:被)?(?:查处|处罚|罚)过|(?:无|没有?)同类违法")  # not «有同类违法»


def prior_conflict(facts: str) -> bool:
    """Whether the facts call the case a first one («首次被查», «从未被罚过») and also count earlier ones («已经是第三次了»,
    «去年被罚过两次»): the officer should check which is right (the advisor reads the larger count)."""
    facts = _NOT_FIRST.sub("，", questions_read(facts or ""))  # «是否首次违法？称不是» calls it no first one
    if not _FIRST_TIME.search(facts):
        return False
    rest = _FIRST_TIME.sub("", facts)
    found = _stated_prior(rest)
    return found is not None and found[0] >= 1


# an inspection that found nothing («之前检查过三次都没问题», «检查过两次都合格») and the officers' own visit
# («第二次现场检查时发现…») count no earlier violation
_CLEAN_CHECK = re.compile(r"[^，。；]*(?:检查|查|抽检|抽查|监测)过?[^，。；]*?(?:都|均|也)?(?:没(?:有)?(?:发现)?(?:什么)?问题|没事|合格|达标)")
_VISIT = re.compile(r"第" + NUMERAL + r"次(?:现场|上门|去|来|到)?(?:检查|复查|巡查|核查|执法)")
# «去年被罚不下三次», «至少两次»: a floor; «不止两次»: more than
_AT_LEAST = re.compile(r"(?P<w>不下|不少于|至少|起码|不止|不只)(?P<n>" + NUMERAL + r")次")
# «前两年每年都被罚过一回»: the count times the years
_YEARLY = re.compile(r"(?:前|近|过去|这)(?P<y>[两二三2-3])年(?:里|内|来)?每年(?:都)?[^，。；]{0,8}?(?P<n>" + NUMERAL + r")次")
# one punishment at one time («上个月刚因为同样的事挨过罚», «半年前因同一问题被处罚»): one earlier violation
_ONE_EVENT = re.compile(_WHEN + r"(?:刚|也|曾)?[^，。；]{0,10}?(?:被[^，。；]{0,4}?|挨过?|受到?过?)(?:查处|处罚|罚|警告)")  # «被我局罚款»
# «又被罚», «再次被查» count another earlier penalty; «这次又犯了», «又在偷排» are the present act, not a second one
_PLURAL = re.compile(r"多次|几次|好几|屡|每[年次回]|经常|反复|(?:又|再次?)(?:一次)?(?:被|挨|受到?)|都被")


_PENALTY = re.compile(r"查处|处罚|罚|被查|警告|违法")
_PRESENT = re.compile(r"这次|本次|这回|此次|今天|今日")  # a clause about the present case
# 前科 in its criminal sense («有前科，因盗窃判过刑», «打架斗殴留过案底»): no earlier 同类违法 of an administrative act
_CRIME = r"(?:被判|判过?刑|判了|判处|刑事|犯罪|坐过?牢|服刑|劳改|盗窃|偷盗|诈骗|抢劫|打架|斗殴|吸毒|赌博|治安拘留)"
_CRIMINAL = re.compile(r"前科(?=(?:[^，,。；;]{0,12}?|[，,](?:因|是|系|曾因|以前因|之前因)[^，,。；;]{0,10}?)" + _CRIME + r")"
                       r"|" + _CRIME + r"[^，,。；;]{0,10}?前科")  # not «…的前科，另外还因打架被拘留过»


def _penalised(facts: str, m: re.Match) -> bool:
    """Whether the clause of ``m`` speaks of a penalty («被罚不止两次»), not of complaints or visits («投诉不止两次»,
    «每年都来检查两次»)."""
    start = 0
    for clause in _CLAUSE_END.split(facts):
        if start <= m.start() < start + len(clause):
            return bool(_PENALTY.search(clause))
        start += len(clause)
    return False


def _stated_prior(facts: str) -> tuple[float, float] | None:
    """:func:`prior_from_facts` without the window rule."""
    facts = _VISIT.sub("　", _CLEAN_CHECK.sub("　", _CRIMINAL.sub(lambda m: m.group(0).replace("前科", "　"), facts)))
    m = _YEARLY.search(facts)
    if m and (n := _num(m.group("n"))) is not None and _penalised(facts, m):
        return (n * (_num(m.group("y")) or 1),) * 2
    m = _AT_LEAST.search(facts)
    if m and (n := _num(m.group("n"))) is not None and _penalised(facts, m):
        return (n + (m.group("w") in ("不止", "不只")), INF)
    m = _EACH.search(facts)
    if m and (n := _num(m.group("n"))) is not None:
        return (n * len(re.findall(_PERIOD, m.group("periods"))),) * 2
    m = _TOTAL.search(facts) or (re.search(r"(?P<n>" + NUMERAL + r")次", facts) if _INCLUDING.search(facts) else None)
    if m and (n := _num(m.group("n"))) is not None:
        return (max(0, n - 1),) * 2 if _INCLUDING.search(facts) else (n, n)
    m = _PRIOR_NTH.search(facts)
    if m and (n := _num(m.group("n"))):
        return (n - 1, n - 1)
    m = _PRIOR_N.search(facts)
    if m and (n := _num(m.group("n") or m.group("m") or m.group("p"))) is not None and (
            _PRIOR_SOME.search(facts) or re.search(r"被|已经|已", facts[max(0, m.start() - 4):m.start() + 1])
            or re.match(r"[查抓逮]到过", m.group(0)) or m.group("p")):  # «近两年查到过三回»: found before, not now
        # 「近两年被处罚三次」; «去年被罚过一次，今年又被罚了一次»: each later clause's «又/再» penalty adds to the first
        # (one when it gives no count: «今年6月份又被罚»), not the present case's («这次又被查处»)
        start = facts.find("，", m.end())
        for clause in _CLAUSE_END.split(facts[start + 1:]) if start >= 0 else []:
            again = re.search(r"[又再]次?(?:一次)?(?:被|挨|受到?)[^，,。；;]{0,6}?(?:罚|查处|处罚|处理)", clause)
            if again and not _PRESENT.search(clause):
                later = _PRIOR_N.search(clause)
                n += (_num(later.group("n") or later.group("m") or later.group("p")) or 1) if later else 1
        return (n, n)
    if _PRIOR_MANY.search(facts):
        return (2, INF)
    if _PRIOR_NONE.search(facts):
        return (0, 0)
    if _PRIOR_SOME.search(facts):
        m = re.search(r"(" + NUMERAL + r")次", facts)
        n = _num(m.group(1)) if m else None
        if n:
            return (n, n)
        past = "".join(c for c in _CLAUSE_END.split(facts) if not _PRESENT.search(c))  # «这次又被我们查到»: the present
        return (1, 1) if _ONE_EVENT.search(facts) and not _PLURAL.search(past) else (1, INF)
    return None


def prior_from_tier(text: str, bounds: str = "", counts_current: bool = False) -> tuple[float, float] | None:
    """A tier's 同类违法 condition as an interval of previous violations (the current one excluded).

    ``bounds`` is what the table (or its 规定) says of 以上/以下 and 本数 (corpus/chunking/table_notes.bounds_of):
    with 「以下不包括本数」, 「2次以下」 is at most 1; by default both include the number (刑法 第九十九条's reading).
    ``counts_current``: the table counts the present case in this column where it does not say so here (its own
    other rows say 「近二年同类违法行为情况（含本次）」, see groups.counts_current_docs); 「不含本次」 overrides.
    """
    def excludes(word: str) -> bool:
        return any(word in part and "不包括本数" in part for part in bounds.split("；"))

    t = (text or "").replace(" ", "")
    if not t:
        return None
    if re.search(r"无同类违法|没有同类违法|首次|初犯", t):
        return (0, 0)
    if re.fullmatch(r"(?:\d+[：:])?(?:再犯|累犯)(?:或以上|及以上|以上)?的?", t):  # 江门's 「2：再犯或以上的」
        return (1.0, INF)
    m = re.search(r"第(" + NUMERAL + r")次", t)  # 「两年内第2次」: the present one is the 2nd
    if m and (n := _num(m.group(1))):
        return (n - 1, n - 1)
    m = re.search(r"(?:超过|多于)(" + NUMERAL + r")次", t)  # 「两年内超过4次的」
    if m and (n := _num(m.group(1))) is not None:
        return (float(n), INF)
    m = re.fullmatch(r"(?:\d+[：:])?近?[一二两三1-3]年内?(" + NUMERAL + r")次(以上)?的?", t)  # 「两年内2次」: the present one counted
    if m and (n := _num(m.group(1))):
        return (n - 1, INF if m.group(2) else n - 1)
    including = ("含本次" in t or counts_current) and "不含本次" not in t
    lo, hi = 0.0, INF
    m = re.search(r"(" + NUMERAL + r")次以上(?:(" + NUMERAL + r")次以下)?", t)
    if m:
        lo = float(_num(m.group(1)) or 0) + excludes("以上")
        if m.group(2):
            hi = float(_num(m.group(2)) or INF) - excludes("以下")
    else:
        m = re.search(r"(" + NUMERAL + r")次以下", t)
        if m:
            hi = float(_num(m.group(1)) or INF) - excludes("以下")
        else:
            m = re.search(r"(" + NUMERAL + r")次", t)
            if m:
                lo = hi = float(_num(m.group(1)) or 0)
            elif re.search(r"有同类违法", t):
                return (1.0, INF)  # an earlier one, whatever the table counts
            else:
                return None
    if including:
        lo, hi = max(0.0, lo - 1), hi - 1
    return (lo, hi)
