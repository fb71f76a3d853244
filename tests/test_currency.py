"""Legal currency read from the corpus itself: repeal clauses and 修改/废止决定 of texts in force win over older,
weaker evidence; status is told as of a date with its evidence; repealed articles point to their successors;
answers, advice and quizzes warn; 新旧衔接 for acts before the change."""

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from corpus.ingest import ingest
from corpus.lookup import find_article
from corpus.model import Status
from corpus.sqlite_store import SQLiteStore
from corpus.succession import currency_note, successor_of
from corpus.validity import in_force_ids, status_on
from tests.builders import front_matter, write

OLD = front_matter(title="某市市容管理条例", doc_type="local_regulation", region="某市", effective_date="2015-01-01",
                   version_date="2014-11-20", status="现行有效") + """
# 某市市容管理条例

第一条 为了加强市容管理，制定本条例。

第十条 在主要街道两侧和公共场地堆放物品、摆摊设点的，由城市管理部门责令改正，处五百元以上二千元以下罚款。

第十一条 在建筑物外墙擅自悬挂、张贴宣传品的，由城市管理部门责令清除，处一百元以上五百元以下罚款。
"""
NEW = front_matter(title="某市城市管理条例", doc_type="local_regulation", region="某市", effective_date="2026-03-01",
                   version_date="2025-12-20", status="现行有效") + """
# 某市城市管理条例

第一条 为了加强城市管理，制定本条例。

第三十条 在主要街道两侧和公共场地堆放物品、摆摊设点的，由城市管理部门责令改正，可以处二百元以上一千元以下罚款。

第三十一条 在建筑物外墙擅自悬挂、张贴宣传品的，由城市管理部门责令清除，处一百元以上五百元以下罚款。

第六十条 本条例自2026年3月1日起施行。《某市市容管理条例》同时废止。
"""
DOGS = front_matter(title="某市养犬管理规定", doc_type="rule", region="某市", effective_date="2020-01-01",
                    version_date="2019-11-01", status="现行有效") + """
# 某市养犬管理规定

第一条 为了规范养犬行为，制定本规定。

第八条 携犬出户未束犬链的，由公安机关责令改正，处五十元罚款。
"""
DOGS_AMENDED = front_matter(title="某市人民政府关于修改《某市养犬管理规定》的决定", doc_type="rule", region="某市",
                            effective_date="2026-05-01", version_date="2026-04-01", status="现行有效") + """
# 某市人民政府关于修改《某市养犬管理规定》的决定

第一条 将第八条中的“处五十元罚款”修改为“处二百元罚款”。

第二条 本决定自2026年5月1日起施行。
"""
STALLS = front_matter(title="某市摊点管理办法", doc_type="rule", region="某市", effective_date="2010-01-01",
                      status="现行有效") + "# 某市摊点管理办法\n\n第一条 摊点应当在划定区域经营。\n"
STALLS_REPEALED = front_matter(title="某市人民政府关于废止《某市摊点管理办法》的决定", doc_type="rule", region="某市",
                               effective_date="2025-06-01", status="现行有效") + (
    "# 某市人民政府关于废止《某市摊点管理办法》的决定\n\n第一条 《某市摊点管理办法》自2025年6月1日起废止。\n")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("currency")
    for name, text in (("old.md", OLD), ("new.md", NEW), ("dogs.md", DOGS), ("dogs-amended.md", DOGS_AMENDED),
                       ("stalls.md", STALLS), ("stalls-repealed.md", STALLS_REPEALED)):
        write(root, name, text)
    return root


@pytest.fixture(scope="module")
def store(corpus, tmp_path_factory) -> SQLiteStore:
    store = SQLiteStore(tmp_path_factory.mktemp("data") / "corpus.db")
    report = ingest(store, [corpus])
    assert {v.doc_id for v in report.validity}  # the ingest says which documents the evidence changed
    return store


def doc_of(store, title):
    (doc,) = [d for d in store.documents(title_contains=title) if d.title == title]
    return doc


