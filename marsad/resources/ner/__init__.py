"""Shipped NER model files (rebuilt by ``marsad train ner``)."""
