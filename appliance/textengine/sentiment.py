"""Per-language positive/negative classifier over the shared features, stored
as (idf, weights, bias) numpy arrays.

Three linear models are fitted on the same IDF-weighted, L2-normalised rows:
an NB-weighted logistic regression (NB-LR, Wang & Manning 2012), an
NB-weighted linear classifier trained by SGD on the modified Huber loss, and
a plain linear SVM. Each one's weights are rescaled so that its scores on the
training rows spread like the logistic regression's, and the three are
averaged: the ensemble is again one weight vector and one bias, so applying
it costs one sparse dot product, and its scores keep the logistic
regression's probability scale."""
from dataclasses import dataclass

import numpy as np
from sklearn.linear_model import LogisticRegression, SGDClassifier
from sklearn.svm import LinearSVC
from sklearn.metrics import accuracy_score, f1_score
from scipy import sparse

from . import features

PARAMS = {"classifier": "mean of nb-logistic-regression, nb-sgd-modified-huber, linear-svm",
          "C": 16.0, "solver": "liblinear", "sgd_alpha": 2e-5, "sgd_epochs": 50, "svm_C": 0.5}


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
    """Fit on a counts matrix; NB ratios and the averaging are folded into the weights."""
    labels = np.asarray(labels)
    idf = features.fit_idf(matrix)
    weighted = features.weigh(matrix, idf)
    ratio = features.nb_ratio(weighted, labels)
    nb_weighted = weighted @ sparse.diags(ratio, format="csr")
    class_weight = "balanced" if balanced else None
    logistic = LogisticRegression(C=PARAMS["C"], solver=PARAMS["solver"], max_iter=1000, random_state=0,
                                  class_weight=class_weight).fit(nb_weighted, labels)
    sgd = SGDClassifier(loss="modified_huber", alpha=PARAMS["sgd_alpha"], max_iter=PARAMS["sgd_epochs"],
                        tol=None, random_state=0, class_weight=class_weight).fit(nb_weighted, labels)
    svm = LinearSVC(C=PARAMS["svm_C"], random_state=0, class_weight=class_weight).fit(weighted, labels)
    members = [(logistic.coef_[0] * ratio, logistic.intercept_[0]),
               (sgd.coef_[0] * ratio, sgd.intercept_[0]),
               (svm.coef_[0], svm.intercept_[0])]
    spread = [float(np.std(weighted @ w + b)) or 1.0 for w, b in members]
    weights = sum(w * (spread[0] / s) for (w, _), s in zip(members, spread)) / len(members)
    bias = sum(b * (spread[0] / s) for (_, b), s in zip(members, spread)) / len(members)
    return SentimentModel(language, idf, weights, float(bias))


def scores(model, matrix, labels):
    """Accuracy and F1 (positive class and macro) on labelled rows."""
    predicted = (model.positive_probability(matrix) >= 0.5).astype(int)
    return {"n": int(len(labels)), "accuracy": round(float(accuracy_score(labels, predicted)), 4),
            "f1": round(float(f1_score(labels, predicted)), 4),
            "macro_f1": round(float(f1_score(labels, predicted, average="macro")), 4)}
