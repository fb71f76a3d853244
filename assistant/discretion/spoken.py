"""How officers' wording is read before it is matched: the clauses that tell only the officers' own steps, the
grade of a 突发环境事件 the facts name, and whether an order's deadline was kept (the party's other conduct:
conduct.py)."""

from __future__ import annotations

import re

from assistant.discretion.media import fact_media

_BREAK = re.compile(r"[，,。；;！？\s]")


def clause_before(text: str, at: int) -> str:
    """The part of ``at``'s clause in ``text`` before it (from the last break: ，。；！？ or a space)."""
    return _BREAK.split(text[:at])[-1]


def clause_after(text: str, at: int) -> str:
    """The part of ``at``'s clause in ``text`` from it to the next break."""
    return _BREAK.split(text[at:])[0]

# what the officers did, not what the party did: «执法人员制作了现场检查笔录，拍照取证，当事人签字确认» names no act
# (a break test: that sentence moved a 危废标识 case to another table's row); a clause of obstruction stays
_PROCEDURE = re.compile(r"笔录|拍照|取证|录像|执法记录仪|签字确认|签名确认|送达|立案")
_OBSTRUCTION = re.compile(r"拒|不|没|未|躲|拖|阻")


def without_procedure(facts: str) -> str:
    """``facts`` without the clauses that tell only the officers' own steps (``_PROCEDURE``, no refusal in them)."""
    kept = [c for c in re.split(r"(?<=[，,。；;！!？?\n])", facts)
            if not (_PROCEDURE.search(c) and not _OBSTRUCTION.search(c))]
    return "".join(kept).strip() or facts


# the grades of 突发环境事件 (国家突发环境事件应急预案: 一般、较大、重大、特别重大; tables also say 特大 and 污染事故)
_GRADES = ("一般", "较大", "重大", "特别重大")
# «较大级别的大气污染事故» (dev11 d11-015) and the tables' own «造成较大大气污染环境事故» name the medium as well
_GRADE = re.compile(r"(特别重大|特大|较大|重大|一般)(以上)?(?:级别?|等级)?的?(?:突发)?(?:生态)?"
                    r"(?:环境|大气|水|土壤|固体废物|辐射|海洋)?(?:污染)?(?:环境)?(?:事件|事故)")


# the response levels of the same plan: Ⅰ级 特别重大, Ⅱ级 重大, Ⅲ级 较大, Ⅳ级 一般 («按Ⅳ级突发环境事件处置上报»)
# (an event or incident named: not «一级事故应急池», nor an enterprise's own «二级响应»)
_LEVEL = re.compile(r"(?<![A-Za-z])(Ⅰ|Ⅱ|Ⅲ|Ⅳ|IV|III|II|I|[1-4一二三四])\s*级(?:突发)?(?:生态)?(?:环境)?(?:污染)?(?:事件|事故)"
                    r"(?!应急池|池|防控)")
# a government's response at a level («当地启动Ⅳ级应急响应», «县里启动了四级响应»: 国家突发环境事件应急预案 3.1, the
# levels of response follow the events' grades); an enterprise's own «二级响应» is its plan's, not the event's grade
_LEVEL_NAME = r"(?<![A-Za-z])(Ⅰ|Ⅱ|Ⅲ|Ⅳ|IV|III|II|I|[1-4一二三四])\s*级"
# the grade as determined, named after the word «等级» («事故等级核定为较大级», «事件等级最多算一般»: dev14 d14-005, d14-023)
_RATED = re.compile(r"(?:(?<!生产)(?<!安全)(?<!交通)(?<!火灾)(?:事件|事故)的?|(?:定|核定|认定|评定)的(?=[^，,。；;！？]{0,14}(?<!生产)(?<!安全)(?<!交通)(?<!火灾)(?:事件|事故)))"
                    r"(?:等级|级别|定级)"  # «事故定级报的是较大那一级» (dev22 d22-006)
                    r"[^，,。；;！？\s]{0,6}?"  # «应急那边定的级别是一般级的突发事件» (dev17 d17-015)
                    r"(特别重大|特大|较大|重大|一般)(以上)?(?!以下|由|会|是|要|都|来说)")
