"""``e-assistant eval …``: evaluations that print numbers (and OK/FAIL against stored expectations)."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.table import Table

from assistant.settings import Settings, SettingsError
from evals.retrieval import eval_corpus
from cli.main import _ingested_settings, _settings, app, console, err

eval_app = typer.Typer(help="评测：检索质量等（输出数字，可与期望值比对）。", no_args_is_help=True)
app.add_typer(eval_app, name="eval")

# expand = hybrid + LLM query expansion (slow: one LLM call per question); not run unless asked for
RETRIEVAL_MODES = ("bm25", "dense", "hybrid-rrf", "hybrid", "hybrid-score", "hybrid-nopairs", "hybrid-notopic", "hybrid-nosayings",
                   "rerank", "expand", "expand-rerank")
EXPECTED_DIR = Path(__file__).resolve().parent.parent / "evals" / "expected"


@eval_app.command("retrieval")
def eval_retrieval(
    dataset: Annotated[Path, typer.Option("--dataset", exists=True, dir_okay=False, help="STARD 格式 JSONL")],
    modes: Annotated[str, typer.Option("--modes", help="逗号分隔：bm25,dense,hybrid-rrf,hybrid,hybrid-nopairs,rerank,expand,expand-rerank（hybrid 按当前设置；hybrid-nopairs = hybrid 但不带出义务条款↔罚则；hybrid-notopic = hybrid 但不按口语话题给法规加分；hybrid-nosayings = hybrid 但不用条文的口语说法；rerank = hybrid + e5 重排序；expand = hybrid + 大模型查询扩展，每问一次大模型调用，较慢，默认不跑）")] = "bm25,dense,hybrid-rrf,hybrid,rerank",
    top_k: Annotated[int, typer.Option("--top-k", min=10, max=200)] = 100,
    expected: Annotated[Optional[Path], typer.Option("--expected", help="期望分数 JSON；逐项输出 OK/FAIL")] = None,
    write_expected: Annotated[Optional[Path], typer.Option("--write-expected", help="把本次分数写入期望文件（本次未评测的模式保留原值）")] = None,
    data_dir: Annotated[Optional[Path], typer.Option("--data-dir", help="评测语料的数据目录（默认 data/eval）")] = None,
    all_versions: Annotated[bool, typer.Option("--all-versions", help="包含已修改/已废止版本")] = False,
    corpus_dirs: Annotated[Optional[str], typer.Option("--corpus", help="评测语料，':' 分隔（默认：国家法律库 + corpus-src + corpus-full 的行政法规/司法解释/部门规章）")] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """检索评测：Recall@1/5/10/20/100、Hit@k、MRR@10、nDCG@10，分 admin 子集与全部，并做消融（BM25 / 向量 / 混合）。"""
    from assistant.llm.factory import stop_local_llm
    from assistant.retrieval import Filters, FusionWeights, HybridRetriever
    from evals.retrieval import compare, load_dataset

    from cli.search import _open_retriever

    settings = _settings(None)
    settings.data_dir = data_dir or settings.data_dir / "eval"
    corpus = [Path(p) for p in corpus_dirs.split(":") if p] if corpus_dirs else eval_corpus()
    if corpus:
        settings.corpus = corpus
    mode_list = [m.strip() for m in modes.split(",") if m.strip()]
    for mode in mode_list:
        if mode not in RETRIEVAL_MODES:
            raise typer.BadParameter(f"未知模式 {mode!r}（可选 {', '.join(RETRIEVAL_MODES)}）", param_hint="--modes")
    stored = _read_expected(expected, "--expected") if expected else None
    previous = _read_expected(write_expected, "--write-expected") if write_expected and write_expected.is_file() else {}
    rows = load_dataset(dataset)
    # the re-ranker and the expander first: settings that do not fit fail before the index is opened or built
    reranker = _e5_reranker(settings) if {"rerank", "expand-rerank"} & set(mode_list) else None
    expander = _llm_expander(settings) if {"expand", "expand-rerank"} & set(mode_list) else None
    measured: dict[str, dict] = {}
    filters = Filters(current_only=not all_versions)
    try:
        plain = settings.model_copy(update={"rerank": "none", "query_expansion": "none"})  # the modes add their own
        base = _open_retriever(plain, "hybrid")
        for mode in mode_list:
            fusion = mode.partition("-")[2]
            if mode in ("rerank", "expand", "expand-rerank"):
                retriever = HybridRetriever(base.store, base.index, base.embedder, weights=base.weights,
                                            reranker=reranker if mode != "expand" else None,
                                            expander=expander if mode != "rerank" else None)
            elif mode == "hybrid-nopairs":
                retriever = HybridRetriever(base.store, base.index, base.embedder, weights=base.weights, pair_depth=0)
            elif mode == "hybrid-notopic":
                retriever = HybridRetriever(base.store, base.index, base.embedder,
                                            weights=replace(base.weights, topic=0.0))
            elif mode == "hybrid-nosayings":
                retriever = HybridRetriever(base.store, base.index, base.embedder,
                                            weights=replace(base.weights, sayings=0.0))
            else:
                retriever = base if mode == "hybrid" else HybridRetriever(
                    base.store, base.index, base.embedder if mode != "bm25" else None, mode=mode.partition("-")[0],
                    weights=FusionWeights(method=fusion) if fusion else None)
            measured[mode] = _run_with_progress(mode, retriever, rows, top_k, filters)
    finally:
        if reranker is not None:
            reranker.close()
        if expander is not None:
            stop_local_llm()
    if expander is not None and expander.failures:
        err.print(f"[yellow]注意：{expander.failures} 个问题的查询扩展失败（按未扩展检索），expand 模式的分数偏低。[/yellow]")
    manifest = base.index.manifest
    if as_json:
        typer.echo(json.dumps({"dataset": str(dataset), "model": manifest.model_id, "chunks": manifest.n_chunks,
                               "results": measured}, ensure_ascii=False, indent=2))
    else:
        _print_table(measured, manifest)
    if write_expected:
        keep = ("recall@1", "recall@5", "recall@10", "recall@20", "recall@100", "mrr@10", "ndcg@10")
        data = dict(previous)
        data.update({m: {s: {k: round(v, 4) for k, v in vals.items() if k in keep} for s, vals in subsets.items()}
                     for m, subsets in measured.items()})  # modes not run this time keep their stored scores
        write_expected.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        err.print(f"期望分数已写入 {write_expected}")
    if expected:
        if settings.fusion != "score" and "hybrid" in measured:
            err.print(f"注意：E_ASSISTANT_FUSION={settings.fusion}，而期望分数中的 hybrid 是默认的 score 融合；"
                      "RRF 的期望分数在 hybrid-rrf 下。")
        rows_cmp = compare(measured, stored)
        if not rows_cmp:
            typer.echo(f"FAIL 期望文件中没有本次评测的模式（{', '.join(measured)}）")
            raise typer.Exit(1)
        for name, want, got, ok in rows_cmp:
            typer.echo(f"{'OK  ' if ok else 'FAIL'} {name}: expected {want:.4f}, got {got:.4f}")
        failed = sum(1 for *_, ok in rows_cmp if not ok)
        typer.echo(f"{len(rows_cmp) - failed} OK, {failed} FAIL")
        if failed:
            raise typer.Exit(1)


def _run_with_progress(mode: str, retriever, rows: list[dict], top_k: int, filters) -> dict:
    from evals.retrieval import run

    from cli.search import _progress_bar

    with _progress_bar() as bar:
        task = bar.add_task(f"评测 {mode}", total=len(rows))
        return run(retriever, rows, k=top_k, filters=filters, progress=lambda n, total: bar.update(task, completed=n))


def _e5_reranker(settings: Settings):
    from assistant.retrieval.factory import make_reranker

    defaults = {k: Settings.model_fields[k].default for k in ("rerank_depth", "rerank_weight")}
    try:
        return make_reranker(settings.replaced(rerank="e5", **defaults))
    except SettingsError as exc:
        raise typer.BadParameter(str(exc), param_hint="--modes") from exc


def _llm_expander(settings: Settings):
    from assistant.retrieval.factory import make_query_expander

    from cli.search import _progress_bar, _stage_updater

    try:
        with _progress_bar() as progress:
            # the answer timeout, not the short search one: a slow draft must not change the scores
            return make_query_expander(settings.replaced(query_expansion="llm",
                                                         query_expansion_timeout=settings.llm_timeout),
                                       progress=_stage_updater(progress), required=True, pause=0.0)
    except (SettingsError, RuntimeError) as exc:  # RuntimeError: the LLM could not start
        raise typer.BadParameter(f"expand 模式需要大模型：{exc}", param_hint="--modes") from exc


def _read_expected(path: Path, option: str) -> dict:
    """An expected-scores file, read before the (long) evaluation so that a broken one fails at once."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise typer.BadParameter(f"{path} 无法读取或不是 JSON（{exc}）", param_hint=option) from exc
    if not isinstance(data, dict):
        raise typer.BadParameter(f"{path} 应为 JSON 对象（模式 → 子集 → 指标）", param_hint=option)
    return data


