"""The text engine's entry point: ``Analyzer.load(...).analyse_batch(texts)``."""
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import joblib

from . import features
from .keywords import IdfTable
from .normalize import detect_language, load_table, normalise
from .resources import DEFAULT_SETTINGS, WatchedFile, read_settings, read_toml
from .segment import Segmenter
from .sensitive import SensitiveMatcher
from .sentiment import SentimentModel
from .tags import TagModel, parse_taxonomy

SENTIMENT_FILE = "sentiment.joblib"
TAGS_FILE = "tags.joblib"


class ModelsMissing(RuntimeError):
    """The sentiment models have not been built into the models directory."""


@dataclass
class Analysis:
    language: str
    sentiment: str
    score: float
    keywords: list
    tags: list
    sensitive: list
    tokens: list = field(default_factory=list)
    model_version: str = ""

    def to_dict(self):
        return asdict(self)


def as_text(value):
    """Anything -> str: None is empty, bytes are decoded leniently."""
    if value is None:
        return ""
    if isinstance(value, (bytes, bytearray)):
        return bytes(value).decode("utf-8", errors="replace")
    return value if isinstance(value, str) else str(value)


def load_models(models_dir):
    path = Path(models_dir) / SENTIMENT_FILE
    if not path.is_file():
        raise ModelsMissing(f"no sentiment models in {models_dir}: run `cem text build-models`")
    bundle = joblib.load(path)
    languages = {lang: SentimentModel.from_state(s) for lang, s in bundle["languages"].items()}
    return languages, IdfTable.from_state(bundle["idf"]), bundle["version"]


class Analyzer:
    def __init__(self, config_dir, models_dir, segmenter, sentiment_models, idf, version):
        self.config_dir, self.models_dir = Path(config_dir), Path(models_dir)
        self.segmenter = segmenter
        self.sentiment_models = sentiment_models
        self.idf = idf
        self.model_version = version
        self.settings_file = WatchedFile(self.config_dir / "settings.toml", read_settings,
                                         dict(DEFAULT_SETTINGS))
        self.taxonomy_file = WatchedFile(self.config_dir / "taxonomy.toml",
                                         lambda p: parse_taxonomy(read_toml(p)), [])
        self.sensitive_file = WatchedFile(self.config_dir / "sensitive.toml",
                                          lambda p: SensitiveMatcher(read_toml(p)), SensitiveMatcher({}))
        self.tag_model_file = WatchedFile(self.models_dir / TAGS_FILE,
                                          lambda p: TagModel.from_state(joblib.load(p)), None)
        self.load_seconds = 0.0

    @classmethod
    def load(cls, config_dir, models_dir):
        started = time.perf_counter()
        config_dir, models_dir = Path(config_dir), Path(models_dir)
        load_table(models_dir / "normalise.pickle")
        sentiment_models, idf, version = load_models(models_dir)
        analyzer = cls(config_dir, models_dir, Segmenter(config_dir, models_dir),
                       sentiment_models, idf, version)
        analyzer.refresh()
        analyzer.load_seconds = time.perf_counter() - started
        return analyzer

    def refresh(self):
        """Pick up edited config files and a newly trained tag model."""
        self.segmenter.refresh()
        for watched in (self.settings_file, self.taxonomy_file, self.sensitive_file, self.tag_model_file):
            watched.changed()

    @property
    def taxonomy(self):
        return self.taxonomy_file.value

    def analyse(self, text):
        return self.analyse_batch([text])[0]

    def analyse_batch(self, texts):
        self.refresh()
        settings = self.settings_file.value
        originals = [as_text(t) for t in texts]
        if not originals:
            return []
        normalised = [normalise(t) for t in originals]
        cut = [n[: settings["max_chars"]] for n in normalised]
        words = [self.segmenter.words(n) for n in cut]
        languages = [detect_language(n) for n in cut]
        matrix = features.counts(cut, words)
        probabilities = self._positive_probabilities(matrix, languages)
        model_tags = self._model_tags(matrix, settings)
        results = []
        for i, original in enumerate(originals):
            content = self.segmenter.content(words[i])
            label, score = sentiment_label(probabilities[i], bool(words[i]), settings["neutral_band"])
            results.append(Analysis(
                language=languages[i], sentiment=label, score=score,
                keywords=self.idf.keywords(content, settings["keywords_per_text"]),
                tags=self._tags(normalised[i], model_tags[i]),
                sensitive=self.sensitive_file.value.find(original, normalised[i]),
                tokens=content, model_version=self.model_version))
        return results

    def _positive_probabilities(self, matrix, languages):
        probabilities = [None] * len(languages)
        for language, model in self.sentiment_models.items():
            rows = [i for i, lang in enumerate(languages) if lang == language]
            if rows:
                for i, p in zip(rows, model.positive_probability(matrix[rows])):
                    probabilities[i] = float(p)
        return probabilities

    def _model_tags(self, matrix, settings):
        model = self.tag_model_file.value
        if model is None or matrix.shape[0] == 0:
            return [[] for _ in range(matrix.shape[0])]
        return model.predict(matrix, settings["tag_model_threshold"])

    def _tags(self, normalised, model_tags):
        tags = [{"tag": rule.tag, "by": "rule"} for rule in self.taxonomy if rule.matches(normalised)]
        ruled = {t["tag"] for t in tags}
        return tags + [{"tag": tag, "by": "model"} for tag in model_tags if tag not in ruled]


def sentiment_label(probability, has_words, band):
    """("positive"|"negative"|"neutral", score) from P(positive)."""
    if probability is None or not has_words:
        return "neutral", 0.5
    score = round(probability, 4)
    if abs(probability - 0.5) < band:
        return "neutral", score
    return ("positive" if probability > 0.5 else "negative"), score
