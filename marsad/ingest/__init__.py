"""Ingest: read raw inputs (txt, html, jsonl/json, ANT/TREC, gz, folders) into :class:`RawDoc`
records or :class:`Reject` entries, decode their bytes, clean web chrome off the text
(:mod:`marsad.ingest.clean`), find the publication date (:mod:`marsad.ingest.published`) and
make the :class:`~marsad.model.Article` the pipeline reads (:func:`to_article`)."""

from marsad.ingest.records import MAX_ARTICLE_BYTES, RawDoc, Reject
from marsad.ingest.decode import decode_bytes
from marsad.ingest.published import parse_date
from marsad.ingest.readers import read_inputs
from marsad.ingest.clean import Cleaned, clean_document
from marsad.ingest.article import to_article

__all__ = [
    "RawDoc",
    "Reject",
    "read_inputs",
    "decode_bytes",
    "parse_date",
    "MAX_ARTICLE_BYTES",
    "Cleaned",
    "clean_document",
    "to_article",
]
