"""Shipped encoder model files of the `accurate` NER profile (rebuilt by ``marsad train encoder``)."""
