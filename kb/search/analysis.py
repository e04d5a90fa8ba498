"""Text analysis shared by indexing, querying and highlighting, for every site language.

One analyzer serves all languages, choosing per word by script, so a document and a query are
always analysed the same way whatever language the reader uses:

* normalisation first: Unicode NFKC and case folding; Arabic Yeh/Alef Maksura and Kaf become
  the Persian ی and ک; Arabic and Persian digits become ASCII; Arabic diacritics and tatweel are
  dropped; Hebrew points and cantillation marks (niqqud) are folded away; the zero-width
  non-joiner (which Persian writes inside words, and people type as a space or leave out) splits
  words like a space does;
* stemming: Cyrillic words with the Russian Snowball stemmer («клиентов» and «клиенты» meet),
  Latin words with English Snowball (Porter2), Arabic-script words with the Persian Snowball
  stemmer; Hebrew words are matched as written (after niqqud folding);
* stop words are dropped from long text but kept in titles, where short questions ("how do I…")
  carry meaning.

The analyzers are pickled into the Whoosh index schema, so they hold only plain data.
"""

import re
import unicodedata
from functools import lru_cache
from itertools import chain

import Stemmer
from whoosh.analysis import CompositeAnalyzer, Filter, StopFilter, Tokenizer
from whoosh.analysis.acore import Token
from whoosh.lang.stopwords import stoplists

#: Characters mapped to their Persian forms (and digits to ASCII) before tokenising.
CHARACTER_MAP = str.maketrans(
    {
        "\u064a": "\u06cc",  # Arabic Yeh -> Persian Yeh
        "\u0649": "\u06cc",  # Alef Maksura -> Persian Yeh
        "\u0643": "\u06a9",  # Arabic Kaf -> Persian Keheh
        "\u0629": "\u0647",  # Teh Marbuta -> Heh
        "\u200c": " ",  # zero-width non-joiner splits like a space
        "\u200d": "",  # zero-width joiner
        "\u200b": "",  # zero-width space
        "\u2060": "",  # word joiner
        "\ufeff": "",  # byte-order mark
        "\u00ad": "",  # soft hyphen
        "\u0640": "",  # tatweel
        **{chr(0x06F0 + digit): str(digit) for digit in range(10)},  # Persian digits
        **{chr(0x0660 + digit): str(digit) for digit in range(10)},  # Arabic-Indic digits
    }
)
#: Arabic harakat and Hebrew points/cantillation: removed, so pointed and unpointed text match.
COMBINING_MARKS = re.compile("[\u064b-\u065f\u0670\u0591-\u05bd\u05bf\u05c1\u05c2\u05c4\u05c5\u05c7]")
WORD = re.compile(r"\w+(?:['’]\w+)*", re.UNICODE)
#: Hyphenated words ("Wi-Fi", "e-mail") are also indexed joined ("wifi", "email").
COMPOUND = re.compile(r"\w+(?:[-\u2010]\w+)+", re.UNICODE)

CYRILLIC = re.compile("[\u0400-\u04ff]")
ARABIC_SCRIPT = re.compile("[\u0600-\u06ff]")
LATIN = re.compile("[a-z]")

PERSIAN_STOP_WORDS = frozenset(
    "و در به از که این را با است برای آن یک تا می بر هم نیز شود کنید کرد شده باید اگر یا ها های".split()
)
HEBREW_STOP_WORDS = frozenset("של את על עם זה זו הוא היא אם או גם כי לא כל".split())
STOP_WORDS = frozenset(stoplists["en"]) | frozenset(stoplists["ru"]) | PERSIAN_STOP_WORDS | HEBREW_STOP_WORDS


def normalize(text: str) -> str:
    """The form every word is compared in (before stemming)."""
    text = unicodedata.normalize("NFKC", text).translate(CHARACTER_MAP)
    return COMBINING_MARKS.sub("", text).casefold()


@lru_cache(maxsize=4)
def stemmer(language: str) -> Stemmer.Stemmer:
    return Stemmer.Stemmer(language)


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """Stem one normalised word with the stemmer of its script."""
    if CYRILLIC.search(word):
        return stemmer("russian").stemWord(word)
    if ARABIC_SCRIPT.search(word):
        return stemmer("persian").stemWord(word)
    if LATIN.search(word):
        return stemmer("english").stemWord(word)
    return word


def _index_words(text: str) -> tuple[list[str], list[tuple[str, int]]]:
    """A normalised text's words in order, and its hyphenated words joined, each with the
    position of the word it starts at (0 when it starts inside a word, as in "don't-care")."""
    matches = list(WORD.finditer(text))
    words = [match.group() for match in matches]
    if "-" not in text and "\u2010" not in text:
        return words, []
    starts = {match.start(): position for position, match in enumerate(matches)}
    compounds = [
        (re.sub(r"[-\u2010]", "", match.group(0)), starts.get(match.start(), 0)) for match in COMPOUND.finditer(text)
    ]
    return words, compounds


#: The last text split by :func:`index_words` and its result. A document's body is analysed by
#: two fields (``text``, stemmed, and ``spelling``, as written): the second reuses the split. One
#: tuple, replaced whole, so threads analysing queries meanwhile never see half of one.
_last_split: tuple = (None, None)


def index_words(value: str) -> tuple[list[str], list[tuple[str, int]]]:
    """``value`` normalised and split as the tokenizer does: (words, [(joined compound, position)])."""
    global _last_split
    last_value, split = _last_split
    if last_value is value or (split is not None and last_value == value):
        return split
    split = _index_words(normalize(value))
    _last_split = (value, split)
    return split


