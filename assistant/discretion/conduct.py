"""The party's conduct as officers tell it, for the 情节 the tables grade it by: whether it cooperated with the
investigation (配合调查情况), made records up (弄虚作假), acted to remove or lessen the harm (已采取 / 未采取措施消除或减轻
违法后果), compensated the victims of its own accord (主动承担赔偿责任) and took remedial measures by the deadline
(限期采取治理措施).

Each reader looks for sayings of one side and of the other and lets the later one count («开始不给资料，后来都交了»);
a saying with a negator just before it («并未拒绝提供资料», «未发现造假») or said as a promise («说会尽快清理») does not
count. The sayings were written from the dev sets' misses (dev10 d10-001, d10-012, dev13 d13-017, d13-026) and a
break test's 125 phrases (2026-12-03, fourth session; ``tests/test_discretion_conduct.py``).
"""

from __future__ import annotations

import re

_CLAUSE = r"[^，,。；;！!？?]"
# a negator just before a saying: «并未拒绝提供», «没有隐瞒», «未发现造假», «已排除人为篡改»
_NEGATED = re.compile(r"(?:没有?|未|不(?!过|仅|但)|无|并未|从未|并非|不是|未发现|没发现|没有发现|排除了?|不存在)" + _CLAUSE + r"{0,4}$")
# … or a promise or a claim of one: «说会尽快清理», «表示将清理», «开始说要清理»
_PROMISED = re.compile(r"(?:说|表示|承诺|答应|保证|声称)?(?:会|要|将|准备|打算|计划)" + _CLAUSE + r"{0,4}$")


def _said(pattern: re.Pattern, text: str, promise_counts: bool = True) -> list[int]:
    """Where ``pattern`` is said in ``text``, not negated just before (nor promised, unless ``promise_counts``)."""
    out = []
    for m in pattern.finditer(text):
        before = re.split(r"[，,。；;！!？?]", text[max(0, m.start() - 8):m.start()])[-1]
        if _NEGATED.search(before) or (not promise_counts and _PROMISED.search(before)):
            continue
        out.append(m.start())
    return out


def _later(yes: list[int], no: list[int]) -> bool | None:
    if not yes and not no:
        return None
    return max(yes, default=-1) > max(no, default=-1)


# ---- 配合调查情况 ------------------------------------------------------------------------------------------------
_PAPERS = (r"(?:资料|材料|记录|台账|台帐|账本|账目|单据|票据|合同|报告|证件|证照|执照|批复|许可证|联单|数据|监控|视频|图纸"
           r"|手续|凭证|电子版)")
_HELD_BACK = re.compile(
    _PAPERS + _CLAUSE + r"{0,8}?(?:也|都|就是|一直|始终|死活|一本|一份|一张|一页)?(?:都)?(?:不给|不交|不提供|不拿|没有?拿出"
    r"|拿不出|不肯[给交拿提出]|拒不[提交出]|拒绝[提交出]|不出示)"
    r"|(?:不给|不交|不提供|拒不提供|拒绝提供|不肯提供|不肯交)" + _CLAUSE + r"{0,4}?" + _PAPERS
    + r"|(?:电话|手机)" + _CLAUSE + r"{0,3}?(?:不接|关机|拒接)|不接电话|联系不上|找不到人|躲着不见|避而不见|不见人|跑路"
    r"|人(?:就|也)?(?:跑|溜)了(?![一两几好\d]|趟)"
    r"|(?:拒不|不肯|拖着不|就是不)开门|锁(?:上|了|着)?(?:大)?门|不让(?:我们|执法人员)?进"
    r"|(?:不肯|不愿|拒绝|拒不)(?:说|回答|交代)|一句话都不(?:肯)?说|(?:拒绝|拒不|不肯|不)签(?:字|名)?|拒签"
    r"|不(?:太|怎么|是很|够)配合|配合(?:度|得)(?:不高|不太好|不好|一般|较差|差)|不(?:太|怎么)?(?:愿意|想|肯)配合"
    r"|谎称|撒谎|说谎|不说实话|没(?:有)?(?:一次)?说(?:过)?实话|编造|隐瞒|串供|作伪证|推三阻四|爱答不理")
