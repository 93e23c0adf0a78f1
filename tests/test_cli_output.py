"""The CLI's one output helper: the same rows as a table, JSON, JSON lines or CSV, with the text of
the input never reaching the terminal as control sequences."""

from __future__ import annotations

import csv
import io
import json
import re

import click
from click.testing import CliRunner

from marsad.cli.output import Column, col, output_rows

EVIL = "خبر \x1b[31mأحمر\x1b[0m [bold]x[/bold] \x9b1m"
ROWS = [{"id": "a1", "text": EVIL, "sides": ["س", "ص"], "n": 3}, {"id": "a2", "text": "عادي", "sides": [], "n": None}]
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _out(fmt: str) -> str:
    @click.command()
    def cmd():
        output_rows(
            ROWS, fmt, [col("id", arabic=False), col("text"), Column("n", lambda r: r["n"], arabic=False)], title="rows"
        )

    r = CliRunner().invoke(cmd, [])
    assert r.exit_code == 0, r.output
    return r.output


def test_every_format_gives_every_row_without_control_characters():
    for fmt in ("table", "json", "jsonl", "csv"):
        assert not CONTROL.search(_out(fmt)), fmt
    assert [r["text"] for r in json.loads(_out("json"))] == [EVIL, "عادي"]  # JSON keeps the data whole
    assert [json.loads(line)["id"] for line in _out("jsonl").splitlines()] == ["a1", "a2"]
    rows = list(csv.DictReader(io.StringIO(_out("csv"))))
    assert [r["id"] for r in rows] == ["a1", "a2"] and rows[0]["sides"] == "س|ص" and rows[1]["n"] == ""
    assert "أحمر" in rows[0]["text"]
    table = _out("table")
    assert "a1" in table and "a2" in table and "[bold]x[/bold]" in table  # markup shown, not applied
