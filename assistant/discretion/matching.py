"""Which violations (违法行为) of the 裁量基准 tables the facts of a case describe: lexical and by meaning.

Officers do not type the tables' wording («检查时企业拖着不让我们进厂» for «以拖延……的方式阻挠……监督检查»),
so three kinds of evidence are joined:

- **words**: character-bigram BM25 (``bm25s``) over each violation's text, its table chapter and its tiers' 情节,
  each bigram once; the facts' words are widened with the colloquial → legal term list the search uses
  (``assistant/retrieval/data/colloquial_terms.tsv``: 危废 → 危险废物, 没盖 → 未密闭 覆盖 …);
- **coverage**: the best share, over the facts' clauses, of a clause's idf-weighted bigrams the violation holds;
- **meaning**: the cosine between the facts and the violation text under the deployment's embedder (the same
  one the search uses; USE by default, a model server where one is configured);
- **sayings**: how officers say the act (``sayings.py``: eight everyday descriptions per act, written
  blind) — character-bigram BM25 over them, and more texts for the encoder.

Each kind of evidence ranks the violations; the ranks are fused (reciprocal-rank fusion, ``RRF_K``) with
weights ``WEIGHT_WORDS``, ``WEIGHT_SEARCH``, ``WEIGHT_MEANING`` and ``WEIGHT_SAYINGS``, plus ``WEIGHT_BM25`` × the BM25
score over the best one, times ``MEDIUM_FACTOR`` for the row of the law for the medium the facts name (media.py: the
same act stands in several laws) or its inverse for a row of another medium's law. Ranks rather than scores: a paraphrase
shares few words with the right row, so its BM25 score is low even when the row is the best of all.

Every candidate shares words with the facts' act: BM25 ≥ ``MIN_ANY_WORDS`` units once circumstances
(拒不改正, 多次, sums of money …) are taken out (the sayings gate below excepted). A violation is a candidate only when the evidence agrees that
it is close (the uncovered cases — 油烟, 渣土车, 广场舞 — share a word or two with some row, and every kind of
evidence alone puts *some* row first):

- its coverage reaches ``MIN_COVERAGE`` (the facts hold the table's own words); or
- its BM25 score reaches ``MIN_WORDS`` (in units of the idf of a bigram one violation holds) and the encoder
  puts it among its first ``MEANING_DEPTH`` rows (by the table's own texts); or
- its BM25 score reaches ``MIN_WORDS`` and both the sayings and the encoder over all its texts, sayings included,
  put it among their first rows (``SAYINGS_GATE_SHARE`` of the violations; the sayings alone open no gate; when
  both put it first, BM25 at ``MIN_ANY_WORDS`` is enough); or
- BM25 and the sayings both put it first (``WORDS_AND_SAYINGS``), whatever the encoder says; or
- every reader of meaning — sayings, the encoder over all its texts and over the table's own, the search — puts it
  1st or 2nd (``AGREED_RANK``), with BM25 words at ``AGREED_WORDS`` units.

The same act in another table (a twin: bigram Jaccard ≥ ``TWIN``, 广东 ↔ 江门 wording) that falls short of a gate joins
a candidate it twins, scored just below that candidate: the encoder may rank one 1st and the other 57th.

Without an embedder the search's first ``SEARCH_DEPTH`` violations stand in for the encoder's; without either,
BM25 at ``MIN_WORDS`` or coverage decides. Thresholds were set on the dev split of
evals/data/discretion_officer.jsonl and checked against the dev split of the record-text set (evals/README.md
has the table).
"""

from __future__ import annotations

import math
import re
import threading
from collections import Counter
from dataclasses import dataclass
from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np

