"""Cross-references between articles: which article sets a duty and which one punishes breaking it.

Built at ingestion, per document, and stored with the chunks (``Chunk.links``):

- **Stated references** inside a document: 「违反本法第四十九条规定」, 「依照本条例第十二条」, 「本法第二十条、第二十一条」,
  「第三十条至第三十三条」, 「违反前条规定」. In a penalty article, a reference after 违反 makes the pair
  (duty ``罚则`` → penalty, penalty ``违反条款`` → duty); any other is a plain citation (``引用`` / ``被引用``).
  References to another document (「依照《X》第N条」) are kept with the title as written; they are resolved
  when used (corpus/lookup.py), since the other document may be ingested later.
- **Aligned references.** Many penalty articles name no number — every one of the 155 「违反本法规定」 penalty
  articles of 生态环境法典 — and list the prohibited acts instead: 「（二）在商业经营活动中使用高音广播喇叭……」.
  Each listed act is aligned with the duty articles of the same document by the idf-weighted share of its
  character bigrams that an article holds (the act's wording is the duty's wording, negated or not); the best
  article is linked when that share reaches ``MIN_ALIGNMENT``, the share kept as the link's score.

This module imports nothing of ours outside ``corpus``.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict

from corpus.citations import find_citations
from corpus.model import CITED_BY, CITES, DUTY, PENALTY, ArticleLink, Chunk
from corpus.numerals import CN_NUM_CHARS, cn_to_int

# the share of an act's idf-weighted bigrams a duty article's paragraph must hold for the article to be linked.
# Set on the dev halves of `e-assistant eval links` (2026-11-30): 0.4 → 生态环境法典 (hand-linked) precision 0.805,
# recall 0.805; current laws with their stated numbers hidden precision 0.750, recall 0.519. 0.5 lost recall on
# both (0.756, 0.454) for no precision.
MIN_ALIGNMENT = 0.4
# an act shorter than this (Chinese characters) is too generic to align («侵犯商业秘密» fits every article on it)
MIN_ACT_CHARS = 7
# a document whose articles set criminal penalties in more than this share is a criminal code (刑法 0.74; the
# next highest in the store, 香港特别行政区维护国家安全法, 0.14)
CRIMINAL_SHARE = 0.3
# duty articles whose share is within this of the best one are linked too (an act worded like two duties)
MIN_MARGIN = 0.02

_REVERSE = {PENALTY: DUTY, DUTY: PENALTY, CITES: CITED_BY, CITED_BY: CITES}

_N = r"[0-9" + CN_NUM_CHARS + r"]+"
_ONE = r"第" + _N + r"条(?:之" + _N + r")?(?:第" + _N + r"款)?(?:第?[（(]" + _N + r"[)）]项)?"
_LATER = (r"(?:、|，|,|和|及|以及|或者|或|与|至)(?:第?" + _ONE[1:] + r"|第" + _N + r"款|第?[（(]" + _N
          + r"[)）]项)")  # 「、第二十一条」「至第三十三条」「和二十二条」「、第三款」
_SELF_REF = re.compile(r"本(?:法典|法|条例|规定|办法|实施细则|细则|规则|决定)(?P<refs>" + _ONE + r"(?:" + _LATER + r")*)")
_ONE_IN_LIST = re.compile(r"(?P<to>至)?第?(?P<art>" + _N + r")条(?:之(?P<suf>" + _N + r"))?")
_BROKEN = re.compile(r"(?:的)?规定的(?:禁止|禁止性)?(?:情形|行为)")  # after 本法第N条: what the article prohibits
_PREVIOUS = re.compile(r"前(?P<n>[两二三四五六七八九十]?)条")
_PUNISHED = re.compile(r"(?:处|并处|可以处|单处)[^。；：]{0,60}?罚款|给予警告|予以警告|警告，|没收违法所得|没收[^。；]{0,20}(?:工具|设备|物品|财物|船舶|渔具)"
                       r"|吊销[^。；]{0,16}(?:许可证|执照|证书|证件)|责令(?:停产|停业|关闭)|拘留|给予[^。；]{0,12}处分|依法给予处分"
                       r"|追究刑事责任|追究法律责任|罚款|予以处罚|依法处罚|给予处罚|规定处罚|承担(?:赔偿|民事|侵权)责任"
                       r"|责令(?:停止建设|限期拆除|强制拆除|拆除)|可以拆除|限期恢复原状")  # removal orders: 城乡规划法 第六十五条
_CRIMINAL = re.compile(r"处[^。；]{0,24}(?:有期徒刑|拘役|管制)|(?:并|单)处罚金")  # a crime's penalty (刑法): never a duty
_LIABILITY_CHAPTER = re.compile(r"法律责任|罚\s*则")
_ITEM = re.compile(r"^[（(](?:" + _N + r")[)）]\s*(?P<act>.+?)[；;。]?$")
_SINGLE_ACT = re.compile(r"违反本(?:法典|法|条例|规定|办法|细则)(?:的|有关)?规定[，,]?(?P<act>[^。；：]{4,200}?)的[，,]")
_ACT_NOISE = re.compile(r"^(?:其他)?(?:违反法律法规规定|违反本(?:法典|法|条例|规定|办法)(?:有关[^，,。；]{1,30}?的)?规定)[，,]?")
_HAN = re.compile(r"[\u4e00-\u9fff]")
_DEFINITION = re.compile(r"本(?:法典|法|条例|规定|办法)(?:所称|中下列用语)|下列用语的含义")
_MODAL = re.compile(r"应当|不得|禁止|必须|严禁|须|方可|按照规定|依照规定|按规定")  # words that set a duty
_CATCH_ALL = re.compile(r"^有?其他|^(?:违法所得|犯罪所得)?(?:数额|情节|后果)(?:特别)?(?:严重|巨大|较大|恶劣)$")
_LEAD = re.compile(r"有下列|具有下列|存在下列|有本条|有前款")  # 「有下列行为之一的」 leads items, names no act
_OPENING_ACT = re.compile(r"第\S{1,8}条(?:之\S{1,3})?\s*对?(?P<act>[^。；：\n]{4,200}?)(?P<de>的)?[，,](?:由|处|对其|责令|可以处|依照|给予|没收)")
# a later paragraph of a penalty article that punishes an act of its own (生态环境法典 第一千一百六十九条第三款);
# not one that grades the act before it («前款规定的固体废物为危险废物的», «有前款行为», «依照前款规定»)
_LATER_ACT = re.compile(r"^(?!前款|有前款|依照|违反前款|本条|有本条|单位有|对前款)(?P<act>[^。；：\n]{4,120}?)的[，,]"
                        r"(?:由|处|对其|责令|可以处|给予|没收)")
_GRADES = re.compile(r"前[两二三]?款|前条|本条|罪|^责令")  # «纠集他人多次实施前款行为», «犯前款罪»: the act before, graded
_ALTERNATIVE = re.compile(r"[，,；;]\s*或者")
# 「未取得建设工程规划许可证或者未按照……规定进行建设」: two acts joined by a bare 或者, each a clause of its own
_BARE_ALTERNATIVE = re.compile(r"或者(?=未|不|擅自|拒绝|违反|超过|伪造|以|使用|销售|生产|进口|出售|运输|排放|倾倒|燃用)")
# 「违反道路交通安全法律、法规关于机动车停放、临时停车规定的」: the act is what the rules broken are about
_ABOUT = re.compile(r"违反[^。；：，,]{0,30}?关于(?P<act>[^。；：，,]{4,60}?)(?:的)?规定")


def is_penalty_article(chunk: Chunk) -> bool:
    """Whether an article sets a legal consequence (罚款, 警告, 没收, 吊销, 责令停产停业, 处分, 刑事责任): in a 法律责任
    chapter, or any article that starts 「违反……」 and punishes; and every article that sets a criminal penalty
    (处…有期徒刑, 并处罚金: the crimes of 刑法 are penalty articles, none of them a duty)."""
    text = chunk.text
    if _CRIMINAL.search(text):
        return True
    if not _PUNISHED.search(text):
        return False
    return any(_LIABILITY_CHAPTER.search(p) for p in chunk.path) or bool(re.search(r"违反|有下列", text[:60]))


def link_articles(chunks: list[Chunk]) -> None:
    """Fill ``links`` of the article chunks of one statute document (in place); other chunks are left alone.

    Links are kept sorted (relation, article) and unique per (relation, target); a stated link wins over an
    aligned one to the same target. Runs in well under a second for 生态环境法典 (1,242 articles).
    """
    articles = [c for c in chunks if c.article is not None and c.doc_type.is_statute]
    if not articles:
        return
    by_number = {(c.article, c.article_suffix): c for c in articles}
    order = {c.id: i for i, c in enumerate(articles)}
    edges: dict[tuple[str, str, str], ArticleLink] = {}

    def keep(source_id: str, link: ArticleLink) -> None:
        key = (source_id, link.relation, link.chunk_id or f"{link.title}#{link.article}#{link.suffix}")
        old = edges.get(key)
        if old is None or (old.how, old.score) < (link.how, link.score):  # "stated" > "aligned"
            edges[key] = link

    def add(source: Chunk, link: ArticleLink, target: Chunk | None) -> None:
        keep(source.id, link)
        if target is not None:
            keep(target.id, ArticleLink(_REVERSE[link.relation], source.article, source.article_suffix, source.id,
                                        score=link.score, how=link.how))

    penalties = {c.id for c in articles if is_penalty_article(c)}
    for c in articles:
        for target, punished in _stated_targets(c, by_number, articles, order):
            if target.id == c.id:
                continue
            relation = DUTY if punished and c.id in penalties and target.id not in penalties else CITES
            add(c, ArticleLink(relation, target.article, target.article_suffix, target.id), target)
        for cite in find_citations(c.text):
            if cite.bracketed and cite.title and cite.title != c.title:
                before = c.text[max(0, cite.start - 4):cite.start]
                relation = DUTY if "违反" in before and c.id in penalties else CITES
                add(c, ArticleLink(relation, cite.article, cite.suffix, title=cite.title), None)
    duties = [c for c in articles if c.id not in penalties and _MODAL.search(c.text) and not _DEFINITION.search(c.text[:80])
              and not any(_LIABILITY_CHAPTER.search(p) for p in c.path)]
    criminal = sum(bool(_CRIMINAL.search(c.text)) for c in articles) > CRIMINAL_SHARE * len(articles)
    if duties and not criminal:  # a criminal code defines crimes; it sets no duties to align them with
        aligner = _Aligner(duties)
        for c in articles:
            if c.id not in penalties:
                continue
            # also where some are stated: 「违反本条例第二十七条规定，或者有下列行为之一的」 lists further acts
            for act in listed_acts(c.text):
                for target, share in aligner.best(act):
                    add(c, ArticleLink(DUTY, target.article, target.article_suffix, target.id,
                                       score=round(share, 3), how="aligned"), target)
    grouped: dict[str, list[ArticleLink]] = defaultdict(list)
    for (source, _, _), link in edges.items():
        grouped[source].append(link)
    for c in articles:
        c.links = sorted(grouped.get(c.id, []), key=lambda link: (link.relation, link.title or "", link.article,
                                                                   link.suffix or 0))


def _stated_targets(c: Chunk, by_number: dict, articles: list[Chunk], order: dict[str, int]):
    """(target chunk, whether the reference follows 违反) for each article of the same document ``c`` names."""
    for m in _SELF_REF.finditer(c.text):
        # 「违反本法第九条规定」, or 「发布有本法第九条、第十条规定的禁止情形的广告」: the duty broken
        punished = "违反" in c.text[max(0, m.start() - 3):m.start()] or bool(_BROKEN.match(c.text, m.end()))
        last = None
        for one in _ONE_IN_LIST.finditer(m.group("refs")):
            art = cn_to_int(one.group("art"))
            suffix = cn_to_int(one.group("suf")) if one.group("suf") else None
            if art is None:
                continue
            numbers = [art] if not (one.group("to") and last is not None and last < art <= last + 50) else \
                list(range(last + 1, art + 1))
            for n in numbers:
                target = by_number.get((n, suffix if n == art else None))
                if target is not None:
                    yield target, punished
            last = art
    for m in _PREVIOUS.finditer(c.text):
        if c.text[m.start() - 1:m.start()] in ("本", "第"):
            continue
        n = cn_to_int(m.group("n")) if m.group("n") else 1
        here = order[c.id]
        punished = "违反" in c.text[max(0, m.start() - 3):m.start()]
        for target in articles[max(0, here - (n or 1)):here]:
            yield target, punished


def without_stated_references(text: str) -> str:
    """``text`` with the article numbers of its references to its own document removed (「违反本法第二十条规定」 →
    「违反本法规定」): how the alignment is measured on penalty articles whose pairs are stated (evals/references.py)."""
    return _SELF_REF.sub(lambda m: m.group(0)[:len(m.group(0)) - len(m.group("refs"))], text)


def listed_acts(text: str) -> list[str]:
    """The prohibited acts a penalty article lists: its items 「（一）……；」 and the acts of its paragraphs
    「违反本法规定，……的，」; an act made of alternatives 「A，或者B」 (or 「A或者未B」, each half a clause) gives A
    and B; with none of these, what the rules broken are about («违反……关于机动车停放、临时停车规定的»); wording that
    names no act («其他违反……规定») is dropped."""
    acts, later = [], []
    for n, line in enumerate(text.splitlines()):
        m = _ITEM.match(line.strip())
        if m:
            acts.append(m.group("act"))
            continue
        found = [a.group("act") for a in _SINGLE_ACT.finditer(line) if not _LEAD.search(a.group("act"))]
        acts.extend(found)
        if not found and n and (m := _LATER_ACT.match(line.strip())) and not _LEAD.search(m.group("act")) \
                and not _GRADES.search(m.group("act")):
            later.append(m.group("act"))  # a later paragraph's own act: 「个人擅自倾倒……建筑垃圾的，由……处……罚款」
    if not acts:  # 「第二十七条 未经同意擅自占用城市绿化用地的，由……」: the act before 「的，由」
        m = _OPENING_ACT.match(text)
        if m and not _LEAD.search(m.group("act")):  # 「伪造产品产地的，伪造或者冒用他人厂名、厂址的，……」: each its own
            pieces = re.split(r"的[，,]", m.group("act"))
            if len(pieces) > 1 and not m.group("de"):  # 「隐瞒……申领的，公安机关……不予受理，处」: the last is the sanction
                pieces = pieces[:-1]
            acts.extend(pieces)
    if not acts:
        acts.extend(m.group("act") for m in _ABOUT.finditer(text))
    acts.extend(later)
    out = []
    for act in acts:
        if _CATCH_ALL.search(act):
            continue  # 「其他违反……规定的行为」「有其他特别严重情节」「违法所得数额巨大」: names no act
        for piece in _ALTERNATIVE.split(_ACT_NOISE.sub("", act)):
            halves = _BARE_ALTERNATIVE.split(piece)
            if any(len(_HAN.findall(h)) < MIN_ACT_CHARS for h in halves):
                halves = [piece]  # 「伪造或者冒用认证标志」: one act
            for part in halves:
                part = part.strip("，,；;。 ")
                if len(_HAN.findall(part)) >= MIN_ACT_CHARS:
                    out.append(part)
    return out


def _bigrams(text: str) -> set[str]:
    han = "".join(_HAN.findall(text))
    return {han[i:i + 2] for i in range(len(han) - 1)}


class _Aligner:
    """The paragraphs (款) of the duty articles, indexed by character bigram. An act is scored against each
    paragraph by the idf-weighted share of the act's bigrams the paragraph holds (ties: the paragraph the act
    covers most of, i.e. the most specific one); an article scores as its best paragraph."""

    def __init__(self, duties: list[Chunk]):
        self.units: list[tuple[int, set[str]]] = []  # (duty index, bigrams of one paragraph)
        for i, c in enumerate(duties):
            for paragraph in (c.paragraphs or [c.text]):
                self.units.append((i, _bigrams(paragraph)))
        self.duties = duties
        df = self._df()  # document frequency over articles, not paragraphs
        self.idf = {g: math.log(1 + len(duties) / k) for g, k in df.items()}
        self.unit_weight = [sum(self.idf[g] for g in grams) or 1.0 for _, grams in self.units]
        self.postings: dict[str, list[int]] = defaultdict(list)
        for u, (_, grams) in enumerate(self.units):
            for g in grams:
                self.postings[g].append(u)

    def _df(self) -> Counter:
        per_article: dict[int, set[str]] = defaultdict(set)
        for i, grams in self.units:
            per_article[i] |= grams
        return Counter(g for grams in per_article.values() for g in grams)

    def ranked(self, act: str) -> list[tuple[Chunk, float]]:
        """Duty articles by share of ``act`` (0–1) held by their best paragraph, best first."""
        grams = _bigrams(act)
        unseen = math.log(1 + len(self.duties))
        weight = {g: self.idf.get(g, unseen) for g in grams}
        total = sum(weight.values())
        if not total:
            return []
        shared: Counter = Counter()
        for g in grams:
            for u in self.postings.get(g, ()):
                shared[u] += weight[g]
        best: dict[int, tuple[float, float]] = {}
        for u, w in shared.items():
            i = self.units[u][0]
            key = (w / total, w / self.unit_weight[u])
            if key > best.get(i, (0.0, 0.0)):
                best[i] = key
        order = sorted(best.items(), key=lambda kv: kv[1], reverse=True)
        return [(self.duties[i], share) for i, (share, _) in order]

    def best(self, act: str) -> list[tuple[Chunk, float]]:
        """The duty article(s) ``act`` names: the best when its share reaches ``MIN_ALIGNMENT``, with the next
        ones whose share is within ``MIN_MARGIN`` of it (an act worded like two duties names both; at most 2)."""
        ranked = self.ranked(act)
        if not ranked or ranked[0][1] < MIN_ALIGNMENT:
            return []
        return [(c, share) for c, share in ranked[:2] if share >= ranked[0][1] - MIN_MARGIN]
