"""Keywords per text (TF-IDF over the tokens already segmented) and hot or
rising words over a set of texts (for a word cloud and a "what changed" list)."""
import math
from collections import Counter


class IdfTable:
    """Inverse document frequency per word, learnt from the training corpora."""

    def __init__(self, idf, documents):
        self.idf = idf
        self.documents = documents
        self.unknown = math.log((1 + documents) / 1) + 1

    @classmethod
    def fit(cls, token_lists):
        frequency = Counter(word for tokens in token_lists for word in set(tokens))
        documents = len(token_lists)
        idf = {word: math.log((1 + documents) / (1 + count)) + 1
               for word, count in frequency.items() if count >= 2}
        return cls(idf, documents)

    def to_state(self):
        return {"idf": self.idf, "documents": self.documents}

    @classmethod
    def from_state(cls, state):
        return cls(state["idf"], state["documents"])

    def keywords(self, tokens, top=5):
        """The ``top`` tokens by tf * idf, ties broken by first appearance."""
        if not tokens:
            return []
        counts = Counter(tokens)
        first = {word: index for index, word in reversed(list(enumerate(tokens)))}
        weight = {word: count * self.idf.get(word, self.unknown) for word, count in counts.items()}
        ranked = sorted(counts, key=lambda word: (-weight[word], first[word]))
        return ranked[:top]


def _token_lists(items):
    """Accept Analysis objects, their dicts, or plain token lists."""
    for item in items:
        if isinstance(item, dict):
            yield item.get("tokens") or item.get("keywords") or []
        elif hasattr(item, "tokens"):
            yield item.tokens
        else:
            yield list(item)


def document_counts(items):
    """(number of texts, Counter of texts mentioning each word)."""
    counts = Counter()
    total = 0
    for tokens in _token_lists(items):
        total += 1
        counts.update(set(tokens))
    return total, counts


def hot_words(items, top=50):
    """[{word, count, share}]: words mentioned by the most texts."""
    total, counts = document_counts(items)
    ranked = sorted(counts.items(), key=lambda pair: (-pair[1], pair[0]))[:top]
    return [{"word": word, "count": count, "share": round(count / total, 4)} for word, count in ranked]


def rising_words(current, baseline, top=20, min_count=2):
    """[{word, count, share, baseline_share, change}]: words whose share of
    texts grew most from ``baseline`` to ``current`` (change = share points)."""
    total, counts = document_counts(current)
    base_total, base_counts = document_counts(baseline)
    rising = []
    for word, count in counts.items():
        share = count / total
        base_share = base_counts.get(word, 0) / base_total if base_total else 0.0
        if count >= min_count and share > base_share:
            rising.append({"word": word, "count": count, "share": round(share, 4),
                           "baseline_share": round(base_share, 4),
                           "change": round(share - base_share, 4)})
    rising.sort(key=lambda row: (-row["change"], -row["count"], row["word"]))
    return rising[:top]