def _print_table(measured: dict, manifest) -> None:
    cols = ("recall@1", "recall@5", "recall@10", "recall@20", "recall@100", "hit@10", "mrr@10", "ndcg@10",
            "latency_p50_ms", "latency_p95_ms")
    table = Table(title=f"检索评测（{manifest.n_chunks} 个内容块，向量模型 {manifest.model_id}）")
    table.add_column("mode/subset")
    table.add_column("n", justify="right")
    for c in cols:
        table.add_column(c, justify="right")
    for mode, subsets in measured.items():
        for subset, vals in subsets.items():
            table.add_row(f"{mode}/{subset}", str(int(vals.get("queries", 0))),
                          *[f"{vals.get(c, 0):.3f}" if "latency" not in c else f"{vals.get(c, 0):.1f}" for c in cols])
    console.print(table)


@eval_app.command("answers")
def eval_answers(
    dataset: Annotated[Optional[Path], typer.Option("--dataset", exists=True, dir_okay=False,
                                                    help="STARD 格式 JSONL（引用精度、覆盖率、幻觉率）")] = None,
    backend: Annotated[Optional[str], typer.Option("--backend", help="local | openai | extractive")] = None,
    limit: Annotated[Optional[int], typer.Option("--limit", min=1, help="--dataset 中最多评测的问题数（是/否题与无依据题总是全部评测）")] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
    data_dir: Annotated[Optional[Path], typer.Option("--data-dir", help="数据目录（默认设置中的 data）")] = None,
) -> None:
    """回答评测：引用精度、金标覆盖、核验前后的幻觉引用率、无依据问题的拒答率、结论准确率（是/否题）、时延。"""
    from assistant.answer.pipeline import AnswerPipeline
    from assistant.llm.factory import make_generator, stop_local_llm
    from cli.search import _open_retriever
    from evals.answers import evaluate

    settings = _settings(data_dir, backend=backend)
    retriever = _open_retriever(settings)
    pipeline = AnswerPipeline.from_settings(retriever, make_generator(settings), settings)
    try:
        report = evaluate(pipeline, dataset, limit, progress=_answered_counter)
    finally:
        stop_local_llm()
    err.print(f"共回答 {report['latency']['answers']} 题")  # in a log the counter shows only every tenth
    if as_json:
        typer.echo(json.dumps(report, ensure_ascii=False, indent=2))
        return
    table = Table(title=f"回答评测（后端 {report['backend']}）")
    table.add_column("指标")
    table.add_column("数值", justify="right")
    for section in ("dataset", "conclusions", "citation_checks", "answerability", "unanswerable", "latency"):
        for key, value in report.get(section, {}).items():
            if key == "details":
                continue
            table.add_row(f"{section}.{key}", f"{value:.3f}" if isinstance(value, float) else str(value))
    console.print(table)


