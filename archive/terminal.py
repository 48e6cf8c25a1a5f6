"""What every `archive` command shares: the archive its settings name, and JSON output."""

from __future__ import annotations

import json

import click

from archive.archive import Archive
from archive.settings import Settings
from archive.store import StoreError


def print_json(data) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


def open_archive(ctx: click.Context, *, catch_up: bool = True) -> Archive:
    """The archive of the command's `--data-dir`; a damaged store is a message, not a trace.
    `catch_up=False` opens it without bringing the index up to date first."""
    settings: Settings = ctx.obj["settings"]
    try:
        return Archive.from_settings(settings, catch_up=catch_up)
    except StoreError as err:
        raise click.ClickException(str(err)) from err
