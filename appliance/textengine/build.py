"""Offline model building: sentiment per language from the packaged corpora,
the keyword IDF table, evaluation on the held-out split, and tag training."""
import hashlib
import json
import os
import tempfile
import warnings
from pathlib import Path

import joblib
import numpy as np
from scipy import sparse
from sklearn.linear_model import LogisticRegression
from sklearn.multiclass import OneVsRestClassifier
from sklearn.preprocessing import MultiLabelBinarizer

from . import corpus, features, sentiment
from .analyzer import SENTIMENT_FILE, TAGS_FILE, load_models
from .keywords import IdfTable
from .normalize import load_table, normalise
from .resources import read_toml
from .segment import Segmenter
from .tags import TagModel, canonical_tag, parse_taxonomy

FORMAT = 1
BALANCED = {"zh": False, "en": True}  # the English corpus is 21 % positive
TAG_PARAMS = {"C": 4.0, "solver": "liblinear", "class_weight": "balanced"}


def _save(state, path):
    """Write atomically so a running analyser never reads half a file."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    os.close(handle)
    joblib.dump(state, temporary)
    os.chmod(temporary, 0o644)
    os.replace(temporary, path)


def config_fingerprint(config_dir):
    """Hash of the files that change segmentation (they shape the features)."""
    digest = hashlib.sha256()
    for name in ("userdict.txt", "stopwords.txt"):
        path = Path(config_dir) / name
        digest.update(path.read_bytes() if path.is_file() else b"")
    return digest.hexdigest()


def model_version(fingerprints):
    params = {"format": FORMAT, "features": features.PARAMS, "sentiment": sentiment.PARAMS,
              "balanced": BALANCED, "seed": corpus.SEED, "held_out": corpus.HELD_OUT_SHARE,
              "corpora": fingerprints}
    return hashlib.sha256(json.dumps(params, sort_keys=True).encode()).hexdigest()[:16]


def _prepared(rows, segmenter):
    texts = [normalise(text) for text, _ in rows]
    words = [segmenter.words(text) for text in texts]
    return features.counts(texts, words), np.array([label for _, label in rows]), words


ENTERPRISE_FILE = "enterprise_labels.json"


def enterprise_labels(models_dir):
    """{language: [(text, 0|1)]} the enterprise's analysts labelled, kept beside the models
    so that a rebuild (an upgrade, `build-models --if-needed`) keeps learning from them."""
    path = Path(models_dir) / ENTERPRISE_FILE
    if not path.is_file():
        return {}
    stored = json.loads(path.read_text(encoding="utf-8"))
    return {language: [(text, int(label)) for text, label in rows]
            for language, rows in stored.items()}


def _fingerprints(config_dir, enterprise):
    fingerprints = {"config": config_fingerprint(config_dir)}
    for language, loader in sorted(corpus.LOADERS.items()):
        fingerprints[language] = corpus.fingerprint(corpus.deduplicate(loader()))
        if enterprise.get(language):
            fingerprints[f"{language}-enterprise"] = corpus.fingerprint(
                corpus.deduplicate(enterprise[language]))
    return fingerprints


def expected_version(config_dir, models_dir):
    """The version build_models would produce now (code, corpora, dictionary, labels)."""
    return model_version(_fingerprints(Path(config_dir),
                                       enterprise_labels(models_dir)))


def built_version(models_dir):
    meta = Path(models_dir) / "meta.json"
    if not (meta.is_file() and (meta.parent / SENTIMENT_FILE).is_file()):
        return None
    return json.loads(meta.read_text(encoding="utf-8")).get("version")


def build_models(models_dir, config_dir, log=None, enterprise=None):
    """Train and save the sentiment models and IDF table; returns the metadata.

    enterprise: {language: [(text, 0|1)]} labelled by the enterprise's analysts, added to
    the training rows (never to the held-out split); None keeps the ones already stored."""
    models_dir = Path(models_dir)
    models_dir.mkdir(parents=True, exist_ok=True)
    if enterprise is not None:
        (models_dir / ENTERPRISE_FILE).write_text(json.dumps(enterprise, ensure_ascii=False),
                                                  encoding="utf-8")
    enterprise = enterprise_labels(models_dir)
    load_table(models_dir / "normalise.pickle")
    config_dir = Path(config_dir)
    segmenter = Segmenter(config_dir, models_dir)
    languages, token_lists = {}, []
    fingerprints = _fingerprints(config_dir, enterprise)
    for language, loader in sorted(corpus.LOADERS.items()):
        train_rows, held_out = corpus.split(loader())
        held_out_texts = {text for text, _ in held_out}
        train_rows = train_rows + [row for row in corpus.deduplicate(enterprise.get(language, []))
                                   if row[0] not in held_out_texts]
        matrix, labels, words = _prepared(train_rows, segmenter)
        languages[language] = sentiment.train(language, matrix, labels, BALANCED[language]).to_state()
        token_lists += [segmenter.content(w) for w in words]
        if log:
            log(f"{language}: trained on {len(train_rows)} texts")
    version = model_version(fingerprints)
    state = {"version": version, "languages": languages, "idf": IdfTable.fit(token_lists).to_state()}
    _save(state, models_dir / SENTIMENT_FILE)
    meta = {"version": version, "corpora": fingerprints, "params": sentiment.PARAMS,
            "enterprise_labels": {lang: len(rows) for lang, rows in enterprise.items()}}
    (models_dir / "meta.json").write_text(json.dumps(meta, indent=2), encoding="utf-8")
    return meta


def evaluate(models_dir, config_dir):
    """{language: {n, accuracy, f1, macro_f1}} on the held-out split."""
    models_dir = Path(models_dir)
    load_table(models_dir / "normalise.pickle")
    models, _, _ = load_models(models_dir)
    segmenter = Segmenter(Path(config_dir), models_dir)
    results = {}
    for language, model in sorted(models.items()):
        _, held_out = corpus.split(corpus.LOADERS[language]())
        matrix, labels, _ = _prepared(held_out, segmenter)
        results[language] = sentiment.scores(model, matrix, labels)
    return results


def train_tags(labelled, models_dir, config_dir, segmenter=None):
    """Train the multi-label tag model from [(text, [tags])] and save it.

    Tags may be given as taxonomy ids or zh/en names; a tag needs at least one
    text with it and one without. Returns {"tags": [...], "texts": n}."""
    models_dir = Path(models_dir)
    config_dir = Path(config_dir)
    rules = parse_taxonomy(read_toml(config_dir / "taxonomy.toml"))
    texts = [normalise(str(text)) for text, _ in labelled]
    label_sets = [sorted({canonical_tag(t, rules) for t in tags if t.strip()}) for _, tags in labelled]
    binarizer = MultiLabelBinarizer()
    targets = binarizer.fit_transform(label_sets) if labelled else np.zeros((0, 0))
    usable = [j for j in range(targets.shape[1]) if 0 < targets[:, j].sum() < len(texts)]
    if not usable:
        raise ValueError("need at least one tag that some texts have and others do not")
    segmenter = segmenter or Segmenter(config_dir, models_dir)
    matrix = features.counts(texts, [segmenter.words(t) for t in texts])
    idf = features.fit_idf(matrix)
    model = _fit_one_vs_rest(features.weigh(matrix, idf), targets[:, usable])
    tags = [str(binarizer.classes_[j]) for j in usable]
    weights = sparse.csc_matrix(np.vstack([e.coef_[0] for e in model.estimators_]).T)
    bias = np.array([e.intercept_[0] for e in model.estimators_])
    _save(TagModel(tags, idf, weights, bias).to_state(), models_dir / TAGS_FILE)
    return {"tags": tags, "texts": len(texts)}


def _fit_one_vs_rest(matrix, targets):
    classifier = LogisticRegression(max_iter=1000, random_state=0, **TAG_PARAMS)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a silently degenerate model is worse than an error
        return OneVsRestClassifier(classifier).fit(matrix, targets)