def _answered_counter(n: int) -> None:
    """Progress of an answer evaluation: one updating line on a terminal, every tenth answer in a log."""
    if err.is_terminal:
        err.print(f"已回答 {n} 题", end="\r")
    elif n % 10 == 0:
        err.print(f"已回答 {n} 题")


@eval_app.command("titles")
def eval_titles(
    dataset: Annotated[Optional[Path], typer.Option("--dataset", dir_okay=False, help="简称对照 JSONL（默认 evals/data/title_abbreviations.jsonl）")] = None,
    titles_from: Annotated[Optional[list[Path]], typer.Option("--titles-from", file_okay=False, help="另把这些目录下 Markdown 文件的标题并入候选（如 ../shared/corpus-full：相当于已导入它们的库）")] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
    data_dir: Annotated[Optional[Path], typer.Option("--data-dir", help="数据目录（默认设置中的 data）")] = None,
) -> None:
    """法规简称解析评测：简称 → 库中全称的 Hit@1（按简称类型分列，并与原有的精确/包含匹配对比）、歧义简称的候选提示率、时延。"""
    from assistant.storage import open_store
    from evals.titles import DATA as TITLES, evaluate_titles, load_pairs, titles_under

    settings = _ingested_settings(data_dir)
    extra = titles_under(list(titles_from)) if titles_from else None
    report = evaluate_titles(open_store(settings), load_pairs(dataset or TITLES), extra)
    if as_json:
        typer.echo(json.dumps(report, ensure_ascii=False, indent=2))
        return
    table = Table(title=f"法规简称解析：{report['cases']} 条")
    for col in ("类型", "条数", "Hit@1", "原方法 Hit@1"):
        table.add_column(col, justify="right" if col != "类型" else "left")
    for kind, row in report["by_kind"].items():
        table.add_row(kind, str(row["cases"]), f"{row['hit1']:.3f}", f"{row['hit1_before']:.3f}")
    table.add_row("合计", str(report["cases"]), f"{report['hit1']:.3f}", f"{report['hit1_before']:.3f}")
    console.print(table)
    console.print(f"歧义简称 {report['ambiguous_cases']} 条，其余候选全部提示的比例 {report['alternatives_offered']:.3f}；"
                  f"时延 p50 {report['latency_p50_ms']:.2f} ms，p95 {report['latency_p95_ms']:.2f} ms")
    for miss in report["misses"][:30]:
        console.print(f"  未命中：{miss}")


