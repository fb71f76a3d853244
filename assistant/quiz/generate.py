"""Quiz generation for trainers: scope → candidate items built from the article text → verified, checked,
balanced batch. The LLM (when given) only writes the facts of 案例分析 items; their sub-questions are
built from the article like the others, and a case whose facts fail the checks is dropped."""

from __future__ import annotations

import random
import re
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from assistant.llm.base import GenerationError, Generator
from assistant.llm.prompts import load_prompt
from assistant.retrieval import Retriever
from assistant.quiz.application import application_items
from assistant.quiz.scenario_kit import LAW, rewrite_scenario
from assistant.quiz.tier_items import tier_items
from assistant.quiz.builders import LawPool, judge_items, multi_items, single_items, source_of
from assistant.quiz.checks import LETTERS, batch_report, item_problems, verify_item
from corpus.lookup import find_documents
from corpus.model import Chunk, DocType, Document
from corpus.numerals import cn_to_int, int_to_cn
from corpus.store import Store
from corpus.succession import currency_note

TYPES = ("single", "multi", "judge", "case")
TYPE_ZH = {"single": "单选", "multi": "多选", "judge": "判断", "case": "案例分析"}


class ScopeError(ValueError):
    """A scope that names nothing in the corpus; the message is shown."""


@dataclass
class Scope:
    doc: Document
    chunks: list[Chunk]  # the articles items are drawn from
    all_chunks: list[Chunk]  # every article of the law (distractor pool)
    label: str


def _num(s: str) -> int | None:
    return int(s) if s.isdigit() else cn_to_int(s)


_LOOKS_LIKE_A_TITLE = re.compile(r"《?[\u4e00-\u9fff（）()]{1,40}(?:法典|法|条例|规定|办法|细则|规则|决定)》?")


def resolve_scope(store: Store, scope: str, retriever: Callable[[], Retriever] | None = None) -> list[Scope]:
    """«行政处罚法», «行政处罚法 第四章», «行政处罚法 第30-33条», «行政处罚法第三十三条», or a topic query.

    A topic is searched with the retriever ``retriever()`` returns (called only then: a law's name needs no
    index). Raises ScopeError when the scope names nothing in the corpus.
    """
    text = (scope or "").strip()
    history = text.startswith("历史")  # 「历史 大气污染防治法」: items from a text no longer in force, on purpose
    text = text.removeprefix("历史").strip()
    if not text:
        raise ScopeError("请给出出题范围：法律名称、章、条文或主题。")
    title = re.split(r"\s|第", text, maxsplit=1)[0] or text
    docs = [d for d in find_documents(store, title, current_only=not history) if d.doc_type.is_statute]
    if not docs:
        old = [d for d in find_documents(store, title, current_only=False) if d.doc_type.is_statute]
        if old:
            doc = old[0]
            note = currency_note(store, doc) or f"《{doc.title}》不是现行有效的文本"
            instead = f"请改用《{doc.repealed_by}》出题，或" if doc.repealed_by else "请"
            raise ScopeError(f"{note}，不再据以出题；{instead}在范围前加「历史」（如「历史 {text}」）出历史考题。")
    if docs:
        doc = docs[0]
        all_chunks = store.chunks_of(doc.id, articles_only=True)
        chunks = all_chunks
        chapter = re.search(r"第([一二三四五六七八九十百\d]+)章", text)
        if chapter:
            label = f"第{int_to_cn(_num(chapter.group(1)) or 0)}章"  # paths are written 「第四章 …」
            chunks = [c for c in all_chunks if any(p.startswith(label) for p in c.path)]
        arts = re.search(r"第([一二三四五六七八九十百\d]+)条?(?:\s*[-—~～至到]\s*第?([一二三四五六七八九十百\d]+))?条", text)
        if arts:
            lo = _num(arts.group(1))
            hi = _num(arts.group(2)) if arts.group(2) else lo
            chunks = [c for c in all_chunks if lo is not None and hi is not None and lo <= c.article <= hi]
        if not chunks:
            raise ScopeError(f"《{doc.title}》中没有找到「{text}」所指的条文。")
        return [Scope(doc, chunks, all_chunks, text)]
    if retriever is None or _LOOKS_LIKE_A_TITLE.fullmatch(title):
        # 「不存在法」 is a title the corpus lacks, not a topic: quizzing other laws on it would mislead
        raise ScopeError(f"知识库中没有《{title.strip('《》')}》，无法据以出题；请确认名称，或上传该文件后再出题。")
    hits = [h for h in retriever().search(text, 40) if h.chunk.article is not None and h.document.doc_type.is_statute]
    if not hits:
        raise ScopeError(f"没有检索到与「{text}」相关的条文。")
    by_doc: dict[str, list] = defaultdict(list)
    for h in hits:
        by_doc[h.document.id].append(h)
    out = []
    for hs in sorted(by_doc.values(), key=len, reverse=True)[:3]:
        doc = hs[0].document
        all_chunks = store.chunks_of(doc.id, articles_only=True)
        out.append(Scope(doc, [h.chunk for h in hs], all_chunks, text))
    return out


