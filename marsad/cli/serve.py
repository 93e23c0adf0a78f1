"""``marsad serve``: the web pages and the JSON API over a store, with uvicorn."""

from __future__ import annotations

import click

from . import options
from .workers import BALANCED, run_workers

LOOPBACK = ("127.0.0.1", "localhost", "::1")
WILDCARD_BINDS = ("0.0.0.0", "::")  # every interface: no Host name a client would send


@click.command()
@options.db
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="address to bind (loopback by default; 0.0.0.0 exposes the store to the network)",
)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535))
@click.option("--writable", is_flag=True, help="open the store read-write (the server itself never writes)")
@click.option(
    "--workers",
    default=1,
    show_default=True,
    type=click.IntRange(1, 64),
    help="worker processes (each opens the store read-only; on Linux each listens on its own "
    "SO_REUSEPORT socket, so the kernel spreads the connections over them)",
)
@click.option(
    "--allow-host",
    "allow_hosts",
    multiple=True,
    metavar="NAME",
    help="a Host name to answer besides localhost, 127.0.0.1, [::1] and the --host address; repeatable; "
    "'*.example.org' for its subdomains, '*' for any name (turns the DNS-rebinding check off)",
)
@click.option(
    "--rate-limit",
    default=20.0,
    show_default=True,
    type=click.FloatRange(min=0),
    help="requests a second per client address, sustained, bursts of three seconds' worth (per worker); "
    "over it: 429 with Retry-After; 0: no limit",
)
@click.option(
    "--corrections",
    "corrections",
    default=None,
    type=click.Path(dir_okay=False),
    help="the file analysts' corrections are written to (default: <db>.corrections.sqlite; read-only "
    "when it cannot be written)",
)
@click.option("--no-corrections", is_flag=True, help="no corrections: no flag/fix forms, the corrections API off")
@click.option(
    "--cache-mb",
    default=64.0,
    show_default=True,
    type=click.FloatRange(min=0),
    help="memory per worker for whole answers kept while neither the store nor the corrections change (a "
    "run's new batch or a correction empties it); with --workers N the workers also share the answers they "
    "computed, through a temporary file of this size; 0: none",
)
@click.option(
    "--max-pending",
    default=64,
    show_default=True,
    type=click.IntRange(min=0),
    help="requests under way at once per worker; one more is answered 503 with Retry-After; 0: no bound",
)
@click.option(
    "--log-level",
    default="warning",
    show_default=True,
    type=click.Choice(["critical", "error", "warning", "info", "debug"]),
)
def serve(
    db,
    host,
    port,
    writable,
    workers,
    allow_hosts,
    rate_limit,
    corrections,
    no_corrections,
    cache_mb,
    max_pending,
    log_level,
):
    """Browse, search and audit the store in a web browser; JSON API under /api/."""

    import uvicorn

    from ..api import create_app
    from .output import console, err

    if host not in LOOPBACK:
        err.print(
            f"[yellow]warning:[/yellow] serving on {host}: anyone who can reach it can read the store", soft_wrap=True
        )
    hosts = list(allow_hosts) + ([host] if host not in WILDCARD_BINDS else [])
    if host in WILDCARD_BINDS and not allow_hosts:
        err.print(
            "[yellow]note:[/yellow] only requests naming localhost, 127.0.0.1 or ::1 are answered: "
            "--allow-host NAME for the names clients use to reach this machine",
            soft_wrap=True,
        )
    corr = False if no_corrections else corrections
    _corrections_note(db, corr)
    opts = dict(
        allowed_hosts=hosts, rate_limit=rate_limit, corrections=corr, cache_mb=cache_mb, max_pending=max_pending
    )
    if workers > 1:
        if writable:
            raise click.UsageError("--writable needs a single worker")
        _serve_workers(db, host, port, workers, opts, log_level)
        return
    app = create_app(db, read_only=not writable, **opts)
    console.print(
        f"marsad serving {db} on http://{host}:{port}/ ({'read-write' if writable else 'read-only'}); Ctrl-C stops",
        soft_wrap=True,
    )
    uvicorn.run(app, host=host, port=port, log_level=log_level)


def _serve_workers(db: str, host: str, port: int, workers: int, opts: dict, log_level: str) -> None:
    """Serve with ``workers`` processes (read-only), each building the app from the environment."""
    import json
    import os
    import shutil
    import tempfile

    import uvicorn

    from ..api import create_app
    from .output import console

    # the answers the workers share (api.cache.SharedAnswers): a file of this server's own
    scratch = tempfile.mkdtemp(prefix="marsad-serve-")
    shared = os.path.join(scratch, "answers.sqlite") if opts["cache_mb"] > 0 else None
    os.environ["MARSAD_SERVE_DB"] = db
    os.environ["MARSAD_SERVE_OPTIONS"] = json.dumps(dict(opts, shared_cache=shared))
    factory = "marsad.cli.serve:_app_from_env"

    def announce(bound):
        console.print(f"marsad serving {db} on http://{host}:{bound}/ ({workers} workers, read-only)", soft_wrap=True)

    try:
        create_app(db).state.store.close()  # fail early, with a clear message, if the store is missing
        if not BALANCED:
            announce(port)
            uvicorn.run(factory, factory=True, host=host, port=port, workers=workers, log_level=log_level)
            return
        try:  # each worker on its own SO_REUSEPORT socket: the kernel spreads the connections
            code = run_workers(factory, host, port, workers, log_level, announce)
        except OSError as e:
            raise click.ClickException(f"cannot listen on {host}:{port}: {e.strerror or e}") from None
        if code:
            raise click.ClickException("the workers kept exiting at start; see the messages above")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _corrections_note(db, corr) -> None:
    from ..api.app import open_corrections
    from .output import err

    store = open_corrections(db, corr)
    if store is not None and not store.writable:
        err.print(
            f"[yellow]note:[/yellow] corrections are read-only: {store.path} cannot be written "
            "(--corrections PATH for another file)",
            soft_wrap=True,
        )


def _app_from_env():
    import json
    import os

    from ..api import create_app

    return create_app(os.environ["MARSAD_SERVE_DB"], **json.loads(os.environ.get("MARSAD_SERVE_OPTIONS", "{}")))


COMMANDS = [serve]
