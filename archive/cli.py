"""The `archive` command: the same jobs as the web app, from a terminal or a script."""

from __future__ import annotations

import json
import os
import sys
from contextlib import ExitStack
from pathlib import Path

import click

from archive import migration
from archive.archive import export_jsonl
from archive.curation_cli import COMMANDS as CURATION_COMMANDS
from archive.extract import kind_for
from archive.extract.sidecar import read_sidecar
from archive.ingest import Submission, prepare
from archive.language import language_name
from archive.model import AddResult, Rejected
from archive.places import extract_places
from archive.progress import IngestProgress, copy_bar, wanted
from archive.search import SORTS, SearchRequest, registry
from archive.settings import Settings
from archive.store import StoreError, open_store
from archive.submissions import from_listed, list_files, not_regular
from archive.terminal import open_archive as _open
from archive.terminal import print_json as _dump
from archive.validate import clean_unicode


def serving_threads() -> int:
    """waitress threads for this machine: 4 per CPU, at least 8 and at most 32."""
    return max(8, min(32, 4 * (os.cpu_count() or 1)))


def label(name: str) -> str:
    """A file name or label safe on one report line: control characters (a newline in a
    file name) escaped, undecodable bytes shown as escapes."""
    name = name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    if any(ch < " " or ch == "\x7f" for ch in name):
        return json.dumps(name, ensure_ascii=False)[1:-1]
    return name


def _database_url(url: str | None) -> str | None:
    if url and not url.startswith(("postgresql://", "postgres://")):
        raise click.BadParameter(f"{url!r} is not a postgresql:// URL", param_hint="--database-url")
    return url or None


class _ArchiveGroup(click.Group):
    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except (StoreError, Rejected) as err:  # a message, not a traceback
            raise click.ClickException(str(err)) from err
        except OSError as err:  # a data directory that cannot be read or written
            where = f" ({err.filename})" if err.filename else ""
            raise click.ClickException(f"{err.strerror or err}{where}") from err


@click.group(cls=_ArchiveGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--data-dir",
    envvar="ARCHIVE_DATA_DIR",
    type=click.Path(file_okay=False),
    help="The data directory (articles.sqlite3 and whoosh/). Default: ./index",
)
@click.option(
    "--database-url",
    envvar="ARCHIVE_DATABASE_URL",
    metavar="URL",
    callback=lambda ctx, param, url: _database_url(url),
    help="Keep the articles in this PostgreSQL database (postgresql://user@host/db) "
    "instead of the data directory's articles.sqlite3.",
)
@click.pass_context
def main(ctx: click.Context, data_dir: str | None, database_url: str | None) -> None:
    """A searchable archive of news articles.

    \b
    Search syntax, filters, places and duplicates are explained, with live examples, on the
    help page of `archive serve`, http://127.0.0.1:5000/help (and in README.md).
    """
    ctx.ensure_object(dict)
    ctx.obj["settings"] = Settings.from_env(data_dir=data_dir, database_url=database_url)


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--title")
@click.option("--source")
@click.option("--date", help="Publication date, YYYY-MM-DD.")
@click.option("--url")
@click.option("--author")
@click.option("--lang", "language", help="Language code, e.g. en (skips detection).")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per file, then a summary.")
@click.pass_context
def ingest(ctx, paths, as_json, **stated):
    """Add files or folders (.txt .md .html .htm .mhtml .jsonl; folders recursively).

    Re-ingesting the same files changes nothing. Exit status 1 if any input was rejected.
    """
    stated = {k: v for k, v in stated.items() if v}
    files = list(list_files(list(paths)))
    if stated and sum(1 for f in files if not isinstance(f, AddResult)) > 1:
        raise click.UsageError(
            "--title/--source/--date/... describe a single article; give one file"
        )
    counts: dict[str, int] = {}
    with ExitStack() as stack:
        progress = stack.enter_context(IngestProgress(files)) if wanted(as_json) else None
        archive = stack.enter_context(_open(ctx))
        if progress:
            items = progress.submissions(from_listed(progress.files(files), stated))
        else:
            items = from_listed(files, stated)
        for result in archive.add_many(items):
            counts[result.status] = counts.get(result.status, 0) + 1
            if as_json:
                click.echo(json.dumps(result.to_json(), ensure_ascii=False))
            elif progress:
                progress.echo(f"{label(result.name)}: {label(result.describe())}", result)
            else:
                click.echo(f"{label(result.name)}: {label(result.describe())}")
        if progress:
            progress.finish()
    summary = ", ".join(f"{n} {status}" for status, n in sorted(counts.items())) or "nothing"
    if as_json:
        click.echo(json.dumps({"summary": counts}))
    else:
        click.echo(f"{sum(counts.values())} inputs: {summary}")
    ctx.exit(1 if counts.get("rejected") else 0)


