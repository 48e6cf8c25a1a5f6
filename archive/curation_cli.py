"""The curation commands of `archive`: edit, places-edit, rules, delete, restore, purge,
split, history, revert and reprocess. Each change is recorded as made by "cli:<OS user>"."""

from __future__ import annotations

import getpass
import json
import sys

import click
from tqdm import tqdm

from archive.curation import CurationError, NotFound, describe_rule
from archive.reprocess import Reprocessor
from archive.terminal import open_archive as _open
from archive.terminal import print_json as _dump


def editor() -> str:
    """Who the history names for a change made from a terminal or a script."""
    try:
        user = getpass.getuser()
    except (KeyError, OSError):  # no user name for this uid (a bare container)
        user = "unknown"
    return f"cli:{user}"


def _run(ctx: click.Context, action):
    """Run one correction: a bad value is a usage error (exit 2), an unknown id exit 1."""
    with _open(ctx) as archive:
        try:
            return action(archive)
        except CurationError as err:
            raise click.UsageError(str(err)) from err
        except NotFound as err:
            raise click.ClickException(str(err)) from err


def _changed(changes) -> None:
    changes = changes if isinstance(changes, list) else [changes]
    if not changes:
        click.echo("nothing changed: the values were already so")
    for change in changes:
        click.echo(f"change {change} recorded (undo: archive revert {change})")


@click.command()
@click.argument("article_id")
@click.option("--title")
@click.option("--source", help="The outlet.")
@click.option("--date", help="Publication date, YYYY-MM-DD.")
@click.option("--lang", "language", help="Language code, e.g. en.")
@click.option("--url")
@click.option("--author")
@click.pass_context
def edit(ctx, article_id, **values):
    """Correct an article's metadata; the value becomes `edited` and wins over extraction.

    An empty value ("") makes a field unknown (not the title)."""
    values = {k: v for k, v in values.items() if v is not None}
    if not values:
        raise click.UsageError("say what to change: --title, --source, --date, ...")
    _changed(_run(ctx, lambda a: a.curation.edit(article_id, values, editor())))


@click.command("places-edit")
@click.argument("article_id")
@click.option("--remove", multiple=True, help="A place wrongly found (name, words or id).")
@click.option("--add", multiple=True, help="A missing place (any name, or a GeoNames id).")
@click.pass_context
def places_edit(ctx, article_id, remove, add):
    """Remove wrong places from one article and add missing ones."""
    _changed(_run(ctx, lambda a: a.curation.edit_places(article_id, remove, add, editor=editor())))


@click.group()
def rules():
    """Archive-wide corrections: "NAME is not a place", "NAME means PLACE", "outlet A is
    outlet B". Each applies at once to the articles it affects and to every later one."""


@rules.command("list")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def rules_list(ctx, as_json):
    """The rules in force."""
    with _open(ctx) as archive:
        found = archive.store.rules()
    if as_json:
        _dump(found)
        return
    if not found:
        click.echo("no rules")
    for rule in found:
        click.echo(f"{rule['id']:>4}  {describe_rule(rule)}  ({rule['editor']}, {rule['at']})")


@rules.command("add")
@click.argument("name")
@click.option("--not-a-place", "not_a_place", is_flag=True, help="NAME is never a place.")
@click.option("--means", help="NAME means this place (any name or a GeoNames id).")
@click.option("--is-outlet", "is_outlet", help="Outlet NAME is this outlet (the name kept).")
@click.option("--source", help="With --not-a-place: only in this outlet's articles.")
@click.option("--lang", "language", help="With --not-a-place: only in this language.")
@click.option("--json", "as_json", is_flag=True, help='Print {"change": ID}.')
@click.pass_context
def rules_add(ctx, name, not_a_place, means, is_outlet, source, language, as_json):
    """Add a rule: `rules add August --not-a-place`, `rules add Deraa --means Daraa`,
    `rules add "Planet" --is-outlet "Daily Planet"`."""
    kinds = [
        k for k, on in (("not-a-place", not_a_place), ("alias", means), ("outlet", is_outlet)) if on
    ]
    if len(kinds) != 1:
        raise click.UsageError("give one of --not-a-place, --means PLACE, --is-outlet NAME")
    if (source or language) and kinds[0] != "not-a-place":
        raise click.UsageError("--source and --lang narrow only a --not-a-place rule")
    target = means or is_outlet
    change = _run(
        ctx,
        lambda a: a.curation.add_rule(
            kinds[0], name, target, source=source, language=language, editor=editor()
        ),
    )
    if as_json:
        _dump({"change": change})
    else:
        _changed(change)


