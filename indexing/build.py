"""Build, swap in and load the search index (BM25 + dense vectors + manifest).

Layout of an index directory::

    manifest.json      what was built, from what, with which model/dictionary
    ids.json           chunk ids, row order shared by both indexes
    bm25/              BM25Index files (bm25s arrays, ids, tokenizer dictionary)
    dense/             DenseIndex files (FAISS IndexFlatIP, ids)

:func:`build_index` writes everything into a temporary sibling directory,
fsyncs it and only then swaps it in by renaming: an exception (or a kill) at
any point before the swap leaves the previous index untouched. The swap is two
renames (old -> ``.NAME.old-*``, new -> NAME); should the process die in the
microseconds between them, :func:`load_index` finds the parked old index.
Concurrent builds of the same directory are refused (POSIX file lock).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import shutil
import time
import unicodedata
import uuid
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path
from typing import Any, Iterable

from corpus.model import Chunk
from indexing.bm25_index import BM25Index
from indexing.dense_index import DenseIndex
from indexing.embedders import Embedder
from indexing.embedding_cache import EmbeddingCache, text_key
from indexing.tokenize import LegalTokenizer, changed_words, title_words
from corpus.progress import ProgressFn

log = logging.getLogger(__name__)

FORMAT_VERSION = 1
MANIFEST = "manifest.json"
IDS = "ids.json"



@dataclass
class Manifest:
    """Description of one built index (``manifest.json``)."""

    corpus_hash: str  # sha256 of the sorted chunk ids
    n_chunks: int
    model_id: str
    dim: int
    dictionary_hash: str
    n_dictionary_words: int
    n_embedded: int  # texts embedded during this build (cache misses)
    n_cached: int  # chunks whose vector was not computed in this build (cache hit or identical text)
    n_duplicates_skipped: int
    bm25: dict[str, Any] = field(default_factory=dict)
    dense: dict[str, Any] = field(default_factory=dict)
    versions: dict[str, str] = field(default_factory=dict)
    build_seconds: float = 0.0
    created_at: str = ""  # ISO 8601, UTC
    format_version: int = FORMAT_VERSION
    tokenizer_rules: str = ""  # LegalTokenizer.rules_hash: another tokenizer version makes the index stale

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Manifest":
        known = {f for f in cls.__dataclass_fields__}
        return cls(**{k: v for k, v in data.items() if k in known})


@dataclass
class IndexHandle:
    """A loaded index: both retrievers, the row order and the manifest."""

    directory: Path
    manifest: Manifest
    ids: list[str]
    bm25: BM25Index
    dense: DenseIndex

    def __len__(self) -> int:
        return len(self.ids)


def index_text(chunk: Chunk) -> str:
    """The text indexed for a chunk (both BM25 and embeddings).

    First line: title, structural path (编/章/节), article label and heading;
    then the chunk text; then the rendered discretion tier when the text does
    not already contain it.
    """
    head = [chunk.title, *chunk.path]
    label = chunk.label_cn
    if label:
        head.append(label)
    if chunk.heading and chunk.heading not in head:
        head.append(chunk.heading)
    parts = [" ".join(p.strip() for p in head if p and p.strip())]
    body = (chunk.text or "").strip()
    if body:
        parts.append(body)
    if chunk.record is not None:
        rendered = chunk.record.render().strip()
        if rendered and rendered not in body:
            parts.append(rendered)
    return "\n".join(p for p in parts if p)


# Above this many changed words (a first build, many new titles at once) every text is tokenised afresh: the
# search for the changed words in each text would cost about as much as tokenising it.
MAX_CHANGED_WORDS = 200


def _tokenize_cached(tokenizer: LegalTokenizer, texts: list[str], cache: EmbeddingCache,
                     progress: ProgressFn | None) -> list[list[str]]:
    """Token lists for ``texts``, reusing those cached for the same text and dictionary — and, when the
    dictionary changed, those of the previous dictionary for every text that contains no added or removed word
    (the locality rule of indexing/tokenize.py: the result equals a full re-tokenisation; one new title
    re-tokenised all 33k chunks before, ≈ 25 s of a 37 s upload, #23)."""
    keys = [text_key(t) for t in texts]
    known = cache.get_tokens(tokenizer.dictionary_hash, keys)
    cache.put_dictionary(tokenizer.dictionary_hash, tokenizer.rules_hash, tokenizer.words)
    missing = [k for k in dict.fromkeys(keys) if k not in known]
    previous = cache.previous_dictionary(tokenizer.dictionary_hash, tokenizer.rules_hash) if missing else None
    earlier: dict[str, list[str]] = {}
    touched = None  # finds a changed word in a text (NFKC, as the tokenizer reads it)
    if previous is not None:
        changed = changed_words(previous[1], tokenizer.words)
        if len(changed) <= MAX_CHANGED_WORDS:
            earlier = cache.get_tokens(previous[0], missing)
            touched = re.compile("|".join(map(re.escape, sorted(changed, key=len, reverse=True)))) if changed else None
    total = len(texts)
    out: list[list[str]] = []
    fresh: list[tuple[str, list[str]]] = []
    for i, (key, text) in enumerate(zip(keys, texts)):
        tokens = known.get(key)
        if tokens is None:
            tokens = earlier.get(key)
            if tokens is None or (touched is not None and touched.search(unicodedata.normalize("NFKC", text))):
                tokens = tokenizer.tokenize(text)
            known[key] = tokens
            fresh.append((key, tokens))
            if len(fresh) >= 2000:
                cache.put_tokens(tokenizer.dictionary_hash, fresh)
                fresh = []
        out.append(tokens)
        if progress and (i + 1) % 1000 == 0:
            progress("tokenize", i + 1, total)
    cache.put_tokens(tokenizer.dictionary_hash, fresh)
    if progress:
        progress("tokenize", total, total)
    return out


def corpus_hash(ids: Iterable[str]) -> str:
    """sha256 (hex) of the sorted chunk ids, one per line."""
    return hashlib.sha256("\n".join(sorted(ids)).encode("utf-8")).hexdigest()


def _versions() -> dict[str, str]:
    out = {}
    for dist in ("bm25s", "faiss-cpu", "jieba", "numpy"):
        try:
            out[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            out[dist] = "unknown"
    return out


def _fsync_tree(root: Path) -> None:
    """Flush every file (and, on POSIX, every directory) under ``root`` to disk."""
    for dirpath, _dirs, files in os.walk(root):
        for name in files:
            with open(os.path.join(dirpath, name), "rb") as fh:
                os.fsync(fh.fileno())
        _fsync_dir(Path(dirpath))


def _fsync_dir(path: Path) -> None:
    if os.name != "posix":
        return
    fd = os.open(str(path), os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class IndexBusy(RuntimeError):
    """Another process holds the index build lock (Chinese message); retry when it has finished."""


class _BuildLock:
    """Exclusive non-blocking lock on ``.NAME.lock`` next to the index (no-op without fcntl)."""

    def __init__(self, out_dir: Path) -> None:
        self.path = out_dir.with_name(f".{out_dir.name}.lock")
        self._fh = None

    def __enter__(self) -> "_BuildLock":
        try:
            import fcntl
        except ImportError:  # Windows: single-builder assumption
            return self
        self._fh = open(self.path, "a+")
        try:
            fcntl.flock(self._fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            self._fh.close()
            raise IndexBusy(f"另一个进程正在构建索引（{self.path.parent}），请等它完成后再试（锁文件 {self.path}）") from None
        return self

    def __exit__(self, *exc: object) -> None:
        if self._fh is not None:
            import fcntl

            fcntl.flock(self._fh.fileno(), fcntl.LOCK_UN)
            self._fh.close()


def _leftovers(out_dir: Path, kind: str) -> list[Path]:
    return sorted(out_dir.parent.glob(f".{out_dir.name}.{kind}-*"))


def _swap_in(new_dir: Path, out_dir: Path) -> None:
    """Replace ``out_dir`` by ``new_dir`` (both on the same filesystem)."""
    parked = None
    if out_dir.exists():
        parked = out_dir.with_name(f".{out_dir.name}.old-{uuid.uuid4().hex[:8]}")
        os.rename(out_dir, parked)
    try:
        os.rename(new_dir, out_dir)
    except BaseException:
        if parked is not None:
            os.rename(parked, out_dir)
        raise
    _fsync_dir(out_dir.parent)
    if parked is not None:
        shutil.rmtree(parked, ignore_errors=True)


class EmptyIndexError(ValueError):
    """build_index was given no chunk: the knowledge base is empty (a normal state, not a fault)."""


def build_index(
    chunks: Iterable[Chunk],
    out_dir: str | Path,
    embedder: Embedder,
    cache: EmbeddingCache,
    extra_words: Iterable[str] = (),
    progress: ProgressFn | None = None,
    add_title_words: bool = True,
    batch_size: int = 64,
) -> Manifest:
    """Build BM25 + dense indexes for ``chunks`` and atomically replace ``out_dir``.

    ``extra_words`` extend the tokenizer's legal dictionary (abbreviations,
    defined terms); with ``add_title_words`` the chunk titles (and their forms
    without 中华人民共和国) are added too. Chunks with an id already seen are
    skipped. ``progress(stage, done, total)`` is called with stages
    ``tokenize``, ``embed`` and ``write``. Returns the manifest written.
    """
    started = time.monotonic()
    out_dir = Path(out_dir).resolve()
    out_dir.parent.mkdir(parents=True, exist_ok=True)

    seen: set[str] = set()
    kept: list[Chunk] = []
    n_dupes = 0
    for ch in chunks:
        if ch.id in seen:
            n_dupes += 1
            continue
        seen.add(ch.id)
        kept.append(ch)
    if not kept:
        raise EmptyIndexError("no chunks to index")
    ids = [ch.id for ch in kept]
    texts = [index_text(ch) for ch in kept]
    words = set(extra_words)
    if add_title_words:
        words |= title_words({ch.title for ch in kept})
    tokenizer = LegalTokenizer(words)

    with _BuildLock(out_dir):
        for stale in _leftovers(out_dir, "tmp"):
            shutil.rmtree(stale, ignore_errors=True)
        if (out_dir / MANIFEST).is_file():
            for stale in _leftovers(out_dir, "old"):
                shutil.rmtree(stale, ignore_errors=True)
        tmp = out_dir.with_name(f".{out_dir.name}.tmp-{uuid.uuid4().hex[:8]}")
        tmp.mkdir()
        try:
            corpus_tokens = _tokenize_cached(tokenizer, texts, cache, progress)
            bm25 = BM25Index.from_tokens(ids, corpus_tokens, tokenizer)
            del corpus_tokens

            misses_before = cache.misses
            vectors = cache.embed_passages(embedder, texts, batch_size=batch_size, progress=progress)
            n_embedded = cache.misses - misses_before
            dense = DenseIndex.build(ids, vectors)

            if progress:
                progress("write", 0, 1)
            bm25.save(tmp / "bm25")
            dense.save(tmp / "dense")
            (tmp / IDS).write_text(json.dumps(ids, ensure_ascii=False), encoding="utf-8")
            manifest = Manifest(
                corpus_hash=corpus_hash(ids),
                n_chunks=len(ids),
                model_id=embedder.model_id,
                dim=int(embedder.dim),
                dictionary_hash=tokenizer.dictionary_hash,
                tokenizer_rules=tokenizer.rules_hash,
                n_dictionary_words=len(tokenizer.words),
                n_embedded=n_embedded,
                n_cached=len(ids) - n_embedded,
                n_duplicates_skipped=n_dupes,
                bm25={
                    "library": "bm25s",
                    "method": bm25.retriever.method,
                    "k1": bm25.retriever.k1,
                    "b": bm25.retriever.b,
                    "vocab_size": bm25.vocab_size,
                },
                dense={"faiss_index": "IndexFlatIP", "metric": "cosine (inner product of unit vectors)"},
                versions=_versions(),
                created_at=datetime.now(timezone.utc).isoformat(timespec="seconds"),
            )
            manifest.build_seconds = round(time.monotonic() - started, 3)
            (tmp / MANIFEST).write_text(
                json.dumps(manifest.to_dict(), ensure_ascii=False, indent=2), encoding="utf-8"
            )
            _fsync_tree(tmp)
            _swap_in(tmp, out_dir)
            # the token lists of older dictionaries and of texts no longer indexed go (#23: the cache grew
            # 208 → 610 MB in nine rebuilds); vectors stay (an undeleted or re-uploaded text reuses them)
            cache.prune_tokens(tokenizer.dictionary_hash, (text_key(t) for t in texts))
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
    if progress:
        progress("write", 1, 1)
    log.info("built index %s: %d chunks, %d embedded, %.1fs", out_dir, len(ids), n_embedded, manifest.build_seconds)
    return manifest


def read_manifest(directory: str | Path) -> Manifest:
    return Manifest.from_dict(json.loads((Path(directory) / MANIFEST).read_text(encoding="utf-8")))


def _resolve(directory: Path) -> Path:
    """``directory`` itself, or the index parked there by a swap interrupted mid-way."""
    if (directory / MANIFEST).is_file():
        return directory
    parked = [p for p in _leftovers(directory, "old") if (p / MANIFEST).is_file()]
    if parked:
        newest = max(parked, key=lambda p: p.stat().st_mtime)
        log.warning("index %s missing; using %s left by an interrupted swap", directory, newest)
        return newest
    raise FileNotFoundError(f"no index at {directory} (missing {MANIFEST})")


def load_index(
    directory: str | Path,
    embedder: Embedder | None = None,
    tokenizer: LegalTokenizer | None = None,
    mmap: bool = False,
    warm_up: bool = True,
) -> IndexHandle:
    """Load and cross-check an index built by :func:`build_index`.

    With ``embedder``, its ``model_id`` must match the manifest (query vectors
    from another model would be meaningless against the stored ones).
    ``warm_up`` loads the jieba dictionary now (~1 s) rather than on the first query.
    """
    d = _resolve(Path(directory).resolve())
    manifest = read_manifest(d)
    if manifest.format_version != FORMAT_VERSION:
        raise ValueError(f"{d}: index format {manifest.format_version}, expected {FORMAT_VERSION}: rebuild")
    if embedder is not None and embedder.model_id != manifest.model_id:
        raise ValueError(f"{d} was built with {manifest.model_id}, not {embedder.model_id}: rebuild or switch model")
    ids = json.loads((d / IDS).read_text(encoding="utf-8"))
    bm25 = BM25Index.load(d / "bm25", tokenizer=tokenizer, mmap=mmap)
    dense = DenseIndex.load(d / "dense", mmap=mmap)
    problems = []
    if len(ids) != manifest.n_chunks:
        problems.append(f"{len(ids)} ids vs manifest {manifest.n_chunks}")
    if bm25.ids != ids or dense.ids != ids:
        problems.append("row order differs between ids.json, bm25 and dense")
    if dense.dim != manifest.dim:
        problems.append(f"dense dim {dense.dim} vs manifest {manifest.dim}")
    if bm25.tokenizer.dictionary_hash != manifest.dictionary_hash:
        problems.append("tokenizer dictionary differs from manifest")
    if corpus_hash(ids) != manifest.corpus_hash:
        problems.append("corpus hash mismatch")
    if problems:
        raise ValueError(f"inconsistent index at {d}: " + "; ".join(problems))
    if warm_up:
        bm25.tokenizer.warm_up()
    return IndexHandle(directory=d, manifest=manifest, ids=ids, bm25=bm25, dense=dense)