def _finalise(raw: dict, key_slot: int | None, rng: random.Random) -> dict:
    """Letters for the options, with the (single) key put in ``key_slot``."""
    choices, keys = list(raw["choices"]), raw["keys"]
    if raw["type"] == "judge":
        options = {"A": "正确", "B": "错误"}
    else:
        rng.shuffle(choices)
        if key_slot is not None and len(keys) == 1:
            i = choices.index(keys[0])
            choices[i], choices[key_slot] = choices[key_slot], choices[i]
        options = dict(zip(LETTERS, choices))
    answer = sorted(a for a, o in options.items() if o in keys)
    return {"type": raw["type"], "stem": raw["stem"], "options": options, "answer": answer,
            "explanation": raw["explanation"], "source": raw["source"], "tag": raw["tag"],
            "difficulty": raw["difficulty"], "verify": raw["verify"]}


def _case_facts(scope: Scope, chunk: Chunk, generator: Generator | None) -> str | None:
    article = "\n".join(chunk.paragraphs)
    if generator is not None:
        template, _ = load_prompt("quiz_case")
        try:
            text = "".join(generator.stream([{"role": "user", "content": template.format(article=article)}],
                                            max_tokens=200)).strip()
        except GenerationError:
            text = ""
        # facts only: no article numbers, no other law, not the article copied, a sensible length
        if 20 <= len(text) <= 300 and not re.search(r"第[一二三四五六七八九十百\d]+条|《", text) and text not in article:
            return text
    # without an LLM: the article's condition clause as the situation, when it gives nothing away
    first = chunk.paragraphs[0].split("\n")[0] if chunk.paragraphs else ""
    m = re.match(r"([^。；，：]{6,50}的)，", first)
    if not m or re.search(r"应当|可以|不得|不予|依照|本法", m.group(1)):
        return None
    return f"某综合行政执法队在执法中遇到如下情况：{m.group(1).removesuffix('的')}。"


# level → the share of application items (assistant/quiz/application.py) in a paper; the rest are recall items
LEVELS = {"基础": 0.0, "应用": 0.7, "综合": 0.4}


def table_scope(store: Store, scope: str) -> Document | None:
    """The 裁量基准 table a scope names («广东省生态环境违法行为行政处罚罚款金额裁量表»), if it names one."""
    title = re.split(r"\s", (scope or "").strip(), maxsplit=1)[0]
    tables = [d for d in find_documents(store, title, current_only=False) if d.doc_type == DocType.DISCRETION]
    return tables[0] if title and tables else None


