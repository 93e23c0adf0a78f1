"""The ``marsad`` command line.  Only this package prints.

:func:`main` is the console entry point (``marsad = marsad.cli:main``); each command group lives in
its own module and is added here, explicitly:

* :mod:`.run`       ``run``, ``doctor``, ``demo``
* :mod:`.articles`  ``show``, ``search``
* :mod:`.events`    ``events``
* :mod:`.actors`    ``actor``
* :mod:`.ledger`    ``stats``, ``rejects``
* :mod:`.exports`   ``export``, ``download`` (:mod:`.downloads`: a filtered list, as the web's download bar writes it)
* :mod:`.serve`     ``serve``
* :mod:`.evaluation` ``eval ...``, ``train ...``
* :mod:`.corpus`    ``corpus ...`` (and ``eval corpus``)
* :mod:`.stories`   ``stories``, ``story`` (and ``eval stories``, ``train stories``)
* :mod:`.corrections` ``corrections stats|list|export``

Shared options (one ``--db``) are in :mod:`.options`, the one way of printing rows (table, JSON,
CSV) in :mod:`.output`, and the escaping of article text for the terminal in :mod:`.display`.
"""

from __future__ import annotations

import logging
import sys

import click

from .. import __version__
from ..errors import MarsadError
from .display import set_mode, shown
from .output import console, err


class Main(click.Group):
    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except MarsadError as e:
            err.print(f"[red]error:[/red] {shown(e, arabic=False)}", soft_wrap=True)  # one line, as written
            sys.exit(2)


@click.group(cls=Main)
@click.version_option(__version__)
@click.option("-v", "--verbose", count=True, help="more log output (-vv for debug)")
@click.option(
    "--bidi",
    type=click.Choice(["auto", "on", "off"]),
    default="auto",
    help="reorder Arabic for terminals without bidi support",
)
def main(verbose, bidi):
    """marsad (مرصد): Arabic news → a structured, cited record of conflict and diplomacy."""
    level = logging.ERROR if verbose == 0 else logging.INFO if verbose == 1 else logging.DEBUG
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")
    set_mode(bidi)


def _register() -> None:
    from . import actors, articles, corpus, corrections, evaluation, events, exports, ledger, outlets, run, serve
    from . import steps, stories

    mods = (run, articles, events, actors, ledger, steps, exports, serve, evaluation, corpus, stories, outlets)
    for mod in mods + (corrections,):
        for c in mod.COMMANDS:
            main.add_command(c)
        for c in getattr(mod, "EVAL_COMMANDS", ()):
            evaluation.eval_group.add_command(c)
        for c in getattr(mod, "TRAIN_COMMANDS", ()):
            evaluation.train_group.add_command(c)


_register()

__all__ = ["console", "err", "main"]