@eval_app.command("discretion")
def eval_discretion(
    dataset: Annotated[Optional[Path], typer.Option("--dataset", dir_okay=False, help="案例集 JSONL（默认：记录文本集 evals/data/discretion_eval.jsonl 与执法人员用语集 evals/data/discretion_officer*.jsonl（含 dev2 起各盲写集）各评一次）")] = None,
    write_set: Annotated[bool, typer.Option("--write-set", help="从当前语料的裁量记录重新生成记录文本案例集并写入 --dataset")] = False,
    dense: Annotated[bool, typer.Option("--dense/--no-dense", help="违法行为匹配是否用语义向量（设置中的 embedder；默认用）")] = True,
    as_json: Annotated[bool, typer.Option("--json")] = False,
    data_dir: Annotated[Optional[Path], typer.Option("--data-dir", help="数据目录（默认设置中的 data）")] = None,
) -> None:
    """裁量辅助评测（无大模型）：档次 top-1 / top-3、幅度 top-1、缺失事实追问率、未覆盖时不给幅度的比例、时延；dev 与留出的 test 分开报告。"""
    from assistant.discretion.advisor import DiscretionAdvisor
    from assistant.discretion.matching import search_with
    from assistant.retrieval.factory import ensure_index, make_retriever, make_settings_embedder, open_embedding_cache
    from assistant.storage import open_store
    from evals.discretion import DATA, build_set, evaluate, evaluate_officer, load_set, officer_sets
    from evals.discretion import write_set as write

    settings = _ingested_settings(data_dir)
    store = open_store(settings)
    embedder = make_settings_embedder(settings) if dense else None
    search = query_vector = None
    if dense:  # the service's road: the project's retriever over the 裁量 records
        retriever = make_retriever(settings, store, ensure_index(settings, store, embedder), embedder)
        search, query_vector = search_with(lambda: retriever), retriever.query_vector

    advisor = DiscretionAdvisor(store, embedder=embedder, search=search, query_vector=query_vector,
                                cache=open_embedding_cache(settings) if dense else None)
    if write_set:
        rows = build_set(advisor)
        write(rows, dataset or DATA)
        err.print(f"已写入 {len(rows)} 个案例：{dataset or DATA}")
    paths = [dataset] if dataset else [DATA, *officer_sets()]
    report: dict[str, dict] = {}
    for path in paths:
        rows = load_set(path)
        officer = any("kind" in r for r in rows)
        report[path.stem] = evaluate_officer(advisor, rows) if officer else evaluate(advisor, rows)
    if as_json:
        typer.echo(json.dumps(report, ensure_ascii=False, indent=2))
        return
    for name, splits in report.items():
        columns = [k for k in next(iter(splits.values())) if k != "failures"]
        table = Table(title=f"裁量辅助评测（无大模型）：{name}" + ("" if dense else "（不用语义向量）"))
        table.add_column("split")
        for col in columns:
            table.add_column(col, justify="right")
        for split, vals in splits.items():
            table.add_row(split, *(f"{vals[k]:.3f}" if isinstance(vals[k], float) and "latency" not in k
                                   else f"{vals[k]:.1f}" if "latency" in k else str(vals[k]) for k in columns))
        console.print(table)
