"""The index writer's shortcuts give what Whoosh's own code gives, and merges stay bounded."""

from __future__ import annotations

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from whoosh.fields import TEXT

from archive.archive import Archive
from archive.ingest import Submission
from archive.search import Document, SearchRequest, SearchService
from archive.search.whoosh import WhooshBackend
from archive.search.whoosh._analysis import tag_language
from archive.search.whoosh._schema import build_schema
from archive.search.whoosh._writer import MERGE_FACTOR
from archive.settings import Settings
from archive.submissions import from_record
from benchmarks import corpus

SCHEMA = build_schema()
TEXT_FIELD_NAMES = ("title", "title_stem", "body", "body_stem")

TRICKY = [
    "",
    "Rebels entered Homs; the U.S. said al-Assad's forces withdrew. Withdrawal, WITHDRAWN!",
    "Türkiye, TURKIYE and turkiye; İstanbul and ıstanbul; Straße; ﬁnal; Œuvre; Σίσυφος",
    "l'armée d’Assad — 12,000 troops; 3.5 km; e-mail; _under_score_; x²; ١٢٣",
    "Les rebelles sont entrés dans Damas. Die Rebellen erreichten Homs. Los rebeldes.",
    "a a a a b a",
]


@pytest.fixture(autouse=True)
def _own_writer(monkeypatch):
    """These are tests of the archive's own block writer and reader, not of the fallback
    through Whoosh's public API (`_compat`), whatever the environment says."""
    monkeypatch.setenv("ARCHIVE_WHOOSH_PUBLIC", "0")


def whoosh_postings(fieldname: str, value: str) -> list:
    """What Whoosh's TEXT field computes with the field's analyzer and format."""
    return list(TEXT.index(SCHEMA[fieldname], value))


def fast_postings(fieldname: str, value: str) -> list:
    return list(SCHEMA[fieldname].index(value))


@pytest.mark.parametrize("text", TRICKY)
@pytest.mark.parametrize("lang", ["en", "fr", "de", "es", "ru", "ar", "und"])
def test_fast_indexing_equals_whoosh_analysis(text, lang):
    for fieldname in TEXT_FIELD_NAMES:
        value = tag_language(text, lang) if fieldname.endswith("_stem") else text
        assert fast_postings(fieldname, value) == whoosh_postings(fieldname, value)


def test_fast_indexing_equals_whoosh_analysis_on_news_like_text():
    for article in corpus.articles(60, seed=7):
        for fieldname in TEXT_FIELD_NAMES:
            value = article.text
            if fieldname.endswith("_stem"):
                value = tag_language(value, article.language)
            assert fast_postings(fieldname, value) == whoosh_postings(fieldname, value)


@settings(max_examples=300, deadline=None)
@given(text=st.text(max_size=200), lang=st.sampled_from(["en", "de", "tr", "zz"]))
def test_fast_indexing_equals_whoosh_analysis_on_any_text(text, lang):
    for fieldname in TEXT_FIELD_NAMES:
        value = tag_language(text, lang) if fieldname.endswith("_stem") else text
        assert fast_postings(fieldname, value) == whoosh_postings(fieldname, value)


def test_stems_match_other_forms_but_a_quoted_phrase_means_those_words(archive):
    added = archive.add(
        Submission(data=b"Rebel forces advanced on Homs after the withdrawal.", name="a")
    )

    def found(q: str) -> bool:
        return archive.search(SearchRequest(q=q)).total == 1

    assert found("withdraw") and found("advancing") and found("rebels")
    assert found('"forces advanced"')
    assert not found('"force advance"')  # other forms, in quotes: not this phrase
    assert archive.search(SearchRequest(q='"forces advanced"')).hits[0].id == added.id


@pytest.fixture
def index(tmp_path):
    index = WhooshBackend(tmp_path / "whoosh")
    index.rebuild([], seq=0)
    yield index
    index.close()


