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