# what leaves a grade open: a question, a guess, a determination still to come («是否达到较大还要等核定», «可能是较大»)
_OPEN_GRADE = re.compile(r"是否|可能|也许|或许|估计|大概|待|还要|还需|尚需|尚未|有待|能否|会不会")
_RESPONSE = re.compile(_LEVEL_NAME + r"(?:应急)?响应|(?:应急)?响应[（(]" + _LEVEL_NAME + r"[）)]")  # «启动应急响应（Ⅳ级）»
_AUTHORITY = re.compile(r"政府|[省市县区镇]里|当地|生态环境(?:局|部门|厅|部)|应急(?:管理)?(?:局|部门|厅)|指挥部|管委会|^[省市县区]")
_LEVELS = {"Ⅰ": "特别重大", "I": "特别重大", "1": "特别重大", "一": "特别重大", "Ⅱ": "重大", "II": "重大", "2": "重大",
           "二": "重大", "Ⅲ": "较大", "III": "较大", "3": "较大", "三": "较大", "Ⅳ": "一般", "IV": "一般", "4": "一般",
           "四": "一般"}


def event_grades(text: str) -> set[str]:
    """The grades of 突发环境事件 a text names, not denied in its clause: «定为较大突发环境事件» → {较大};
    «造成较大以上突发环境事件» → {较大, 重大, 特别重大}; «特大污染事故» → {特别重大}; «Ⅳ级突发环境事件» → {一般};
    «县里启动了Ⅳ级应急响应» → {一般} (an enterprise's own «二级响应» names no grade); «事故等级核定为较大级» → {较大}."""
    out: set[str] = set()
    for m in _LEVEL.finditer(text):
        if not re.search(r"没|未|无|不|并非", clause_before(text, m.start())):
            out.add(_LEVELS[m.group(1)])
    for m in [*_GRADE.finditer(text), *_RATED.finditer(text)]:
        clause = clause_before(text, m.start()) + m.group(0)
        rest = clause_after(text, m.end())
        if re.search(r"没|未|无|不|并非", clause) or (m.re is _RATED and _OPEN_GRADE.search(clause + rest)):
            continue
        grade = "特别重大" if m.group(1) == "特大" else m.group(1)
        at = _GRADES.index(grade)
        out |= set(_GRADES[at:] if m.group(2) else _GRADES[at:at + 1])
    if out:  # the event's grade as determined («后经核定为较大突发环境事件») outranks the response first started
        return out
    for m in _RESPONSE.finditer(text):
        clause = clause_before(text, m.start())
        if _AUTHORITY.search(clause) and not re.search(r"没|未|无|不|并非|企业|公司|厂|矿|集团|单位|车间|[场站院所]", clause):
            out.add(_LEVELS[m.group(1) or m.group(2)])
    return out


# 整改情况 as officers tell it. The deadline has passed: 到期, 期满, 限期过了, 过了期限, 逾期, or the officer went back to
# check (复查, 回访, 再去看); what follows in the same sentence says whether the order was carried out. The gap is
# wider than the term list's four characters: «到期去复查还是没修», «限期过了去复查还是老样子» (dev6 d6-002, d6-030).
_DEADLINE_PASSED = (r"(?:(?<![不没未])到期|期满|届满|逾期|超期|过期|(?:整改)?期限(?:早就|早)?(?:已经?)?(?:过了|到了|已过)"
                    r"|过了(?:整改)?(?:期限|限期|期)|限期(?:整改)?(?:已经?)?(?:过了|到了|已过)|到了(?:期限|日子|时间)"
                    r"|复查|回访|再去(?:看|查)|回头(?:看|查))")