def test_segments_merge_in_tiers_and_every_document_stays_findable(index):

    def doc(i: int) -> Document:
        return Document(
            id=f"d{i}",
            seq=i,
            title=f"Report {i}",
            text=f"report number n{i} from Homs",
            language="en",
            date="2024-12-08",
        )

    commits = MERGE_FACTOR * 3
    for c in range(commits):
        index.write([doc(c * 5 + k) for k in range(5)], seq=c + 1)
        # never MERGE_FACTOR segments of one size: a commit merges them into its own
        assert _segment_count(index) < 2 * MERGE_FACTOR
    # 24 commits of 5 documents: the first 8 merge at the 9th commit, the next at the 17th
    assert _segment_count(index) < commits
    assert index.doc_count() == commits * 5
    for i in (0, 7, 63, commits * 5 - 1):
        result = SearchService(index, lambda ids: {}).search(SearchRequest(q=f"n{i}"))
        assert result.total == 1


def test_every_commit_saves_its_segments_facet_values(index):
    """A fresh process's first search loads each segment's saved facet values instead of
    reading them from the postings: the writer saves them for every segment it makes,
    merged ones included, and they count as the postings do."""
    for c in range(MERGE_FACTOR + 1):
        index.write(
            [
                Document(
                    id=f"d{c}-{k}",
                    seq=c,
                    title=f"Report {c}",
                    text="news from Homs",
                    language="en" if k else "fr",
                    date=f"2024-{c % 12 + 1:02d}-08",
                    sources=[f"Outlet {k}"],
                )
                for k in range(3)
            ],
            seq=c + 1,
        )
    directory = index.current_dir()
    segments = {p.stem for p in directory.glob("*.trm")}
    assert {p.stem for p in directory.glob("*.facets")} >= segments
    index.close()
    fresh = WhooshBackend(directory.parent)  # as a newly started process
    result = SearchService(fresh, lambda ids: {}).search(SearchRequest(q="homs"))
    fresh.close()
    languages = {v.value: v.count for v in result.facets["language"]}
    assert languages == {"en": 2 * (MERGE_FACTOR + 1), "fr": MERGE_FACTOR + 1}
    assert sum(v.count for v in result.facets["source"]) == 3 * (MERGE_FACTOR + 1)


def test_replacing_documents_across_merges_leaves_one_copy(index):
    for c in range(MERGE_FACTOR * 2):
        docs = [
            Document(
                id=f"d{k}",
                seq=c,
                title="Same story",
                text=f"version v{c} of story {k}",
                language="en",
                date=None,
            )
            for k in range(4)
        ]
        index.write(docs, seq=c + 1)
    assert index.doc_count() == 4
    assert SearchService(index, lambda ids: {}).search(SearchRequest(q="story")).total == 4
    assert (
        SearchService(index, lambda ids: {})
        .search(SearchRequest(q=f"v{MERGE_FACTOR * 2 - 1}"))
        .total
        == 4
    )
    assert SearchService(index, lambda ids: {}).search(SearchRequest(q="v0")).total == 0


def _segment_count(index: WhooshBackend) -> int:
    return len(list(index.current_dir().glob("*.trm")))


@pytest.mark.parametrize("batch", [Settings.ingest_batch, 15])
def test_postings_from_the_workers_index_like_the_writers_own(tmp_path, batch):
    """Bulk ingest indexes the postings its workers computed (in a background indexer
    process once a batch is stored); a rebuild analyses the stored texts itself. Both must
    find the same stories for every kind of query."""
    subs = [from_record(a.record(), f"gen:{a.index}") for a in corpus.articles(80, seed=11)]
    queries = ["the", "said government", '"of the"', "rebels", "Deraa", "title:the", "zz*"]
    with Archive(tmp_path / "data", ingest_batch=batch) as archive:
        results = list(archive.add_many(subs))
        assert len(results) == 80 and not archive._prepared_docs
        assert archive.index.doc_count() == archive.store.count()["stories"]
        assert archive.index.indexed_seq() == archive.store.last_seq()
        bulk = [archive.search(SearchRequest(q=q, per_page=100)) for q in queries]
        archive.reindex()
        rebuilt = [archive.search(SearchRequest(q=q, per_page=100)) for q in queries]
    assert any(r.total for r in bulk)
    for before, after in zip(bulk, rebuilt, strict=True):
        assert before.total == after.total
        assert [h.id for h in before.hits] == [h.id for h in after.hits]


