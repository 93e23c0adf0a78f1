"""marsad (مرصد): Arabic news → a structured, cited record of conflict and diplomacy."""

__version__ = "0.1.0"


def process(text: str, published=None, **kw):
    """Run the full pipeline on one raw article text and return an :class:`~marsad.model.Article`."""
    from .api_py import process as _process

    return _process(text, published=published, **kw)
