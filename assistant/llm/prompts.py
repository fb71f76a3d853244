"""Versioned prompt files in ``prompts/`` (name.vN.md); the newest version is used unless pinned."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

PROMPTS_DIR = Path(__file__).resolve().parents[2] / "prompts"


@lru_cache(maxsize=32)
def load_prompt(name: str, version: int | None = None) -> tuple[str, int]:
    """(text, version) of ``prompts/{name}.v{version}.md`` (latest when version is None)."""
    found = {}
    for path in PROMPTS_DIR.glob(f"{name}.v*.md"):
        m = re.fullmatch(rf"{re.escape(name)}\.v(\d+)\.md", path.name)
        if m:
            found[int(m.group(1))] = path
    if not found:
        raise FileNotFoundError(f"no prompt named {name!r} in {PROMPTS_DIR}")
    v = version if version is not None else max(found)
    if v not in found:
        raise FileNotFoundError(f"prompt {name!r} has no version {v} (have {sorted(found)})")
    return found[v].read_text(encoding="utf-8"), v
