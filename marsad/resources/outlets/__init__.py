"""The outlet table (outlets.json): one row per news outlet, its names and aliases; see docs/web.md "Outlets"."""
