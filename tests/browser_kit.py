"""What the browser tests share: a headless Chromium (selenium + chromedriver), a uvicorn server on a
free loopback port, a store of real articles built by ``marsad run`` from ``../shared``, and small
helpers.  The fixtures that use them live in ``conftest.py`` (``chromium``, ``real_store``,
``real_server``); a test module imports the helpers it needs from here.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = os.environ.get("MARSAD_CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("MARSAD_CHROMEDRIVER", "/usr/bin/chromedriver")
# the real-article store: ANT articles of 10-13 April 2018 outside the reserved ids (426 articles)
REAL_DAYS = ("20180410", "20180411", "20180412", "20180413")


def require_browser() -> None:
    """Skip the calling test module when selenium, chromium or chromedriver is missing."""
    try:
        import selenium.webdriver  # noqa: F401
    except ImportError:
        pytest.skip("selenium is not installed", allow_module_level=True)
    if not (Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()):
        pytest.skip(
            f"needs {CHROMIUM} and {CHROMEDRIVER} (Debian packages chromium, chromium-driver)", allow_module_level=True
        )


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def serving(app):
    """Serve ``app`` with uvicorn in a thread on a free loopback port; yields the base URL."""
    import uvicorn

    port = _free_port()
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    th = threading.Thread(target=srv.run, daemon=True)
    th.start()
    deadline = time.monotonic() + 20
    while not srv.started:
        if time.monotonic() > deadline or not th.is_alive():
            pytest.fail("the uvicorn server did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        srv.should_exit = True
        th.join(timeout=10)


@contextlib.contextmanager
def chromium_driver():
    """A headless Chromium with a fresh profile; skips when it cannot start."""
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="marsad-chromium-")
    opts = Options()
    opts.binary_location = CHROMIUM
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-quic",
        "--no-first-run",
        "--disable-sync",
        "--disable-dev-shm-usage",
        "--disable-extensions",
        "--lang=en-US",
        "--window-size=1400,1000",
        f"--user-data-dir={profile}",
    ):
        opts.add_argument(flag)
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    try:
        drv = webdriver.Chrome(options=opts, service=Service(executable_path=CHROMEDRIVER))
    except Exception as e:  # a broken browser install is an environment problem, not a marsad bug
        shutil.rmtree(profile, ignore_errors=True)
        pytest.skip(f"chromium could not start: {e}")
    drv.set_page_load_timeout(30)
    try:
        yield drv
    finally:
        drv.quit()
        shutil.rmtree(profile, ignore_errors=True)


def real_records(shared: Path) -> list[dict]:
    """The ANT records of ``REAL_DAYS`` that are not reserved for evaluation, each with its source
    ``url`` when the benchmark file (``ant_bench.jsonl``, the same records with their URLs) has it."""
    reserved = set((shared / "corpus" / "reserved_ids.txt").read_text(encoding="utf-8").split())
    urls = {}
    with open(shared / "corpus" / "ant_bench.jsonl", encoding="utf-8") as fh:
        for line in fh:
            r = json.loads(line)
            if r.get("url") and r["id"].rsplit("-", 1)[-1] in REAL_DAYS:
                urls[r["id"]] = r["url"]
    out = []
    with open(shared / "corpus" / "ant_unlabeled.jsonl", encoding="utf-8") as fh:
        for line in fh:
            r = json.loads(line)
            if r["id"] not in reserved and r["id"].rsplit("-", 1)[-1] in REAL_DAYS:
                if not r.get("url") and r["id"] in urls:
                    r["url"] = urls[r["id"]]
                out.append(r)
    return out


def build_real_store(db: Path, shared: Path) -> Path:
    """Run ``marsad run`` (all steps, stories included) over the real records into ``db``."""
    src = db.parent / "real-articles.jsonl"
    with open(src, "w", encoding="utf-8") as fh:
        for r in real_records(shared):
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    cmd = [sys.executable, "-c", "from marsad.cli import main; main()", "--bidi", "off", "run", "--db", str(db)]
    cmd += ["--quiet", str(src)]
    subprocess.run(cmd, check=True, cwd=db.parent, capture_output=True, timeout=1800)
    return db


def wait(drv, cond, timeout: float = 10):
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(drv, timeout).until(cond)


def no_alert(drv) -> bool:
    from selenium.common.exceptions import NoAlertPresentException

    try:
        drv.switch_to.alert
    except NoAlertPresentException:
        return True
    return False


def js_errors(drv) -> list[str]:
    try:
        logs = drv.get_log("browser")
    except Exception:  # pragma: no cover - a driver without the log endpoint
        return []
    return [e["message"] for e in logs if e.get("level") == "SEVERE" and "favicon" not in e["message"]]


def svg_href(drv, el) -> str:
    """An SVG link's target (``get_attribute`` gives an SVGAnimatedString for SVG <a>)."""
    return drv.execute_script("return new URL(arguments[0].getAttribute('href'), location.href).href", el)


def screenshot(drv, path: Path, full: bool = True) -> Path:
    if full:  # grow the window to the page so the picture shows all of it
        h = drv.execute_script("return Math.min(document.documentElement.scrollHeight, 4000)")
        drv.set_window_size(1400, max(900, int(h)))
    drv.save_screenshot(str(path))
    drv.set_window_size(1400, 1000)
    assert path.stat().st_size > 10_000
    return path


def artifacts_dir() -> Path:
    d = Path(os.environ.get("MARSAD_ARTIFACTS", ROOT / "artifacts"))
    try:
        d.mkdir(parents=True, exist_ok=True)
    except OSError:
        d = Path(tempfile.mkdtemp(prefix="marsad-artifacts-"))
    return d
