"""Several writers at once — threads of one server, another process's `archive ingest` — and
readers during the writes: nothing is lost, nothing errors, searches keep answering."""

from __future__ import annotations

import os
import random
import re
import socket
import subprocess
import sys
import threading
import time
import traceback
from pathlib import Path

import pytest

from archive import archive as archive_module
from archive.ingest import Submission
from archive.locking import WriteLock
from archive.search import SearchRequest
from tests.engines import open_archive

pytestmark = pytest.mark.both_engines

ROOT = Path(__file__).resolve().parent.parent

_WORDS = (
    "army city council court crowd election energy farmers flood government harbour hospital "
    "minister market police protest railway refugees report school storm talks trade union "
    "village water winter border budget bridge convoy factory festival museum river announced "
    "blocked closed delayed denied opened promised rejected said warned visited early late "
    "quiet heavy new old local national northern southern eastern western"
).split()


def marker(n: int) -> str:
    """A word found in article `n` and in no other: consonants only, so that no stemmer
    folds two markers together (qzbby would stem to qzbbi)."""
    letters = ""
    n += len(_LETTERS) ** 2
    while n:
        n, r = divmod(n, len(_LETTERS))
        letters = _LETTERS[r] + letters
    return "qz" + letters


_LETTERS = "bcdfghjkmnpqrtvwxz"


def article_text(n: int) -> str:
    """A distinct English-looking article (no near-duplicate of any other) carrying marker(n)."""
    rng = random.Random(n * 7919)
    sentences = [
        " ".join(rng.choice(_WORDS) for _ in range(rng.randint(8, 14))).capitalize() + "."
        for _ in range(12)
    ]
    sentences.insert(3, f"The code word is {marker(n)}.")
    return f"Report {marker(n)} on the {rng.choice(_WORDS)}\n\n" + " ".join(sentences)


def write_articles(folder: Path, numbers) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for n in numbers:
        path = folder / f"article-{n:05d}.txt"
        path.write_text(article_text(n), encoding="utf-8")
        paths.append(path)
    return paths


def cli_command(data_dir: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "archive.cli", "--data-dir", str(data_dir), *args]


def assert_all_found(data_dir: Path, numbers) -> None:
    """Every article is in the store once and found by its marker word in search."""
    with open_archive(data_dir) as archive:
        counts = archive.store.count()
        assert counts["articles"] == len(numbers), counts
        missing = [
            n for n in numbers if archive.search(SearchRequest(q=marker(n), per_page=5)).total != 1
        ]
        assert not missing, f"not found in search: {missing[:20]} ({len(missing)} in all)"
        assert archive.index.doc_count() == len(numbers)


def first_error(errors: list[BaseException]) -> str:
    """How many failed, and the first failure with its traceback: a race is rarely caught
    twice, so its report must say where it happened."""
    return f"{len(errors)} errors; the first:\n" + "".join(traceback.format_exception(errors[0]))


class Readers:
    """Threads that search (with facets) and read articles until stopped, keeping errors."""

    def __init__(self, search, count: int = 2):
        self.search = search
        self.errors: list[BaseException] = []
        self.answers = 0
        self._stop = threading.Event()
        self._threads = [threading.Thread(target=self._run, daemon=True) for _ in range(count)]

    def _run(self) -> None:
        queries = ["", "code word", "report", "qz*", "river OR harbour", "talks -storm"]
        i = 0
        while not self._stop.is_set():
            try:
                self.search(queries[i % len(queries)])
                self.answers += 1
            except BaseException as err:  # noqa: BLE001 - every failure is a finding
                self.errors.append(err)
            i += 1
            time.sleep(0.02)

    def __enter__(self) -> Readers:
        for t in self._threads:
            t.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        for t in self._threads:
            t.join(timeout=60)


def test_search_keeps_working_after_many_single_adds(tmp_path):
    """Each add commits to the index; after a dozen commits Whoosh merges segments, and the
    long-lived searcher must follow the merge instead of reading segments that are gone."""
    with open_archive(tmp_path / "data") as archive:
        for n in range(20):
            result = archive.add(Submission(data=article_text(n).encode(), name=f"{n}.txt"))
            assert result.status == "added", result.reason
        totals = [archive.search(SearchRequest(q=marker(n))).total for n in range(20)]
    assert totals == [1] * 20


def test_an_add_while_another_process_indexes_is_stored_and_found_later(tmp_path, monkeypatch):
    """Storing and indexing take separate locks: while another process holds the index (a
    rebuild, a bulk ingest's indexer), an add is stored and reported, not failed; the next
    search after the index is free catches up and finds it."""
    monkeypatch.setattr(archive_module, "ADD_WAITS_FOR_INDEXER", 0.3)
    other = WriteLock(tmp_path / "data" / ".index.lock")  # flock: as another process's
    with open_archive(tmp_path / "data") as archive:
        with other.held():
            result = archive.add(Submission(data=article_text(1).encode(), name="1.txt"))
            assert result.status == "added", result.reason
            assert archive.get(result.id) is not None
            assert archive.index.indexed_seq() < archive.store.last_seq()
        assert archive.search(SearchRequest(q=marker(1))).total == 1


