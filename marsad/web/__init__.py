"""Server-rendered web pages (Jinja2) and their bundled static assets (no CDN, no build step)."""

from pathlib import Path

HERE = Path(__file__).resolve().parent
STATIC_DIR = HERE / "static"
TEMPLATES_DIR = HERE / "templates"