def _facet_filters(pairs: tuple[str, ...]) -> dict[str, list[str]]:
    """`--facet NAME=VALUE` options by facet; a facet the options above filter, or one the
    registry does not declare, is a usage error."""
    own = {"place", "source", "language", "date"}
    declared = [f.name for f in registry.FACETS if f.name not in own]
    out: dict[str, list[str]] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or name not in declared:
            known = ", ".join(declared) or "none besides those with options of their own"
            raise click.BadParameter(f"{pair!r}: use NAME=VALUE with a facet of {known}")
        out.setdefault(name, []).append(value)
    return out


@main.command()
@click.argument("query", nargs=-1)
@click.option("--place", "places", multiple=True, help="GeoNames id or any name; repeat to narrow.")
@click.option("--source", "sources", multiple=True, help="Outlet; repeat to widen.")
@click.option("--lang", "languages", multiple=True, help="Language code; repeat to widen.")
@click.option("--from", "date_from", help="From date (YYYY, YYYY-MM or YYYY-MM-DD).")
@click.option("--to", "date_to", help="To date, inclusive.")
@click.option(
    "--facet",
    "facets",
    multiple=True,
    metavar="NAME=VALUE",
    help="A value of another facet the registry declares; repeat for more.",
)
@click.option("--sort", type=click.Choice(SORTS), default="relevance", show_default=True)
@click.option("--limit", type=click.IntRange(1, 1000), default=20, show_default=True)
@click.option("--page", type=click.IntRange(1), default=1, show_default=True)
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def search(ctx, query, as_json, limit, **filters):
    """Search the archive. An empty query lists everything, newest first."""
    q = " ".join(query)
    request = SearchRequest(
        q=q,
        places=list(filters["places"]),
        sources=list(filters["sources"]),
        languages=list(filters["languages"]),
        date_from=filters["date_from"],
        date_to=filters["date_to"],
        sort=filters["sort"] if q.strip() or filters["sort"] != "relevance" else "newest",
        page=filters["page"],
        per_page=limit,
        facets=_facet_filters(filters["facets"]),
    )
    with _open(ctx) as archive:
        result = archive.search(request)
    if as_json:
        _dump(result.to_json())
        return
    for note in result.notes:
        click.secho(f"note: {note}", fg="yellow", err=True)
    if result.suggestion:
        click.echo(f"Did you mean: {result.suggestion}")
    click.echo(f"{result.total} articles (page {request.page} of {result.pages})")
    for hit in result.hits:
        outlets = ", ".join(hit.sources) or "unknown outlet"
        click.echo(f"{hit.id}  {hit.date or 'undated'}  {hit.display_title}  [{outlets}]")


@main.command()
@click.argument("article_id")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def show(ctx, article_id, as_json):
    """Show one article with its metadata and how each value was found."""
    with _open(ctx) as archive:
        view = archive.view(article_id)
    if view is None:
        raise click.ClickException(f"no article {article_id}")
    article = view.article
    if as_json:
        data = article.to_json()
        data["outlets"] = view.outlets
        data["versions"] = [v.id for v in view.versions]
        data["copies"] = [s.__dict__ for s in view.sightings]
        _dump(data)
        return
    click.echo(article.display_title)
    if article.deleted:
        tomb = article.deleted
        why = f": {tomb['why']}" if tomb.get("why") else ""
        click.echo(f"  DELETED by {tomb.get('editor')} at {tomb.get('at')}{why}")
    for name in ("source", "author", "date", "url", "language"):
        value = getattr(article, name)
        how = article.basis.get(name)
        click.echo(f"  {name:9} {value or 'unknown'}" + _how(article, name, how if value else None))
    if view.outlets:
        click.echo(f"  {'outlets':9} {', '.join(view.outlets)}")
    if article.places:
        click.echo(f"  {'places':9} {', '.join(p.name for p in article.places)}")
    click.echo("")
    click.echo(article.text)


def _how(article, name: str, how: str | None) -> str:
    """How a shown value was found, with the outlet's domain and the date's confidence."""
    if not how:
        return ""
    if name == "source" and article.source_domain:
        how += f"; {article.source_domain}"
    if name == "date" and article.date_confidence is not None:
        how += f"; confidence {article.date_confidence:.0%}"
        how += ", uncertain" if article.date_uncertain else ""
    return f"  ({how})"