def generate_quiz(store: Store, scope: str, n: int = 20, types: tuple[str, ...] = ("single", "multi", "judge"),
                  seed: int = 0, generator: Generator | None = None,
                  retriever: Callable[[], Retriever] | None = None, level: str = "基础",
                  advisor: Callable[[], object] | None = None,
                  progress: Callable[[str, int, int], None] | None = None) -> dict:
    """A batch of ``n`` (1–200) verified items: {"items": [...], "report": {...}, "scope": ...}.

    ``generator`` (when given) writes the facts of 案例分析 items; ``retriever`` gives the retriever a topic
    scope is searched with (see resolve_scope). ``level`` 基础 (recall items only), 应用 (70 % application items)
    or 综合 (40 %): application items have a concrete scenario and a computed key (assistant/quiz/application.py);
    a scope that names a 裁量基准 table gives tier items, keyed by the discretion advisor ``advisor()`` returns.
    ``progress(stage, done, total)`` is told each stage (「准备题库」, 「情境应用题」, 「识记题」, 「案例情景（大模型编写）」)
    and each item done. Raises ScopeError for a scope that names nothing, or an unknown level.
    """
    tell = progress or (lambda stage, done, total: None)
    tell("准备题库", 0, n)
    if level not in LEVELS:
        raise ScopeError(f"未知的难度「{level}」：可选 基础、应用、综合。")
    types = tuple(t for t in types if t in TYPES) or ("single", "multi", "judge")
    n = max(1, min(int(n), 200))
    rng = random.Random(seed)
    try:
        scopes = resolve_scope(store, scope, retriever)
    except ScopeError:
        table = table_scope(store, scope)
        if table is None:
            raise
        return _tier_paper(store, scope, table, n, level, advisor, rng, tell)
    app: list[dict] = []
    rejected: list[str] = []  # application items built but not emitted, with why
    rewritten = 0  # application scenarios the LLM reworded with every fact kept
    app_want = round(LEVELS[level] * n)
    if app_want and any(s.doc.title == LAW for s in scopes):
        tell("情境应用题", 0, app_want)
        app = _pick_application(application_items(store, rng), app_want, store, advisor, tell, rejected)
        if generator is not None:  # the LLM may reword a scenario; a rewrite that loses a fact is not used
            for i, item in enumerate(app):
                tell("情境润色（大模型）", i, len(app))
                reworded = rewrite_scenario(item["stem"], generator, list(item["options"].values()))
                if reworded:
                    item["stem"] = reworded
                    rewritten += 1
    n_recall = n - len(app)
    pools = [LawPool.build(s.doc, s.chunks, s.all_chunks) for s in scopes]
    law_text = "\n".join(p.law_text for p in pools)
    cands: dict[str, list[dict]] = {t: [] for t in TYPES}
    for pool in pools:
        cands["single"] += single_items(pool, rng)
        cands["multi"] += multi_items(pool, rng)
        cands["judge"] += judge_items(pool, rng)
    for t in ("single", "multi", "judge"):
        rng.shuffle(cands[t])
    # time limits, amounts and authorities first; blanked modal words (应当/可以/不得) at most every third item
    modal = [r for r in cands["single"] if r["tag"].endswith("情态")]
    other = [r for r in cands["single"] if not r["tag"].endswith("情态")]
    cands["single"] = [x for i in range(max(len(modal), len(other)))
                       for x in (other[2 * i:2 * i + 2] + modal[i:i + 1])]
    items: list[dict] = []
    dropped: list[str] = []
    per_article: Counter = Counter()
    stems: set[str] = set()
    single_slot = 0
    want = {t: n_recall // len(types) + (1 if i < n_recall % len(types) else 0) for i, t in enumerate(types)}

    def accept(raw: dict) -> dict | None:
        nonlocal single_slot
        art = raw["source"]["chunk_id"]
        if raw["stem"] in stems or per_article[art] >= 2:
            return None
        slot = single_slot % 4 if raw["type"] == "single" else None
        item = _finalise(raw, slot, rng)
        ok, why = verify_item(item, store, law_text)
        if not ok:
            dropped.append(f"{TYPE_ZH[raw['type']]}《{raw['source']['title']}》{raw['source']['label']}：{why}")
            return None
        if item_problems(item):
            return None
        if raw["type"] == "single":
            single_slot += 1
        stems.add(raw["stem"])
        per_article[art] += 1
        return item

    for t in ("single", "multi", "judge"):
        if t not in types:
            continue
        for raw in cands[t]:
            if sum(1 for i in items if i["type"] == t) >= want[t]:
                break
            item = accept(raw)
            if item:
                items.append(item)
                tell("识记题", len(items), n_recall)
    if "case" in types:
        items += _cases(scopes, cands, want["case"], generator, store, law_text, rng, dropped, tell)
    for t in ("single", "judge", "multi"):  # fill up from other types when one ran short
        for raw in cands[t]:
            if len(items) >= n_recall:
                break
            item = accept(raw)
            if item:
                items.append(item)
    items = _interleave(app, items[:n_recall], rng)
    adv = advisor() if advisor is not None else None
    verified = sum(1 for i in items if verify_item(i, store, law_text, adv)[0])
    public = [{k: v for k, v in i.items() if k != "verify"} | (
        {"sub_questions": [{k: v for k, v in s.items() if k != "verify"} for s in i["sub_questions"]]}
        if i["type"] == "case" else {}) for i in items]
    chapter_of = {c.id: next((p for p in c.path if re.match(r"第[一二三四五六七八九十百]+章", p)), "（不分章）")
                  for s in scopes for c in s.all_chunks}
    blueprint = Counter(chapter_of.get(i["source"]["chunk_id"], "（不分章）") for i in items)
    report = batch_report(items, verified, dropped) | {"blueprint": dict(sorted(blueprint.items(), key=lambda kv: _chapter_no(kv[0]))),
                                                       "level": level, "application_items": len(app),
                                                       "application_rejected": rejected[:20],
                                                       "scenarios_rewritten": rewritten}
    if app_want and not app:
        report["note"] = "该范围暂无可计算答案的应用题（目前支持《中华人民共和国行政处罚法》和已导入的裁量基准），已全部出识记题。"
    return {"scope": scope, "documents": [s.doc.title for s in scopes], "items": public, "report": report}


def _chapter_no(label: str) -> int:
    m = re.match(r"第([一二三四五六七八九十百]+)章", label)
    return (cn_to_int(m.group(1)) or 999) if m else 999


def _pick_application(raws: list[dict], want: int, store: Store, advisor, tell, rejected: list[str]) -> list[dict]:
    """Up to ``want`` verified application items, taking the engines in turn (conditions, thresholds and
    deadlines all appear), one stem once."""
    by_engine: dict[str, list[dict]] = defaultdict(list)
    for raw in raws:
        by_engine[raw["verify"]["engine"]].append(raw)
    rng = random.Random(len(raws))
    out, stems = [], set()
    slot = 0
    while len(out) < want and any(by_engine.values()):
        for engine in list(by_engine):
            if not by_engine[engine] or len(out) >= want:
                continue
            raw = by_engine[engine].pop(0)
            if raw["stem"] in stems:
                continue
            item = _finalise(raw, slot % 4, rng)
            ok, why = verify_item(item, store, "", advisor() if advisor else None)
            problems = item_problems(item)
            if ok and not problems:
                out.append(item)
                stems.add(raw["stem"])
                slot += 1
                tell("情境应用题", len(out), want)
            else:
                rejected.append(f"{raw['tag']}：{why or '；'.join(problems)}")
    return out


def _interleave(app: list[dict], recall: list[dict], rng: random.Random) -> list[dict]:
    """Application and recall items mixed through the paper, each kind in its own order."""
    marks = ["a"] * len(app) + ["r"] * len(recall)
    rng.shuffle(marks)
    a, r = iter(app), iter(recall)
    return [next(a) if m == "a" else next(r) for m in marks]


def _tier_paper(store: Store, scope: str, table: Document, n: int, level: str, advisor, rng, tell) -> dict:
    """A paper on one 裁量基准 table: tier items only (its rows are not articles to recall)."""
    if level == "基础" or advisor is None:
        raise ScopeError(f"《{table.title}》是裁量基准，只能出应用题（按情节选档次）：请选择难度「应用」或「综合」。")
    adv = advisor()
    items, stems = [], set()
    for slot, raw in enumerate(tier_items(adv, table.id, rng, limit=3 * n)):
        if len(items) >= n or raw["stem"] in stems:
            continue
        item = _finalise(raw, len(items) % 4, rng)
        if verify_item(item, store, "", adv)[0] and not item_problems(item):
            items.append(item)
            stems.add(raw["stem"])
            tell("裁量档次题", len(items), n)
    if not items:
        raise ScopeError(f"《{table.title}》中没有能由情节唯一确定档次的违法行为，无法出题。")
    public = [{k: v for k, v in i.items() if k != "verify"} for i in items]
    report = batch_report(items, len(items), []) | {"level": level, "application_items": len(items)}
    return {"scope": scope, "documents": [table.title], "items": public, "report": report}


def _cases(scopes, cands, want, generator, store, law_text, rng, dropped, tell=lambda *a: None) -> list[dict]:
    by_article: dict[str, list[dict]] = defaultdict(list)
    for t in ("single", "judge"):
        for raw in cands[t]:
            by_article[raw["source"]["chunk_id"]].append(raw)
    out = []
    chunks = {c.id: (s, c) for s in scopes for c in s.chunks}
    for chunk_id, raws in by_article.items():
        if len(out) >= want or chunk_id not in chunks:
            continue
        kinds = {r["type"]: r for r in raws}
        if len(kinds) < 2:
            continue
        scope, chunk = chunks[chunk_id]
        tell("案例情景（大模型编写）" if generator is not None else "案例情景", len(out), want)
        facts = _case_facts(scope, chunk, generator)
        if not facts:
            continue
        subs = [_finalise(kinds["single"], rng.randrange(4), rng), _finalise(kinds["judge"], None, rng)]
        src = source_of(chunk, scope.doc, None)
        case = {"type": "case", "stem": f"{facts}\n请结合《{scope.doc.title}》回答下列问题。", "options": {}, "answer": [],
                "explanation": "见各小题解析。", "source": src, "tag": f"{scope.doc.title.removeprefix('中华人民共和国')}·案例分析",
                "difficulty": "较难", "sub_questions": subs, "verify": {"kind": "case"}}
        ok, why = verify_item(case, store, law_text)
        if ok and not item_problems(case):
            out.append(case)
        else:
            dropped.append(f"案例分析《{scope.doc.title}》{src['label']}：{why or '形式不合要求'}")
    return out
