"""Questions in the facts, and their answers: about earlier violations (read as what the answer states), and any
other question the facts leave open (dropped before a tier's text values are chosen).

Officers write down what they asked and what they were told: «询问是否被处罚过，当事人答：没有», «问他是不是第一次，他说
不是», «有无处罚记录，系统显示无», «以前有没有被查过，档案还在调». A question alone states nothing; its words must not be
read as a statement («有没有…被查过» holds «被查过», «有无同类违法» holds «无同类违法»). :func:`read_questions` replaces
each question about earlier violations and its answer by what the answer states, in words the count parser reads
(prior.py): «此前有同类违法», «此前没有同类违法», or the answer itself when it gives a time or a count («他说去年罚过一次»);
an unanswered, refused or unclear one is dropped.
"""

from __future__ import annotations

import re

# a yes/no question: «有没有», «是否», «有无», «是不是», «…吗», «被罚过没有？»
_QUESTION = re.compile(r"有没有|是否|有无|是不是|曾否|[吗么](?=[？?，,。；;]|$)|过没有?(?=[？?，,。；;]|$)")
# … about earlier violations or the first time
_ABOUT_PRIOR = re.compile(r"罚|查处|违法|违规|前科|记录|被查|处理过|第一次|首次|初次|头一[次回]")
_ABOUT_FIRST = re.compile(r"第一次|首次|初次|头一[次回]|首违")
# who answers, and how: «当事人称», «老板说», «答：», «系统显示», «查到了», «否认»
_ANSWER = re.compile(r"称|表示|说|答|回复|承认|否认|交代|自述|自认|确认|查明|查实|查到|显示")
# no answer given: refused, not said, not remembered, later
_NO_ANSWER = re.compile(r"拒绝?不?(?:回答|答复|说)|未作?(?:回答|答复|说明)|没(?:有)?(?:回答|说)|不(?:愿|肯)(?:说|回答)|记不|不记得"
                        r"|不清楚|不知道|说不[清准好]|再说|需要?[^，,。；;]{0,8}确认|待[^，,。；;]{0,4}确认|没写|未写|没有写")
_DENIED = re.compile(r"否认|不是|没有|没|无|从未|从没|未(?:曾|受|被|有)|不曾")
_AFFIRMED = re.compile(r"承认|是的|是|有|罚过|处罚过|查处过|被罚|被查|查到")
_DETAIL = re.compile(r"[0-9一二两三四五六七八九十]+[次回]|去年|前年|上个?月|年初|[0-9一二两三四五六七八九十]+个?月前|半年前|\d{4}年")
_CLAUSE_END = re.compile(r"(?<=[，,。；;！!？?\n])")
HAS_PRIOR, NO_PRIOR = "此前有同类违法。", "此前没有同类违法。"


def _polarity(answer: str) -> bool | None:
    """True when ``answer`` (the words after the answer marker) says yes, False for no, None when it says neither."""
    if _NO_ANSWER.search(answer):
        return None
    if _DENIED.search(answer):
        return False
    return True if _AFFIRMED.search(answer) else None


def read_questions(clauses: list[str]) -> list[str]:
    """``clauses`` (a text split after its punctuation) with each question about earlier violations replaced by what
    its answer states (the answer in the same clause after an answer word, or in one of the next two clauses); the
    question and its clauses dropped when nothing answers it."""
    out: list[str] = []
    k = 0
    while k < len(clauses):
        clause = clauses[k]
        q = _QUESTION.search(clause)
        if not q or not _ABOUT_PRIOR.search(clause):
            out.append(clause)
            k += 1
            continue
        found = next(((j, m) for j in range(k, min(k + 3, len(clauses)))
                      if (m := _ANSWER.search(clauses[j], q.end() if j == k else 0))), None)
        if found is None:  # unanswered: the question states nothing
            k += 1
            continue
        where, marker = found
        answer = clauses[where][marker.end():]
        said = _polarity(answer)
        if marker.group(0) == "否认":
            said = False if not _NO_ANSWER.search(answer) else None
        elif said is None and marker.group(0) in ("承认", "查到", "查实") and not _NO_ANSWER.search(answer):
            said = True  # «系统查到了»
        if said is not None and _ABOUT_FIRST.search(clause):  # «是不是第一次？不是»: not the first time
            out.append(NO_PRIOR if said else HAS_PRIOR)
        elif said is True:
            out.append(answer if _DETAIL.search(answer) else HAS_PRIOR)  # «他说去年罚过一次»: its own count
        elif said is False:
            out.append(NO_PRIOR)
        k = where + 1
    return out


def questions_read(facts: str) -> str:
    """``facts`` with :func:`read_questions` applied to its clauses."""
    return "".join(read_questions(_CLAUSE_END.split(facts or "")))


