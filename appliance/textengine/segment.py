"""Word segmentation with a private jieba tokenizer, a domain dictionary and
stopwords that are reloaded when their files change."""
import logging
import re
import warnings
from pathlib import Path

from .normalize import normalise
from .resources import WatchedFile, read_lines

with warnings.catch_warnings():  # jieba imports the deprecated pkg_resources
    warnings.simplefilter("ignore")
    import jieba

logging.getLogger("jieba").setLevel(logging.WARNING)
_WORD_CHAR = re.compile(r"[^\W_]")
_NUMBER = re.compile(r"^[\d.,%+\-]+$")
_ASCII = re.compile(r"^[\x00-\x7f]+$")


def parse_userdict(path):
    """jieba format: ``word [freq] [tag]`` per line -> {word: (freq, tag)}."""
    entries = {}
    for line in read_lines(path):
        parts = line.split()
        word = normalise(parts[0])
        freq = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else None
        tag = parts[-1] if len(parts) > 1 and not parts[-1].isdigit() else None
        entries[word] = (freq, tag)
    return entries


def parse_stopwords(path):
    return frozenset(normalise(line) for line in read_lines(path))


# Part-of-speech tags of jieba's dictionary that are not topics: idioms/phrases (l),
# numerals and quantities (m, mq, q), adverbs (d), time (t), pronouns (r), conjunctions,
# prepositions, particles, interjections, onomatopoeia, places/directions (f, s), others.
FUNCTION_TAGS = frozenset("l m mq mg q d dg df t tg r rr rg rz c p u ul uv ud uj uz ug y e o x "
                          "f s k h g zg".split())


def function_words(tokenizer):
    """The words of the tokenizer's main dictionary whose tag is in FUNCTION_TAGS."""
    found = set()
    with tokenizer.get_dict_file() as lines:
        for raw in lines:
            parts = raw.decode("utf-8").split()
            if len(parts) >= 3 and parts[2] in FUNCTION_TAGS:
                found.add(parts[0])
    return frozenset(found)


class Segmenter:
    def __init__(self, config_dir, cache_dir=None):
        config_dir = Path(config_dir)
        self.tokenizer = jieba.Tokenizer()
        if cache_dir and Path(cache_dir).is_dir():
            self.tokenizer.tmp_dir = str(cache_dir)
        self.tokenizer.initialize()
        self.userdict_file = WatchedFile(config_dir / "userdict.txt", parse_userdict, {})
        self.stopwords_file = WatchedFile(config_dir / "stopwords.txt", parse_stopwords, frozenset())
        self.user_words = {}
        self.stopwords = frozenset()
        self.function_words = function_words(self.tokenizer)
        self.refresh()

    def refresh(self):
        """Apply dictionary or stopword edits made since the last call."""
        if self.userdict_file.changed():
            self._apply_userdict(self.userdict_file.value)
        if self.stopwords_file.changed():
            self.stopwords = self.stopwords_file.value

    def _apply_userdict(self, entries):
        for word in set(self.user_words) - set(entries):
            self.tokenizer.del_word(word)
        for word, (freq, tag) in entries.items():
            self.tokenizer.add_word(word, freq, tag)
        self.user_words = entries

    def words(self, normalised):
        """All word tokens (no spaces or punctuation) of a normalised text."""
        return [w for w in self.tokenizer.cut(normalised, HMM=True) if _WORD_CHAR.search(w)]

    def content(self, words):
        """Words worth counting: no stopwords, numbers or one-letter noise."""
        return [w for w in words if self.is_content(w)]

    def is_content(self, word):
        if word in self.stopwords or _NUMBER.match(word):
            return False
        if _ASCII.match(word):
            return len(word) >= 3
        return len(word) >= 2 and self.is_dictionary_word(word)

    def is_dictionary_word(self, word):
        """A content word of jieba's dictionary, or of the domain dictionary. The HMM joins
        characters it does not know into "new words", often fragments across a word boundary
        (地好 from "服务周到地好"), and the dictionary's phrases and function words (很久没 l,
        很久 m, 下次 t, 这个 r) are no topic: fine for segmenting, not for a hot word."""
        if word in self.user_words:
            return True
        return self.tokenizer.FREQ.get(word, 0) > 0 and word not in self.function_words