from assistant.discretion.facts import bigrams, normalise_classes
from assistant.discretion.ranking import bm25_index, lifted_ranks, ranks
from assistant.discretion.act_words import _clause_bigrams, legal_bigrams, only_the_place_shared, shared_words, word_texts  # noqa: F401
from assistant.discretion.media import fact_media, law_medium
from assistant.discretion.sayings import sayings_for
from assistant.discretion.spoken import rated_consequence
from assistant.discretion.twins import TWIN, TWIN_SHARE, twins  # noqa: F401 (re-exported)
from assistant.discretion.scope import (PLACE_UNSAID_FACTOR, SCOPE_FACTOR, SUBJECT_FACTOR,  # noqa: F401
                                        SUBJECT_UNSAID_FACTOR, outside_place, permit_held, place_unsaid, scope_fit,
                                        subject_kinds, subject_named, subject_unsaid)
from assistant.retrieval.base import Filters, QueryError
from assistant.retrieval.terms import expand

if TYPE_CHECKING:
    from assistant.discretion.groups import Group
    from assistant.retrieval.base import Retriever
    from indexing.embedders import Embedder
    from indexing.embedding_cache import EmbeddingCache

# A violation covers the facts when it holds ≥ 45 % of one clause's idf-weighted bigrams (tuned on the dev split
# of evals/data/discretion_eval.jsonl: below it 「摊贩占道经营」 matched 生态环境 rows).
MIN_COVERAGE = 0.45
# Rank fusion and gates (calibrated on the dev split of evals/data/discretion_officer.jsonl, see evals/README.md)
RRF_K = 5
WEIGHT_WORDS, WEIGHT_SEARCH, WEIGHT_MEANING = 1.0, 1.0, 0.5
# … plus this share of BM25 / best BM25: near-duplicate rows (建设单位 / 技术单位, 广东 / 江门 wording) are told
# apart by their words (record-text dev top-1 group 0.928 → 0.956, officer dev 0.603 → 0.638)
WEIGHT_BM25 = 0.2
# BM25 floors in units of the idf of a bigram only one violation holds (5.83 over the 509 violations of the
# default corpus; a small store's scores are smaller, and so is its unit)
MIN_ANY_WORDS = 0.85  # every candidate: facts that name only a circumstance name no violation («拒不改正» 0.67,
# «配合调查» 0.74, «没有同类违法» 0.83)
LONG_WORD = 3  # bigrams: a four-character word shared alone still names the act (淘汰名录, 土壤污染状况调查)
MIN_WORDS = 1.0  # the uncovered dev cases reach 0.94 (one outlier, 渣土车 → 扬尘 rows, 2.9)
MEANING_DEPTH = 50  # … and the encoder does not put the row far down (渣土车 → 扬尘 rows: rank 137)
# the violation's own words (its 情节 left out: a group with many tiers is long, and BM25's length normalisation
# puts «某厂乱倒危废三吨» under the floor for 「擅自倾倒、堆放危险废物」) pass the word floors only for the encoder's
# first rows, and only when the facts hold this share of them (「水果摊占机动车道」 holds little of 「生产超过……机动车」)
VIOLATION_NEAR = 3
OWN_SHARE = 0.4
# officers' sayings of each act (sayings.py): fused like the other evidence at this weight (0.5, 1, 2 tried with four
# sayings an act, 0.5 and 1 with eight: the four officer dev sets' top-1 cases 160 → 165 of 200 for 4/0.5, 8/0.5 and
# 8/1, 8/1 asking one missing fact more); they never open a gate — the gates read the table's own texts (letting
# them open one gave 渣土车 facts an 扬尘 row: uncovered dev 1.00 → 0.625)
WEIGHT_SAYINGS = 1.0
# … except when every signal puts one violation first: its table words (BM25 rank 0), its sayings (rank 0) and the
# encoder over all its texts (rank ≤ 3) — «砂石码头卸河沙没喷淋» (dev7 d7-026, encoder rank 1), «养猪场沼液超标»
# (dev8 d8-002); none of the 49 uncovered dev cases has all three (the nearest: sayings 0, words 0, encoder 6; 渣土车:
# sayings 0, encoder 0, words 20). Ranks 3 to 10 gave the same scores on every set. No BM25 floor beyond the first
# one (MIN_ANY_WORDS): «载客中巴…拉了一桶废机油» (dev10 d10-023) had all three at rank 0 and words at 5.36 < 5.83
UNANIMOUS_DENSE = 3
# … and a violation the sayings and the encoder over all its texts (sayings included) both put among their first
# rows — this share of the violations, at least the first — with BM25 words at the ``MIN_WORDS`` floor, is close in
# meaning, however far the encoder puts the table's own texts («一小批低放废物交给没有许可证的公司»: sayings rank 1, all
# texts rank 1, own texts rank 177, dev12 d12-007). Over the default corpus's 509 violations 0.01 is the first 5; 5 to
# 7 gave the same scores on every set (dev7 +2, dev12 +1, none lost); 10 gave an uncovered case a range (dev6 d6-025);
# 5 with the words at MIN_ANY_WORDS lost dev8 d8-009 (evals/README.md, 「Eleventh round」). The gate also stands before
# the first floor on the act's words (MIN_ANY_WORDS, the whole facts' words still at MIN_WORDS): «没给…护工搞过培训»
# (dev12 d12-033: all texts rank 0, sayings 4, the act's words 4.64 < 4.95) — dev12 top-3 +1, no set lost. When both
# put it first, the whole facts' words need only the first floor (MIN_ANY_WORDS): «噪声申报时把夜里开工的情况瞒掉了»
# (dev14 d14-002: sayings 0, all texts 0, words 5.17 < 5.83) — dev14 top-3 +1, no set lost, uncovered unchanged
SAYINGS_GATE_SHARE = 0.01
# … the sayings' first with the encoder over all texts among its first three (not only its first) needs only the
# first floor too: «医疗废物暂存间没防渗没上锁» (dev21 d21-024: sayings 0, encoder 2, words 0.95 units, now among the
# first three) — dev21 top-1 +1 (d21-021), top-3 +2, every other case of every set unchanged, uncovered included
SAID_NEAR_DENSE = 2
# … and a violation the table's words (BM25 rank ≤ 1, score ≥ WORDS_AND_SAYINGS units) and its sayings (rank 0) both put
# first, however far the encoder puts it: o051, d5-008, d10-017, d10-021 (BM25 15.7–20.8, encoder 26th–169th); 2.0 and
# 2.5 gave the same scores on every set (+4 top-1, nothing lost, uncovered unchanged)
WORDS_AND_SAYINGS_RANK, WORDS_AND_SAYINGS = 1, 2.0
# … and a violation every reader of meaning puts first or second — its sayings, the encoder over all its texts and over
# the table's own, and the project's search — with BM25 words at ``AGREED_WORDS`` units at least: «尾矿库三年前就停用了，
# 到现在没封场» (dev18 d18-005: all four at rank 0–1, words 0.70 < 0.85). Over the non-test cases of every officer set
# this admits that act and two twins of candidates; no uncovered case (the nearest, o110, has words 0.27 and ranks
# up to 2). Rank 2 (third) rather than 1 admits «出厂的叉车排放测出来超标» (dev22 d22-027: ranks 2, 2, 0, 2, words
# 0.78); every other case of every set unchanged, uncovered included (evals/README.md, «Twenty-second round»)
AGREED_RANK, AGREED_WORDS = 2, 0.5
MEDIUM_FACTOR = 1.1  # media.py: the row of the law for the medium the facts name, over the same act in another law
# (1.1 and 1.25: dev4 top-3 +1, dev14 +1, nothing lost; 1.5: +2 and −6 — evals/README.md, 「Thirteenth round」)
LEGAL_HELD, LEGAL_MIN = 0.9, 8  # a violation that holds the legal words the term list gives one clause (8+ bigrams)
OWN, CONDITIONS, SAYING = 0, 1, 2  # what a text the encoder compares is (meaning_texts)
CLAUSES_BEST = 2  # dense_scores: the two best clauses (1: right violation first 0.585, 2: 0.587, 3: 0.580 on the dev sets)
MAX_CLAUSES = 16  # an officer's facts have 2–8; a pasted document is cut, not embedded clause by clause
_CLAUSE_BREAK = re.compile(r"[，,。；;！？!?\s]+")
SEARCH_DEPTH = 3  # without an encoder: the search's first violations count as close in meaning
_CIRCUMSTANCE = re.compile(r"拒不(?:改正|整改|停止)|逾期(?:未|没|还没|也没)?(?:改正|整改|改)|限期内?(?:改正|整改)|责令(?:改正|整改)"
                          r"|(?:不)?配合调查|首次|初次|头一[次回]|(?:多|屡)次|第[一二三四五六七八九十\d]+次"
                          r"|(?:违法所得|货值(?:金额)?|销售额)[^，,。；;]{0,12}?[\d一二两三四五六七八九十百千万.]+\s*万?元?"
                          # a consequence that did not follow, a correction on the spot: no act («小餐馆首次违法，没有造成危害
                          # 后果» named 「……造成有毒有害物质渗漏……危害后果」, a break test)
                          r"|(?:没有|没|未|并未|尚未|无)(?:造成|产生)[^，,。；;]{0,10}?(?:后果|影响|损失)|危害后果轻微"
                          r"|(?:当场|立即|马上)(?:改正|整改)")