def test_status_on_either_side_of_the_date_with_the_evidence_named(store):
    old = doc_of(store, "某市市容管理条例")
    assert old.declared_status == Status.CURRENT  # the front matter's judgement …
    assert status_on(old, "2026-02-28") == Status.CURRENT  # … holds until the new text takes effect
    assert status_on(old, "2026-03-01") == Status.REPEALED and old.status_on() == Status.REPEALED
    assert old.repealed_on == "2026-03-01" and old.repealed_by == "某市城市管理条例"
    assert old.status_basis == "依据《某市城市管理条例》第六十条，自2026年3月1日起废止"
    assert old.id in in_force_ids(store.documents(), "2026-02-28") and old.id not in in_force_ids(store.documents())
    stalls = doc_of(store, "某市摊点管理办法")
    assert stalls.repealed_on == "2025-06-01" and "关于废止〈某市摊点管理办法〉的决定" in stalls.status_basis


def test_an_amending_decision_newer_than_the_text_marks_it_amended_not_hidden(store):
    dogs = doc_of(store, "某市养犬管理规定")
    assert dogs.status_on() == Status.AMENDED and "现行文本未收录" in dogs.status_basis
    assert find_article(store, "某市养犬管理规定", 8) is not None  # still found, with the warning
    note = currency_note(store, *find_article(store, "某市养犬管理规定", 8))
    assert "已被修改，现行文本未收录" in note


def test_a_repealed_article_points_to_its_successor(store):
    assert find_article(store, "某市市容管理条例", 10) is None  # not in force today …
    old_doc, old_article = find_article(store, "某市市容管理条例", 10, current_only=False)
    assert find_article(store, "某市市容管理条例", 10, on="2026-01-15")[1].id == old_article.id  # … in force then
    doc, article, similarity = successor_of(store, old_article.id)
    assert (doc.title, article.article) == ("某市城市管理条例", 30) and similarity > 0.7
    assert successor_of(store, find_article(store, "某市市容管理条例", 11, current_only=False)[1].id)[1].article == 31
    note = currency_note(store, old_doc, old_article)
    assert "已于2026年3月1日废止" in note and "对应的现行条文为《某市城市管理条例》第三十条" in note


def test_show_status_and_quiz_on_the_cli(store, tmp_path):
    from cli.main import app

    data = ["--data-dir", str(store.path.parent)]
    shown = json.loads(CliRunner().invoke(app, ["show", "某市市容管理条例", "10", "--json", *data]).stdout)
    assert shown["status"] == "已废止" and shown["repealed_on"] == "2026-03-01"
    assert "第六十条" in shown["status_basis"] and shown["successor"]["label"] == "第三十条"
    before = json.loads(CliRunner().invoke(app, ["show", "某市市容管理条例", "10", "--json", "--as-of", "2026-02-01",
                                                 *data]).stdout)
    assert before["status"] == "现行有效" and before["note"] is None
    both = json.loads(CliRunner().invoke(app, ["show", "某市城市管理条例", "30", "--json", "--all-versions", *data]).stdout)
    assert both[0]["title"] == "某市城市管理条例"
    report = json.loads(CliRunner().invoke(app, ["status", "--json", *data]).stdout)
    assert {r["title"] for r in report} >= {"某市市容管理条例", "某市养犬管理规定", "某市摊点管理办法"}
    refused = CliRunner().invoke(app, ["quiz", "--scope", "某市市容管理条例", "--n", "2", "--types", "judge", *data])
    assert refused.exit_code == 2 and "已于2026年3月1日废止" in refused.output and "历史" in refused.output
    history = CliRunner().invoke(app, ["quiz", "--scope", "历史 某市市容管理条例", "--n", "1", "--types", "judge",
                                       "--backend", "extractive", *data])
    assert history.exit_code == 0, history.output


@pytest.fixture(scope="module")
def retriever(store, tmp_path_factory):
    from assistant.retrieval import HybridRetriever
    from indexing.build import build_index, load_index
    from indexing.embedding_cache import EmbeddingCache
    from tests.fakes import HashingEmbedder

    data = tmp_path_factory.mktemp("index")
    embedder = HashingEmbedder()
    build_index(store.servable_chunks(), data / "index", embedder, EmbeddingCache(data / "emb.sqlite"))
    return HybridRetriever(store, load_index(data / "index", embedder=embedder), embedder)


