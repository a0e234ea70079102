"""The one text analyzer: every backend indexes and queries through it.

No language detection is needed to find words: text is split into script runs.
CJK runs go to jieba (precise segments, plus at indexing the dictionary words inside
each segment, at the segment's position, as jieba's search mode does); Cyrillic
words are lower-cased, ё folded to е, and stemmed as Russian; Latin words are
lower-cased, accent-folded (Latin only: folding Cyrillic would turn й into и) and
stemmed both as English and as Czech, the two stems sharing one position, so that
a phrase matches whichever language the word came from. Snowball stemmers come from
PyStemmer (Czech Snowball stems folded and accented forms alike: pracky, pračky ->
prack).

Whoosh pickles the analyzer into its index: `WhooshAnalyzer` and the stemmers stay at
this module path, at module level.
"""

from __future__ import annotations

import os
import re
import threading
import unicodedata
from dataclasses import dataclass

import Stemmer
from whoosh.analysis import Token as _WhooshToken
from whoosh.analysis import Tokenizer

_EN = Stemmer.Stemmer("english")
_CS = Stemmer.Stemmer("czech")
_RU = Stemmer.Stemmer("russian")

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3040-\u30ff\u3005\u3007"
_CYR = "\u0400-\u052f"
_LAT = "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff\u0300-\u036f0-9"
# Words: a CJK run, a Cyrillic word, or a Latin word (digits count as Latin). Inner
# apostrophes and hyphens join (don't, e-mail, Ростов-на-Дону stays three words).
WORD_RE = re.compile(rf"(?P<cjk>[{_CJK}]+)|(?P<cyr>[{_CYR}]+(?:'[{_CYR}]+)*)|(?P<lat>[{_LAT}]+(?:'[{_LAT}]+)*)")

