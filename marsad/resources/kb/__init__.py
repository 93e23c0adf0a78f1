"""Curated actor knowledge base (TSV data); see docs/actors.md and marsad/extract/kb.py."""