def test_search_is_current_only_by_default_and_as_of_a_date_on_request(retriever):
    from assistant.retrieval import Filters

    now = retriever.search("摆摊设点堆放物品的罚款", k=5)
    assert all(h.document.title != "某市市容管理条例" for h in now)
    assert now[0].document.title == "某市城市管理条例"
    then = retriever.search("摆摊设点堆放物品的罚款", k=5, filters=Filters(as_of="2026-01-15"))
    assert then[0].document.title == "某市市容管理条例" and then[0].to_dict("2026-01-15")["status"] == "现行有效"


def test_citing_a_repealed_article_warns_with_its_successor(retriever):
    from assistant.answer.pipeline import AnswerPipeline
    from tests.fakes import ScriptedGenerator

    reply = "结论：要罚款。依据：《某市市容管理条例》第十条。"
    ans = AnswerPipeline(retriever, ScriptedGenerator(reply)).ask("街边摆摊设点要罚款吗")
    assert any("已于2026年3月1日废止" in w and "《某市城市管理条例》第三十条" in w for w in ans.warnings), ans.warnings


def test_an_act_before_the_change_gets_both_texts_and_the_rule(retriever, store, monkeypatch):
    import assistant.answer.pipeline as pipeline_module
    from assistant.answer.pipeline import AnswerPipeline

    # the rule of 从旧兼从轻 is an article of the corpus: here a synthetic stand-in of 行政处罚法 第三十七条
    rule_doc, rule_chunk = find_article(store, "某市城市管理条例", 1)
    monkeypatch.setattr(pipeline_module, "rule_text", lambda s, pairs: (rule_doc, rule_chunk))
    ans = AnswerPipeline(retriever, None).ask("2026年1月发现有人在街边摆摊设点堆放物品，怎么处罚？")
    assert "新旧衔接" in ans.answer and "2026年1月1日" in ans.answer
    assert "《某市市容管理条例》第十条" in ans.answer and "《某市城市管理条例》第三十条" in ans.answer
    assert "新的规定处罚较轻，应适用新的规定" in ans.answer  # 500–2000 then, 200–1000 now
    assert "适用规则（从旧兼从轻）：《某市城市管理条例》第一条" in ans.answer
    assert all(c.verified for c in ans.citations) and not ans.unverified
    plain = AnswerPipeline(retriever, None).ask("街边摆摊设点堆放物品，怎么处罚？")
    assert "新旧衔接" not in plain.answer  # no date, no transition


def test_act_dates_are_read_the_way_officers_write_them():
    from datetime import date

    from assistant.answer.transition import act_date, compare

    today = date(2026, 11, 30)
    assert act_date("今年七月发现的噪声扰民", today) == "2026-07-01"
    assert act_date("2026年7月3日在禁燃区焚烧秸秆", today) == "2026-07-03"
    assert act_date("去年十月被查处过一次", today) == "2025-10-01"
    assert act_date("上个月的事", today) == "2026-10-01"
    assert act_date("下周要检查", today) is None and act_date("明年三月", today) is None
    assert "处罚较重" in compare("处一千元罚款", "处五千元罚款")


# ---- the national-law DB the install brings: 生态环境法典 and its repeal clause -------------------------

@pytest.fixture(scope="module")
def law_db_store(tmp_path_factory) -> SQLiteStore:
    from corpus.sources.law_db import default_law_db

    store = SQLiteStore(tmp_path_factory.mktemp("lawdb") / "corpus.db")
    ingest(store, [], law_db=default_law_db())
    return store


TEN = ("环境保护法", "环境影响评价法", "海洋环境保护法", "大气污染防治法", "水污染防治法", "土壤污染防治法",
       "固体废物污染环境防治法", "噪声污染防治法", "放射性污染防治法", "清洁生产促进法")