@rules.command("remove")
@click.argument("rule_id", type=int)
@click.option("--json", "as_json", is_flag=True, help='Print {"change": ID}.')
@click.pass_context
def rules_remove(ctx, rule_id, as_json):
    """Take a rule back; the articles it changed are recomputed without it."""
    change = _run(ctx, lambda a: a.curation.remove_rule(rule_id, editor()))
    if as_json:
        _dump({"change": change})
    else:
        _changed(change)


@click.command()
@click.argument("article_id")
@click.option("--why", help="Why it is deleted (kept with the tombstone).")
@click.pass_context
def delete(ctx, article_id, why):
    """Hide an article from search, facets, feeds, similar articles and readers (undo:
    `archive restore`). Nothing is removed until `archive purge`."""
    _changed(_run(ctx, lambda a: a.curation.delete(article_id, editor(), why)))


@click.command()
@click.argument("article_id")
@click.pass_context
def restore(ctx, article_id):
    """Bring a deleted article back everywhere."""
    _changed(_run(ctx, lambda a: a.curation.restore(article_id, editor())))


@click.command()
@click.argument("article_id")
@click.option("--yes", is_flag=True, help="Do not ask (for scripts).")
@click.pass_context
def purge(ctx, article_id, yes):
    """Remove a deleted article for good, its original bytes included. No undo."""
    if not yes:
        if not sys.stdin.isatty():
            raise click.UsageError("purging cannot be undone: confirm with --yes")
        click.confirm(f"Remove {article_id} and its original for good?", abort=True)
    _changed(_run(ctx, lambda a: a.curation.purge(article_id, editor())))


@click.command()
@click.argument("article_id")
@click.pass_context
def split(ctx, article_id):
    """Make a version wrongly folded into a story a story of its own (for good)."""
    _changed(_run(ctx, lambda a: a.curation.split(article_id, editor())))


@click.command()
@click.argument("article_id")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def history(ctx, article_id, as_json):
    """Every change of one article: what, old and new value, when, and who."""
    rows = _run(ctx, lambda a: a.curation.history(article_id))
    if as_json:
        _dump(rows)
        return
    if not rows:
        click.echo("no changes")
    for row in rows:
        undone = f"  (reverted by {row['reverted_by']})" if row["reverted_by"] else ""
        click.echo(
            f"{row['id']:>5}  {row['at']}  {row['editor']}  {row['kind']}"
            f" {row['field'] or ''}: {_short(row['old'])} -> {_short(row['new'])}{undone}"
        )


def _short(value) -> str:
    if isinstance(value, dict) and set(value) == {"value", "basis"}:
        value = value["value"]
    text = json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else value
    return text if len(text) <= 80 else text[:79] + "…"


@click.command()
@click.argument("change_id", type=int)
@click.pass_context
def revert(ctx, change_id):
    """Undo one change (from `archive history`); the undo is recorded too."""
    _changed(_run(ctx, lambda a: a.curation.revert(change_id, editor())))


@click.command()
@click.argument("ids", nargs=-1)
@click.option("--all", "every", is_flag=True, help="Every article.")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def reprocess(ctx, ids, every, as_json):
    """Run extraction, language, places and near-duplicates again on the stored originals,
    keeping every stated and edited value and applying every rule."""
    if bool(ids) == every:
        raise click.UsageError("give article ids or --all")
    counts: dict[str, int] = {}
    with _open(ctx) as archive:
        worker = Reprocessor(archive, editor())
        todo = worker.ids(None if every else ids)
        bar = tqdm(
            total=len(todo),
            unit=" articles",
            file=sys.stderr,
            disable=as_json or not sys.stderr.isatty(),
        )
        with bar:
            for outcome in worker.run(todo):
                counts[outcome.status] = counts.get(outcome.status, 0) + 1
                bar.update(1)
                if as_json:
                    click.echo(json.dumps(outcome.to_json(), ensure_ascii=False))
                elif outcome.status != "unchanged":
                    line = f"{outcome.id}: {outcome.status}"
                    bar.write(line + (f" ({outcome.note})" if outcome.note else ""))
    summary = ", ".join(f"{n} {s}" for s, n in sorted(counts.items())) or "nothing"
    click.echo(json.dumps({"summary": counts}) if as_json else f"reprocessed: {summary}")
    ctx.exit(1 if counts.get("rejected") else 0)


COMMANDS = [edit, places_edit, rules, delete, restore, purge, split, history, revert, reprocess]
