"""The discretion advisor (裁量基准): from the facts of a case to the applicable tier, 不予处罚 items and basis.

No LLM. The structured tiers from ingestion are grouped by violation (one table's rows for one 违法行为);
the facts pick the violation (assistant/discretion/matching.py: shared words, the project's search and the
encoder's cosine), then each tier's conditions (情节 factors, 同类违法 count, quantities) are checked
against the facts. One compatible tier → that tier; several → all of them, plus the facts that
would decide; none of the standards covers the facts → say so, never a made-up range.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable

import numpy as np

from assistant.discretion.banded import banded_first
from assistant.discretion.basis import BasisChecker, expiry_note, stale_warnings, status_note
from assistant.discretion.facts import bigrams, normalise_classes
from assistant.discretion.inspection import inspected_medium_first, is_obstruction, same_inspection
from assistant.discretion.groups import SAME_ACT_TIERS, Group, Tier, load_groups, same_act_overlap
from assistant.discretion.licence import licence_holder_first
from assistant.discretion.media import substance_act_first
from assistant.discretion.premises import graded_consequence_first, premised_acts_behind
from assistant.discretion.matching import ViolationMatcher
from assistant.discretion.twins import TWIN, ranged_stand_in, twin_overlap
from assistant.discretion.overdue import ORDER, order_stages, situation, stage_pairs
from assistant.discretion.no_penalty import conditions_stated, contradiction
from assistant.discretion.party import PERSON, is_person_row, party_of
from assistant.discretion.places import region_matches, region_of, regions_named
from assistant.discretion.prior import PRIOR, prior_conflict, prior_from_facts, stated_only
from assistant.discretion.quantities import fact_value, quantities, quantity_range
from assistant.discretion.structure import spell_out_sources
from assistant.discretion.spoken import deadline_kept, errand_dropped, obstructed, without_procedure
from assistant.discretion.answers import pending_checks_dropped, split_open_questions
from assistant.discretion.tiers import as_question, choose_text_values, judge, missing_facts
from assistant.discretion.types import Advice, ComputedFine, NoPenaltyItem, ParsedFacts, ProvisionCitation, TierMatch
from assistant.discretion.weights import fine_of
from assistant.retrieval.terms import expand
from corpus.store import Store
from corpus.validity import in_force_ids, today
from indexing.embedders import Embedder
from indexing.embedding_cache import EmbeddingCache

SAME_ACT_HELD = 0.85  # share of a 不予处罚 item's bigrams the tier row's act holds: the item names that act
SAME_ACT = 0.6  # bigram Jaccard of two violation texts naming one act (广东 tier row ↔ 不予处罚 list item)
TERSE_FACTS = 8  # Chinese characters: fewer name a circumstance («拒不改正»), not the act
ROWS_SHOWN = 3  # rows the officer sees first; the evaluation's top-3
# a further act fills the rows shown when its score is at least this share of the best: the officer sees the near
# acts the matcher ranked next instead of fewer rows (0, 0.5 and 0.7 gave the same dev numbers; evals/README.md,
# 「Seventeenth round」)
MORE_ACTS = 0.5


# words of a violation that the facts must give a reason for: 重新报批 / 重新审核 are owed only when the project changed
# (环境影响评价法 第二十四条: 性质、规模、地点、工艺 or 防治措施 变动, or 超过五年 才开工)
_MARKERS = {"重新": re.compile(r"重新|变动|变更|扩建|改建|改变|技改|五年")}


def _unstated_marker(violation: str, facts: str) -> bool:
    """Whether ``violation`` carries a marker word (``_MARKERS``) whose reason the facts do not state."""
    return any(word in violation and not reason.search(facts) for word, reason in _MARKERS.items())


def _share(text: str, said: set[str]) -> float:
    """The share of ``text``'s bigrams that ``said`` (the facts' bigrams, widened) holds."""
    have = bigrams(text)
    return len(have & said) / (len(have) or 1)


def _one_row(tiers: list[Tier]) -> bool:
    """Whether ``tiers`` are one row: one tier, or rows the table repeats with the same range and a 情节 that differs
    only by its number and its 「的」 (the 江门 参照表 lists its 18 obstruction rows twice: «…现场检查的超过30分钟的» /
    «…现场检查超过30分钟的»)."""
    return len({(situation(t.chunk.record.circumstance).replace("的", ""), t.chunk.record.range_text)
                for t in tiers}) == 1


def _fitting_rows(group: Group, stated: str, prior: tuple[float, float] | None, qty: dict[str, float], asked: str
                  ) -> tuple[list[Tier], list[tuple[tuple[int, int], Tier]], dict[str, object]]:
    """The rows of ``group`` the facts fit best: those no condition rules out with the highest score (every row
    when each is ruled out), with every row's (score, conflicts) judgement and the text values chosen
    (tiers.choose_text_values). ``stated`` / ``prior`` / ``qty`` / ``asked`` as read by ``advise``."""
    chosen = choose_text_values(group, stated, qty, asked)
    judged = [(judge(t, stated, prior, qty, chosen), t) for t in group.tiers]
    ok = [(s, t) for (s, c), t in judged if c == 0]
    top = max((s for s, _ in ok), default=0)
    return [t for s, t in ok if s == top] or [t for _, t in judged], judged, chosen


class DiscretionAdvisor:
    """Reads every 裁量 record of the store once (``store``) — or works over the ``groups`` given (a subset of
    another advisor's); ``region`` is the officer's default region."""

    def __init__(self, store: Store, region: str | None = None, groups: list[Group] | None = None,
                 embedder: Embedder | None = None, search: Callable[[str], list[str]] | None = None,
                 query_vector: Callable[[str], np.ndarray] | None = None, cache: EmbeddingCache | None = None):
        self.store, self.region = store, region
        self.groups: list[Group] = load_groups(store) if groups is None else list(groups)
        self.matcher = ViolationMatcher(self.groups, embedder, search, query_vector, cache)
        self._lapsed_on = {g.doc.title: g.doc.repealed_on for g in self.groups if g.doc.repealed_on}  # title → day
        self.basis = BasisChecker(store)
        self._stages = stage_pairs(self.groups)  # an act and the same act 「逾期未改正」 (overdue.stage_pairs)
        self._obstructions = [g for g in self.groups if not g.no_penalty and is_obstruction(g.violation)]
        twin_ids = self.matcher.twin_indices()
        self._twins = {id(g): [self.groups[j] for j in twin_ids.get(i, ())] for i, g in enumerate(self.groups)}

    # ---- advice --------------------------------------------------------------------------------
    def advise(self, facts: str, region: str | None = None, top_groups: int = 3, as_of: str | None = None
               ) -> Advice:
        """The advice for ``facts`` (the facts of one case, as the officer states them).

        ``region`` (default: the place the facts name, assistant/discretion/places.py, else the advisor's;
        a province given is narrowed to the city within it that the facts name) prefers that region's
        standards in force on ``as_of`` (YYYY-MM-DD, the day of the act; None: today —
        行政处罚法 第三十七条 applies the rules in force when the act was done); another region's
        or a repealed standard is used only when nothing else matches, with a warning. When ``as_of`` is past
        and the standard used then is no longer in force, a warning names today's standard for the same act
        (从旧兼从轻). At most ``top_groups`` violations are considered, at most two reported. Never raises for
        odd facts.
        """
        facts = without_procedure(spell_out_sources(normalise_classes((facts or "").strip())))
        named = region_of(facts)
        region_from = "request" if region else "facts" if named else "settings" if self.region else "none"
        if region and named and named != region and named.startswith(region) \
                and len(regions_named(facts, named)) == 1:
            region = named  # the request's province, the city the facts name within it (广东 + «开平一家…» → 广东江门)
        region = region or named or self.region
        stated = stated_only(facts)  # conditions are read only from what the facts state as known
        asked = split_open_questions(facts)[1]  # … and a question they leave open decides no value it names
        prior, qty = prior_from_facts(stated), quantities(stated)
        act_said = errand_dropped(pending_checks_dropped(facts))  # what was done, not what is still to be checked
        ranked = [(c.score, c.coverage, c.group) for c in self.matcher.rank(act_said)]
        ranked = order_stages(ranked, self._stages, deadline_kept(ORDER.sub("责令", stated)))
        ranked = inspected_medium_first(ranked, facts, self._obstructions, obstructed(stated))  # the law of what was inspected
        ranked = licence_holder_first(ranked, stated)  # whose licence is lacking: the party's or the recipient's
        ranked = banded_first(ranked, qty, stated, lambda g: self._twins.get(id(g), ()))  # an act graded by the
        # number the facts state (in this table or another)
        ranked = premised_acts_behind(ranked, stated)  # «发现…异常，未…» only when the facts state an anomaly
        ranked = graded_consequence_first(ranked, stated)  # «事故定级…较大»: the act is 「……造成……事故」
        ranked = substance_act_first(ranked, stated)  # 「放射性固体废物」's act before 「工业废渣」's for «带放射性的废渣»
        live = in_force_ids({r[2].doc.id: r[2].doc for r in ranked}.values(), as_of)
        applicable = [r for r in ranked if region_matches(r[2].doc.region, region)]
        preferred = [r for r in applicable if r[2].doc.id in live]
        # the place's own standard that is no longer in force (江门's 试行 tables, 有效期三年 from 2020-03-01) and
        # fits the facts about as well as the current one: listed after it, with its status, for reference
        # (only the place's own: with no place, or another city of the province, the 江门 table is no one's «本地»)
        own = [r for r in applicable if r[2].doc.id not in live and region and r[2].doc.region == region]
        lapsed = [r for r in own if not r[2].no_penalty]
        lapsed_lists = [r for r in own if r[2].no_penalty]
        warnings: list[str] = []
        when = f"于{as_of}有效" if as_of else "现行有效"
        if prior_conflict(stated):
            warnings.append("事实中关于同类违法次数的说法前后不一致（如既说「首次」又说「第三次」），请核实后再确定档次。")
        pool = preferred or ranked
        if ranked and not preferred:
            warnings.append(f"没有匹配到本地区{when}的裁量基准，以下结果来自其他地区或已失效的文件，仅供参考。")
        tier_groups = [r for r in pool if not r[2].no_penalty]
        if not tier_groups and preferred and lapsed:  # only the place's lapsed table has the act: shown, with status
            tier_groups = lapsed
            warnings.append("现行裁量基准中没有与此相符的违法行为；以下档次出自本地已失效的裁量标准，仅供参考。")
        elif (tier_groups and lapsed and lapsed[0][0] > tier_groups[0][0]
              and same_act_overlap(lapsed[0][2].violation, tier_groups[0][2].violation) < SAME_ACT_TIERS):
            # the current tables' best is another act, and the place's lapsed table names one that fits better:
            # that one first, with its status (as when the current tables hold nothing for the act)
            tier_groups = [lapsed[0]] + tier_groups
            warnings.append("现行裁量基准中最接近的是另一违法行为；首项档次出自本地已失效的裁量标准，更贴近所述事实，"
                            "仅供参考，请核对适用的现行标准。")
        no_penalty_groups = [r for r in pool if r[2].no_penalty][:2]
        if preferred and lapsed_lists and (not no_penalty_groups or lapsed_lists[0][0] > no_penalty_groups[0][0]):
            # shown with their status, like a lapsed tier; two when the current lists give none (dev9 d9-023: the
            # right item was the lapsed list's second), never more than three items in all
            no_penalty_groups += lapsed_lists[:max(1, 2 - len(no_penalty_groups))]
        matches: list[TierMatch] = []
        fines: list[ComputedFine] = []
        missing: list[str] = []
        decision = "no_match"
        if tier_groups:
            best_score = tier_groups[0][0]
            picked = [r for r in tier_groups[:top_groups] if r[0] >= 0.8 * best_score][:2]
            if preferred and lapsed and lapsed[0][0] >= 0.8 * best_score and lapsed[0] not in picked:
                picked.append(lapsed[0])
            elif preferred and (own := next((r for r in lapsed if any(twin_overlap(
                    r[2].violation, p[2].violation) >= TWIN for p in picked)), None)) and own not in picked:
                # the place's own lapsed wording of an act picked (the best, or the factor table beside it: «重点排污
                # 单位…废气自动监测压根没装», dev2 d2-045), however far the encoder put it
                picked.append(own)
            if picked[0][2].weighted and (ranged := ranged_stand_in(picked, lapsed)):
                # a factor table's row is a weight, not a range: a fitting group whose tiers carry ranges comes
                # first (a lapsed one with its status), the factor rows after it
                if ranged in picked:
                    picked.remove(ranged)
                picked.insert(0, ranged)
                status = "" if ranged[2].doc.id in live else "，请核对其效力后参照"
                warnings.append(f"《{picked[1][2].doc.title}》对此按因素计权，不直接给出罚款幅度；首项幅度出自"
                                f"《{ranged[2].doc.title}》{status}。")
            ask_party, others = False, []
            if len({is_person_row(g.violation) for _, _, g in picked}) == 2:  # 个人 rows beside a unit's (party.py)
                party = party_of(stated)
                if party is None:
                    ask_party = True
                else:
                    picked.sort(key=lambda r: is_person_row(r[2].violation) != (party == PERSON))
            for score, coverage, group in picked:
                cands, judged, chosen = _fitting_rows(group, stated, prior, qty, asked)
                if group.weighted:  # factor tables: one row per factor applies; each is a part of the sum
                    cands = [t for (s, c), t in judged if c == 0 and s > 0] or [t for _, t in judged]
                    if (fine := fine_of(group, judged, stated, qty)) is not None:
                        fines.append(fine)
                    factors = {c.factor for t in group.tiers for c in t.conds}
                    known = {c.factor for t in group.tiers for c in t.conds  # a quantity the facts state: not asked
                             if (rng := quantity_range(c.value)) and fact_value(qty, rng[0], c.factor + c.value) is not None}
                    miss = [f"{f}：{' / '.join(dict.fromkeys(c.value for t in group.tiers for c in t.conds if c.factor == f))[:200]}"
                            for f in sorted(factors) if f != PRIOR and f not in known
                            and (chosen.get(f) is None or isinstance(chosen.get(f), frozenset))]
                else:
                    miss = missing_facts(cands, prior, qty, chosen, stated)
                start = len(matches)
                for t in cands:
                    matches.append(self._tier_match(t, score, coverage, as_of))
                if group is picked[0][2]:
                    missing.extend(m for m in miss if m not in missing)
                    decision = "matched" if (len(cands) == 1 or group.weighted) and not miss else "ambiguous"
                elif (decision == "ambiguous" and _one_row(cands) and not miss and not group.weighted
                      and group.doc.id not in live and picked[0][2].doc.id in live and group.doc.region == region
                      and (same_act_overlap(group.violation, picked[0][2].violation) >= SAME_ACT_TIERS
                           or same_inspection(group, picked[0][2]))):
                    # the place's own lapsed table fixes one row of the same act where the current one still needs a
                    # fact: that row first, for reference; the advice stays undecided and asks what the current needs
                    matches[:] = matches[start:] + matches[:start]
                    warnings.append("按所述事实，本地已失效的裁量标准可确定一档（首项，仅供参考）；现行裁量基准还需查明下列"
                                    "事实才能确定档次。")
            more = [r for r in tier_groups if not any(r[2] is p[2] for p in picked)
                    and not r[2].weighted and r[0] >= MORE_ACTS * best_score]
            for score, coverage, group in more:  # fewer rows than shown: the next acts' best rows, after the rest
                if len(matches) >= ROWS_SHOWN:
                    break
                rows = _fitting_rows(group, stated, prior, qty, asked)[0][:ROWS_SHOWN - len(matches)]
                matches.extend(self._tier_match(t, score, coverage, as_of).model_copy(update={"related": True})
                               for t in rows)
                others.append(group.violation)
            if ask_party:  # the first row stays the table's best fit (the golden case of #7 names no party); the officer is warned
                warnings.append("候选中既有针对单位（组织者）的档次，也有针对个人的档次，罚款相差很大："
                                "请确认当事人是个人还是单位。")
            if len(picked) > 1:
                warnings.append("另有相近的违法行为可能适用（见其余候选）：" + "；".join(g.violation[:40] for _, _, g in picked[1:])
                                + "。请核对违法主体和行为。")
            if others:
                warnings.append("其余候选中还列出了相似度较低的违法行为，仅供核对：" + "；".join(v[:40] for v in others) + "。")
            if any(g.weighted for _, _, g in picked):
                warnings.append("该裁量表按因素计权：罚款金额＝各项裁量百分值之和×基数（见备注），请逐项核对。")
        unique: dict[tuple, TierMatch] = {}
        for m in matches:  # a table's duplicate rows (江门 表) once, the first kept
            unique.setdefault((m.document, m.violation, m.circumstance, m.prior_violation, m.range_text), m)
        matches = list(unique.values())
        lapsed_on = self._lapsed_on  # title → the day it lapsed
        for t in stale_warnings(matches, lapsed_on):
            warnings.append(t)
        if matches:  # the first tier's fine against the code's range where the code replaced the cited law
            warnings.extend(self.basis.range_warnings(matches[0]))
        if matches and as_of and as_of < today():
            warnings.extend(self._old_or_lenient(matches[0], ranked, region, live))
            warnings.extend(self.basis.changed_since(matches[0], as_of))
        if matches:  # the 不予处罚 items of the act the tiers are for join those the facts are near; the facts order them
            same = [(0.0, 0.0, g) for g in self._same_act_lists(matches[0].violation, region, live)]
            keys = {g.key for _, _, g in same}
            cap = max(2, len(no_penalty_groups))
            said = bigrams(f"{facts} {expand(facts)}")
            pool_np = same + [r for r in no_penalty_groups if r[2].key not in keys]
            pool_np.sort(key=lambda r: (r[2].doc.id not in live, _unstated_marker(r[2].violation, facts),
                                        -_share(r[2].violation, said)))
            no_penalty_groups = pool_np[:cap]
        no_penalty = [self._no_penalty_item(g, stated, prior, qty, as_of) for _, _, g in no_penalty_groups]
        no_penalty.sort(key=lambda i: bool(i.ruled_out))  # items the facts rule out: kept, marked, listed last
        for title, status in {i.document: i.status for i in no_penalty if i.status in ("已废止", "已失效", "已修改", "尚未生效")}.items():
            note = status_note(title, status, lapsed_on.get(title, ""))
            if note not in warnings:
                warnings.append(note)
        shown = dict.fromkeys([m.document for m in matches[:3] if m.status == "现行有效"]
                              + [i.document for i in no_penalty if i.status == "现行有效"])
        for title in shown:  # a standard in force that runs out soon (广东's tables on 2027-01-01)
            if (note := expiry_note(title, lapsed_on.get(title, ""), as_of or today())) and note not in warnings:
                warnings.append(note)
        rules = self.basis.general_rules(facts, prior, as_of)
        if decision == "no_match" and not no_penalty:
            if len(re.sub(r"[^\u4e00-\u9fff]", "", facts)) < TERSE_FACTS:
                warnings.append("事实过于简略，无法确定违法行为：请说明当事人做了什么、涉及什么物品或设施、在什么地方。")
                missing.append("违法行为")
            else:
                warnings.append("未找到适用于上述事实的裁量基准：语料中的裁量标准没有覆盖这一违法行为，请直接依据法律、法规的罚则裁量。")
        parsed = ParsedFacts(prior_violations=None if prior is None else [prior[0], None if prior[1] == math.inf
                                                                          else prior[1]], quantities=qty,
                             region=region, region_from=region_from)
        return Advice(facts=facts, decision=decision, matches=matches, no_penalty=no_penalty, missing_facts=missing,
                      questions=[as_question(m) for m in missing], general_rules=rules, warnings=warnings,
                      parsed=parsed, as_of=as_of, fines=fines)

    @staticmethod
    def _old_or_lenient(first: TierMatch, ranked: list[tuple[float, float, Group]], region: str | None,
                        live_then: set[str]) -> list[str]:
        """For advice on a past day: when the standard then in force (``first``'s, among ``live_then``) is not in
        force today, a warning that names today's standard for the same act (bigram Jaccard ≥ ``SAME_ACT_TIERS``)
        and the rule that decides between them, 行政处罚法 第三十七条 (从旧兼从轻). None when ``first``'s standard
        was not in force that day either (its own status warning says so)."""
        docs = {r[2].doc.id: r[2].doc for r in ranked}
        live_now = in_force_ids(docs.values())
        then = next((r[2] for r in ranked if r[2].doc.title == first.document and r[2].violation == first.violation),
                    None)
        if then is None or then.doc.id in live_now or then.doc.id not in live_then:
            return []
        now = [g for _, _, g in ranked if g.doc.id in live_now and not g.no_penalty and region_matches(g.doc.region, region)
               and same_act_overlap(g.violation, then.violation) >= SAME_ACT_TIERS]
        rule = ("依《中华人民共和国行政处罚法》第三十七条，适用违法行为发生时的规定；作出处罚决定时新的规定处罚较轻或者"
                "不认为是违法的，适用新的规定（从旧兼从轻）")
        status = then.doc.status_on().value
        if now:
            return [f"违法行为发生时适用的《{then.doc.title}》今天的状态为「{status}」，现行的《{now[0].doc.title}》对同一"
                    f"违法行为另有档次。{rule}：请按现行标准再查一次，比较后取轻。"]
        return [f"违法行为发生时适用的《{then.doc.title}》今天的状态为「{status}」，现行裁量基准中未找到同一违法行为。{rule}。"]

    def _same_act_lists(self, violation: str, region: str | None, live: set[str]) -> list[Group]:
        """不予处罚 items for the same act as ``violation`` (bigram Jaccard ≥ ``SAME_ACT``), current lists first,
        in the region's lists only."""
        want = bigrams(violation)
        found = []
        for g in self.groups:
            if not g.no_penalty or not region_matches(g.doc.region, region):
                continue
            have = bigrams(g.violation)
            overlap = len(want & have) / (len(want | have) or 1)
            held = len(want & have) / (len(have) or 1)  # a short item inside the long row («未依法向社会公开验收报告»)
            if overlap >= SAME_ACT or (held >= SAME_ACT_HELD and len(have) >= 6):
                found.append((g.doc.id not in live, -overlap, g.violation, g))
        return [g for *_, g in sorted(found, key=lambda x: x[:3])]

    def _tier_match(self, t: Tier, score: float, coverage: float, on: str | None = None) -> TierMatch:
        r = t.chunk.record
        return TierMatch(violation=r.violation, circumstance=r.circumstance, prior_violation=r.prior_violation,
                         range_text=r.range_text, min_yuan=r.min_yuan, max_yuan=r.max_yuan,
                         violated_provision=r.violated_provision, penalty_basis=r.penalty_basis,
                         document=t.doc.title, region=t.doc.region, status=t.doc.status_on(on).value, page=r.page,
                         seq=r.seq, chunk_id=t.chunk.id, note=r.extra.get("备注", ""),
                         citations=self.verify_text(r.violated_provision, on) + self.verify_text(r.penalty_basis, on),
                         score=round(score, 3), coverage=round(coverage, 3))

    def _no_penalty_item(self, g: Group, facts: str, prior, qty: dict[str, float], on: str | None = None
                         ) -> NoPenaltyItem:
        t = g.tiers[0]
        r = t.chunk.record
        conditions = r.range_text or r.circumstance
        ruled_out = contradiction(conditions, facts, prior, qty, r.violation)
        return NoPenaltyItem(violation=r.violation, conditions=conditions, document=g.doc.title, ruled_out=ruled_out,
                             stated=not ruled_out and conditions_stated(conditions, facts, prior),
                             region=g.doc.region, status=g.doc.status_on(on).value, page=r.page, chunk_id=t.chunk.id,
                             note=r.extra.get("备注", "")[:300],
                             citations=self.verify_text(r.violated_provision, on) + self.verify_text(r.penalty_basis, on))

    def verify_text(self, text: str, on: str | None = None) -> list[ProvisionCitation]:
        """The articles a provision text cites, checked against the corpus on ``on`` (basis.BasisChecker)."""
        return self.basis.citations(text, on)
