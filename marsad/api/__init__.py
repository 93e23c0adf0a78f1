"""The HTTP side of marsad: a read-only JSON API (``/api/...``) and the server-rendered web pages.

``create_app(db_path)`` builds the FastAPI application; ``marsad serve`` runs it with uvicorn.
"""

from .app import create_app

__all__ = ["create_app"]