def test_the_code_repeals_ten_laws_from_2026_08_15(law_db_store):
    from cli.main import app

    data = ["--data-dir", str(law_db_store.path.parent)]
    shown = json.loads(CliRunner().invoke(app, ["show", "噪声污染防治法", "64", "--json", *data]).stdout)
    assert shown["status"] == "已废止" and shown["repealed_on"] == "2026-08-15"
    assert shown["status_basis"] == "依据《中华人民共和国生态环境法典》第一千二百四十二条，自2026年8月15日起废止"
    assert (shown["successor"]["title"], shown["successor"]["article"]) == ("中华人民共和国生态环境法典", 593)
    before = json.loads(CliRunner().invoke(app, ["show", "噪声污染防治法", "64", "--json", "--as-of", "2026-08-01",
                                                 *data]).stdout)
    assert before["status"] == "现行有效"
    report = json.loads(CliRunner().invoke(app, ["status", "--json", *data]).stdout)
    repealed = {r["title"].removeprefix("中华人民共和国") for r in report if r["repealed_by"] == "中华人民共和国生态环境法典"}
    assert repealed == set(TEN)


def test_the_code_text_is_repaired_where_the_db_wrapped_or_lost_lines(law_db_store):
    code = "中华人民共和国生态环境法典"
    assert len(find_article(law_db_store, code, 1131)[1].paragraphs) == 4  # one 款 was cut in two
    restored = find_article(law_db_store, code, 1120)[1]
    assert restored.paragraphs[0].startswith("……境主管部门责令改正")  # its first line is lost in the DB
    assert not any(p.startswith("境主管部门") for p in find_article(law_db_store, code, 1119)[1].paragraphs)
    assert find_article(law_db_store, code, 1201) is not None
    assert "第一千一百二十条" in doc_of(law_db_store, code).note


