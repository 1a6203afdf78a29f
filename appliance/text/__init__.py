"""Offline text engine: segmentation, keywords, sentiment, tags, sensitive words."""
from .analyzer import Analysis, Analyzer, ModelsMissing
from .build import build_models, evaluate, train_tags
from .keywords import hot_words, rising_words

__all__ = ["Analysis", "Analyzer", "ModelsMissing", "build_models", "evaluate", "train_tags",
           "hot_words", "rising_words"]