def _everything(ix) -> tuple:
    """Every posting, field length and term frequency of an index, by document id."""
    with ix.searcher() as searcher:
        reader = searcher.reader()
        key = {n: f["id"] for n, f in reader.iter_docs()}
        postings = []
        for field, term in reader.all_terms():
            m = reader.postings(field, term)
            while m.is_active():
                postings.append((field, term, key[m.id()], m.weight(), m.value()))
                m.next()
        lengths = sorted(
            (key[n], field, reader.doc_field_length(n, field))
            for n in key
            for field in TEXT_FIELD_NAMES
        )
        infos = sorted(
            (field, term, reader.doc_frequency(field, term), reader.frequency(field, term))
            for field, term in reader.all_terms()
        )
        return sorted(postings), lengths, infos, reader.doc_count()


@pytest.mark.parametrize("deletions", [False, True])
def test_block_merge_writes_what_whoosh_merge_writes(tmp_path, deletions):
    """Merged segments' blocks are moved, not re-indexed: the result must hold the same
    postings, frequencies and lengths as Whoosh's posting-by-posting merge, also when a
    merged segment has deleted documents."""
    from whoosh.reading import SegmentReader
    from whoosh.writing import NO_MERGE, SegmentWriter

    from archive.search.whoosh._writer import Writer
    from archive.search.whoosh.index import _fields

    articles = list(corpus.articles(150, seed=3))
    built = {}
    for way in ("blocks", "whoosh"):
        index, ix = _index_in_segments(tmp_path / way, articles, 30)  # five segments
        if deletions:  # replace some documents: their old copies are deleted in place
            writer = Writer(ix)
            for i in (3, 31, 32, 95, 149):
                a = articles[(i * 7) % 150]
                doc = Document(f"d{i}", 500 + i, "New", a.text, "en", None, sources=["X"])
                writer.update_document(**_fields(doc))
            writer.commit(mergetype=NO_MERGE)

        opened = []

        def merge_all(writer, segments, way=way, opened=opened):
            for seg in segments:
                reader = SegmentReader(writer.storage, writer.schema, seg)
                if way == "blocks":
                    writer.add_reader(reader)  # closes it when written
                else:
                    SegmentWriter.add_reader(writer, reader)
                    opened.append(reader)
            return []

        Writer(ix).commit(mergetype=merge_all)
        for reader in opened:
            reader.close()
        ix, _, _ = index._open()
        assert len(ix._segments()) == 1
        built[way] = _everything(ix)
        if not deletions:  # then even the term statistics' bounds are exact
            built[way] += (_term_bounds(ix),)
        index.close()
    assert built["blocks"][0]  # postings were compared
    assert built["blocks"] == built["whoosh"]


def _term_bounds(ix) -> list[tuple]:
    """Every term's stored statistics: first and last document, largest weight, shortest
    and longest field length."""
    with ix.searcher() as searcher:
        reader = searcher.reader()
        key = {n: f["id"] for n, f in reader.iter_docs()}
        return sorted(
            (
                field,
                term,
                key[info.min_id()],
                key[info.max_id()],
                info.max_weight(),
                info.min_length(),
                info.max_length(),
            )
            for (field, term), info in reader._terms.items()
        )


