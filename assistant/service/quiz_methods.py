"""The quiz generator's part of the service (#8, #25): papers now, or as a job with progress when the LLM writes
the cases. Mixed into :class:`assistant.service.service.AssistantService`, which provides ``store``,
``generator``, ``retriever``, ``advisor``, ``jobs`` and ``audit``."""

from __future__ import annotations

from assistant.service.jobs import Job, ProgressFn


class QuizMethods:
    def quiz(self, scope: str, n: int = 20, types: tuple[str, ...] = ("single", "multi", "judge"), seed: int = 0,
             use_llm: bool = True, user: str = "", channel: str = "api", level: str = "基础",
             progress: ProgressFn | None = None) -> dict:
        """A verified quiz batch (see assistant.quiz); the LLM, when ready, writes 案例分析 facts; ``level`` 基础 /
        应用 / 综合 sets the share of application items (keys computed by the advisor, the 办案 timeline and the
        rules of 行政处罚法)."""
        from assistant.quiz import generate_quiz

        result = generate_quiz(self.store, scope, n, types, seed, self.generator if use_llm else None,
                               lambda: self.retriever, level=level, advisor=lambda: self.advisor, progress=progress)
        self.audit.record("quiz", user, channel, scope=scope, n=n, types=list(types), level=level,
                          items=len(result["items"]))
        return result

    def quiz_job(self, scope: str, n: int = 20, types: tuple[str, ...] = ("single", "multi", "judge"), seed: int = 0,
                 use_llm: bool = True, user: str = "", channel: str = "api", level: str = "基础") -> Job:
        """:meth:`quiz` as a background job with progress (stage, items done), for batches the LLM writes: the
        bundled model takes about a minute per 案例分析 item on 2 cores. The scope is checked first (ScopeError)."""
        from assistant.quiz.generate import LEVELS, ScopeError, resolve_scope, table_scope

        if level not in LEVELS:
            raise ScopeError(f"未知的难度「{level}」：可选 基础、应用、综合。")
        try:
            resolve_scope(self.store, scope, lambda: self.retriever)
        except ScopeError:
            if table_scope(self.store, scope) is None:
                raise
        return self.jobs.submit("quiz", lambda progress: self.quiz(scope, n, types, seed, use_llm, user, channel, level,
                                                                   progress),
                                description=f"出题：{scope}（{n} 题，{level}）")

