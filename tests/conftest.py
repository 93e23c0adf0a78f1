import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("MARSAD_SHARED", ROOT.parent / "shared"))


@pytest.fixture
def shared():
    if not (SHARED / "gold" / "seeds.jsonl").exists():
        pytest.skip("../shared is absent")
    return SHARED


# -- the browser tests' shared fixtures (helpers in browser_kit.py) --------------------------------


@pytest.fixture(scope="session")
def chromium():
    """One headless Chromium for the session's browser tests (skips when it cannot start)."""
    from browser_kit import chromium_driver, require_browser

    require_browser()
    with chromium_driver() as drv:
        yield drv


@pytest.fixture(scope="session")
def artifacts() -> Path:
    from browser_kit import artifacts_dir

    return artifacts_dir()


@pytest.fixture(scope="session")
def real_store(tmp_path_factory) -> Path:
    """A store of ≥ 300 real articles (ANT, 10-13 April 2018, none reserved) built by `marsad run`."""
    from browser_kit import build_real_store

    if not (SHARED / "corpus" / "ant_unlabeled.jsonl").exists():
        pytest.skip("../shared is absent")
    return build_real_store(tmp_path_factory.mktemp("real") / "real.duckdb", SHARED)


@pytest.fixture(scope="session")
def real_server(real_store):
    """The web app on the real-article store, on a loopback port (no rate limit: one test client)."""
    from browser_kit import serving

    from marsad.api import create_app

    with serving(create_app(real_store, rate_limit=0)) as url:
        yield url
