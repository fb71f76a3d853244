"""Finding article citations in free text: 《中华人民共和国行政处罚法》第三十三条第二款, 处罚法33条 …

Used by retrieval (a query that cites an article is answered by direct lookup)
and by answer verification (every cited article must exist in the corpus).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from corpus.numerals import CN_NUM_CHARS, cn_to_int

_N = r"[0-9０-９" + CN_NUM_CHARS + r"]+"
_TITLE_END = r"(?:法典|法|条例|规定|办法|细则|解释|规则|决定|准则|标准|目录|清单|裁量表|基准)"
# 《…》 or a bare run of CJK ending like a law title, immediately before the article number.
_CITE = re.compile(
    r"(?:《(?P<btitle>[^《》]{2,60})》|(?P<title>[\u4e00-\u9fff（）()]{1,30}?" + _TITLE_END + r")"
    # an order-number nickname: «72号令», «总局20号令», «国务院令第590号» (corpus/order_numbers.py)
    r"|(?P<order>[\u4e00-\u9fff]{0,12}?(?:令\s*第\s*" + _N + r"\s*号|第?\s*" + _N + r"\s*号令)))?"
    r"\s*(?:的)?\s*第?\s*(?P<art>" + _N + r")\s*条(?:之(?P<suf>" + _N + r"))?"
    r"(?:\s*第\s*(?P<para>" + _N + r")\s*款)?"
    r"(?:\s*第?[（(]?(?P<item>[" + CN_NUM_CHARS + r"0-9]+)[)）]?项)?"
)
# 「本规定」「该条例」「上述办法」「这部法」: a reference back to a document named elsewhere, not a title
ANAPHOR = re.compile(r"(?:本|该|此|上述|前述|这部|这个|这|那部|那个)(?:法典|法律|法规|规章|法|条例|规定|办法|细则|规则|决定|解释)$")
_LEADING_NOISE = re.compile(r"^(?:根据|依据|依照|按照|违反|适用|参照|按|依|据|对|即|是|了|和|与|及|或|《)+")


@dataclass(frozen=True)
class Citation:
    title: str | None  # as written (without 《》), None when the text gives only 第N条
    article: int
    suffix: int | None = None
    paragraph: int | None = None  # 款
    item: int | None = None  # 项
    start: int = 0
    end: int = 0
    bracketed: bool = False

    @property
    def label(self) -> str:
        from corpus.numerals import int_to_cn

        s = f"第{int_to_cn(self.article)}条"
        if self.suffix:
            s += f"之{int_to_cn(self.suffix)}"
        if self.paragraph:
            s += f"第{int_to_cn(self.paragraph)}款"
        if self.item:
            s += f"第（{int_to_cn(self.item)}）项"
        return s


def find_citations(text: str) -> list[Citation]:
    """All article citations in ``text``, in order.

    An order-number nickname is a title too («72号令第10条» → title «72号令»; corpus/order_numbers.py resolves it).
    A bare 第N条 after a cited title inherits that title (「《X》第一条、第三条」); 「本法第五条」,
    「该条例第十二条」 style references keep title None unless a title precedes them in the same sentence
    (the answer layer resolves them: assistant/answer/references.py).
    """
    out: list[Citation] = []
    last_title: str | None = None
    last_end = -1
    for m in _CITE.finditer(text or ""):
        raw = m.group(0)
        if "第" not in raw and not (m.group("btitle") or m.group("title")):
            continue  # a bare 「三条」 is no citation
        art = cn_to_int(m.group("art"))
        if art is None or art == 0:
            continue
        title = m.group("btitle") or m.group("title") or (re.sub(r"\s+", "", m.group("order")) if m.group("order") else None)
        bracketed = bool(m.group("btitle"))
        if title and not bracketed:
            title = _LEADING_NOISE.sub("", title)
            if ANAPHOR.search(title) or title.startswith(("本法", "本条例", "本规定", "本办法")) or len(title) < 2:
                title = None
        if title is None and last_title and _same_sentence(text, last_end, m.start()):
            title = last_title
        if title:
            last_title = title
        last_end = m.end()
        out.append(Citation(
            title=title, article=art,
            suffix=cn_to_int(m.group("suf")) if m.group("suf") else None,
            paragraph=cn_to_int(m.group("para")) if m.group("para") else None,
            item=cn_to_int(m.group("item")) if m.group("item") else None,
            start=m.start(), end=m.end(), bracketed=bracketed))
    return out


def _same_sentence(text: str, a: int, b: int) -> bool:
    between = text[a:b] if 0 <= a <= b else ""
    return len(between) <= 12 and not re.search(r"[。；;\n]", between)
