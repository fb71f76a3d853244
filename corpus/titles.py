"""Resolving a cited title («市容条例», «市场监管处罚程序规定», «道交法») to the titles of the store.

Officers abbreviate by dropping words (中华人民共和国, 管理, 行政, 城市, 暂行 …) and by keeping characters in
order; a fixed abbreviation table cannot keep up with thousands of local 条例/办法. So a cited title is aligned
with every stored title as an in-order subsequence, and the characters of the title it leaves out cost:

- a character of a word officers drop (``CHEAP_WORDS``) costs ``CHEAP_COST``;
- any other character costs its distinctiveness, the idf of the character over all titles scaled to 0–1
  (a rare 容 or 绿 costs much, a 条 or 法 that every title has costs little);
- a citation of up to ``SHORT_TAIL`` characters that ends a longer name names no title: 合同法 (劳动合同法),
  税法 (关税法), 保护法 (文物保护法) — a long official name excepted (选举法);
- the words right before the type word (the title's head noun, 消防救援衔条例) cost ``CORE_FACTOR`` times more;
- a title of another region than the one asked, or a local title when none is asked, costs ``REGION_COST``
  (unless the citation names the region); a title of the region asked gains ``LOCAL_PREFERENCE``.

The document type must agree: a cited «…条例» is never a «…法» (the last type word, ``TYPE_WORDS``). Known
abbreviations that are not subsequences (corpus.lookup.ABBREVIATIONS) are tried as well. The best title wins;
titles within ``AMBIGUOUS_MARGIN`` of it are reported as alternatives.
"""

from __future__ import annotations

import math
import re
from functools import lru_cache
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from corpus.metadata import title_key

CHEAP_WORDS = ("中华人民共和国", "管理", "行政", "城市", "暂行", "试行", "监督", "关于", "实施", "若干", "有关",
               "的", "和", "与", "及", "环境卫生", "人民",
               # 违法行为 → 违法: «交通违法处理程序规定» for 道路交通安全违法行为处理程序规定
               "行为")
CHEAP_COST = 0.1
# characters of the dropped words that carry no subject (环境卫生 does: «环卫条例» names it)
_GENERIC_CHARS = frozenset("".join(w for w in CHEAP_WORDS if w not in ("环境卫生", "人民", "行为")))
# 首字缩略: a citation may keep a word's first character for the whole word (动物防疫法 → 动防法, 行政诉讼法 → 行诉法,
# 未成年人保护法 → 未保法); each character of the word it leaves out then costs this (words: jieba's dictionary)
INITIAL_REST_COST = 0.1
MAX_WORD = 4
REGION_COST = 1.5  # about two distinctive characters: «市容条例» → the national title before 北京市市容环境卫生条例
OTHER_REGION_COST = 3.0  # another region's title when the officer's region is known (上海 控烟条例 → not 青岛's)
LOCAL_PREFERENCE = 0.05  # cost taken off a title of the region asked
CITY_IN_PROVINCE_COST = 0.3  # a city's title when its province is asked (浙江 → 浙江省…条例 before 温州市…条例)
AMBIGUOUS_MARGIN = 0.5  # cost; alternatives closer than this to the best are offered
MAX_COST = 6.0  # beyond this the citation names no stored title …
COST_PER_CHARACTER = 0.7  # … nor beyond this much per character cited
TYPE_WORDS = ("实施细则", "实施办法", "条例", "规定", "办法", "细则", "规则", "决定", "解释", "意见", "通知", "标准",
              "目录", "清单", "法典", "法")
_BRACKETS = re.compile(r"[（(][^（）()]*[）)]$")
_PLACE = re.compile(r"[\u4e00-\u9fff]{2,6}?(?:省|市|自治区|自治州|地区|盟|县|区)")  # 郑州市, 延边朝鲜族自治州
SUFFIX_COST = 1.0  # a citation that is the only title's ending («选举法», «监督法») costs this, however long the title
CORE_FACTOR = 2.0  # the words right before the type word, left out, cost this many times more
SHORT_TAIL = 3
SUFFIX_MIN_DROPPED = 8  # … when it drops a long official name (全国人民代表大会和地方各级人民代表大会选举法), not 劳动 of 劳动合同法
_NEW = re.compile(r"^新(?=.{2,})")
_INTERPRETATION = re.compile(r"(.{2,}?法)(?:的)?(?:司法)?解释")  # «行诉法解释», «行政诉讼法司法解释»  # «新行政处罚法»: the version in force