def _block_sizes(ix) -> list[tuple[int, int]]:
    """(compression level, pickled length) of every posting block of every segment."""
    import zlib

    from whoosh.reading import SegmentReader

    from archive.search.whoosh._blocks import iter_blocks

    sizes = []
    for seg in ix._segments():
        reader = SegmentReader(ix.storage, ix.schema, seg)
        try:
            for _, info in reader._terms.items():
                offset, length = info.extent()
                if isinstance(length, tuple):
                    length = length[0]
                data = reader._terms._postfile.get(offset, length)
                for block_info, raw in iter_blocks(data):
                    comp = block_info[3]
                    sizes.append((comp, len(zlib.decompress(raw) if comp else raw)))
        finally:
            reader.close()
    return sizes


@pytest.mark.parametrize("merged", [False, True])
def test_segments_hold_what_whoosh_writes_with_small_blocks_uncompressed(tmp_path, merged):
    """The writer's codec stores blocks too short to gain from zlib as they are: the index
    holds the same postings as one written by Whoosh's own writer and codec, and every block
    is compressed exactly when it is long enough, also after a block merge."""
    from whoosh.codec.whoosh3 import W3Codec
    from whoosh.writing import NO_MERGE, SegmentWriter

    from archive.search.whoosh._blocks import COMPRESS_MIN
    from archive.search.whoosh._writer import Writer, commit
    from archive.search.whoosh.index import _fields

    articles = list(corpus.articles(60, seed=5))
    docs = [
        Document(f"d{i}", i, a.title, a.text, a.language, a.date, sources=[a.source])
        for i, a in enumerate(articles)
    ]
    built = {}
    for way in ("archive", "whoosh"):
        index = WhooshBackend(tmp_path / way)
        index.rebuild([], seq=0)
        ix, _, _ = index._open()
        if way == "whoosh":
            writer = SegmentWriter(ix, codec=W3Codec())
            for doc in docs:
                writer.add_document(**_fields(doc))
            writer.commit()
        elif merged:
            # Three segments and a fourth that replaces two documents (their old copies
            # become deletions), all merged into one: blocks shifted, moved and re-encoded.
            for part in (docs[:20], docs[20:40], docs[40:], [docs[5], docs[33]]):
                writer = Writer(ix)
                for doc in part:
                    writer.update_document(**_fields(doc))
                writer.commit(mergetype=NO_MERGE)
            _merge_all(ix)
        else:
            commit(ix, map(_fields, docs))
        ix, _, _ = index._open()
        assert len(ix._segments()) == 1
        built[way] = _everything(ix)
        if way == "archive":
            sizes = _block_sizes(ix)
        index.close()
    assert built["archive"] == built["whoosh"]
    assert {comp for comp, _ in sizes} == {0, 1}
    assert all((comp == 0) == (size < COMPRESS_MIN) for comp, size in sizes)


def _merge_all(ix) -> None:
    from whoosh.reading import SegmentReader

    from archive.search.whoosh._writer import Writer

    def merge_all(writer, segments):
        for seg in segments:
            writer.add_reader(SegmentReader(writer.storage, writer.schema, seg))
        return []

    Writer(ix).commit(mergetype=merge_all)


def test_a_searcher_reads_segments_another_process_merged_away(tmp_path):
    """A merge deletes the files of the segments it merged as soon as its commit is written.
    A searcher opened just before must still read them all: stored fields, field lengths
    and sort columns (Whoosh opens those only when first read, and found them gone)."""

    from archive.search.whoosh._docsets import Evaluator, PostingCache
    from archive.search.whoosh.index import _open_searcher

    index, ix = _index_in_segments(tmp_path / "ix", list(corpus.articles(30, seed=9)), 10)
    pinned = _open_searcher(ix)
    plain = ix.searcher()  # Whoosh's own, for contrast
    files_before = set(ix.storage.list())

    other = WhooshBackend(tmp_path / "ix")  # another process's handle on the same index
    _merge_all(other._open()[0])
    other.close()
    assert not pinned.up_to_date()
    assert {f for f in files_before if f.endswith("_stored.col")} - set(ix.storage.list())

    reader = pinned.reader()
    assert sorted(pinned.stored_fields(d)["id"] for d in range(30)) == sorted(
        f"d{i}" for i in range(30)
    )
    assert all(reader.doc_field_length(d, "body") > 0 for d in range(30))
    seqs = Evaluator(pinned, PostingCache(0)).numbers("seq")  # what sorting by date reads
    assert len(set(seqs.tolist())) == 30
    with pytest.raises(TypeError):  # the failure this guards against
        plain.stored_fields(0)
    pinned.close()
    plain.close()
    index.close()