# what is still undone after it: a negated verb («还是没修»; not «没超标», «没到»), half done («只整改了一半»), not in order
# («整改不到位», «还是不正常»), still at it («依然直排»), or nothing changed («还是一本空本子», dev7 d7-002)
_NOT_DONE = (r"(?:(?:还是|仍然|仍|依然|依旧|也|还)?(?:没有?|未)(?!超|过|被|造成|发现|人员|有人|到(?!位))"
             r"|老样子|原样|照旧|照样|(?:还是|还|仍是|仍然是)(?:这|那)样(?!保持|规范|坚持|下去|就行|做)|一动没动|没动静|没有动静|拒不|不改|不拆|还在(?!整改期|期限内)|仍在"
             r"|空本子|空白|啥也没|什么也没|什么都没|纹丝不动|没变化"
             r"|(?:还是|仍然|依然|依旧)只(?:有|贴|在)"  # «到期去看还是只有那张纸» (dev20 d20-014)
             r"|只?(?:整改|改|拆|修)了一半|(?:不|没|未)到位|(?:还是|仍然|依然|依旧|仍)(?:不|在)(?:正常|达标|合格|直排|偷排|排|超标)"
             r"|(?:依然|依旧|照样|照常|继续)(?:在)?(?:直排|偷排|排|超标|堆|乱))")  # not «继续生产»: back at work after the fix
# said on their own, these tell an order not carried out; the other words of _NOT_DONE need the deadline before them
# («危废还在厂里堆着», «仍在排放» say nothing of an order)
_UNDONE_ALONE = r"还是老样子|一动没动|纹丝不动|拒不(?:改正|整改|拆除|停止)"
_OVERDUE = re.compile(_DEADLINE_PASSED + r"[^。；;！!？?]{0,14}?" + _NOT_DONE + "|(?P<alone>" + _UNDONE_ALONE + ")"
                      # «限期没整改到位», «限期内还是没改» (dev11 d11-018): the order's time ran out undone
                      + r"|限期(?:内|之内)?(?:还是|仍然|仍|都|也)?(?:没有?|未)(?:能)?(?:按要求)?(?:整改|改正|改好|改完|改|完成|落实|拆除|补办)"
                      # «一直拖着不办，期限过了一个多月»: undone, then the deadline
                      r"|(?:拖着不办|一直(?:没|不)(?:办|改|整改))[^。；;！!？?]{0,12}?(?:期限|限期)(?:早就|早)?(?:已经?)?(?:过了|已过)")
# a permit's or contract's own term, not the order's: «辐射安全许可证过期两个月没办延续» (dev11 d11-028), «处置合同到期了没续签»
# and a plan's, report's or approval's own term: «应急预案已过期半年», «检测报告过期了», «环评批复过期了»
_PERMIT_TERM = re.compile(r"(?:证|证书|证照|许可|执照|资质|有效期|备案|登记|合同|协议|预案|报告|批复|批文|方案|鉴定|检定|标定)"
                          r"[^，,。；;！!？?]{0,4}$")
_DONE = (r"(?:改正|整改|改好|改完|补办|办好|办完|拆除|拆掉|拆了|修好|修复|落实|完成|到位|补训|补考|补齐|补上|补好|"
         r"清理|清运|清走|清掉|拉走|运走|搬走|做完|搞定|弄好|搞好|贴好|装好|做好|恢复)")
_KEPT = re.compile(r"(?:按期|按时|如期|限期内|期限内|规定期限内|在期限内|整改期内|到期前|及时)[^。；;，,]{0,10}?" + _DONE
                   + r"|(?:已经?|都|全部)(?:按要求)?(?:整改|改正)(?:到位|完毕|完成|好了)|(?:整改|改正)(?:已经?|都)(?:落实|完成|到位|完毕)"
                   # «没到期就弄好了», «企业第五天就补好了», «当天就贴好了»
                   r"|(?:没到期|不到期|提前|当天|当场|次日|第二天|第[一二三四五六七八九十\d]+天|几天后|没几天|才过(?:了|去)?[一二两三四五六七八九十\d]+[天日])[^。；;，,]{0,4}?就(?:已经?)?"
                   r"(?:把[^。；;，,]{1,8}?)?" + _DONE
                   # «当事人当场改正», «当即拆除»: done at once («责令当场改正», the order: _NOT_KEPT_BEFORE)
                   + r"|(?:当场|当即)(?:就|已经?)?(?:把[^。；;，,]{1,8}?)?(?:" + _DONE[3:-1] + r"|改了)"
                   + r"|" + _DEADLINE_PASSED + r"[^。；;，,]{0,8}?(?:已经?|都)(?:按要求)?(?:拆除|拆掉|拆了|改正|改好|整改|补办|办好|"
                   r"修好|落实|完成|正常|恢复|清理|清走|拉走)")
