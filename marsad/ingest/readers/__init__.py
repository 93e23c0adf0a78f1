"""Readers: paths → a stream of :class:`RawDoc` and :class:`Reject`.

Formats: ``.txt`` (any encoding :func:`decode_bytes` reads), ``.html``/``.htm``, ``.jsonl``/``.ndjson``
(one record a line, read line by line), ``.json`` (one object, an array, or JSON lines), the
ANT/TREC format (``<DOC><DOCNO>…<TEXT>…</TEXT></DOC>``, recognised by its content whatever the
extension) and any of those gzipped (``NAME.txt.gz``).  Folders are walked recursively in sorted
order; hidden entries (``.name``) are skipped.  ``NAME.meta.json`` next to ``NAME.txt``/``NAME.html``
is that article's sidecar (``published``, ``outlet``, ``url``, ``title``, anything else → meta).

Every input yields documents or rejects; nothing raises.  One article (file, JSONL line or TREC
document) may be at most :data:`MAX_ARTICLE_BYTES`; larger ones are rejected ``too-large``
without being read whole.

Modules: :mod:`.dispatch` (format detection, folder walking, :func:`read_inputs`), :mod:`.single`
(txt/html and sidecars), :mod:`.records` (JSONL/JSON records), :mod:`.trec` (ANT/TREC) and
:mod:`.common` (what they share).
"""

from marsad.ingest.published import parse_date

from .common import SUPPORTED
from .dispatch import read_inputs

__all__ = ["read_inputs", "parse_date", "SUPPORTED"]
