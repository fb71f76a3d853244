"""Tokenisation of Chinese legal text for BM25.

:class:`LegalTokenizer` wraps a private ``jieba.Tokenizer`` (so the process-wide
jieba dictionary is never modified) and:

* adds a legal user dictionary (law titles, abbreviations, defined terms)
  passed in by the caller, so e.g. ``行政处罚法`` survives as one token;
* segments in jieba's search mode (words plus their dictionary sub-words), so a
  query for ``处罚`` still matches a text containing ``行政处罚法``;
* rewrites structural references to one canonical token with Arabic numbers:
  ``第三十三条`` / ``第33条`` -> ``第33条``, ``第十条之一`` -> ``第10条之1``,
  likewise for 款 / 项 / 章 / 节 / 编;
* drops punctuation, whitespace and a short list of function words, keeps
  digits, lower-cases Latin letters.

Output is deterministic for a given dictionary; :attr:`LegalTokenizer.dictionary_hash`
identifies the dictionary (and tokenizer rules) for the index manifest.

**Locality rule** (what lets a rebuild re-tokenise only some texts, #23): every added word gets a frequency
computed from jieba's base dictionary alone (:func:`base_frequency`, not from the other added words), and the
dictionary's total frequency stays jieba's base total (``add_word`` would raise it, which shifts the
probability of every segmentation path in every text). So the tokens of a text depend only on the base
dictionary and on the added words that occur in it: when the word set changes, only the texts containing an
added or removed word can change (:func:`changed_words`, ``indexing/build.py``).
"""

from __future__ import annotations

import hashlib
import logging
import re
import threading
import warnings
import unicodedata
from typing import Iterable

from corpus.numerals import CN_NUM_CHARS, cn_to_int

TOKENIZER_VERSION = "legal-jieba-v2-pinned"  # v2: fixed word frequencies, pinned total (locality rule)

# Function words that carry no retrieval signal. Deliberately short: modal
# verbs such as 应当 / 不得 / 可以 are kept (IDF discounts them anyway).
DEFAULT_STOPWORDS = frozenset(
    """
    的 了 和 与 及 以及 或 或者 并 并且 而 而且 之 其 该 此 这 那 这些 那些 是 为 在 于 对 对于
    由 将 把 被 所 等 中 上 下 也 又 即 则 但 但是 如 如果 若 个 种 啊 吗 呢 吧 么 什么 怎么 怎样 如何
    哪些 哪个 多少 请问 一下 我 我们 你 你们 他 她 它 他们 有关 相关 关于
    """.split()
)

_NUM = f"[0-9０-９{CN_NUM_CHARS}]+"
_STRUCT_RE = re.compile(rf"第({_NUM})(条|款|项|章|节|编)(?:之({_NUM}))?")
_TITLE_MARKS = str.maketrans("", "", "《》〈〉<>\"“”'‘’ \u3000")
# jieba only matches dictionary words inside runs of these characters.
_JIEBA_WORD = re.compile(r"^[\u4E00-\u9FD5a-zA-Z0-9+#&._%\-]+$")
_PREFIX = "中华人民共和国"

_init_lock = threading.Lock()
_base_dict: tuple[dict, int] | None = None  # jieba's default prefix dict, loaded once per process


def _new_jieba_tokenizer():
    """A fresh, initialised, private ``jieba.Tokenizer`` (no log output).

    The default dictionary is read once per process; later tokenizers start
    from a copy of it (~0.1 s instead of ~1 s).
    """
    global _base_dict
    with warnings.catch_warnings():
        # jieba imports pkg_resources when setuptools is present (cpca needs it), which warns of its deprecation
        warnings.filterwarnings("ignore", message="pkg_resources is deprecated")
        import jieba

    with _init_lock:
        jieba.setLogLevel(logging.WARNING)
        tk = jieba.Tokenizer()
        if _base_dict is None:
            tk.initialize()
            _base_dict = (dict(tk.FREQ), tk.total)
        else:
            tk.FREQ, tk.total = dict(_base_dict[0]), _base_dict[1]
            tk.initialized = True
    return tk


_base_lock = threading.Lock()
_base_tokenizer = None  # an unmodified jieba tokenizer: the frequencies of added words are computed against it


def base_frequency(word: str) -> int:
    """The frequency an added ``word`` gets: jieba's ``suggest_freq`` against the base dictionary only (the
    smallest frequency that keeps the word whole there), so it does not depend on which other words are added."""
    global _base_tokenizer
    with _base_lock:
        if _base_tokenizer is None:
            _base_tokenizer = _new_jieba_tokenizer()
        return int(_base_tokenizer.suggest_freq(word, tune=False))


