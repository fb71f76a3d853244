"""How officers say a violation: short descriptions in everyday words, per act of the 裁量基准 tables.

A table states an act in the statute's words («未按照规定对有毒有害水污染物的排污口和周边环境进行监测»); an officer
types «电镀厂排口一直没做监测». Query expansion (the colloquial → legal term list) widens *every* row a term
touches; these descriptions belong to one act each (document expansion), so an officer's word lifts the act it
was written for and no other.

The data (``data/act_sayings.jsonl``) was written blind, act by act, from the acts' text alone, by helper
sessions that saw no evaluation case and no code (evals/README.md, 「Sixth round」): eight descriptions per act —
four as an officer types them, two as a citizen's 12345 complaint, two as an inspection note — 12–45 characters,
no quantities or circumstances, no run of 6 characters shared with the act. Acts are keyed by a hash of their
characters, so a deployment's other tables that state the same act (most acts are the statute's wording) find
them, and the repository holds no copy of the tables.
"""

from __future__ import annotations

import hashlib
import json
import re
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data" / "act_sayings.jsonl"

_MARKER = re.compile(r"^[（(][一二三四五六七八九十\d]+[）)]")


def act_key(violation: str) -> str:
    """The key of an act: sha1 (first 12 hex digits) of its Chinese characters and digits, without a leading
    list marker («（一）») and a trailing 「的」 — 广东 «……防治扬尘污染» and 江门 «……防治扬尘污染的» share one key."""
    text = re.sub(r"[^\u4e00-\u9fff0-9]", "", _MARKER.sub("", violation.strip()))
    text = re.sub(r"的$", "", text)
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]


@lru_cache(maxsize=4)
def load_sayings(path: Path = DATA) -> dict[str, tuple[str, ...]]:
    """{act key: descriptions} from a JSONL file of ``{"key", "head", "says"}`` lines; {} when the file is
    missing (a deployment may remove it)."""
    if not path.is_file():
        return {}
    out: dict[str, tuple[str, ...]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            out[row["key"]] = tuple(s for s in row["says"] if s.strip())
    return out


def sayings_for(violation: str, path: Path = DATA) -> tuple[str, ...]:
    """The descriptions of ``violation``'s act; () when none were written for it."""
    return load_sayings(path).get(act_key(violation), ())
