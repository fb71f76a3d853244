"""The 办案助手's part of the service (#22): procedure steps, 文书 drafts and deadline questions, audited like every
other request. Mixed into :class:`assistant.service.service.AssistantService`, which provides ``case`` (a
CaseDesk), ``advisor``, ``audit`` and ``settings``."""

from __future__ import annotations

from assistant.case.drafts import Draft
from assistant.case.model import Timeline
from assistant.retrieval import validate_query


class CaseMethods:
    def case_steps(self, procedure: str, events: dict[str, str] | None = None, periods: dict[str, str] | None = None,
                   today: str | None = None, user: str = "", channel: str = "api") -> Timeline:
        """The steps of a procedure with deadlines computed from the case's dates (see CaseDesk.steps).

        Raises CaseInputError for an unknown procedure or node, or a date or period that cannot be read."""
        timeline = self.case.steps(procedure, events, periods, today)
        self.audit.record("case_steps", user, channel, procedure=procedure, events=dict(events or {}),
                          overdue=[s.id for s in timeline.steps if s.state == "已逾期"])
        return timeline

    def deadline_reply(self, question: str, user: str = "", channel: str = "api") -> str | None:
        """For a deadline question with a date (「9月25日立案，最晚哪天作出决定？」) the computed deadline and its
        basis; None for any other question (then :meth:`ask` answers it)."""
        question = validate_query(question, self.settings.max_query_chars)
        reply = self.case.deadline_reply(question)
        if reply is not None:
            self.audit.record("case_deadline", user, channel, question=question)
        return reply

    def case_draft(self, kind: str, facts: str, region: str | None = None, party: str = "", case_no: str = "",
                   organ: str = "", served_on: str | None = None, statement_period: str = "5个工作日",
                   user: str = "", channel: str = "api") -> tuple[Draft, bytes]:
        """A 文书 draft (and its DOCX bytes) for the facts, with the 裁量 advice for them (see CaseDesk.draft).

        Raises DraftError for empty or over-long facts (MAX_FACTS_CHARS) or a bad kind, CaseInputError for a bad
        date."""
        from assistant.case.drafts import DraftError, MAX_FACTS_CHARS

        if not (facts or "").strip():
            raise DraftError("请填写违法事实")
        if len(facts) > MAX_FACTS_CHARS:
            raise DraftError(f"违法事实过长：{len(facts)} 字，上限 {MAX_FACTS_CHARS} 字")
        advice = self.advisor.advise(facts.strip()[:self.settings.max_query_chars], region=region)
        draft, data = self.case.draft(kind, facts, advice, party=party, case_no=case_no, organ=organ,
                                      served_on=served_on, statement_period=statement_period, region=region)
        self.audit.record("case_draft", user, channel, kind=draft.kind, facts=facts, amount=draft.amount_yuan,
                          citations=[c.label for c in draft.citations])
        return draft, data