class NormalizingTokenizer(Tokenizer):
    """Normalises the text (see :func:`normalize`) and splits it into words."""

    def __eq__(self, other):
        return type(self) is type(other)

    def __call__(self, value, positions=False, chars=False, keeporiginal=False, removestops=True,
                 start_pos=0, start_char=0, tokenize=True, mode="", **kwargs):  # fmt: skip
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        if not tokenize:
            text = normalize(value)
            token.original = token.text = text
            token.boost, token.stopped = 1.0, False
            if positions:
                token.pos = start_pos
            if chars:
                token.startchar, token.endchar = start_char, start_char + len(value)
            yield token
            return
        if not (chars or keeporiginal):
            # The indexing path: this loop runs once for every word of every document.
            words, compounds = index_words(value)
            for position, word in enumerate(words):
                token.text = word
                token.boost, token.stopped = 1.0, False
                if positions:
                    token.pos = start_pos + position
                yield token
            for joined, position in compounds:
                token.text = joined
                token.boost, token.stopped = 1.0, False
                if positions:
                    token.pos = start_pos + position
                yield token
            return
        # Highlighting asks for character offsets: a word's are found by matching again.
        text = normalize(value)
        word_positions = {}
        for position, match in enumerate(WORD.finditer(text)):
            word_positions[match.start()] = position
            yield self._fill(token, match.group(0), position, match, start_pos, start_char, keeporiginal)
        for match in COMPOUND.finditer(text):
            joined = re.sub(r"[-\u2010]", "", match.group(0))
            position = word_positions.get(match.start(), 0)
            yield self._fill(token, joined, position, match, start_pos, start_char, keeporiginal)

    @staticmethod
    def _fill(token, text, position, match, start_pos, start_char, keeporiginal):
        token.text = text
        token.boost, token.stopped = 1.0, False
        if keeporiginal:
            token.original = text
        if token.positions:
            token.pos = start_pos + position
        if token.chars:
            token.startchar, token.endchar = start_char + match.start(), start_char + match.end()
        return token


class ScriptStemFilter(Filter):
    """Stems each word with the stemmer of its script (marked as morphological for spelling)."""

    is_morph = True

    def __eq__(self, other):
        return type(self) is type(other)

    def __call__(self, tokens):
        for token in tokens:
            if not token.stopped:
                token.text = stem(token.text)
            yield token


class ScriptAnalyzer(CompositeAnalyzer):
    """The tokenizer, then stop words out (``stop_words``) and stemming (``stemmed``), in one pass.

    The same chain as ``NormalizingTokenizer() | StopFilter(stoplist, minsize=1) |
    ScriptStemFilter()`` and gives the same tokens (a test compares them). Indexing asks for
    words and positions only, and there the three generators each word passed through (a third of
    a rebuild's analysis) become one loop; anything else (character offsets for highlighting,
    stop words kept or stemming left out for a query) runs the chain itself.
    """

    def __init__(self, stop_words=None, *, stemmed=True):
        items = [NormalizingTokenizer()]
        if stop_words is not None:
            items.append(StopFilter(stoplist=stop_words, minsize=1))
        if stemmed:
            items.append(ScriptStemFilter())
        super().__init__(*items)
        self.stop_words = None if stop_words is None else items[1].stops
        self.stemmed = stemmed

    def __call__(self, value, no_morph=False, positions=False, chars=False, keeporiginal=False, removestops=True,
                 start_pos=0, start_char=0, tokenize=True, mode="", **kwargs):  # fmt: skip
        if no_morph or chars or keeporiginal or not removestops or not tokenize:
            return super().__call__(value, no_morph=no_morph, positions=positions, chars=chars,
                                    keeporiginal=keeporiginal, removestops=removestops, start_pos=start_pos,
                                    start_char=start_char, tokenize=tokenize, mode=mode, **kwargs)  # fmt: skip
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        return self._index_tokens(token, value, positions, start_pos)

    def _index_tokens(self, token, value, positions, start_pos):
        words, compounds = index_words(value)
        stop_words, stemmed = self.stop_words, self.stemmed
        # StopFilter renumbers the words it keeps: the first keeps its position, the next ones
        # follow it one by one (joined compounds included, after the words).
        renumbered = None
        for position, word in chain(enumerate(words), ((position, joined) for joined, position in compounds)):
            if stop_words is not None and word in stop_words:
                continue
            token.text = stem(word) if stemmed else word
            token.boost, token.stopped = 1.0, False
            if positions:
                if stop_words is None:
                    token.pos = start_pos + position
                elif renumbered is None:
                    renumbered = token.pos = start_pos + position
                else:
                    renumbered += 1
                    token.pos = renumbered
            yield token


# The tokenizer case-folds (normalize), so no analyzer needs a lowercase filter.


def text_analyzer():
    """For article bodies and summaries: stop words out, words stemmed."""
    return ScriptAnalyzer(STOP_WORDS)


def title_analyzer():
    """For titles: every word counts, stemmed."""
    return ScriptAnalyzer()


def words_analyzer():
    """Titles word by word, unstemmed: what typeahead matches a half-typed word against."""
    return NormalizingTokenizer()


def analyzed_terms(text: str, *, keep_stop_words: bool = False) -> list[str]:
    analyzer = title_analyzer() if keep_stop_words else text_analyzer()
    return [token.text for token in analyzer(text)]
