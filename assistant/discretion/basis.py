"""The legal basis the advisor shows beside a tier: the articles a table row cites, checked against the corpus on
the date asked, and the general rules of 行政处罚法 that the facts touch.

A 裁量基准 row names its basis in free text («《中华人民共和国大气污染防治法》第一百零八条第一款»). Each cited
article is looked up; its status is read on the day the advice is for (the day of the act, when the officer
gives one: 行政处罚法 第三十七条 applies the rules in force then), and a successor is named when it is no longer
in force (corpus/succession.py).
"""

from __future__ import annotations

from datetime import date

from assistant.discretion.statutory import range_warning
from assistant.discretion.types import ProvisionCitation, RuleText, TierMatch
from assistant.retrieval.rules import applicable_rules
from corpus.citations import find_citations
from corpus.lookup import find_article
from corpus.numerals import article_label
from corpus.store import Store
from corpus.succession import currency_note, current_successor, similarity_note
from corpus.validity import cn_date, today

CACHE_LIMIT = 5000  # cited texts kept per (text, day); a table set has ≈ 2,000 distinct basis texts


class BasisChecker:
    """Checks the articles that tier rows cite; results are cached per (text, day)."""

    def __init__(self, store: Store):
        self.store = store
        self._cache: dict[tuple[str, str], list[ProvisionCitation]] = {}

    def citations(self, text: str, on: str | None = None) -> list[ProvisionCitation]:
        """The articles ``text`` (a row's 违法条款 or 处罚依据) cites, each checked against the corpus.

        Args:
            text: the provision text as the table states it.
            on: the day (YYYY-MM-DD) whose status is shown; None: today.
        Returns:
            one ProvisionCitation per distinct (title, article, 之N, 款) with a title; ``verified`` when the
            article (and the paragraph, if cited) exists; ``status`` on ``on``; ``successor`` the article in force
            on ``on`` that replaced it, if any. Never raises for odd text.
        """
        if not text:
            return []
        day = on or today()
        key = (text, day)  # an article's status changes with the date: a long-running server asks again
        if key not in self._cache:
            if len(self._cache) > CACHE_LIMIT:
                self._cache.clear()
            self._cache[key] = self._check(text, day)
        return self._cache[key]

    def _check(self, text: str, day: str) -> list[ProvisionCitation]:
        out, seen = [], set()
        for cite in find_citations(text):
            if not cite.title or (cite.title, cite.article, cite.suffix, cite.paragraph) in seen:
                continue
            seen.add((cite.title, cite.article, cite.suffix, cite.paragraph))
            label = f"第{cite.article}条" + (f"之{cite.suffix}" if cite.suffix else "")
            found = find_article(self.store, cite.title, label, current_only=False)
            verified = bool(found) and (cite.paragraph is None or cite.paragraph <= len(found[1].paragraphs))
            note = currency_note(self.store, *found, on=day) if found else None
            later = current_successor(self.store, found[1].id, on=day) if found and note else None
            out.append(ProvisionCitation(
                title=found[0].title if found else cite.title, article=cite.article,
                article_suffix=cite.suffix, paragraph=cite.paragraph,
                chunk_id=found[1].id if found else None, status=found[0].status_on(day).value if found else None,
                verified=verified, note=note, successor=f"《{later[0].title}》{later[1].label_cn}" if later else None,
                successor_chunk_id=later[1].id if later else None,
                successor_similarity=later[2] if later else None))
        return out

    def range_warnings(self, match: TierMatch) -> list[str]:
        """Warnings for ``match``'s range against the 罚款 of the articles now in place of those it cites
        (``statutory.range_warning``): one per successor article whose every range the tier leaves."""
        out: list[str] = []
        for c in match.citations:
            if c.in_force or not c.successor_chunk_id or not c.successor:
                continue
            if c.loose_successor:
                continue  # a loose match may be another act's article: its range says nothing of this tier
            chunk = self.store.chunk(c.successor_chunk_id)
            warning = chunk and range_warning(match.min_yuan, match.max_yuan, c.successor, chunk.text)
            if warning and warning not in out:
                out.append(warning)
        return out

    def changed_since(self, match: TierMatch, as_of: str) -> list[str]:
        """For an act on a past day ``as_of``: the articles ``match`` cites that were in force then and are not
        today, each with today's article in its place — a warning that the decision must weigh both (从旧兼从轻:
        行政处罚法 第三十七条; for environmental law also 生态环境法典's own rule). Empty when nothing changed."""
        then = {(c.title, c.article, c.article_suffix, c.paragraph): c for c in match.citations}
        out = []
        for c in self.citations(f"{match.violated_provision}\n{match.penalty_basis}"):
            before = then.get((c.title, c.article, c.article_suffix, c.paragraph))
            if before is None or not before.in_force or c.in_force:
                continue
            now = f"现行：{c.successor}" + _loose(c) if c.successor else "未找到对应的现行条文"
            state = c.status if (c.status or "").startswith("已") else "已不现行"
            out.append(f"违法行为发生时（{as_of}）适用的{c.label}今{state}（{now}）：作出决定时请比较新旧规定，"
                       "依从旧兼从轻适用。")
        return out

    def general_rules(self, facts: str, prior, on: str | None = None) -> list[RuleText]:
        """The 行政处罚法 articles the facts touch (assistant/retrieval/rules.py: 第三十二、三十三条 …), each
        with its text from the version in force on ``on`` (None: today); 第三十三条第一款 (初次违法) is left out
        when the facts state an earlier violation of the same kind (``prior`` = (at least, at most) or None)."""
        out = []
        for rule in applicable_rules(facts):
            if rule.article == 33 and rule.paragraph == 1 and prior is not None and prior[0] >= 1:
                continue  # 初次违法 … 不予处罚: the facts state an earlier same violation («第一次罚是去年»)
            found = find_article(self.store, rule.law, f"第{rule.article}条", current_only=True, on=on)
            if not found:
                continue
            doc, chunk = found
            text = chunk.paragraph(rule.paragraph) or chunk.text
            where = article_label(rule.article, rule.paragraph)
            out.append(RuleText(title=doc.title, article=rule.article, paragraph=rule.paragraph, text=text,
                                chunk_id=chunk.id, label=f"《{doc.title}》{where}"))
        return out