@dataclass(frozen=True)
class TitleEntry:
    """One stored title: ``key`` is corpus.metadata.title_key of it; ``region`` as Document.region."""

    title: str
    key: str
    region: str = ""


@dataclass
class TitleMatch:
    """The resolution of one citation: the best title and the alternatives close to it."""

    title: str
    cost: float
    alternatives: list[str] = field(default_factory=list)
    decisive: bool = True  # no title of the same kind is as close: safe for a direct article lookup

    @property
    def ambiguous(self) -> bool:
        return bool(self.alternatives)


def _family(word: str) -> str:
    return {"实施办法": "办法", "实施细则": "细则"}.get(word, word)


def type_word(key: str) -> str:
    """The document type a title ends with («城市市容和环境卫生管理条例» → 条例), "" when none."""
    base = _BRACKETS.sub("", key)
    return next((w for w in TYPE_WORDS if base.endswith(w)), "")


class TitleResolver:
    """Resolves citations against a fixed list of titles (build one per store version)."""

    def __init__(self, entries: Iterable[TitleEntry], abbreviations: dict[str, str] | None = None):
        self.entries = list({e.key: e for e in entries if e.key}.values())
        self.abbreviations = abbreviations or {}
        df: Counter = Counter()
        for e in self.entries:
            df.update(set(e.key))
        n = max(1, len(self.entries))
        top = math.log(1 + n)
        self._cost = {ch: math.log(1 + n / d) / top for ch, d in df.items()}
        self._by_char: dict[str, set[int]] = {}
        for i, e in enumerate(self.entries):
            for ch in set(e.key):
                self._by_char.setdefault(ch, set()).add(i)
        self._cheap = [self._cheap_positions(e.key) for e in self.entries]
        self._words: list[dict[int, tuple[int, ...]] | None] = [None] * len(self.entries)  # filled when first aligned
        self._free = [self._region_prefix(e) for e in self.entries]

    @staticmethod
    def _region_prefix(entry: TitleEntry) -> int:
        """Length of the place name a local title starts with («北京市市容环境卫生条例» → 3, «郑州市…» → 3):
        the region is weighed by REGION_COST, not by its characters."""
        if entry.region in ("", "全国"):
            return 0
        m = re.match(re.escape(entry.region[:2]) + r"(?:省|市|自治区|特别行政区)?", entry.key) or _PLACE.match(entry.key)
        return m.end() if m else 0

    @staticmethod
    def _cheap_positions(key: str) -> set[int]:
        out: set[int] = set()
        for word in CHEAP_WORDS:
            for m in re.finditer(re.escape(word), key):
                out.update(range(m.start(), m.end()))
        return out

    def _word_ends(self, i: int) -> dict[int, tuple[int, ...]]:
        """Start → ends (exclusive) of the 2–``MAX_WORD`` character dictionary words of entry ``i``'s name before
        its type word (动物防疫法 → {0: (2,), 2: (4,)}: 动物, 防疫)."""
        if self._words[i] is None:
            key = self.entries[i].key
            core = len(_BRACKETS.sub("", key)) - len(type_word(key))
            self._words[i] = _word_ends(key[:core])
        return self._words[i]

    def _alignment_cost(self, query: str, i: int, unique_suffix: bool = False) -> float:
        """The cheapest in-order alignment of ``query`` inside entry ``i`` (inf when it is not a subsequence)."""
        key, cheap, free = self.entries[i].key, self._cheap[i], self._free[i]
        skip = [0.0 if j < free else CHEAP_COST if j in cheap else self._cost.get(ch, 1.0) for j, ch in enumerate(key)]
        qualifier = _BRACKETS.search(key)  # 「（节选）」「（2021修正）」 say which text, not which law
        for j in range(qualifier.start() if qualifier else len(key), len(key)):
            skip[j] = 0.0
        core = len(_BRACKETS.sub("", key)) - len(type_word(key))  # the head noun right before the type word
        for j in range(core - 1, free - 1, -1):  # 消防救援衔条例: 救援衔 is what the regulation is about
            if j in cheap:
                break
            skip[j] *= CORE_FACTOR
        # the second of two coordinated subjects, right before the type word, may be left out: «排水条例» for
        # 城镇排水与污水处理条例, «明码标价规定» for 明码标价和禁止价格欺诈规定
        second = max(key.rfind("与", free, core), key.rfind("和", free, core))
        if second > free:
            for j in range(second, core):
                skip[j] = CHEAP_COST
        inf = math.inf
        # best[j]: cost of matching the query so far with the title's first j characters consumed
        best = [0.0] * (len(key) + 1)
        for j in range(1, len(key) + 1):
            best[j] = best[j - 1] + skip[j - 1]
        tail = len(_BRACKETS.sub("", key)) > len(query) and _BRACKETS.sub("", key).endswith(query)
        if tail and len(query) <= SHORT_TAIL and len(key) - len(query) < SUFFIX_MIN_DROPPED:
            return inf  # a short citation that another law's name ends with: 合同法 is not 劳动合同法, 税法 not 关税法
        # initials need three characters at least: «反法» is no pick of 反间谍法 (反不正当竞争法 is meant)
        words = self._word_ends(i) if len(query) >= 3 else {}
        for qc in query:
            nxt = [inf] * (len(key) + 1)
            jump = [inf] * (len(key) + 1)  # the query's character taken for a whole word: its end reached
            for j in range(1, len(key) + 1):
                take = best[j - 1] if key[j - 1] == qc else inf
                if take < inf:
                    for end in words.get(j - 1, ()):
                        jump[end] = min(jump[end], take + (end - j) * INITIAL_REST_COST)
                nxt[j] = min(take, nxt[j - 1] + skip[j - 1], jump[j])
            best = nxt
        if unique_suffix and len(key) - len(query) >= SUFFIX_MIN_DROPPED and tail:
            return min(best[-1], SUFFIX_COST)
        return best[-1]

    def _interpretation_of(self, query: str, region: str | None) -> TitleMatch | None:
        """«行诉法解释», «行政诉讼法司法解释»: the judicial interpretation whose title carries the law the rest names
        (最高人民法院关于适用《中华人民共和国行政诉讼法》的解释) — 「关于适用《X》的解释」 first, then the shortest
        title; None when the rest names no law or no stored interpretation carries it."""
        m = _INTERPRETATION.fullmatch(query)
        if not m or type_word(m.group(1)) != "法":
            return None
        law = self.resolve(m.group(1), region)
        if law is None or not law.decisive:
            return None
        name = title_key(law.title)
        fitting = sorted((e for e in self.entries if type_word(e.key) == "解释" and e.key != name and name in e.key),
                         key=lambda e: (not e.key.endswith(f"{name}的解释"), len(e.key)))
        if not fitting:
            return None
        best = fitting[0]
        rivals = [e.title for e in fitting[1:] if e.key.endswith(f"{name}的解释") == best.key.endswith(f"{name}的解释")]
        return TitleMatch(best.title, law.cost, [e.title for e in fitting[1:6]], decisive=not rivals)

    def resolve(self, cited: str, region: str | None = None) -> TitleMatch | None:
        """The stored title ``cited`` names, or None when no title is close enough.

        Args:
            cited: a title as typed, with or without 《》 and 中华人民共和国 («市容条例», «市场监管处罚程序规定»).
            region: the officer's region («北京», «广东江门»); None prefers national titles.

        Returns:
            The best title (exact keys and known abbreviations first), with the titles whose cost is within
            ``AMBIGUOUS_MARGIN`` of it as ``alternatives``.
        """
        query = title_key(cited)
        content = query[: len(query) - len(type_word(query))]
        for word in CHEAP_WORDS:
            content = content.replace(word, "")
        if len(content) < 1 or query.startswith("本"):  # «条例», «法», «本法»: no title named
            return None
        interpretation = self._interpretation_of(query, region)
        if interpretation is not None:
            return interpretation
        queries = [query, _NEW.sub("", query), query.replace("司法解释", "解释")]
        known = [self.abbreviations[q] for q in queries if q in self.abbreviations]
        queries = list(dict.fromkeys(queries + known))
        if not known and all(ch in _GENERIC_CHARS for ch in content) and \
                not any(_BRACKETS.sub("", e.key).endswith(query) for e in self.entries):
            return None  # «城管法», «城管条例»: every character is one of the words officers drop; it names no title
            # (a title's whole ending still does: «监督法» is the end of 各级人民代表大会常务委员会监督法)
        scored: dict[int, tuple[float, float]] = {}  # entry → (cost with the region's, cost of the text alone)
        for q in queries:
            wanted = type_word(q)
            sets = [self._by_char.get(ch, set()) for ch in set(q)]
            pool = set.intersection(*sets) if sets and all(sets) else set()
            ending = [i for i in pool if len(q) >= 3 and _BRACKETS.sub("", self.entries[i].key).endswith(q)]
            if len(q) <= SHORT_TAIL and any(SUFFIX_MIN_DROPPED > len(self.entries[i].key) - len(q) > 0 for i in ending):
                continue  # 保护法, 安全法, 合同法: the ending of several laws' names (文物保护法 …) names none of them
            for i in pool:
                entry = self.entries[i]
                if wanted and _family(type_word(entry.key)) != _family(wanted):
                    continue
                cost = self._alignment_cost(q, i, unique_suffix=ending == [i])
                if math.isinf(cost):
                    continue
                local = entry.region not in ("", "全国")
                place = entry.key[:self._free[i]]
                asked = bool(region) and (region.startswith(entry.region) or entry.region.startswith(region)
                                          or (bool(place) and (place.startswith(region[-2:]) or region.startswith(place[:2]))))
                named = entry.region[:2] in q or (bool(place) and place[:2] in q)
                penalty = (OTHER_REGION_COST if region else REGION_COST) if local and not asked and not named else 0.0
                if local and asked:  # the region's own 条例 before the national one; a province's before its cities'
                    exact = bool(place) and (place.startswith(region[-2:]) or place.startswith(region[:2]) and len(region) <= 3)
                    cost += -LOCAL_PREFERENCE if exact else CITY_IN_PROVINCE_COST
                if cost + penalty < scored.get(i, (math.inf, 0.0))[0]:  # «北京市容条例» names its region
                    scored[i] = (cost + penalty, cost)
        if not scored:
            return None
        ranked = sorted(scored.items(), key=lambda kv: (kv[1][0], len(self.entries[kv[0]].key)))
        best_i, (best_cost, _) = ranked[0]
        if best_cost > min(MAX_COST, COST_PER_CHARACTER * len(query)):
            return None  # 合同法 → 劳动合同法 (2.4 for 3 characters): a different law, not an abbreviation
        # offered: titles as close as the best, counting their text only (another region's 市容条例 is offered
        # next to the national one)
        close = [i for i, (_, text_cost) in ranked[1:] if text_cost - best_cost <= AMBIGUOUS_MARGIN]
        local = self.entries[best_i].region not in ("", "全国")
        # decisive: no other title of the same kind (national / local) is as close; 安全法 fits 核安全法,
        # 网络安全法 … alike, 市容条例 fits one national title and several local ones
        rivals = [i for i in close if (self.entries[i].region not in ("", "全国")) == local
                  and scored[i][0] - best_cost <= AMBIGUOUS_MARGIN]
        return TitleMatch(self.entries[best_i].title, round(best_cost, 3), [self.entries[i].title for i in close[:5]],
                          decisive=not rivals)


@lru_cache(maxsize=20000)
def _word_ends(text: str) -> dict[int, tuple[int, ...]]:
    """Start → exclusive ends of the dictionary words of 2–``MAX_WORD`` characters in ``text`` (jieba's DAG over
    its default dictionary, no legal words: 行政诉讼 gives 行政 and 行政诉讼, not the title as one word)."""
    if not text:
        return {}
    tokenizer = _jieba()
    dag = tokenizer.get_DAG(text)
    return {start: tuple(e + 1 for e in ends if 2 <= e + 1 - start <= MAX_WORD)
            for start, ends in dag.items() if any(2 <= e + 1 - start <= MAX_WORD for e in ends)}


@lru_cache(maxsize=1)
def _jieba():
    from indexing.tokenize import _new_jieba_tokenizer  # the default dictionary, loaded once per process

    return _new_jieba_tokenizer()