# what the facts say is absent («周边没有水源保护区、自然保护区、风景区、养殖区») names no act
_ABSENT = re.compile(r"(?:没有|不涉及|不在|不属于|不是|并非|无)[^，,。；;]*?、[^，,。；;]*")
@dataclass
class Candidate:
    """One violation group that may fit the facts, with the evidence for it."""

    score: float  # fused score (comparable within one call only)
    coverage: float  # 0–1
    dense: float  # cosine, 0 without an embedder
    group: "Group"


class ViolationMatcher:
    """Ranks the violation groups for facts. ``embedder`` may be None (words only)."""

    def __init__(self, groups: list["Group"], embedder: "Embedder | None" = None,
                 search: "Callable[[str], list[str]] | None" = None,
                 query_vector: "Callable[[str], np.ndarray] | None" = None,
                 cache: "EmbeddingCache | None" = None):
        self.groups = groups
        self.embedder = embedder
        self.cache = cache  # the index's embedding cache: the tables' texts are embedded once per model
        self.search = search
        # the retriever's memo of query vectors: the facts were just embedded by the search, not again here
        self.query_vector = query_vector or (lambda text: self.embedder.embed_queries([text])[0])
        self._group_of = {t.chunk.id: i for i, g in enumerate(groups) for t in g.tiers}
        self._df: Counter = Counter()
        for g in groups:
            self._df.update(g.terms)
        self._n = max(1, len(groups))
        self._unit = math.log(1 + (self._n - 1 + 0.5) / (1 + 0.5))  # idf of a bigram exactly one violation holds
        # one field, each bigram once: on the dev split of the record-text set this ranks as the earlier
        # hand-written BM25 with 情节 bigrams at weight 0.3 did (top-1 tier 0.871 vs 0.872)
        self._bm25 = bm25_index([sorted(g.terms) for g in groups])
        self._violation_terms = [bigrams(g.violation) for g in groups]
        self._bm25_act = bm25_index([sorted(t) for t in self._violation_terms])  # the violation's words alone
        # how officers say each act (sayings.py): its own words' evidence, and more texts for the encoder
        self._sayings = [sayings_for(g.violation) for g in groups]
        said = [set().union(*(bigrams(s) for s in says)) if says else set() for says in self._sayings]
        self._bm25_says = bm25_index([sorted(t) or ["∅"] for t in said]) if any(said) else None
        self._vectors: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None  # vectors, owner, saying
        self._lock = threading.Lock()
        self._twins = twins([g.violation for g in groups])
        self._no_penalty = np.asarray([bool(g.no_penalty) for g in groups], dtype=bool)  # 不予处罚 items
        self._subjects = [subject_kinds(g.violation) for g in groups]  # the kinds each act's subject lists
        self._media = [law_medium(g.tiers[0].chunk.record.penalty_basis, g.tiers[0].chunk.record.violated_provision,
                                  g.tiers[0].chunk.record.category) if g.tiers else None for g in groups]

    def twin_indices(self) -> dict[int, list[int]]:
        """For each group (by index), the groups stating the same act in another table's words (twins.py)."""
        return self._twins

    def _held_share(self, i: int, said: set[str]) -> float:
        """The share of violation ``i``'s own bigrams (its 情节 left out) that ``said`` holds — unweighted: the
        rare bigrams across its words («自倾», «放危») are no words the facts could hold."""
        own = self._violation_terms[i]
        return len(own & said) / len(own) if own else 0.0

    def _idf(self, term: str) -> float:
        """Lucene's BM25 idf of a bigram over the violation groups (as bm25s computes it)."""
        df = self._df.get(term, 0)
        return math.log(1 + (self._n - df + 0.5) / (df + 0.5))

    def meaning_texts(self) -> tuple[list[str], np.ndarray, np.ndarray]:
        """The texts the encoder compares the facts with, the group each belongs to, and what each is
        (``OWN``: the table's text; ``CONDITIONS``: a 不予处罚 item's conditions; ``SAYING``: an officer's saying,
        sayings.py): each violation, and each of its distinct 情节 — for a 不予处罚 item, its conditions — after
        the violation's first 60 characters («……：以拖延等方式拒绝、阻挠现场检查的»), then its sayings.
        The best of a group's texts counts: on the dev split of the officer set this put the right violation
        in the encoder's first 3 for 39 of 58 cases instead of 32 (violation text alone)."""
        texts: list[str] = []
        owner: list[int] = []
        kind: list[int] = []
        for i, g in enumerate(self.groups):
            texts.append(normalise_classes(g.violation)[:200])
            owner.append(i)
            kind.append(OWN)
            # a 不予处罚 item's conditions (「同时满足下列情形的…：（1）属于首次违法；（2）…」) are what its facts say
            # (首次, 限期内改正), as a tier's 情节 (整改情况) is what a tier's facts say: without them the items sat at the
            # encoder's rank 100–350 for their own dev cases, past every gate
            said = (t.chunk.record.range_text if g.no_penalty else t.chunk.record.circumstance for t in g.tiers)
            for circumstance in dict.fromkeys(said):
                if circumstance:
                    texts.append(normalise_classes(f"{g.violation[:60]}：{circumstance}")[:200])
                    owner.append(i)
                    kind.append(CONDITIONS if g.no_penalty else OWN)
            for text in self._sayings[i]:
                texts.append(normalise_classes(text)[:200])
                owner.append(i)
                kind.append(SAYING)
        return texts, np.asarray(owner, dtype=np.int64), np.asarray(kind, dtype=np.int8)

    def _text_vectors(self) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
        if self.embedder is None or not self.groups:
            return None
        with self._lock:
            if self._vectors is None:
                texts, owner, kind = self.meaning_texts()
                vectors = (self.cache.embed_passages(self.embedder, texts) if self.cache is not None
                           else self.embedder.embed_passages(texts))
                self._vectors = (np.asarray(vectors, dtype=np.float32), owner, kind)
        return self._vectors

    def dense_scores(self, facts: str) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray] | None:
        """Per group, how close the facts are in meaning to its texts (``meaning_texts``), −1…1; four arrays of
        ``len(groups)``, None without an embedder:

        - for the fusion, the best cosine of the whole facts over all its texts, and the same without the
          不予处罚 items' conditions;
        - for the gates, over the table's own texts (sayings left out), and the same without the conditions:
          the mean of the whole facts' best cosine and of the ``CLAUSES_BEST`` best clauses' own best cosines.

        The clauses count because the facts carry their circumstances (place, party, counts, quantities) with the
        act, and one clause usually names it («台山一家电镀厂，排口一直没做监测，去年也罚过»): on the eight
        officer dev sets (402 cases) the right violation is the encoder's first for 0.50 of them with the whole
        facts alone, 0.59 with the clauses (first three: 0.74 → 0.83), better on every set. They open the gates
        only: ranking by them as well put a near twin first on the sets where the whole facts had it right
        (dev6 top-1 tier 1.000 → 0.947, dev9 0.696 → 0.652; evals/README.md, tenth round)."""
        found = self._text_vectors()
        if found is None:
            return None
        vectors, owner, kind = found
        whole = vectors @ np.asarray(self.query_vector(facts), dtype=np.float32)
        parts = fact_clauses(facts)
        clauses = (vectors @ np.asarray(self.embedder.embed_queries(parts), dtype=np.float32).T if len(parts) > 1
                   else whole[:, None])  # one clause is the facts themselves

        def best(cos: np.ndarray, mask: np.ndarray) -> np.ndarray:
            out = np.full(len(self.groups), -1.0, dtype=np.float32)
            np.maximum.at(out, owner[mask], cos[mask])
            return out

        def with_clauses(mask: np.ndarray) -> np.ndarray:
            per_clause = np.sort(np.stack([best(clauses[:, j], mask) for j in range(clauses.shape[1])]), axis=0)
            return (best(whole, mask) + per_clause[-CLAUSES_BEST:].mean(axis=0)) / 2

        return (best(whole, np.ones(len(kind), dtype=bool)), best(whole, kind != CONDITIONS),
                with_clauses(kind != SAYING), with_clauses(kind == OWN))

    def rank(self, facts: str) -> list[Candidate]:
        """The candidate violations for ``facts`` (already class-normalised), best first.

        Returns:
            Candidates whose coverage reaches MIN_COVERAGE or whose meaning is close enough (see the module
            docstring); an empty list when nothing in the tables is close.
        """
        facts = rated_consequence(facts)  # «事故等级核定为较大级» tells the act 「造成……事故」 (spoken.py)
        terms = sorted(set().union(*_clause_bigrams(facts)))
        # what the facts say about the act, without what they say about its circumstances: «拒不改正» alone
        # covers every 「……，拒不改正」 row, and names none of them
        act_text = _CIRCUMSTANCE.sub(" ", _ABSENT.sub(" ", facts))
        acts = _clause_bigrams(act_text)
        act_terms = sorted(set().union(*acts))
        if not terms or self._bm25 is None:
            return []
        weights = {t: self._idf(t) for t in set(terms) | set(act_terms)}
        lexical = self._bm25.get_scores(terms)
        lexical_act = self._bm25.get_scores(act_terms) if act_terms else np.zeros(len(self.groups))
        violation_act = self._bm25_act.get_scores(act_terms) if act_terms else np.zeros(len(self.groups))
        top_lexical = float(lexical.max()) or 1.0
        says = (self._bm25_says.get_scores(act_terms) if self._bm25_says is not None and act_terms
                else np.zeros(len(self.groups)))
        says_rank = ranks(says)
        floor_any, floor_words = MIN_ANY_WORDS * self._unit, MIN_WORDS * self._unit
        said_depth = max(1, round(SAYINGS_GATE_SHARE * self._n)) if SAYINGS_GATE_SHARE > 0 else 0  # 5 of 509
        scored = self.dense_scores(facts)
        dense, plain, dense_own, plain_own = scored if scored is not None else (None,) * 4
        searched: dict[int, int] = {}  # group → its rank among the groups the project's search finds
        if self.search is not None:
            for chunk_id in self.search(facts):
                i = self._group_of.get(chunk_id)
                if i is not None and i not in searched:
                    searched[i] = len(searched)
        # a 不予处罚 item ranks by its conditions among the others as they rank without theirs: an item its
        # conditions lift («首次…限期内改正») does not push the acts down (the gates were calibrated without them)
        dense_rank = lifted_ranks(plain, dense, self._no_penalty) if dense is not None else None
        gate_rank = lifted_ranks(plain_own, dense_own, self._no_penalty) if dense is not None else None  # the gates: the table's own texts
        lexical_rank = ranks(lexical)
        out: dict[int, Candidate] = {}
        held: dict[int, Candidate] = {}  # close to the facts' words but short of a gate: kept for a twin (below)
        texts = word_texts(act_text)
        said_widely = f"{act_text} {expand(act_text)}"  # the facts and the legal words the term list gives them
        legal_terms = [b for b in legal_bigrams(act_text) if len(b) >= LEGAL_MIN]
        said = set(act_terms)
        media = fact_media(act_text)
        for i, g in enumerate(self.groups):
            own_words = (violation_act[i] >= floor_any and gate_rank is not None and gate_rank[i] < VIOLATION_NEAR
                         and self._held_share(i, said) >= OWN_SHARE)
            said_near = (dense_rank is not None and dense_rank[i] < said_depth and says_rank[i] < said_depth
                         and says[i] > 0 and (lexical[i] >= floor_words
                                              or (dense_rank[i] <= SAID_NEAR_DENSE and says_rank[i] == 0 and lexical[i] >= floor_any)))
            agreed = (dense_rank is not None and says[i] > 0 and max(dense_rank[i], gate_rank[i], says_rank[i],
                                                                       searched.get(i, AGREED_RANK + 1)) <= AGREED_RANK
                      and lexical[i] >= AGREED_WORDS * self._unit)
            if lexical_act[i] < floor_any and not own_words and not said_near and not agreed:
                continue  # meaning alone is not enough: the violation must share words with the facts' act
            have = g.terms
            coverage = max((sum(weights[t] for t in c if t in have) / (sum(weights[t] for t in c) or 1.0)
                            for c in acts), default=0.0)
            cos = float(dense[i]) if dense is not None else 0.0
            found = searched.get(i)
            found_near = found is not None and found < SEARCH_DEPTH
            score = WEIGHT_WORDS / (RRF_K + lexical_rank[i]) + WEIGHT_BM25 * float(lexical[i]) / top_lexical
            if found is not None:
                score += WEIGHT_SEARCH / (RRF_K + found)
            if dense_rank is not None:
                score += WEIGHT_MEANING / (RRF_K + dense_rank[i])
            if says[i] > 0:
                score += WEIGHT_SAYINGS / (RRF_K + says_rank[i])
            score *= SCOPE_FACTOR.get(scope_fit(g.violation, facts), 1.0) * (SUBJECT_FACTOR if subject_named(
                g.violation, said_widely, self._subjects[i]) else 1.0)
            if place_unsaid(g.violation, said_widely):  # «排污口没立牌子» is no act 「在饮用水水源保护区内设置排污口」
                score *= PLACE_UNSAID_FACTOR
            if media and self._media[i] is not None:  # the law of the medium the facts are about (media.py)
                score *= MEDIUM_FACTOR if self._media[i] in media else 1 / MEDIUM_FACTOR
            candidate = Candidate(score, coverage, cos, g)
            if dense_rank is not None:
                # a 不予处罚 item gives no range: its sayings may bring it near (dev6 d6-014, dev7 d7-035: the
                # encoder's 7th and 2nd with them, 64th and 201st on the list's own texts)
                meaning_near = gate_rank[i] < MEANING_DEPTH or (g.no_penalty and dense_rank[i] < MEANING_DEPTH)
            else:  # without an encoder the search stands in for it; words only: the BM25 floor decides
                meaning_near = found_near or self.search is None
            legal = max((len(b & have) / len(b) for b in legal_terms), default=0.0)
            unanimous = (lexical_rank[i] == 0 and says_rank[i] == 0 and says[i] > 0 and dense_rank is not None
                         and dense_rank[i] <= UNANIMOUS_DENSE)
            unanimous = unanimous or (lexical_rank[i] <= WORDS_AND_SAYINGS_RANK and says_rank[i] == 0 and says[i] > 0
                                      and lexical[i] >= WORDS_AND_SAYINGS * self._unit)
            if not (coverage >= MIN_COVERAGE or (lexical[i] >= floor_words and meaning_near) or said_near
                    or (own_words and violation_act[i] >= floor_words)
                    or (legal >= LEGAL_HELD and lexical[i] >= floor_words) or unanimous or agreed):
                held[i] = candidate
                continue
            runs, longest = shared_words(texts, have) if coverage < MIN_COVERAGE else (0, LONG_WORD)
            if (coverage < MIN_COVERAGE and runs < 2 and longest < LONG_WORD and legal < LEGAL_HELD and not unanimous
                    and not agreed):
                continue  # one short shared word is a coincidence («机动车道» ↔ «机动车维修»), not the act
            if outside_place(g.violation, facts):
                continue  # the facts put the act outside the place the violation needs
            if permit_held(g.violation, facts):
                continue  # the facts cite the party's own permit: no act of one without it
            if coverage < MIN_COVERAGE and only_the_place_shared(g.violation, texts):
                continue  # only the place is shared («基本农田挖鱼塘» ↔ «在……永久基本农田集中区域……内，建设……填埋场»)
            out[i] = candidate
        for i in list(out):  # the same act in another table is a candidate with it (广东 ↔ 江门 rows: the encoder
            for j in self._twins.get(i, ()):  # may put one 57th and the other 1st), scored just below its twin
                if j in held and self._no_penalty[j] == self._no_penalty[i]:  # an item brings no tiers (o112)
                    twin = held.pop(j)
                    twin.score = min(twin.score, out[i].score * TWIN_SHARE)  # after it, never tied with it
                    out[j] = twin
        out = list(out.values())
        for c in out:  # a 稀土冶炼厂 is no 核技术利用单位: after the twins joined, so that the same act of a party
            if subject_unsaid(c.group.violation, said_widely):  # the facts do not rule out can come first (d18-017)
                c.score *= SUBJECT_UNSAID_FACTOR
        out.sort(key=lambda c: (-c.score, c.group.violation))
        return out


def search_with(retriever: "Callable[[], Retriever]", k: int = 30) -> "Callable[[str], list[str]]":
    """A ``search`` for :class:`ViolationMatcher` that asks the project's retriever (BM25 + dense + term
    expansion over the 裁量 records, repealed tables included: the advisor ranks those last itself).

    Args:
        retriever: returns the current retriever (the service swaps it when the index is rebuilt).
        k: hits asked for (chunk ids; several may belong to one violation).
    """
    filters = Filters(doc_types=frozenset({"discretion"}), current_only=False)

    def search(facts: str) -> list[str]:
        current = retriever()
        try:  # a long case narrative (up to max_facts_chars) is searched by its opening, as much as a query may hold
            return [h.chunk.id for h in current.search(facts[:getattr(current, "max_query_chars", 500)], k=k,
                                                       filters=filters)]
        except QueryError:
            return []

    return search


def fact_clauses(facts: str) -> list[str]:
    """The facts' clauses (split at punctuation and spaces) of 2 characters or more, at most ``MAX_CLAUSES``."""
    return [c for c in _CLAUSE_BREAK.split(facts) if len(c) >= 2][:MAX_CLAUSES]