def _table_citing_the_old_law(corpus: Path, tmp_path: Path) -> SQLiteStore:
    """A store with OLD, NEW (which repeals OLD) and a 裁量 table (XLSX) whose rows cite OLD 第十条."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["某市城市管理罚款裁量基准（2020年）"])
    ws.append(["序号", "违法行为", "违反条款", "处罚依据", "违法情节", "罚款"])
    for circumstance, fine in (("较轻：当场改正", "5百元以上1千元以下"), ("较重：拒不改正", "1千元以上2千元以下")):
        ws.append([1, "在主要街道两侧和公共场地堆放物品、摆摊设点", "《某市市容管理条例》第十条",
                   "《某市市容管理条例》第十条", circumstance, fine])
    root = tmp_path / "corpus"
    root.mkdir()
    for name in ("old.md", "new.md"):
        (root / name).write_text((corpus / name).read_text(encoding="utf-8"), encoding="utf-8")
    wb.save(root / "某市城市管理罚款裁量基准.xlsx")
    store = SQLiteStore(tmp_path / "corpus.db")
    ingest(store, [root])
    return store


def test_advice_on_a_table_citing_a_repealed_law_shows_both_bases(corpus, tmp_path):
    from assistant.discretion.advisor import DiscretionAdvisor
    from assistant.discretion.answer import answer_from_advice

    store = _table_citing_the_old_law(corpus, tmp_path)
    advice = DiscretionAdvisor(store).advise("在主要街道两侧摆摊设点堆放物品，拒不改正")
    top = advice.matches[0]
    assert top.range_text == "1千元以上2千元以下"
    cited = top.citations[0]
    assert cited.status == "已废止" and cited.successor == "《某市城市管理条例》第三十条"
    assert any("已不现行" in w and "→ 现行：《某市城市管理条例》第三十条" in w and "重新发布" in w for w in advice.warnings)
    # the tier (1,000–2,000 元) against the new article's range (二百元以上一千元以下): its upper part is above it
    assert any("部分高于现行《某市城市管理条例》第三十条规定的罚款上限（1,000元）" in w for w in advice.warnings)
    answer = answer_from_advice("摆摊设点拒不改正罚多少", advice, store)
    assert "《某市市容管理条例》第十条〔已废止，现行对应条文：《某市城市管理条例》第三十条〕" in answer.answer


def _fresh(tmp_path, files: dict[str, str]) -> SQLiteStore:
    root = tmp_path / "corpus"
    root.mkdir(exist_ok=True)
    for name, text in files.items():
        (root / name).write_text(text, encoding="utf-8")
    store = SQLiteStore(tmp_path / "corpus.db")
    ingest(store, [root])
    return store


def test_a_repeal_taking_effect_later_is_ready_when_it_does(tmp_path):
    later = NEW.replace("2026-03-01", "2099-03-01").replace("2026年3月1日", "2099年3月1日")
    store = _fresh(tmp_path, {"old.md": OLD, "new.md": later})
    old = doc_of(store, "某市市容管理条例")
    assert old.status_on() == Status.CURRENT and old.repealed_on == "2099-03-01"
    _, article = find_article(store, "某市市容管理条例", 10)  # in force today …
    note = currency_note(store, old, article, on="2099-04-01")  # … and linked already for the day it is not
    assert note and "对应的现行条文为《某市城市管理条例》第三十条" in note


def test_a_chain_of_repeals_leads_to_the_article_in_force(tmp_path):
    middle = NEW.replace("某市城市管理条例", "某市城市综合管理条例").replace("2026-03-01", "2025-01-01") \
        .replace("2026年3月1日", "2025年1月1日")
    last = NEW.replace("《某市市容管理条例》", "《某市城市综合管理条例》")
    store = _fresh(tmp_path, {"old.md": OLD, "middle.md": middle, "new.md": last})
    _, article = find_article(store, "某市市容管理条例", 10, current_only=False)
    from corpus.succession import current_successor

    doc, found, _ = current_successor(store, article.id)
    assert (doc.title, found.article) == ("某市城市管理条例", 30)


def test_a_date_the_calendar_does_not_have_does_not_stop_an_ingest(tmp_path):
    odd = NEW.replace('effective_date: "2026-03-01"', 'effective_date: "2027年3月"')
    store = _fresh(tmp_path, {"old.md": OLD, "new.md": odd})
    assert doc_of(store, "某市城市管理条例").effective_date == "2027-03-01"
    assert doc_of(store, "某市市容管理条例").repealed_on == "2026-03-01"  # the clause's own 施行 date


def test_an_amending_decision_counts_from_its_date(store):
    dogs = doc_of(store, "某市养犬管理规定")
    assert status_on(dogs, "2026-01-01") == Status.CURRENT and status_on(dogs, "2026-05-01") == Status.AMENDED
    assert dogs.status_basis.count("现行文本未收录") == 1


def test_citing_a_repealed_article_shows_it_and_the_article_in_its_place(retriever):
    hits = retriever.search("某市市容管理条例第十条", k=5)
    assert [(h.document.title, h.chunk.article, h.via) for h in hits[:2]] == [
        ("某市市容管理条例", 10, "lookup"), ("某市城市管理条例", 30, "successor")]
    assert hits[0].to_dict()["status"] == "已废止"


def test_show_refuses_a_date_the_calendar_does_not_have(store):
    from cli.main import app

    for bad in ("2026-13-45", "2026-02-30", "2026/1/1"):
        result = CliRunner().invoke(app, ["show", "某市市容管理条例", "10", "--as-of", bad, "--data-dir",
                                          str(store.path.parent)])
        assert result.exit_code == 2 and "有效日期" in result.output, bad


def test_settling_again_changes_nothing(store):
    from corpus.ingest import settle

    settle(store, None)
    assert settle(store, None)[1] == []  # what was reset and set back is no change to report


def test_a_re_cut_with_a_new_chunker_reports_no_status_change(corpus, tmp_path, monkeypatch):
    import corpus.ingest as ingest_module

    store = SQLiteStore(tmp_path / "corpus.db")
    assert ingest(store, [corpus]).validity  # the repeal is news the first time
    monkeypatch.setattr(ingest_module, "CHUNKER_VERSION", ingest_module.CHUNKER_VERSION + 1)
    again = ingest(store, [corpus])
    assert again.by_status("ingested") and again.validity == []  # every file re-cut, no status is new
    assert doc_of(store, "某市市容管理条例").status_on().value == "已废止"


def test_an_answer_as_of_a_date_gives_the_statuses_of_that_day(retriever):
    from assistant.answer.pipeline import AnswerPipeline
    from assistant.retrieval import Filters

    then = AnswerPipeline(retriever, None).ask("某市市容管理条例第十条是什么内容", filters=Filters(as_of="2026-01-15"))
    assert {c.status for c in then.citations if c.title == "某市市容管理条例"} == {"现行有效"}  # in force that day
    assert then.as_of == "2026-01-15" and not then.warnings
    assert then.to_dict()["sources"][0]["status"] == "现行有效"
    now = AnswerPipeline(retriever, None).ask("某市市容管理条例第十条是什么内容")
    assert [c.status for c in now.citations if c.title == "某市市容管理条例"] == ["已废止"] and now.warnings
    early = AnswerPipeline(retriever, None).ask("某市城市管理条例第三十条是什么内容", filters=Filters(as_of="2025-06-01"))
    assert early.citations[0].status == "尚未生效"
    assert any("知识库中没有该日有效的版本" in w for w in early.warnings)


def test_the_correspondence_follows_what_an_article_is_about_not_its_boilerplate():
    from corpus.model import Chunk, DocType
    from corpus.succession import align, similarity_note

    tail = "由生态环境主管部门责令改正或者责令限制生产、停产整治，处十万元以上一百万元以下的罚款；情节严重的，报经有批准权的人民政府批准，责令停业、关闭。"

    def art(n: int, text: str, title: str) -> Chunk:
        return Chunk(doc_id=title, title=title, doc_type=DocType.LAW, text=f"第{n}条 {text}", article=n,
                     paragraphs=[text], seq=n)

    old = [art(99, "违反本法规定，未依法取得排污许可证排放大气污染物的，" + tail, "旧法")]
    # the code's article on the same act words its penalty differently; others share the old boilerplate
    new = [art(1102, "违反本法规定，未依法取得排污许可证排放污染物的，由生态环境主管部门责令改正，处二十万元以上一百万元以下的罚款。", "法典")]
    new += [art(1140 + i, f"违反本法规定，{act}的，" + tail, "法典") for i, act in enumerate(
        ("向污水集中处理设施排放不符合处理工艺要求的工业废水", "在饮用水水源保护区内设置排污口", "未按照规定进行清洁生产审核",
         "擅自倾倒海洋垃圾", "未按照规定公开环境信息"))]
    (link,) = align(old, new)
    assert link.successor_chunk_id == new[0].id
    assert "仅供参考" in similarity_note(0.52) and "仅供参考" not in similarity_note(0.98)


def test_amendments_of_different_years_are_instruments_not_versions(tmp_path):
    from tests.builders import front_matter

    for year, text in (("1988", "宪法第十条第四款修改为：任何组织或者个人不得侵占、买卖或者以其他形式非法转让土地。"),
                       ("1999", "宪法序言第七自然段修改为：中国新民主主义革命的胜利和社会主义事业的成就……")):
        title = f"中华人民共和国宪法修正案（{year}年）"
        write(tmp_path / "c", f"{year}.md", front_matter(title=title, doc_type="law", effective_date=f"{year}-04-12",
                                                         status="现行有效") + f"# {title}\n\n第一条 {text}\n")
    store = SQLiteStore(tmp_path / "corpus.db")
    ingest(store, [tmp_path / "c"])
    assert {d.status_on().value for d in store.documents()} == {"现行有效"}  # neither supersedes the other
    doc, chunk = find_article(store, "中华人民共和国宪法修正案（1999年）", 1)
    assert doc.title.endswith("（1999年）") and "序言第七自然段" in chunk.text


def test_advice_on_a_past_day_names_the_articles_that_changed_since(corpus, tmp_path):
    """An act before the repeal (the old article in force that day): the advice says the article is repealed today
    and names today's in its place (从旧兼从轻), as a second break test asked."""
    from assistant.discretion.advisor import DiscretionAdvisor

    store = _table_citing_the_old_law(corpus, tmp_path)
    advice = DiscretionAdvisor(store).advise("在主要街道两侧摆摊设点堆放物品，拒不改正", as_of="2025-06-01")
    assert advice.matches[0].citations[0].status == "现行有效"  # in force on the day of the act
    assert any("违法行为发生时（2025-06-01）适用的《某市市容管理条例》第十条今已废止" in w
               and "现行：《某市城市管理条例》第三十条" in w and "从旧兼从轻" in w for w in advice.warnings)
