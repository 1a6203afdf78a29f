"""Feature vectors shared by the sentiment and tag models.

Character 1-3-grams of the normalised text plus word features (the jieba
words, word bigrams, and marks for words in a negation's scope or after a
contrast such as 但是 / but), hashed (no vocabulary to store or load),
log-scaled, weighted by an IDF vector learnt at training time and
L2-normalised. Trained weights are plain numpy arrays, so loading a model
unpickles no scikit-learn object.

The block sizes are unchanged since format 1, so tag models trained before
the word bigrams and marks were added still load and run (retraining them
with ``cem text train-tags`` lets them use the new features).
"""
import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import HashingVectorizer
from sklearn.preprocessing import normalize as l2_normalise

CHAR_FEATURES = 2 ** 19
WORD_FEATURES = 2 ** 18
N_FEATURES = CHAR_FEATURES + WORD_FEATURES
# A negator marks the next NEGATION_SCOPE words ("不 好 吃" -> NEG:好, NEG:吃);
# every word after a contrast word is marked too ("..., 但是 太 贵" -> AFTER:太, AFTER:贵).
NEGATORS = frozenset(
    "不 没 没有 别 无 未 不是 并不 不太 不够 不会 不能 不要 毫无 绝不 从不 难以 "
    "not no never nothing don dont cannot didn doesn isn wasn won nobody none without".split())
CONTRASTS = frozenset("但 但是 不过 可是 然而 就是 只是 可惜 却 but however though".split())
NEGATION_SCOPE = 2
PARAMS = {"char_ngrams": [1, 3], "char_features": CHAR_FEATURES, "word_features": WORD_FEATURES,
          "word_ngrams": [1, 2], "negation_scope": NEGATION_SCOPE,
          "negators": sorted(NEGATORS), "contrasts": sorted(CONTRASTS), "tf": "log1p", "norm": "l2"}


def word_features(words):
    """The word block's tokens: words, bigrams, negation and contrast marks."""
    tokens = list(words)
    tokens += [f"{a} {b}" for a, b in zip(words, words[1:])]
    scope, after = 0, False
    for word in words:
        if word in CONTRASTS:
            after = True
        if scope:
            tokens.append("NEG:" + word)
            scope -= 1
        if word in NEGATORS:
            scope = NEGATION_SCOPE
        if after:
            tokens.append("AFTER:" + word)
    return tokens


_CHAR = HashingVectorizer(analyzer="char", ngram_range=(1, 3), n_features=CHAR_FEATURES,
                          alternate_sign=False, norm=None, lowercase=False)
_WORD = HashingVectorizer(analyzer=word_features, n_features=WORD_FEATURES,
                          alternate_sign=False, norm=None, lowercase=False)


def counts(texts, word_lists):
    """Raw hashed counts: one row per text, char block then word block."""
    chars = _CHAR.transform(texts)
    words = _WORD.transform(word_lists)
    matrix = sparse.hstack([chars, words], format="csr", dtype=np.float64)
    np.log1p(matrix.data, out=matrix.data)
    return matrix


def fit_idf(matrix):
    document_frequency = np.bincount(matrix.indices, minlength=matrix.shape[1])
    return np.log((1.0 + matrix.shape[0]) / (1.0 + document_frequency)) + 1.0


def weigh(matrix, idf):
    """IDF-weighted, L2-normalised copy of a counts matrix (O(non-zeros): no diagonal
    matrix of the whole hash space, which cost milliseconds on every small batch)."""
    weighted = matrix.tocsr(copy=True)
    weighted.data *= idf[weighted.indices]
    return l2_normalise(weighted, copy=False)


def nb_ratio(matrix, labels, alpha=1.0):
    """Naive-Bayes log-count ratio per feature (Wang & Manning 2012)."""
    present = (matrix > 0).astype(np.float64)
    labels = np.asarray(labels)
    positive = alpha + np.asarray(present[labels == 1].sum(axis=0)).ravel()
    negative = alpha + np.asarray(present[labels == 0].sum(axis=0)).ravel()
    return np.log(positive / positive.sum()) - np.log(negative / negative.sum())


def sigmoid(values):
    return 1.0 / (1.0 + np.exp(-np.clip(values, -500, 500)))