def test_threads_and_a_cli_process_add_articles_and_none_is_lost(tmp_path):
    """8 threads of one process (a server's request threads) add 80 articles while another
    process ingests 40 more and 2 threads keep searching: all land (with the one that was
    there before), no error anywhere. (The HTTP test below does 200 + 50 end to end.)"""
    data_dir = tmp_path / "data"
    folder = tmp_path / "cli-batch"
    write_articles(folder, range(80, 120))
    archive = open_archive(data_dir)
    # One article before the readers start (an empty archive is another test's business).
    assert archive.add(Submission(data=article_text(120).encode(), name="first.txt")).ok
    errors: list[BaseException] = []
    statuses: list[str] = []

    def writer(numbers) -> None:
        for n in numbers:
            try:
                sub = Submission(data=article_text(n).encode(), name=f"thread-{n}.txt")
                statuses.append(archive.add(sub).status)
            except BaseException as err:  # noqa: BLE001
                errors.append(err)

    def search(q: str):
        return archive.search(SearchRequest(q=q, per_page=10))

    try:
        with Readers(search) as readers:
            cli = subprocess.Popen(
                cli_command(data_dir, "ingest", str(folder), "--json"),
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            writers = [threading.Thread(target=writer, args=(range(i, 80, 8),)) for i in range(8)]
            for t in writers:
                t.start()
            for t in writers:
                t.join(timeout=300)
            out, err = cli.communicate(timeout=300)
        assert cli.returncode == 0, err[-2000:]
        assert out.count('"status": "added"') == 40
        assert not errors, first_error(errors)
        assert statuses == ["added"] * 80
        assert not readers.errors, first_error(readers.errors)
        assert readers.answers > 0
    finally:
        archive.close()
    assert_all_found(data_dir, range(121))


def test_two_cli_ingests_of_overlapping_folders_store_each_article_once(tmp_path):
    """Two processes ingesting overlapping folders at once: every article once, the overlap
    reported as duplicates, both exit cleanly."""
    data_dir = tmp_path / "data"
    write_articles(tmp_path / "a", range(0, 25))
    write_articles(tmp_path / "b", range(15, 40))
    procs = [
        subprocess.Popen(
            cli_command(data_dir, "ingest", str(tmp_path / name), "--json"),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name in ("a", "b")
    ]
    outputs = [p.communicate(timeout=300) for p in procs]
    for proc, (_, err) in zip(procs, outputs, strict=True):
        assert proc.returncode == 0, err[-2000:]
    added = sum(out.count('"status": "added"') for out, _ in outputs)
    duplicates = sum(out.count('"status": "duplicate"') for out, _ in outputs)
    assert (added, duplicates) == (40, 10)
    assert_all_found(data_dir, range(40))


# --- over HTTP, against a real `archive serve` ------------------------------------------------

TOKEN = "concurrency-test-token-0123456789"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def server(tmp_path):
    """`archive serve` (waitress) on a free loopback port with an editor token, over a data
    directory holding one article (marker 250)."""
    import urllib.request

    data_dir = tmp_path / "served"
    write_articles(tmp_path / "prelude", [250])
    subprocess.run(cli_command(data_dir, "ingest", str(tmp_path / "prelude")), check=True)
    port = _free_port()
    env = {**os.environ, "ARCHIVE_EDITOR_TOKEN": TOKEN, "ARCHIVE_DATA_DIR": str(data_dir)}
    log = open(tmp_path / "server.log", "w+")  # noqa: SIM115 - closed below
    proc = subprocess.Popen(
        [sys.executable, "-m", "archive.cli", "serve", "--port", str(port), "--threads", "8"],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=2) as resp:
                if resp.status == 200:
                    break
        except OSError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            log.seek(0)
            pytest.fail(f"server did not start: {log.read()[-2000:]}")
        time.sleep(0.2)
    yield base, data_dir, proc
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    log.close()


class FormBrowser:
    """A browser session: a cookie jar, signing in and posting the add form with its CSRF
    token, as a person in a browser tab does."""

    _CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')

    def __init__(self, base: str):
        import http.cookiejar
        import urllib.request

        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )

    def _open(self, path: str, form: dict | None = None) -> tuple[int, str]:
        import urllib.error
        from urllib.parse import urlencode

        body = urlencode(form).encode() if form is not None else None
        try:
            with self.opener.open(self.base + path, data=body, timeout=120) as resp:
                return resp.status, resp.read().decode()
        except urllib.error.HTTPError as err:
            return err.code, err.read().decode()

    def _csrf(self, path: str) -> str:
        status, page = self._open(path)
        found = self._CSRF.search(page)
        assert status == 200 and found, f"no CSRF field on {path} (HTTP {status})"
        return found.group(1)

    def sign_in(self, token: str) -> None:
        status, _ = self._open("/sign-in", {"token": token, "csrf_token": self._csrf("/sign-in")})
        assert status == 200, f"sign-in answered {status}"

    def add(self, text: str) -> tuple[int, str]:
        return self._open("/add", {"text": text, "csrf_token": self._csrf("/add")})


def _request(method: str, url: str, body: bytes | None = None, headers=None, timeout=120):
    """(status, body) of one HTTP request; HTTP errors are answers, not exceptions."""
    import urllib.error
    import urllib.request

    req = urllib.request.Request(url, data=body, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            return resp.status, resp.read()
    except urllib.error.HTTPError as err:
        return err.code, err.read()


def test_http_clients_and_a_cli_ingest_add_250_articles_while_searches_answer(server, tmp_path):
    """16 HTTP clients add 200 articles (14 through POST /api/articles, 2 through the add
    form of a signed-in browser session) while `archive ingest` adds 50 from another process
    and readers search over HTTP: every write answered 2xx, all 250 found."""
    import json

    base, data_dir, proc = server
    probe, _ = _request("POST", base + "/api/articles", b"{}", {"Content-Type": "application/json"})
    assert probe in (401, 403), probe  # the route exists and wants the editor token
    folder = tmp_path / "cli-batch"
    write_articles(folder, range(200, 250))
    errors: list[str] = []
    statuses: list[str] = []

    def api_writer(numbers) -> None:
        for n in numbers:
            body = json.dumps({"text": article_text(n), "source": "Test Wire"}).encode()
            headers = {"Content-Type": "application/json", "Authorization": f"Bearer {TOKEN}"}
            try:
                status, answer = _request("POST", base + "/api/articles", body, headers)
            except OSError as err:
                errors.append(f"{n}: {err}")
                continue
            if status >= 300:
                errors.append(f"{n}: HTTP {status} {answer[:200]!r}")
            else:
                statuses.append(json.loads(answer)["status"])

    def form_writer(numbers) -> None:
        browser = FormBrowser(base)
        try:
            browser.sign_in(TOKEN)
        except (OSError, AssertionError) as err:
            errors.append(f"sign-in: {err}")
            return
        for n in numbers:
            try:
                status, page = browser.add(article_text(n))
            except OSError as err:
                errors.append(f"{n}: {err}")
                continue
            if status != 200 or "badge--added" not in page:
                errors.append(f"{n}: form HTTP {status}")
            else:
                statuses.append("added")

    def search(q: str):
        from urllib.parse import urlencode

        status, answer = _request("GET", f"{base}/api/search?{urlencode({'q': q})}")
        if status != 200:
            raise AssertionError(f"search {q!r}: HTTP {status} {answer[:200]!r}")
        return json.loads(answer)

    with Readers(search) as readers:
        cli = subprocess.Popen(
            cli_command(data_dir, "ingest", str(folder), "--json"),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        writers = [
            threading.Thread(target=form_writer if i < 2 else api_writer, args=(range(i, 200, 16),))
            for i in range(16)
        ]
        for t in writers:
            t.start()
        for t in writers:
            t.join(timeout=300)
        out, err = cli.communicate(timeout=300)
    assert cli.returncode == 0, err[-2000:]
    assert not errors, errors[:5]
    assert statuses == ["added"] * 200
    assert not readers.errors, first_error(readers.errors)
    assert proc.poll() is None, "the server died"
    for n in (0, 57, 199, 200, 249):
        found = search(marker(n))
        assert found["total"] == 1, (n, found)
    proc.terminate()
    proc.wait(timeout=20)
    assert_all_found(data_dir, range(251))


def test_searches_keep_answering_while_another_process_rebuilds_the_index(seeded_copy):
    """`archive reindex` run while a server answers: no search fails or waits for the
    rebuild; each gives every hit or says that the index is being updated."""
    with open_archive(seeded_copy) as archive:
        expected = archive.search(SearchRequest(q="Homs")).total
        assert expected > 0
        answers: list[tuple[int, list[str], float]] = []

        def search(q: str):
            started = time.monotonic()
            result = archive.search(SearchRequest(q="Homs"))
            answers.append((result.total, result.notes, time.monotonic() - started))

        with Readers(search, count=1) as readers:
            for _ in range(2):
                subprocess.run(cli_command(seeded_copy, "reindex"), check=True, capture_output=True)
        assert not readers.errors, first_error(readers.errors)
        assert answers
        for total, notes, seconds in answers:
            assert total == expected or any("being updated" in n for n in notes)
            assert seconds < 20
        assert archive.search(SearchRequest(q="Homs")).total == expected
