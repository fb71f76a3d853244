"""Finding a document by its title or abbreviation, and an article inside it."""

from __future__ import annotations

import time
import weakref
from pathlib import Path

from corpus.metadata import title_key
from corpus.model import Chunk, Document
from corpus.numerals import parse_article_label
from corpus.order_numbers import parse_nickname, resolve_nickname
from corpus.store import Store
from corpus.titles import TitleEntry, TitleMatch, TitleResolver, type_word
from corpus.validity import in_force_ids

ABBREVIATIONS_FILE = Path(__file__).parent / "data" / "abbreviations.tsv"


def load_abbreviations(path: Path = ABBREVIATIONS_FILE) -> dict[str, str]:
    """Short names officers use that are not in-order picks of the title (未保法, 道交法, 风景区条例), as title keys:
    abbreviation → title (besides dropping 中华人民共和国, handled by title_key). Lines «简称<TAB>标题»; # comments."""
    out = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#") and "\t" in line:
            short, title = line.split("\t", 1)
            out[title_key(short.strip())] = title_key(title.strip())
    return out


ABBREVIATIONS = load_abbreviations()


_SENTENCE_END = frozenset("问的看查按照据依在是了下想说于对把将用请反")  # before a title inside a sentence

# per store object, weakly: keyed by id() a new store could inherit a dropped one's resolver (ids are reused)
_RESOLVERS: "weakref.WeakKeyDictionary[Store, tuple[float, TitleResolver]]" = weakref.WeakKeyDictionary()
RESOLVER_TTL = 30.0  # seconds: a title ingested meanwhile is found by exact key at once, by abbreviation after this


def title_resolver(store: Store) -> TitleResolver:
    """The title resolver over the store's titles (corpus/titles.py), rebuilt every ``RESOLVER_TTL`` seconds."""
    now = time.monotonic()
    cached = _RESOLVERS.get(store)
    if cached is None or now - cached[0] > RESOLVER_TTL:
        entries = [TitleEntry(d.title, title_key(d.title), d.region) for d in store.documents()]
        cached = _RESOLVERS[store] = (now, TitleResolver(entries, ABBREVIATIONS))
    return cached[1]


def resolve_cited_title(store: Store, cited: str, region: str | None = None) -> TitleMatch | None:
    """The stored title a citation names («市容条例» → 城市市容和环境卫生管理条例), with close alternatives."""
    return title_resolver(store).resolve(cited, region)


def resolve_title(query: str) -> str:
    """Map an abbreviation to a title key ('处罚法' → '行政处罚法')."""
    key = title_key(query)
    return ABBREVIATIONS.get(key, key)


def find_documents(store: Store, title: str, current_only: bool = True, on: str | None = None,
                   region: str | None = None) -> list[Document]:
    """Documents whose title (or abbreviation) matches — exactly by key first, then by containment — the
    version in force first.

    ``current_only``: only versions in force on ``on`` (YYYY-MM-DD; None: today), as corpus.validity decides.
    A title that is neither a key nor part of one is resolved by corpus/titles.py (``region`` prefers that
    region's title: «市容条例» in 北京 → 北京市市容环境卫生条例). An order-number nickname («72号令», «总局20号令»)
    names the document that order promulgated (corpus/order_numbers.py).
    """
    if parse_nickname(title) is not None:  # «72号令»: the document promulgated by that order, or none
        named = resolve_nickname(store, title)
        docs = store.documents(title_key=title_key(named)) if named else []
        key = title_key(named) if named else ""
    else:
        key = resolve_title(title)
        docs = store.documents(title_key=key)
    if not docs and key:  # 市容条例, 市场监管处罚程序规定: an abbreviation the resolver is sure of
        match = resolve_cited_title(store, title, region)
        if match is not None and match.decisive:
            docs = store.documents(title_key=title_key(match.title))
        elif match is None and len(key) >= 2 and not type_word(key):  # a title without its type word: 行政处罚 → 行政处罚法
            docs = store.documents(title_key_contains=key)
    if not docs:
        # a title read greedily out of a sentence (「我想问行政处罚法」, 「2021年7月15日施行的行政处罚法」): the
        # longest tail of it that is a title or an abbreviation
        for i in range(1, max(0, len(key) - 2)):
            docs = store.documents(title_key=resolve_title(key[i:]))
            # an abbreviated tail only after words of a sentence (「请问市容条例」, 「依据市容条例」): the tail of a title
            # the store lacks is no title (河道条例 → 道条例 is not 城市道路管理条例, 治安条例 → 安条例 not 食品安全法实施条例)
            if not docs and key[i - 1] in _SENTENCE_END and \
                    (match := resolve_cited_title(store, key[i:], region)) is not None and match.decisive:
                docs = store.documents(title_key=title_key(match.title))
            if docs:
                break
    live = in_force_ids(docs, on)
    if current_only:
        docs = [d for d in docs if d.id in live]
    # the closest title first (行政处罚 → 行政处罚法, not …行政处罚程序规定); of one title, the version in force,
    # then the newest
    asked = title.strip().strip("《》")
    docs.sort(key=lambda d: d.version_date or d.effective_date, reverse=True)
    docs.sort(key=lambda d: (asked not in d.title, len(title_key(d.title)), d.id not in live, not d.is_current))
    return docs


def find_article(store: Store, title: str, article: str | int, current_only: bool = True,
                 on: str | None = None, region: str | None = None) -> tuple[Document, Chunk] | None:
    """The chunk of 第N条 (or 第N条之M; ``article`` as 33, "33", "第三十三条" or "三十三") of the best-matching
    document (see find_documents for ``current_only`` and ``on``); None when there is none."""
    if isinstance(article, int):
        number, suffix = article, None
    else:
        label = "".join(article.split())  # 「第 91 条」
        if label.isdigit():
            label = f"第{label}条"
        elif not label.startswith("第"):
            label = f"第{label}"
        if "条" not in label:
            label += "条"
        parsed = parse_article_label(label)
        if not parsed:
            return None
        number, suffix = parsed
    for doc in find_documents(store, title, current_only, on, region):
        chunk = store.article_chunk(doc.id, number, suffix)
        if chunk:
            return doc, chunk
    return None


def documents_with_article(store: Store, article: int, suffix: int | None = None,
                           on: str | None = None) -> list[Document]:
    """The documents in force on ``on`` (YYYY-MM-DD; None: today) that have 第``article``条(之``suffix``),
    by title — the candidates for a reference without a title (「本规定第十条」, 「第十条讲什么」)."""
    having = set(store.documents_with_article(article, suffix))
    if not having:
        return []
    everything = store.documents()  # validity is decided among all versions of a title, not only those with it
    live = in_force_ids(everything, on)
    return sorted((d for d in everything if d.id in having and d.id in live), key=lambda d: d.title)


def find_version_article(store: Store, title: str, year: str, article: int,
                         suffix: int | None = None) -> tuple[Document, Chunk] | None:
    """第``article``条 of the version of ``title`` named by its year (「2017年行政处罚法」: the version adopted or
    amended in 2017, else the latest before it — by version date, then effective date); None when the store has
    no version of that year or before, or that version has no such article."""
    docs = find_documents(store, title, current_only=False)
    key = title_key(docs[0].title) if docs else None
    versions = sorted((d for d in docs if title_key(d.title) == key), key=lambda d: d.version_date or d.effective_date)
    earlier = [d for d in versions if (d.version_date or d.effective_date or "9999")[:4] <= year]
    if not earlier:
        return None
    chunk = store.article_chunk(earlier[-1].id, article, suffix)
    return (earlier[-1], chunk) if chunk is not None else None
