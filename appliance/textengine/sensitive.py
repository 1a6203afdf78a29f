"""Sensitive-word detection that survives the usual evasions: traditional
characters, full-width forms, upper case, and spaces or symbols between the
characters ("投 诉", "1 2 3 1 5", "律-师", "L.A.W.Y.E.R").

The text is normalised with a one-to-one character table, so a match in the
normalised string has the same offsets in the original string."""
import re
from dataclasses import dataclass

from .normalize import normalise

GAP = r"[\W_]{0,3}"  # up to three separators between two characters
_ALNUM = "a-z0-9"


@dataclass(frozen=True)
class Entry:
    category: str
    word: str


def _characters(word):
    return [c for c in normalise(word) if re.match(r"[^\W_]", c)]


def entry_pattern(characters, prefix=False):
    """Regex source for one lexicon word. Each alternative starts with a
    literal character (keeps the regex engine's fast first-character scan);
    ASCII words and numbers must not touch other letters or digits, unless
    the word ends with * (complain* = complains, complaint...)."""
    first, rest = re.escape(characters[0]), [re.escape(c) for c in characters[1:]]
    body = first + "".join(GAP + c for c in rest)
    if characters[0].isascii() and characters[0].isalnum():
        body = first + f"(?<![{_ALNUM}]{first})" + "".join(GAP + c for c in rest)
    if prefix:
        body += f"[{_ALNUM}]*"
    elif characters[-1].isascii() and characters[-1].isalnum():
        body += f"(?![{_ALNUM}])"
    return body


def _entry_source(entry):
    return entry_pattern(_characters(entry.word), entry.word.endswith("*"))


def _compact(text):
    return "".join(_characters(text))


class SensitiveMatcher:
    def __init__(self, lexicon):
        """``lexicon``: {category: {"zh": [...], "en": [...]}} or {category: [...]}."""
        entries = []
        for category, words in lexicon.items():
            if isinstance(words, dict):
                words = [w for group in words.values() for w in group]
            entries += [Entry(category, w.strip()) for w in words if _characters(w)]
        entries.sort(key=lambda e: (-len(_characters(e.word)), e.category, e.word))
        self.exact, self.prefixes = {}, []
        for entry in entries:
            if entry.word.endswith("*"):
                self.prefixes.append((_compact(entry.word), entry))
            else:
                self.exact.setdefault(_compact(entry.word), []).append(entry)
        # no groups: every alternative then starts with a literal, which lets
        # the regex engine skip quickly to the characters that can start a word
        sources = dict.fromkeys(_entry_source(e) for e in entries)
        self.pattern = re.compile("|".join(sources)) if sources else None

    def _entries_for(self, matched):
        compact = _compact(matched)
        found = self.exact.get(compact)
        if found:
            return found
        return [entry for prefix, entry in self.prefixes if compact.startswith(prefix)][:1]

    def find(self, text, normalised=None):
        """[{category, word, start, end}] with offsets into ``text``."""
        if self.pattern is None or not text:
            return []
        normalised = normalise(text) if normalised is None else normalised
        hits = []
        for match in self.pattern.finditer(normalised):
            for entry in self._entries_for(match.group()):
                hits.append({"category": entry.category, "word": entry.word.rstrip("*"),
                             "start": match.start(), "end": match.end()})
        return hits