_HANDED_OVER = re.compile(
    r"配合(?!调查情况|度|得不)|态度(?:良好|很好|好|诚恳|端正)|如实(?:交代|说明|陈述|提供|回答)|问什么答什么|有问必答|要什么给什么"
    r"|主动(?:提供|交|拿出|说明|交代)|没(?:有)?(?:推脱|推诿)|签了字|在笔录上签了"
    r"|" + _PAPERS + _CLAUSE + r"{0,8}?(?:都|也|全)?(?:交给|交了|给了|提供了|拿出来了|拿出了|齐全)"
    r"|(?:提供了|交了|交给了?|拿出了)" + _CLAUSE + r"{0,10}?" + _PAPERS
    + r"|(?:后来|随后|之后|最后)" + _CLAUSE + r"{0,4}?(?:都|也|全)?(?:交了|给了|提供了|拿出来了)")


def cooperated(facts: str) -> bool | None:
    """Whether the facts say the party cooperated with the investigation (True: papers handed over, questions
    answered), held back (False: papers, answers, signature withheld; not reached; lied), or neither (None); the
    later saying counts («开始不给资料，后来都交了»)."""
    text = facts or ""
    return _later(_said(_HANDED_OVER, text), _said(_HELD_BACK, text))


# ---- 弄虚作假 ----------------------------------------------------------------------------------------------------
_RECORDS = r"(?:记录|台账|数据|报告|账|单据|联单|日志|报表|监测|检测|结果|资料|材料|签名|签字|日期|时间)"
_MADE_UP = re.compile(
    r"伪造|篡改|编造|虚构|造假|作假|做假|捏造|假冒|冒签|代签|补编|后补|倒签|私刻|补写|补记|事后补|是编的|编出来"
    r"|假的?" + _RECORDS + r"|" + _RECORDS + _CLAUSE + r"{0,4}?是假的"
    r"|(?:改了|改过|修改了?|涂改了?|改动了?|删了|删除了?)" + _CLAUSE + r"{0,8}?" + _RECORDS
    + r"|" + _RECORDS + _CLAUSE + r"{0,8}?(?:改成|改的|编的)"
    r"|没(?:有)?做的?" + _CLAUSE + r"{0,6}?写成(?:了)?(?:做了|已做|完成)"
    r"|(?:记录|台账|报告|日志)" + _CLAUSE + r"{0,4}?写着[^。；;]{0,24}?实际(?:上)?[^。；;]{0,14}?(?:没|未)")


def made_up(facts: str) -> bool:
    """Whether the facts say the party made records up or changed them, not denied just before («未发现造假»)."""
    return bool(_said(_MADE_UP, facts or ""))


# ---- 消除或减轻违法后果 --------------------------------------------------------------------------------------------
_REMEDY = (r"(?:清理|清除|清运|清走|收拾|补救|整治|堵|封堵|回收|收集|打捞|捞|抽回|围堵|覆盖|中和|消毒|止漏|截污|关了?阀门|关闭阀门"
           r"|停止排放|停排|停了?产|挖除|吸干净|吸附|转移走)")
_NO_REMEDY = re.compile(
    r"(?:没|未|没有|也没|不|并没有)(?:叫人|找人|安排人?|去|组织)?" + _REMEDY
    + r"|(?:补救|清理|措施|处理)" + _CLAUSE + r"{0,3}?(?:都|也|啥都|什么都)?(?:没|未)(?:做|采取|有|搞|弄)"
    r"|(?:没有?|未|并没有)(?:采取|做)(?:任何)?" + _CLAUSE + r"{0,4}?措施|放任不管|不管不顾|(?:没人|无人)(?:处理|管|清理)"
    r"|(?:没|未)(?:看到|见)?有人(?:处理|清理|管)|原样|一直没动|没动过|(?:仍然|照样|依旧|还在|还是|仍)(?:露天|堆|偷排|排放|在排|在用|原样)|一点没收敛"
    r"|(?:不会|拒绝|不肯|不愿)(?:去)?(?:清理|处理|清除)")
_REMEDIED = re.compile(
    r"(?:马上|立即|立刻|及时|当即|随即|已经|已|当场|当天|赶紧|连夜|就)" + _CLAUSE + r"{0,8}?" + _REMEDY
    + r"|" + _REMEDY + r"(?:了|过|完|干净|掉|上|住|好)"
    r"|进行了" + _CLAUSE + r"{0,4}?" + _REMEDY + r"|请了?" + _CLAUSE + r"{0,8}?(?:专业|第三方|有资质)" + _CLAUSE
    + r"{0,8}?(?:清理|处置|处理|修复)|加装" + _CLAUSE + r"{0,6}?(?:阀|截)|影响已经?(?:消除|减轻)|没有不管")