_NOT_YET = re.compile(r"还没到期|未到期|没到期|还在(?:整改)?期(?:限)?内|期限还没到|(?:复查|整改)?(?:时间|日子|期限)还没到"
                      r"|还没到(?:复查|整改)?(?:时间|日子|期限)"
                      # «整改期限未到», «整改限期还没到», «还不到期限», «距整改期限还有5天», «目前才过去三天»
                      r"|(?:期限|限期)(?:还|尚)?(?:没|未|不)到|还不到(?:期限|期|时间|日子)|距[^，,。；;]{0,8}(?:期限|到期)还有"
                      r"|才过去?了?[^，,。；;]{0,3}[天日]")
# before a kept match, what makes it no fact of correction: a refusal or failure («拒绝当场改正», «未能当场改正»), an order
# («责令其当场改正», «要求其当天就把…清理干净»; not «按要求»), a promise («答应当场改正»)
_NOT_KEPT_BEFORE = re.compile(r"(?:(?:没有?|未能?|不|拒绝?|答应|同意|承诺|保证|表示将?|会|将|准备|打算)"
                              r"|(?:责令|(?<!按)要求|令|让|叫|命令|通知)(?:其|他们?|她|企业|当事人|对方|公司|厂方?|业主|老板)?)$")
# after it, part done and part not («当场改正了一部分，其余的还没改»)
_PART_DONE = re.compile(r"^[^。；;]{0,12}?(?:一部分|一半|部分)|^[^。；;]{0,16}?(?:其余|其他|剩下|剩余)[^。；;]{0,8}(?:没|未|还在)")


def _overdue(text: str) -> bool:
    """Whether ``text`` says the order's deadline passed undone (``_OVERDUE``; past its first alternative,
    ``_NOT_DONE``'s words — «老样子», «照旧», «拒不» … — count on their own). A permit's lapse («许可证过期…没办延续»,
    ``_PERMIT_TERM``) is skipped and the search goes on («排污证过期了，责令限期补办，到期还没办»), and so is «还是老样子»
    after the facts say the deadline has not come («整改期限还没到，现场还是老样子»)."""
    pos = 0
    while (m := _OVERDUE.search(text, pos)) is not None:
        permit = m.group(0).startswith(("过期", "到期", "期满", "届满")) and _PERMIT_TERM.search(text[:m.start()])
        early = m.group("alone") and _NOT_YET.search(text[:m.start()])  # «期限还没到，现场还是老样子»: not overdue yet
        if not (permit or early):
            return True
        pos = m.start() + 2
    return False


def deadline_kept(facts: str) -> bool | None:
    """Whether the facts say the party carried out the order to correct by its deadline: True (限期内改正),
    False (逾期未改正 — the deadline passed, or the officer checked again, and it was still not done), None when
    they do not say or the deadline has not come («还在整改期内»). The overdue reading wins when both are said
    («按期拆了一半，到期复查还是没拆完»)."""
    text = facts or ""
    overdue = _overdue(text)
    if (early := _NOT_YET.search(text)) and not overdue:  # not due yet: kept only if done after saying so
        # («没到期就弄好了», «才过去两天就改好了»), not an order or a promise («期限还没到，企业表示会按期整改»)
        return True if _done(text, early.start()) else None
    if overdue:
        return False
    return True if _done(text) else None


def _done(text: str, start: int = 0) -> bool:
    """Whether ``text`` from ``start`` says the work was done (``_KEPT``): the first such saying that is no order,
    refusal or promise (``_NOT_KEPT_BEFORE``) and not done in part (``_PART_DONE``) — «要求其当天就把危废清理干净，当天下午
    就清理好了» is done by its second saying."""
    return any(not _NOT_KEPT_BEFORE.search(text[:m.start()]) and not _PART_DONE.search(text[m.end():])
               for m in _KEPT.finditer(text, start))


_CAUSED = re.compile(r"(?:造成|导致|引起|引发|酿成)[^，,。；;！？]{0,14}?(?:事件|事故)")
# the tables' words for the act a determined grade tells: the act is the consequence (「造成大气污染事故的」,
# 「违反……规定，造成辐射事故」), and an officer who states the grade rarely writes «造成……事故» as well; an accident
# of radioactive sources or ray apparatus is a 辐射事故 (放射性同位素与射线装置安全和防护条例 第四十条 grades those)
_CONSEQUENCE_WORDS = "造成突发环境事件 污染事故"