def _index_in_segments(path, articles, per_segment: int):
    """A new index (and its Whoosh index) holding `articles` as d0, d1, ... in unmerged
    segments of `per_segment`."""
    from whoosh.writing import NO_MERGE

    from archive.search.whoosh._writer import Writer
    from archive.search.whoosh.index import _fields

    index = WhooshBackend(path)
    index.rebuild([], seq=0)
    ix, _, _ = index._open()
    for start in range(0, len(articles), per_segment):
        writer = Writer(ix)
        for i, a in enumerate(articles[start : start + per_segment], start=start):
            doc = Document(f"d{i}", i, a.title, a.text, a.language, a.date, sources=[a.source])
            writer.update_document(**_fields(doc))
        writer.commit(mergetype=NO_MERGE)
    return index, ix


@pytest.mark.parametrize("replaced", [False, True])
def test_term_at_once_writer_writes_whooshs_bytes(tmp_path, replaced):
    """The writer's term-at-once postings (`_terms`) are byte for byte what Whoosh's pool
    and W3 field writer write with the same codec: terms table and postings file, for
    one-posting terms, lists of several blocks, and a segment that replaces documents."""
    from whoosh.filedb.filestore import FileStorage
    from whoosh.writing import NO_MERGE, SegmentWriter

    from archive.search.whoosh._writer import Codec, Writer
    from archive.search.whoosh.index import _fields

    EXTENSIONS = (".trm", ".pst")  # terms table, postings
    articles = list(corpus.articles(300, seed=11))  # common words span several blocks
    docs = [
        Document(
            f"d{i}", i, a.title, a.text, a.language, a.date, sources=[a.source], places=["170654"]
        )
        for i, a in enumerate(articles)
    ]
    files = {}
    for way in ("terms", "whoosh"):
        (tmp_path / way).mkdir()
        ix = FileStorage(str(tmp_path / way)).create_index(build_schema())
        for part in (docs, docs[::7]) if replaced else (docs,):
            if way == "terms":
                writer = Writer(ix)
            else:
                writer = SegmentWriter(ix, compound=False, codec=Codec())
            for doc in part:
                writer.update_document(**_fields(doc))
            writer.commit(mergetype=NO_MERGE)
        segments = ix._segments()
        assert len(segments) == (2 if replaced else 1)
        files[way] = [
            {ext: (tmp_path / way / seg.make_filename(ext)).read_bytes() for ext in EXTENSIONS}
            for seg in segments
        ]
        ix.close()
    assert files["terms"][0][".pst"]  # something was compared
    assert files["terms"] == files["whoosh"]


def test_new_documents_after_a_merged_segment_index_like_whoosh(tmp_path):
    """Documents added after a segment was taken in come after its documents but reach the
    pool first: each term's postings are put in order before they are written."""
    from whoosh.reading import SegmentReader
    from whoosh.writing import SegmentWriter

    from archive.search.whoosh._writer import Writer
    from archive.search.whoosh.index import _fields

    articles = list(corpus.articles(40, seed=13))
    built = {}
    for way in ("archive", "whoosh"):
        index, ix = _index_in_segments(tmp_path / way, articles[:20], 20)
        opened = []

        def then_add(writer, segments, way=way, opened=opened):
            reader = SegmentReader(writer.storage, writer.schema, segments[0])
            if way == "archive":
                writer.add_reader(reader)
            else:
                SegmentWriter.add_reader(writer, reader)
                opened.append(reader)
            for i, a in enumerate(articles[20:], start=20):
                doc = Document(f"d{i}", i, a.title, a.text, a.language, a.date, sources=[a.source])
                writer.add_document(**_fields(doc))
            return []

        writer = Writer(ix) if way == "archive" else SegmentWriter(ix, compound=False)
        writer.commit(mergetype=then_add)
        for reader in opened:
            reader.close()
        ix, _, _ = index._open()
        assert len(ix._segments()) == 1
        built[way] = _everything(ix)
        index.close()
    assert len({p[2] for p in built["archive"][0]}) == 40  # every document has postings
    assert built["archive"] == built["whoosh"]


