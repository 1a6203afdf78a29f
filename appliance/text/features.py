"""Feature vectors shared by the sentiment and tag models.

Character 1-3-grams of the normalised text plus the jieba words, hashed (no
vocabulary to store or load), log-scaled, weighted by an IDF vector learnt at
training time and L2-normalised. Trained weights are plain numpy arrays, so
loading a model unpickles no scikit-learn object.
"""
import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import HashingVectorizer
from sklearn.preprocessing import normalize as l2_normalise

CHAR_FEATURES = 2 ** 19
WORD_FEATURES = 2 ** 18
N_FEATURES = CHAR_FEATURES + WORD_FEATURES
PARAMS = {"char_ngrams": [1, 3], "char_features": CHAR_FEATURES, "word_features": WORD_FEATURES,
          "tf": "log1p", "norm": "l2"}


def _identity(tokens):
    return tokens


_CHAR = HashingVectorizer(analyzer="char", ngram_range=(1, 3), n_features=CHAR_FEATURES,
                          alternate_sign=False, norm=None, lowercase=False)
_WORD = HashingVectorizer(analyzer=_identity, n_features=WORD_FEATURES,
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
    """IDF-weighted, L2-normalised copy of a counts matrix."""
    return l2_normalise(matrix @ sparse.diags(idf, format="csr"), copy=False)


def nb_ratio(matrix, labels, alpha=1.0):
    """Naive-Bayes log-count ratio per feature (Wang & Manning 2012)."""
    present = (matrix > 0).astype(np.float64)
    labels = np.asarray(labels)
    positive = alpha + np.asarray(present[labels == 1].sum(axis=0)).ravel()
    negative = alpha + np.asarray(present[labels == 0].sum(axis=0)).ravel()
    return np.log(positive / positive.sum()) - np.log(negative / negative.sum())


def sigmoid(values):
    return 1.0 / (1.0 + np.exp(-np.clip(values, -500, 500)))