@main.command()
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def stats(ctx, as_json):
    """Counts of articles, stories, copies, sources and languages."""
    with _open(ctx) as archive:
        data = archive.stats()
    if as_json:
        _dump(data)
        return
    click.echo(
        f"{data['articles']} articles ({data['stories']} stories, {data['copies']} extra copies), "
        f"{data['indexed']} indexed, in {data['data_dir']}"
    )
    counts, span = data["counts"], data["date_span"]
    click.echo(
        f"{counts['outlets']} outlets, {counts['languages']} languages, "
        f"{counts['countries']} countries named; published "
        + (f"{span['first']} to {span['last']}" if span["first"] else "(undated)")
    )
    for name in ("sources", "languages"):
        click.echo(f"{name}: " + ", ".join(f"{k or 'unknown'} {v}" for k, v in data[name].items()))


@main.command()
@click.pass_context
def reindex(ctx):
    """Rebuild the search index from the store."""
    # Not brought up to date on opening: an index that needs rebuilding would be built twice.
    with _open(ctx, catch_up=False) as archive:
        count = archive.reindex()
    click.echo(f"indexed {count} stories")


@main.command()
@click.option("--format", "fmt", type=click.Choice(["jsonl"]), default="jsonl", show_default=True)
@click.option("-o", "--output", type=click.File("w", encoding="utf-8"), default="-")
@click.option(
    "--with-deleted",
    is_flag=True,
    help="A complete backup: deleted articles whole (a restore keeps them deleted), "
    "not only their tombstones.",
)
@click.pass_context
def export(ctx, fmt, output, with_deleted):
    """Write every article (originals and copies included) as JSONL, for backup or moving.

    `archive ingest` of the file rebuilds the archive elsewhere, with its corrections, rules
    and history. A deleted article is written as its tombstone only, unless --with-deleted.
    """
    with _open(ctx) as archive:
        count = export_jsonl(archive, output, with_deleted=with_deleted)
    click.echo(f"exported {count} articles", err=True)


@main.command()
@click.option(
    "--to",
    "target",
    required=True,
    metavar="URL|DIR",
    help="postgresql://user@host/db, sqlite:///PATH/articles.sqlite3 (sqlite:////abs/path "
    "for an absolute path), or a data directory (its articles.sqlite3).",
)
@click.option("--replace", is_flag=True, help="Empty a target that holds an archive first.")
@click.option("--json", "as_json", is_flag=True, help="The rows copied, as JSON.")
@click.pass_context
def migrate(ctx, target, replace, as_json):
    """Copy the archive's store to another: SQLite to PostgreSQL or back.

    Every table is copied with its ids and change numbers, so the search index stays valid;
    writers wait while it runs. A target that holds an archive is refused unless --replace.
    """
    settings: Settings = ctx.obj["settings"]
    data_dir = Path(settings.data_dir)
    if not settings.database_url and not (data_dir / "articles.sqlite3").is_file():
        raise click.UsageError(f"no archive in {data_dir} (give --data-dir or --database-url)")
    with ExitStack() as stack:
        source = open_store(data_dir, settings.database_url or None)
        stack.callback(source.close)
        try:
            target_store = migration.open_target(target)
        except migration.MigrationError as err:
            raise click.BadParameter(str(err), param_hint="--to") from err
        stack.callback(target_store.close)
        if target_store.where == source.where:
            raise click.BadParameter("the target is the archive's own store", param_hint="--to")
        stack.enter_context(source.write_lock(data_dir / ".write.lock").held())
        bar = stack.enter_context(
            copy_bar(sum(migration.counts(source).values()), shown=wanted(as_json))
        )
        try:
            report = migration.migrate(source, target_store, replace=replace, advance=bar.update)
        except migration.MigrationError as err:
            raise click.BadParameter(str(err), param_hint="--to") from err
    if as_json:
        _dump(report)
        return
    for table in migration.TABLES:
        click.echo(f"{table}: {report['tables'][table]} rows")
    click.echo(f"Copied to {target}: change {report['seq']}, store {report['store_id']}.")