# Words so common that they only cost time (they are skipped, keeping positions).
STOPWORDS = frozenset(["a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "in", "into", "is", "it", "its", "of", "on", "or", "that", "the", "this", "to", "was", "were", "will", "with", "a", "i", "k", "o", "s", "u", "v", "z", "ze", "na", "se", "je", "to", "že", "do", "od", "po", "pro", "při", "jak", "ale", "nebo", "jsou", "byl", "být", "и", "в", "во", "на", "с", "со", "не", "что", "по", "к", "ко", "для", "о", "об", "от", "из", "за", "у", "же", "а", "но", "или", "как", "это", "то"])

MAX_WORD = 40  # longer "words" are noise (hashes, URLs): cut, not stemmed

_jieba_lock = threading.Lock()
_jieba = None


def configure_jieba(cache_dir: str | None = None, *, load_now: bool = False) -> None:
    """Keep jieba's dictionary cache under `cache_dir` (instance/); load the dictionary
    now (about a second) instead of on the first Chinese text."""
    import jieba

    jieba.setLogLevel(60)
    if cache_dir:
        os.makedirs(cache_dir, exist_ok=True)
        jieba.dt.tmp_dir = cache_dir
        jieba.dt.cache_file = "jieba.cache"
    if load_now:
        _segmenter()


def _segmenter():
    global _jieba
    if _jieba is None:
        with _jieba_lock:
            if _jieba is None:
                import jieba

                jieba.setLogLevel(60)
                jieba.initialize()
                _jieba = jieba
    return _jieba


@dataclass(frozen=True, slots=True)
class Token:
    """One indexed term at a word position; `start`/`end` are character offsets."""

    term: str
    pos: int
    start: int
    end: int


def fold_latin(word: str) -> str:
    """Lower-case and drop accents (pračka -> pracka); for Latin-script words only."""
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def fold_cyrillic(word: str) -> str:
    return word.lower().replace("ё", "е")


def fold(word: str) -> str:
    """A word's folded form in its script (what spelling suggestions compare)."""
    if re.match(rf"[{_CYR}]", word):
        return fold_cyrillic(word)
    if re.match(rf"[{_CJK}]", word):
        return word
    return fold_latin(word)


def _cjk_segments(run: str, offset: int):
    """(word, start, end) of jieba's precise segmentation of a CJK run."""
    for word, start, end in _segmenter().tokenize(run):
        yield word, offset + start, offset + end


def _cjk_inner_words(word: str) -> list[str]:
    """The dictionary words of two and three characters inside a segment (jieba's
    search mode), so 全自动 is also found as 自动."""
    if len(word) <= 2:
        return []
    freq = _segmenter().dt.FREQ
    inner = []
    for n in (2, 3):
        if len(word) <= n:
            continue
        for i in range(len(word) - n + 1):
            gram = word[i:i + n]
            if freq.get(gram):
                inner.append(gram)
    return inner


def _latin_terms(word: str) -> list[str]:
    folded = fold_latin(word)[:MAX_WORD]
    if folded.isdigit():
        return [folded]
    en, cs = _EN.stemWord(folded), _CS.stemWord(folded)
    return [en] if en == cs else [en, cs]


def analyze(text: str, *, for_query: bool = False, keep_stopwords: bool = False) -> list[Token]:
    """The terms of `text` with positions and offsets. At indexing (not `for_query`)
    a CJK segment also yields the dictionary words inside it, at its position."""
    tokens: list[Token] = []
    pos = 0
    for match in WORD_RE.finditer(text or ""):
        kind = match.lastgroup
        if kind == "cjk":
            for word, start, end in _cjk_segments(match.group(), match.start()):
                tokens.append(Token(word, pos, start, end))
                if not for_query:
                    tokens.extend(Token(inner, pos, start, end) for inner in _cjk_inner_words(word))
                pos += 1
            continue
        word = match.group()
        start, end = match.span()
        if kind == "cyr":
            folded = fold_cyrillic(word)[:MAX_WORD]
            if keep_stopwords or folded not in STOPWORDS:
                tokens.append(Token(_RU.stemWord(folded), pos, start, end))
        else:
            folded = fold_latin(word)
            if keep_stopwords or folded not in STOPWORDS:
                tokens.extend(Token(term, pos, start, end) for term in _latin_terms(word))
        pos += 1
    return tokens


def terms(text: str, *, for_query: bool = False) -> list[str]:
    return [t.term for t in analyze(text, for_query=for_query)]


def words(text: str) -> list[str]:
    """The surface words of `text`, lower-cased, unstemmed, accents kept: the vocabulary
    that "did you mean" suggests from."""
    out: list[str] = []
    for match in WORD_RE.finditer(text or ""):
        if match.lastgroup == "cjk":
            out.extend(word for word, _s, _e in _cjk_segments(match.group(), 0))
        else:
            word = match.group().lower()[:MAX_WORD]
            if len(word) > 1 and not word.isdigit() and fold(word) not in STOPWORDS:
                out.append(word)
    return out


_CZECH_LETTERS = set("ěščřžůťďňĚŠČŘŽŮŤĎŇ")
LANGUAGES = ("en", "cs", "ru", "zh")


def detect_language(text: str) -> str:
    """The text's language among the four, from its scripts: Han -> zh, Cyrillic -> ru,
    Latin with a Czech letter (ě š č ř ž ů ť ď ň) -> cs, else en. Czech typed without
    accents counts as English: good enough for a filter, never used to find words."""
    counts = {"zh": 0, "ru": 0, "lat": 0}
    czech = 0
    for match in WORD_RE.finditer(text or ""):
        kind = match.lastgroup
        if kind == "cjk":
            counts["zh"] += len(match.group())
        elif kind == "cyr":
            counts["ru"] += 1
        else:
            counts["lat"] += 1
            if _CZECH_LETTERS.intersection(match.group()):
                czech += 1
    best = max(counts, key=counts.get)
    if counts[best] == 0:
        return "en"
    if best == "lat":
        return "cs" if czech * 8 >= counts["lat"] and czech else "en"
    return best


class WhooshAnalyzer(Tokenizer):
    """`analyze` as a Whoosh analyzer (positions and character offsets included)."""

    def __init__(self, surface: bool = False):
        self.surface = surface  # the spelling vocabulary's words instead of stems

    def __eq__(self, other):
        return type(other) is type(self) and other.surface == self.surface

    def __call__(self, value, positions=False, chars=False, keeporiginal=False, removestops=True,
                 start_pos=0, start_char=0, tokenize=True, mode="", **kwargs):
        token = _WhooshToken(positions, chars, removestops=removestops, mode=mode, **kwargs)
        if self.surface:
            for i, word in enumerate(words(value)):
                token.text = word
                token.boost = 1.0
                token.stopped = False
                if positions:
                    token.pos = start_pos + i
                yield token
            return
        for item in analyze(value, for_query=(mode == "query")):
            token.text = item.term
            token.boost = 1.0
            token.stopped = False
            if positions:
                token.pos = start_pos + item.pos
            if chars:
                token.startchar = start_char + item.start
                token.endchar = start_char + item.end
            yield token