def _loose(c: ProvisionCitation) -> str:
    """The caution for a successor found by a loose text match (corpus/succession.py), else nothing."""
    return similarity_note(c.successor_similarity) if c.loose_successor else ""


def status_note(title: str, status: str, lapsed_on: str = "") -> str:
    """「《…》的状态为「已废止」（自2023年3月1日起失效），请以现行标准为准。」 — the day when the corpus knows it."""
    when = f"（自{cn_date(lapsed_on)}起失效）" if lapsed_on and status in ("已废止", "已失效") else ""
    return f"《{title}》的状态为「{status}」{when}，请以现行标准为准。"


EXPIRY_NOTICE_DAYS = 60  # a standard in force that runs out within this many days (广东's tables: 2027-01-01) is noted


def expiry_note(title: str, lapses_on: str, day: str) -> str | None:
    """「《…》将于2027年1月1日失效……」 when a standard in force on ``day`` runs out within ``EXPIRY_NOTICE_DAYS`` days."""
    if not lapses_on or lapses_on <= day:
        return None
    if (date.fromisoformat(lapses_on) - date.fromisoformat(day)).days > EXPIRY_NOTICE_DAYS:
        return None
    return f"《{title}》将于{cn_date(lapses_on)}失效（有效期届满）；此后作出的决定请以届时施行的新标准为准。"


def stale_warnings(matches: list[TierMatch], lapsed_on: dict[str, str] | None = None) -> list[str]:
    """Chinese warnings for standards not in force (``lapsed_on``: title → the day each stopped, when known), and
    for the first tier's cited articles not in force (with their successors and the 从旧兼从轻 rule)."""
    statuses = {m.document: m.status for m in matches if m.status in ("已废止", "已失效", "已修改", "尚未生效")}
    out = [status_note(title, status, (lapsed_on or {}).get(title, "")) for title, status in statuses.items()]
    for m in matches[:1]:
        stale = [c for c in m.citations if not c.in_force]
        if not stale:
            continue
        pairs = "；".join(f"{c.label}（{c.status}）" + (f"→ 现行：{c.successor}" + _loose(c) if c.successor
                                                      else "→ 未找到对应的现行条文")
                         for c in stale)
        out.append(f"《{m.document}》这一档所依据的条文已不现行：{pairs}。罚款幅度出自该裁量基准，基准本身可能需要按"
                   f"新法重新发布；作出决定时请引用现行条文，并依新旧衔接规则（从旧兼从轻）适用。")
    return out