# a question left open: «项目选址是不是在限批区或者敏感区，还没核实», «到底是一级还是二级还得翻区划文件核实» — its
# words name a value («限批区», «一级») that the facts do not state (dev14 d14-031 read «是不是» as «不是»: 一般区域)
_ASKED = re.compile(r"有没有|是否|有无|是不是|在不在|算不算|属不属于|够不够|到底|是[^，,。；;]{1,12}?还是")
_UNSETTLED = re.compile(r"(?:还没|尚未|还未|暂未|没|未)(?:能|有)?[^，,。；;]{0,6}?(?:核实|查清|查明|确认|确定|弄清|搞清|核清|查)"
                        r"|待(?:核实|查明|查|确认|定|复查|鉴定|检测)|还[得要需](?:要)?(?:再)?[^，,。；;]{0,8}?(?:查|核|翻|调|问|确认|测|等)"
                        r"|需要?[^，,。；;]{0,8}?(?:核实|确认|核查)|等[^，,。；;]{0,4}?(?:鉴定|检测|化验)?结果"
                        r"|不清楚|不确定|不知道|说不[清准好定]|拿不准|吃不准|(?:还在|正在)(?:核实|核查|确认|调取|了解|查)")


# a clause that says a value is still being worked out, without a question word: «土壤敏感程度还没评出来» (dev21 d21-027)
_NOT_WORKED_OUT = re.compile(r"(?:(?:还没|没|尚未|还未|暂未)有?(?:评|测|算|核(?!准)|鉴定|评估|检测|化验|量)估?(?:出来|出结果|清楚|准|完)"
                             r"|(?:结果|报告)还没出|(?:还在|正在)(?:评估|鉴定|检测))"
                             # … not a deed done before it was known: «评估报告还没评出来就开工了» (a review)
                             r"(?![^，,。；;]*?(?:就|便|先))")

ANSWER_REACH = 2  # clauses after a question in which «还没核实» leaves it open (a comment may stand between)


def split_open_questions(facts: str) -> tuple[str, str]:
    """``facts`` split into (the rest, the questions they leave open): a clause that asks (是不是, 是否, 有没有, 到底,
    是…还是) and says in itself or in one of the next ``ANSWER_REACH`` clauses that the answer is not known yet
    (还没核实, 待确认, 说不准 …), with the clauses up to that one; and a clause that says its value is still being
    worked out (``_NOT_WORKED_OUT``: «敏感程度还没评出来»). Questions the facts answer stay in the rest («是否在保护区？经查不在»)."""
    clauses = _CLAUSE_END.split(facts or "")
    rest: list[str] = []
    asked: list[str] = []
    k = 0
    while k < len(clauses):
        clause = clauses[k]
        if _NOT_WORKED_OUT.search(clause):
            asked.append(clause)
            k += 1
            continue
        if _ASKED.search(clause):
            if _UNSETTLED.search(clause):
                asked.append(clause)
                k += 1
                continue
            ahead = next((j for j in range(k + 1, min(k + 1 + ANSWER_REACH, len(clauses)))
                          if _UNSETTLED.search(clauses[j]) or _ASKED.search(clauses[j])), None)
            if ahead is not None and _UNSETTLED.search(clauses[ahead]) and not _ASKED.search(clauses[ahead]):
                asked += clauses[k:ahead + 1]  # «锅炉是不是燃煤锅炉，现场看像是，但还得查设备铭牌»
                k = ahead + 1
                continue
        rest.append(clause)
        k += 1
    return "".join(rest), "".join(asked)


def open_questions_dropped(facts: str) -> str:
    """``facts`` without the questions they leave open (:func:`split_open_questions`)."""
    return split_open_questions(facts)[0]


# a clause of what the officers still have to check, and against which papers: «要等他们把库存和转移联单拉出来核»,
# «得等企业把台账调出来对一下»; the papers named are evidence, not the act (dev20 d20-026: «转移联单» there put the
# 联单 act before the «危废台账根本没建» the facts are about)
_PAPERS = r"(?:联单|台账|台帐|记录|账|发票|资料|单据|报表|报告|合同)"
_PENDING_CHECK = re.compile(r"(?:要|得|还要|还得|需要|须)?等[^，,。；;]{0,10}?" + _PAPERS + r"[^，,。；;]{0,4}?"
                            r"(?:拉|调|拿|翻|找|交|报|送|整理)(?:出来|上来|过来|齐|出)[^，,。；;]{0,6}?(?:核|对|算|清点)")
MIN_LEFT = 8  # Han characters the facts must keep for a clause to be dropped (shorter: nothing of substance is left)


def pending_checks_dropped(facts: str) -> str:
    """``facts`` without the clauses that tell what the officers still have to check against which papers
    (``_PENDING_CHECK``: a paper named between 等 and the verb, a check at the end — «等没人时拉出去偷倒» is the act,
    not a check); unchanged when fewer than ``MIN_LEFT`` Han characters would be left.

    Args:
        facts: the case as the officer states it.

    Returns:
        The facts as the violation is matched on (the conditions are read from the whole facts)."""
    kept = [c for c in _CLAUSE_END.split(facts or "") if not _PENDING_CHECK.search(c)]
    out = "".join(kept)
    return out if len(re.sub(r"[^\u4e00-\u9fff]", "", out)) >= MIN_LEFT else facts
