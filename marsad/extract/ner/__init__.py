"""Arabic named-entity recognition in ANERcorp types (PERS/ORG/LOC/MISC, BIO).

``NerTagger.load().tag(sentences)`` runs the shipped model (``marsad/resources/ner``) on the CPU
with onnxruntime; training (torch) lives in :mod:`marsad.extract.ner.train`.  See ``docs/ner.md``.
"""

from .model import LABELS, NerTagger

__all__ = ["NerTagger", "LABELS"]
