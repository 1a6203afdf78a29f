"""Per-language positive/negative classifier: NB-weighted logistic regression
over the shared features, stored as (idf, weights, bias) numpy arrays."""
from dataclasses import dataclass

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, f1_score
from scipy import sparse

from . import features

PARAMS = {"classifier": "nb-logistic-regression", "C": 8.0, "solver": "liblinear"}


@dataclass
class SentimentModel:
    language: str
    idf: np.ndarray
    weights: np.ndarray
    bias: float

    def positive_probability(self, matrix):
        """P(positive) per row of a counts matrix from ``features.counts``."""
        weighted = features.weigh(matrix, self.idf)
        return features.sigmoid(weighted @ self.weights + self.bias)

    def to_state(self):
        return {"language": self.language, "idf": self.idf, "weights": self.weights,
                "bias": self.bias}

    @classmethod
    def from_state(cls, state):
        return cls(state["language"], state["idf"], state["weights"], float(state["bias"]))


def train(language, matrix, labels, balanced=False):
    """Fit on a counts matrix; the NB ratio is folded into the weights."""
    labels = np.asarray(labels)
    idf = features.fit_idf(matrix)
    weighted = features.weigh(matrix, idf)
    ratio = features.nb_ratio(weighted, labels)
    classifier = LogisticRegression(C=PARAMS["C"], solver=PARAMS["solver"], max_iter=1000, random_state=0,
                                    class_weight="balanced" if balanced else None)
    classifier.fit(weighted @ sparse.diags(ratio, format="csr"), labels)
    weights = classifier.coef_[0] * ratio
    return SentimentModel(language, idf, weights, float(classifier.intercept_[0]))


def scores(model, matrix, labels):
    """Accuracy and F1 (positive class and macro) on labelled rows."""
    predicted = (model.positive_probability(matrix) >= 0.5).astype(int)
    return {"n": int(len(labels)), "accuracy": round(float(accuracy_score(labels, predicted)), 4),
            "f1": round(float(f1_score(labels, predicted)), 4),
            "macro_f1": round(float(f1_score(labels, predicted, average="macro")), 4)}