def rated_consequence(facts: str) -> str:
    """``facts`` with the tables' words for a consequence (``_CONSEQUENCE_WORDS``) added to each clause that
    states a determined event grade, when the facts nowhere say what it caused («事故等级核定为较大级» → «事故等级核定为较大级
    造成突发环境事件 污染事故»: dev14 d14-005, d14-023 found no row at all); other clauses unchanged."""
    if _CAUSED.search(facts):  # the facts say it themselves
        return facts
    parts = re.split(r"(?<=[，,。；;！!？?\n])", facts)
    words = _CONSEQUENCE_WORDS + (" 辐射事故" if "radiation" in fact_media(facts) else "")
    return "".join(f"{p.rstrip('，,。；;！!？?')} {words}{p[len(p.rstrip('，,。；;！!？?')):]}"
                   if _RATED.search(p) and event_grades(p) else p for p in parts)


# the officers' errand («我们去核查他们土壤自行监测», «到场查污水排放口», «去一家…企业查隐患排查情况») names what was
# inspected, not the act, when the facts tell the party obstructed or fooled the inspection: matched as the act, it
# gave the rows of the duty inspected (dev4 d4-033: «查隐患排查情况…拖了四十来分钟» → 「未建立土壤污染隐患排查制度」)
_ERRAND = re.compile(r"(?:(?<![过失])去(?!年|世|除|掉|向)|到场|到厂|上门|前往|进厂)[^，,。；;]{0,14}?"
                     r"(检查|核查|核实|排查|抽查|巡查|(?<![调审复侦追督])查(?![处出到明实封扣询证]))")
_DEED_WORDS = re.compile(r"没|未|不|拒|拖|假|躲|锁|漏|超")
# the party held up, shut out or fooled the inspection itself («拖了四十分钟才开门», «锁门不让进», «拿假记录来应付»)
_OBSTRUCTED = re.compile(r"拖[了着][^，,。；;]{0,12}?才(?:开门|让(?:我们|执法人员|执法队)?进|进门|进厂|进去|配合检查|开始(?:配合)?检查)"
                         r"|不让(?:我们|执法人员|执法队)?(?:进|查)|锁(?:上|了|着)?(?:大)?门(?:不让|不开|拒)|不开门"
                         r"|拒绝(?:现场)?检查|拒不配合检查|应付检查|来应付|拖延检查")
_DENIED = re.compile(r"没有?|未|无|不存在|并未|从未|不曾")


def obstructed(facts: str) -> bool:
    """Whether the facts tell the party held up, shut out or fooled the inspection itself (``_OBSTRUCTED``; not
    denied in its clause: «未拒绝检查», «没有锁门不让进»). A correction done late («拖了三个月才开始整改») or a door left
    unlocked («危废间没有锁门») is none."""
    text = facts or ""
    return any(not _DENIED.search(clause_before(text, m.start()))
               for m in _OBSTRUCTED.finditer(text))


def errand_dropped(facts: str) -> str:
    """``facts`` without what the officers went to inspect (from the verb of a clause that tells only their errand,
    ``_ERRAND``, no deed of the party in it; the place and the party before it stay: «去一个省级自然保护区检查», dev13
    d13-032) when another clause tells the party obstructed or fooled the inspection (:func:`obstructed`); unchanged otherwise,
    or when nothing of substance would be left."""
    if not obstructed(facts):
        return facts
    parts = re.split(r"(?<=[，,。；;！!？?\n])", facts)
    kept = []
    for p in parts:
        m = _ERRAND.search(p)
        if m and not _DEED_WORDS.search(p) and not obstructed(p):
            p = p[:m.start(1)] + p[len(p.rstrip("，,。；;！!？?\n")):]  # the place and party stay, what was inspected goes
        kept.append(p)
    out = "".join(kept).strip()
    return out if len(re.sub(r"[^\u4e00-\u9fff]", "", out)) >= 8 else facts
