"""One function decides which versions are in force on a date (corpus/validity.py); search filters,
lookups and the discretion advisor all ask it."""

from dataclasses import replace
from datetime import date, timedelta

from corpus.model import DocType, Document, Status
from corpus.validity import in_force_ids, status_on


def doc(title: str, effective: str, status: Status = Status.CURRENT, current: bool = True, version: str = "") -> Document:
    return Document(title=title, doc_type=DocType.LAW, body=f"{title}{effective}", effective_date=effective,
                    version_date=version or effective, status=status, is_current=current)


OLD = doc("中华人民共和国某某法", "2015-01-01", Status.AMENDED, current=False)
NEW = doc("中华人民共和国某某法", "2021-07-15")
REPEALED = doc("中华人民共和国某污染防治法", "2018-01-01", Status.REPEALED)
LATER = doc("某市条例", (date.today() + timedelta(days=30)).isoformat())
EARLIER = doc("某市条例", "2010-01-01", Status.AMENDED, current=False)


def test_the_latest_version_that_took_effect_is_in_force():
    docs = [OLD, NEW, REPEALED, LATER, EARLIER]
    today = in_force_ids(docs)
    assert NEW.id in today and OLD.id not in today
    assert REPEALED.id not in today  # 已废止 today
    assert LATER.id not in today and EARLIER.id in today  # the newer text takes effect next month
    back = in_force_ids(docs, "2019-06-01")
    assert OLD.id in back and NEW.id not in back
    assert REPEALED.id not in back  # repealed at a date nobody recorded: not vouched for on any day
    dated = replace(REPEALED, status=Status.CURRENT, repealed_on="2026-08-15", repealed_by="中华人民共和国生态环境法典",
                    id="dated")
    assert dated.id in in_force_ids([dated], "2026-08-14") and dated.id not in in_force_ids([dated], "2026-08-15")
    assert status_on(dated, "2026-08-14") == Status.CURRENT and status_on(dated, "2026-08-15") == Status.REPEALED
    ran_out = replace(dated, repealed_by="", id="ran-out")  # its own term ended (有效期三年): nobody repealed it
    assert ran_out.id not in in_force_ids([ran_out], "2026-08-15")
    assert status_on(ran_out, "2026-08-14") == Status.CURRENT and status_on(ran_out, "2026-08-15") == Status.EXPIRED
    assert in_force_ids(docs, "2000-01-01") == set()


def test_a_later_version_or_an_amendment_supersedes_from_its_date_only():
    old = replace(OLD, status=Status.CURRENT, superseded_on="2021-07-15")
    assert status_on(old, "2021-07-14") == Status.CURRENT and status_on(old, "2021-07-15") == Status.AMENDED
    pending = replace(NEW, status=Status.NOT_YET, effective_date="2027-01-01", version_date="2026-08-28", id="p")
    assert status_on(pending, "2026-12-31") == Status.NOT_YET and status_on(pending, "2027-06-01") == Status.CURRENT
    assert pending.id in in_force_ids([pending], "2027-06-01")  # a 尚未生效 source status yields to the dates


def test_a_current_version_marked_amended_stays_in_force():
    criminal = doc("中华人民共和国刑法", "1997-10-01", Status.AMENDED)
    assert in_force_ids([criminal]) == {criminal.id}


def test_everything_asks_the_same_function(tmp_path):
    """The store lookup, the search mask and the advisor agree on a repealed and an amended document."""
    from corpus.ingest import ingest
    from corpus.lookup import find_article, find_documents
    from corpus.sqlite_store import SQLiteStore

    root = tmp_path / "corpus"
    root.mkdir()
    for name, status, eff in (("某县养犬管理规定", "已废止", "2015-01-01"), ("某县市容管理规定", "已修改", "2016-01-01")):
        (root / f"{name}.md").write_text(f"---\ntitle: {name}\ndoc_type: rule\nstatus: {status}\neffective_date: {eff}\n---\n"
                                         f"# {name}\n\n第一条 {name}的第一条。\n", encoding="utf-8")
    store = SQLiteStore(tmp_path / "corpus.db")
    ingest(store, [root])
    assert find_article(store, "某县养犬管理规定", 1) is None  # repealed: not in force today
    assert find_article(store, "某县养犬管理规定", 1, on="2020-01-01") is None  # an undated repeal: on no day
    assert find_article(store, "某县养犬管理规定", 1, current_only=False) is not None
    assert [d.title for d in find_documents(store, "某县市容管理规定")] == ["某县市容管理规定"]
