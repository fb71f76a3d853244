"""Quiz generator for trainers (单选 / 多选 / 判断 / 案例分析), every key verified against its source article."""

from assistant.quiz.generate import TYPES, ScopeError, generate_quiz

__all__ = ["TYPES", "ScopeError", "generate_quiz"]
