"""Tag taxonomy: keyword rules from taxonomy.toml plus an optional trained
multi-label model (one logistic regression per tag on the shared features)."""
import re
from dataclasses import dataclass

import numpy as np
from scipy import sparse

from .normalize import normalise

_ASCII_WORD = re.compile(r"^[a-z0-9][a-z0-9 '\-]*\*?$")


def keyword_pattern(word):
    """Regex source for one keyword: English words need word boundaries,
    a trailing * allows any ending (complain* = complains, complaint...)."""
    word = normalise(word.strip())
    prefix = word.endswith("*")
    word = word.rstrip("*")
    if not _ASCII_WORD.match(word):
        return re.escape(word)
    tail = r"[a-z0-9]*" if prefix else r"(?![a-z0-9])"
    return r"(?<![a-z0-9])" + re.escape(word) + tail


def compile_keywords(words):
    words = [w for w in words if w and w.strip()]
    if not words:
        return None
    ordered = sorted(words, key=len, reverse=True)
    return re.compile("|".join(keyword_pattern(w) for w in ordered))


@dataclass
class TagRule:
    tag: str
    names: dict
    any_of: object
    all_of: list
    exclude: object

    def matches(self, normalised):
        if self.any_of is None and not self.all_of:
            return False
        if self.any_of is not None and not self.any_of.search(normalised):
            return False
        if not all(pattern.search(normalised) for pattern in self.all_of):
            return False
        return self.exclude is None or not self.exclude.search(normalised)


def parse_taxonomy(document):
    """taxonomy.toml -> [TagRule]; each [[tag]] has id, zh, en, any, all, exclude."""
    rules = []
    for entry in document.get("tag", []):
        names = {"zh": entry.get("zh", entry["id"]), "en": entry.get("en", entry["id"])}
        all_of = [compile_keywords([word]) for word in entry.get("all", []) if word.strip()]
        rules.append(TagRule(entry["id"], names, compile_keywords(entry.get("any", [])),
                             all_of, compile_keywords(entry.get("exclude", []))))
    return rules


def canonical_tag(label, rules):
    """Map an id, a zh or an en name (any case) to the taxonomy id."""
    wanted = label.strip().casefold()
    for rule in rules:
        if wanted in (rule.tag.casefold(), rule.names["zh"].casefold(), rule.names["en"].casefold()):
            return rule.tag
    return label.strip()


@dataclass
class TagModel:
    tags: list
    idf: np.ndarray
    weights: sparse.csc_matrix
    bias: np.ndarray

    def probabilities(self, matrix):
        """(rows x tags) probabilities for a counts matrix."""
        from . import features   # scikit-learn: loaded where a model runs, not in web workers
        weighted = features.weigh(matrix, self.idf)
        return features.sigmoid(np.asarray((weighted @ self.weights).todense()) + self.bias)

    def predict(self, matrix, threshold=0.5):
        chosen = self.probabilities(matrix) >= threshold
        return [[self.tags[j] for j in np.flatnonzero(row)] for row in chosen]

    def to_state(self):
        return {"tags": self.tags, "idf": self.idf, "weights": self.weights, "bias": self.bias}

    @classmethod
    def from_state(cls, state):
        return cls(list(state["tags"]), state["idf"], state["weights"].tocsc(), state["bias"])