def changed_words(old: Iterable[str], new: Iterable[str]) -> set[str]:
    """Words added or removed between two dictionaries: under the locality rule (module docstring) only texts
    containing one of them tokenise differently."""
    return set(old) ^ set(new)


def _is_noise(token: str) -> bool:
    """True for tokens made only of punctuation, symbols or whitespace."""
    return all(unicodedata.category(c)[0] in "PZSC" for c in token)


def normalise_word(word: str) -> str:
    """Strip book-title marks, quotes and spaces from a dictionary word."""
    return unicodedata.normalize("NFKC", word or "").translate(_TITLE_MARKS).strip()


def title_words(titles: Iterable[str]) -> set[str]:
    """Dictionary words derived from law titles: the title and its short form without 中华人民共和国."""
    words: set[str] = set()
    for title in titles:
        t = normalise_word(re.sub(r"[（(][^）)]*[）)]$", "", title or ""))
        if len(t) < 2:
            continue
        words.add(t)
        if t.startswith(_PREFIX) and len(t) > len(_PREFIX) + 1:
            words.add(t[len(_PREFIX) :])
    return words


class LegalTokenizer:
    """jieba search-mode segmentation with a legal user dictionary (see module docstring)."""

    def __init__(
        self,
        extra_words: Iterable[str] = (),
        stopwords: Iterable[str] | None = None,
        hmm: bool = False,
        word_freq: int | None = None,
    ) -> None:
        """``extra_words``: user-dictionary words (normalised, de-duplicated, sorted).

        ``hmm`` enables jieba's HMM guessing of unknown words (off by default:
        queries and documents then segment unknown runs identically).
        ``word_freq`` forces one frequency for all extra words instead of the
        smallest frequency that keeps each word whole (jieba's suggest_freq).
        """
        cleaned = {normalise_word(w) for w in extra_words}
        self.words: tuple[str, ...] = tuple(sorted(w for w in cleaned if len(w) >= 2 and _JIEBA_WORD.match(w)))
        self.skipped_words = sorted(w for w in cleaned if w and w not in self.words)
        self.stopwords = frozenset(DEFAULT_STOPWORDS if stopwords is None else stopwords)
        self.hmm = hmm
        self.word_freq = word_freq
        self._jieba = None
        self._lock = threading.Lock()
        digest = hashlib.sha256()
        for part in (TOKENIZER_VERSION, f"hmm={hmm}", f"freq={word_freq}", _jieba_version()):
            digest.update(part.encode() + b"\0")
        digest.update("\n".join(sorted(self.stopwords)).encode() + b"\0")
        # everything but the words: two dictionaries with the same rules differ only where their words occur
        self.rules_hash = digest.hexdigest()[:16]
        digest.update("\n".join(self.words).encode())
        self.dictionary_hash = digest.hexdigest()[:16]

    def _tokenizer(self):
        """The private jieba tokenizer, initialised on first use."""
        if self._jieba is None:
            with self._lock:
                if self._jieba is None:
                    tk = _new_jieba_tokenizer()
                    total = tk.total
                    for w in self.words:
                        tk.add_word(w, freq=self.word_freq or base_frequency(w))
                    tk.total = total  # pinned: the locality rule (module docstring)
                    self._jieba = tk
        return self._jieba

    def warm_up(self) -> "LegalTokenizer":
        """Load the dictionary now instead of on the first call."""
        self._tokenizer()
        return self

    def _segment(self, text: str) -> list[str]:
        tk = self._tokenizer()
        out = []
        for tok in tk.cut_for_search(text, HMM=self.hmm):
            tok = tok.strip().lower()
            if not tok or tok in self.stopwords or _is_noise(tok):
                continue
            out.append(tok)
        return out

    def tokenize(self, text: str) -> list[str]:
        """Tokens of ``text`` for indexing or querying (order preserved, duplicates kept)."""
        text = unicodedata.normalize("NFKC", text or "")
        tokens: list[str] = []
        pos = 0
        for m in _STRUCT_RE.finditer(text):
            n = cn_to_int(m.group(1))
            if n is None:
                continue
            tokens.extend(self._segment(text[pos : m.start()]))
            label = f"第{n}{m.group(2)}"
            if m.group(3):
                sub = cn_to_int(m.group(3))
                label += f"之{sub}" if sub is not None else ""
            tokens.append(label)
            pos = m.end()
        tokens.extend(self._segment(text[pos:]))
        return tokens

    def tokenize_many(self, texts: Iterable[str]) -> list[list[str]]:
        return [self.tokenize(t) for t in texts]

    def __call__(self, text: str) -> list[str]:
        return self.tokenize(text)


def _jieba_version() -> str:
    try:
        from importlib.metadata import version

        return version("jieba")
    except Exception:
        return "unknown"
