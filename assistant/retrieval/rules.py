"""General rules that apply whenever certain facts appear (初次违法 + 及时改正 → 行政处罚法 第三十三条 …).

The table (``assistant/data/general_rules.tsv``) only names articles; their text is
always read from the corpus, and a rule whose article is not in the corpus is skipped.
Its ``前提`` line lists the words that make a question one about an administrative
penalty, its ``排除`` line those that make it a criminal one (刑罚, 罪 …). Search
applies the rules only to penalty questions (``听证`` in a civil-procedure question or
``未成年`` in a tort question must not pull in 行政处罚法); the discretion advisor,
whose input is always penalty facts, applies them without that check.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

RULES_FILE = Path(__file__).parent / "data" / "general_rules.tsv"


@dataclass(frozen=True)
class GeneralRule:
    groups: tuple[tuple[str, ...], ...]  # every group must have one word in the question
    law: str
    article: int
    paragraph: int | None

    def applies(self, question: str) -> bool:
        return all(any(w in question for w in group) for group in self.groups)


@lru_cache(maxsize=4)
def _table(path: Path) -> tuple[tuple[GeneralRule, ...], tuple[str, ...], tuple[str, ...]]:
    rules, context, exclude = [], [], []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split("\t")
        if cols[0].strip() in ("前提", "排除") and len(cols) > 1:
            (context if cols[0].strip() == "前提" else exclude).extend(w for w in cols[1].strip().split("|") if w)
            continue
        if len(cols) < 3:
            continue
        groups = tuple(tuple(w for w in g.split("|") if w) for g in cols[0].split("+"))
        para = int(cols[3]) if len(cols) > 3 and cols[3].strip() else None
        rules.append(GeneralRule(groups, cols[1].strip(), int(cols[2]), para))
    return tuple(rules), tuple(context), tuple(exclude)


def load_rules(path: Path = RULES_FILE) -> tuple[GeneralRule, ...]:
    return _table(path)[0]


def is_penalty_question(question: str, path: Path = RULES_FILE) -> bool:
    """Whether the question is about an administrative penalty: a word of the table's 前提 line, none of 排除 (刑罚, 罪 …)."""
    _, context, exclude = _table(path)
    return any(w in question for w in context) and not any(w in question for w in exclude)


def applicable_rules(question: str, path: Path = RULES_FILE, require_context: bool = False) -> list[GeneralRule]:
    """Rules whose trigger words all occur; with ``require_context`` only for penalty questions."""
    if require_context and not is_penalty_question(question, path):
        return []
    seen, out = set(), []
    for rule in load_rules(path):
        if rule.applies(question) and (rule.law, rule.article) not in seen:
            seen.add((rule.law, rule.article))
            out.append(rule)
    return out