def remedied(facts: str) -> bool | None:
    """Whether the party acted to remove or lessen the harm (True: cleaned up, stopped, blocked, recovered), did
    nothing (False: left as it is, still discharging, refused), or the facts do not say (None); a promise is no
    act («说会尽快清理»), and the later saying counts."""
    text = facts or ""
    undone = [m.start() for m in _NO_REMEDY.finditer(text)]  # («没有不管»: _REMEDIED's own saying)
    return _later(_said(_REMEDIED, text, promise_counts=False), undone)


# ---- 主动承担赔偿责任 ------------------------------------------------------------------------------------------
_COMPENSATED = re.compile(r"赔偿|赔了|赔付|补偿|赔钱|给了?赔|赔的")
# not of its own accord: refused, not (yet) paid, paid only when made to («法院判决后才付», «闹到政府才给», «并非主动»)
_NOT_COMPENSATED = re.compile(
    r"(?:没有?|未|不|拒绝|拒不|不肯|不愿)(?:主动)?(?:承担)?(?:赔偿|赔|补偿|支付)|一分(?:钱)?(?:都)?(?:没|未)(?:赔|付)"
    r"|(?:至今|一直|还)(?:没|未)(?:赔|付)|未付|没付|等法院判|(?:判决|调解|闹到" + _CLAUSE + r"{0,6}?)后?才(?:付|给|赔)"
    r"|并非主动|不是主动|被迫|没有主动赔偿|赔偿" + _CLAUSE + r"{0,6}?(?:没人管|没人理|不管)")
_COMPENSATION_UNKNOWN = re.compile(r"赔偿" + _CLAUSE + r"{0,6}?(?:待了解|待核实|不清楚|待确认|还不知道|未知)")


def compensated(facts: str) -> bool | None:
    """Whether the party compensated the victims of its own accord (True), did not or only when made to (False), or
    the facts do not say (None)."""
    text = facts or ""
    if _COMPENSATION_UNKNOWN.search(text):
        return None
    denied = [m for m in _NOT_COMPENSATED.finditer(text)
              if not re.search(r"不是$", text[max(0, m.start() - 2):m.start()])]  # «不是没赔，是主动赔的»
    if denied:
        return False
    return True if _COMPENSATED.search(text) else None


# ---- 限期采取治理措施 ------------------------------------------------------------------------------------------
_IN_TIME = r"(?:按期|按时|如期|限期内|期限内|在期限内|期限前|规定期限内|在规定期限内)"
_FINISHED = r"(?:完成|完工|落实|到位|做完|治理完|整改完|弄好)"
_TREATED = re.compile(_IN_TIME + _CLAUSE + r"{0,8}?" + _FINISHED
                      # «按我们给的期限做完了» (dev17 d17-001), done — not the order «责令其按规定期限完成治理»
                      + r"|(?<![没未不能])按" + _CLAUSE + r"{0,6}?期限" + _CLAUSE + r"{0,2}?" + _FINISHED + r"了|治理" + _CLAUSE + r"{0,8}?" + _IN_TIME + _CLAUSE
                      + r"{0,4}?" + _FINISHED + r"|限期治理(?:也|已|已经)?" + _FINISHED
                      + r"|治理(?:工程|措施)?(?:也|已|已经)?(?:完成了|完工了|做完了|落实了)")
_NOT_TREATED = re.compile(r"(?:没|未)(?:按期|按时|如期)(?:完成)?治理|(?:没有?|未能?|不)按" + _CLAUSE + r"{0,6}?期限|限期治理" + _CLAUSE + r"{0,6}?(?:没|未)(?:完成|完工|落实|动)"
                          r"|(?:逾期|过期|超期)" + _CLAUSE + r"{0,4}?(?:未|没)(?:完成|完工|治理)|还在拖|一直拖|只做了一半|只完成了?一半"
                          r"|晚了" + _CLAUSE + r"{0,4}?(?:天|月|周)|比" + _CLAUSE + r"{0,6}?期限晚|治理" + _CLAUSE
                          + r"{0,4}?(?:没人管|没动|没做|没搞)|(?:治理)?期限(?:已经)?(?:到了|过了)" + _CLAUSE + r"{0,6}?(?:只|没|未|还)")


def treated_in_time(facts: str) -> bool | None:
    """Whether the facts say the remedial measures were taken by the deadline (True), not or late (False), or do not
    say (None); the later saying counts («治理也完成了，但比规定期限晚了两个月»)."""
    text = facts or ""
    return _later(_said(_TREATED, text), _said(_NOT_TREATED, text))
