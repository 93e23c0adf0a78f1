"""``marsad serve``: the web pages and the JSON API over a store, with uvicorn."""

from __future__ import annotations

import click

from . import options

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
    help="uvicorn worker processes (each opens the store read-only)",
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
    "run's new batch or a correction empties it); 0: none",
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
    import json

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
    if workers > 1:
        if writable:
            raise click.UsageError("--writable needs a single worker")
        import os

        os.environ["MARSAD_SERVE_DB"] = db
        os.environ["MARSAD_SERVE_OPTIONS"] = json.dumps(
            {
                "allowed_hosts": hosts,
                "rate_limit": rate_limit,
                "corrections": corr,
                "cache_mb": cache_mb,
                "max_pending": max_pending,
            }
        )
        create_app(db).state.store.close()  # fail early, with a clear message, if the store is missing
        console.print(f"marsad serving {db} on http://{host}:{port}/ ({workers} workers, read-only)", soft_wrap=True)
        uvicorn.run(
            "marsad.cli.serve:_app_from_env", factory=True, host=host, port=port, workers=workers, log_level=log_level
        )
        return
    app = create_app(
        db,
        read_only=not writable,
        allowed_hosts=hosts,
        rate_limit=rate_limit,
        corrections=corr,
        cache_mb=cache_mb,
        max_pending=max_pending,
    )
    console.print(
        f"marsad serving {db} on http://{host}:{port}/ ({'read-write' if writable else 'read-only'}); Ctrl-C stops",
        soft_wrap=True,
    )
    uvicorn.run(app, host=host, port=port, log_level=log_level)


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