@pytest.mark.parametrize("lang", ["en", "fr", "de", "und"])
def test_analyse_gives_what_each_field_indexes(lang):
    """`analyse` splits each text once for its folded and stemmed fields: the postings
    must be those each field computes from its own value."""
    from archive.search.whoosh.index import _text_values, analyse

    texts = [a.text for a in corpus.articles(20, seed=17)] + TRICKY
    for text in texts:
        title = text[:60] or None
        expected = {
            name: tuple(SCHEMA[name].index(value))
            for name, value in _text_values(title, text, lang).items()
        }
        assert analyse(title, text, lang) == expected


def test_bulk_ingest_indexes_in_the_background_while_it_stores(tmp_path):
    """Once a batch is stored, a background process indexes it while the ingest goes on:
    with the ingest paused part-way, the index fills up by itself."""
    subs = [from_record(a.record(), f"gen:{a.index}") for a in corpus.articles(150, seed=5)]
    with Archive(tmp_path / "data", ingest_batch=15) as archive:
        results = archive.add_many(subs)
        first = next(results)
        assert first.status == "added"
        deadline = time.monotonic() + 60  # generous: this proves "in the background", not speed
        while archive.index.doc_count() == 0 and time.monotonic() < deadline:
            time.sleep(0.1)
        assert archive.index.doc_count() >= 15
        assert archive.index.doc_count() < 150
        rest = list(results)
        assert 1 + len(rest) == 150
        assert archive.index.doc_count() == archive.store.count()["stories"]
        assert archive.search(SearchRequest(q=subs[-1].stated["title"])).total >= 1


def test_delete_drops_what_the_index_holds_and_commits_nothing_for_the_rest(index):
    docs = [Document(f"d{i}", i, "Report", f"word{i} from Homs", "en", None) for i in range(3)]
    index.write(docs, seq=3)
    generation = index.state()["generation"]
    assert index.delete(["never-indexed", "nor-this"], seq=3) == 0
    assert index.state()["generation"] == generation  # no commit for ids it does not hold
    assert index.delete(["d1", "never-indexed", "d1"], seq=4) == 1
    assert index.indexed_seq() == 4 and index.doc_count() == 2
    service = SearchService(index, lambda ids: {})
    assert service.search(SearchRequest(q="word1")).total == 0
    assert service.search(SearchRequest(q="homs")).total == 2


def test_a_preparation_is_indexed_only_for_the_article_it_was_made_from(archive):
    """What the backend's `prepare` made while preparing (in a worker, in bulk) is what the
    index writer indexes, unless the article changed before it was indexed (an outlet rule,
    a correction): then the backend analyses the article as it is."""
    from dataclasses import replace

    from archive.submissions import from_paths
    from tests.conftest import SEEDS

    sub = next(iter(from_paths([str(SEEDS)])))
    sub, prepared = archive._prepared(sub, None)
    assert prepared.prepared is not None
    with archive.lock.held(), archive.store.transaction():
        result = archive._result(sub, prepared)
    article = archive.get(result.id)
    doc = archive._index_document(article, 1)
    assert doc.prepared == WhooshBackend.prepare(doc)
    sub, prepared = archive._prepared(next(iter(from_paths([str(SEEDS)]))), None)
    archive._prepared_docs[article.id] = (prepared.key, prepared.prepared)
    changed = archive._index_document(replace(article, title="A title an editor gave it"), 1)
    assert changed.prepared is None