@main.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def extract(ctx, file: Path, as_json):
    """What the ingester would make of one file; stores nothing."""
    if not file.is_file():
        raise click.ClickException(f"rejected: {not_regular(file)}")
    try:
        sidecar = read_sidecar(file.parent).get(file.name, {})
        prepared = prepare(
            Submission(
                data=file.read_bytes(), name=str(file), kind=kind_for(file.name), sidecar=sidecar
            )
        )
    except Rejected as err:
        raise click.ClickException(f"rejected: {err}") from err
    article = prepared.article
    if as_json:
        _dump(article.to_json())
        return
    for name in ("title", "source", "author", "date", "url"):
        value = getattr(article, name)
        how = article.basis.get(name, "")
        click.echo(f"{name:9} {value or 'unknown'}" + _how(article, name, how if value else None))
    prob = f", p={article.language_prob}" if article.language_prob else ""
    click.echo(
        f"{'language':9} {article.language} {language_name(article.language)}"
        f"  ({article.basis.get('language')}{prob})"
    )
    click.echo(f"{'places':9} {', '.join(p.name for p in article.places) or 'none'}")
    click.echo("")
    click.echo(article.text)


@main.command()
@click.argument("file", type=click.File("rb"), default="-")
@click.option("--jsonl", is_flag=True, help='Read {"id", "text"} lines; write {"id", "places"}.')
def places(file, jsonl):
    """The places named in a text (GeoNames ids, names, coordinates, mentions).

    Exit status 1 if a --jsonl line was skipped."""
    if not jsonl:
        found = extract_places(_utf8(file.read(), getattr(file, "name", "the input")))
        _dump({"places": [p.to_json() for p in found]})
        return
    out = sys.stdout
    skipped = 0
    for number, raw in enumerate(file, start=1):
        if not raw.strip():
            continue
        try:
            record = json.loads(raw)
            if not isinstance(record, dict):
                raise ValueError("not a JSON object")
            text = record.get("text")
            if not isinstance(text, str):
                raise ValueError('"text" must be a string')
            text, _ = clean_unicode(text)
        except RecursionError:
            skipped += 1
            click.echo(f"line {number}: skipped (JSON nested too deeply)", err=True)
            continue
        except ValueError as err:  # JSON and UTF-8 errors are ValueErrors
            skipped += 1
            click.echo(f"line {number}: skipped ({err})", err=True)
            continue
        found = extract_places(text)
        ident = record.get("id")
        if isinstance(ident, str):
            ident = clean_unicode(ident)[0]
        elif not isinstance(ident, int | None) or isinstance(ident, bool):
            ident = None
        line = {"id": ident, "places": [p.to_json() for p in found]}
        out.write(json.dumps(line) + "\n")
    if skipped:
        raise SystemExit(1)


def _utf8(data: bytes, name: str) -> str:
    try:
        return clean_unicode(data.decode("utf-8-sig"))[0]
    except UnicodeDecodeError as err:
        raise click.ClickException(
            f"{name} is not UTF-8 text (byte {data[err.start]:#04x} at offset {err.start}); "
            "convert it to UTF-8 first"
        ) from err


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option(
    "--threads",
    default=lambda: serving_threads(),
    show_default="4 per CPU, 8 to 32",
    type=click.IntRange(1, 256),
    help="Request threads. Searches run side by side, so more threads than CPUs keep "
    "short answers (/healthz, article pages) from queueing behind long searches.",
)
@click.pass_context
def serve(ctx, host, port, threads):
    """Serve the web archive with waitress."""
    from waitress import serve as waitress_serve

    from web import create_app
    from web.security import write_access_for

    settings: Settings = ctx.obj["settings"]
    access = write_access_for(host, settings.editor_token)
    app = create_app(settings, write_access=access)
    # One search before the first visitor: loads the gazetteer and the facet caches.
    app.extensions["archive"].search(SearchRequest())
    click.echo(access.describe(), err=True)
    click.echo(f"Serving the archive in {settings.data_dir} on http://{host}:{port}/", err=True)
    # The app answers a too-large upload with a friendly 413 page once waitress has read
    # it; waitress itself cuts off anything far beyond that (its default allows 1 GB).
    limit = 4 * settings.max_upload_mb * 2**20
    _allow_open_files()
    waitress_serve(
        app,
        host=host,
        port=port,
        threads=threads,
        ident="archive",
        max_request_body_size=limit,
        # poll(), not select(): each request thread's searcher holds its segments' files
        # open, and select() cannot watch a socket numbered past 1024 (the server died).
        asyncore_use_poll=True,
    )


def _allow_open_files(wanted: int = 65536) -> None:
    """Raise this process's limit of open files towards the system's ceiling."""
    try:
        import resource

        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
        if soft != resource.RLIM_INFINITY and soft < target:
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
    except (ImportError, ValueError, OSError):
        pass  # not on this system: the default limit stays


for _command in CURATION_COMMANDS:  # edit, rules, delete, ...: archive/curation_cli.py
    main.add_command(_command)


if __name__ == "__main__":  # pragma: no cover
    main()
