"""Which outlet a page belongs to: names the page declares, checked against each other and
the address; titles, taglines and sections refused. Every page here is made up."""

from __future__ import annotations

from archive.extract.html import extract_html
from archive.extract.outlets import is_tagline, resembles, site_domain, squeezed

STORY = " ".join(
    [
        "The harbour authority reopened the north quay on Monday after three weeks of repairs,",
        "and the first fishing boats landed their catch before dawn.",
    ]
    * 5
)


def page(*, head: str = "", title: str = "Quay reopens", h1: str = "Quay reopens",
         before: str = "", after: str = "") -> str:  # fmt: skip
    return (
        f"<!DOCTYPE html><html><head><title>{title}</title>{head}</head><body>{before}"
        f"<article><h1>{h1}</h1><p>{STORY}</p><p>{STORY} Again.</p></article>{after}"
        "</body></html>"
    )


def og(name: str) -> str:
    return f'<meta property="og:site_name" content="{name}">'


def test_tagline_is_not_an_outlet():
    assert is_tagline("Expert advice for weekend sailors", "harbourgazette.example")
    assert not is_tagline("The Harbour Gazette", "harbourgazette.example")
    assert not is_tagline("Corriere della Costa", "corrieredellacosta.example")
    found = extract_html(
        page(head=og("Expert advice for weekend sailors"), title="Quay reopens - Harbour Gazette"),
        url="https://harbourgazette.example/news/quay",
    )
    assert found.source == "Harbour Gazette"


def test_site_name_that_is_the_page_title_is_refused():
    title = "Quay reopens after repairs - Notes from the Harbour"
    found = extract_html(page(head=og(title), title=title, h1="Notes from the Harbour"))
    assert found.source == "Notes from the Harbour"  # the blog's name, from its <h1>
    assert found.title == "Quay reopens after repairs"


def test_section_name_gives_way_to_the_name_the_address_confirms():
    found = extract_html(
        page(head=og("Economy") + '<meta name="application-name" content="Bay Times">'),
        url="https://www.baytimes.example/economy/quay",
    )
    assert found.source == "Bay Times"


def test_handle_like_site_name_gives_way_to_the_spelled_out_name():
    found = extract_html(
        page(head=og("harbourherald"), title="Quay reopens | The Harbour Herald"),
        url="https://www.harbourherald.example/quay",
    )
    assert found.source == "The Harbour Herald"


def test_bare_address_as_site_name_gives_way_to_the_written_name():
    found = extract_html(
        page(head=og("north.coastpost.co.uk"), title="Quay reopens | Coast Post"),
        url="https://north.coastpost.co.uk/quay",
    )
    assert found.source == "Coast Post"


def test_masthead_logo_names_the_site_when_nothing_else_does():
    logo = '<header><a href="/"><img src="/logo.png" alt="Quayside Courier"></a></header>'
    found = extract_html(page(before=logo))
    assert (found.source, found.basis["source"]) == ("Quayside Courier", "html:masthead")


def test_copyright_line_names_the_site_as_a_last_resort():
    footer = "<footer><p>© 2024 Quayside Courier. All rights reserved.</p></footer>"
    found = extract_html(page(after=footer), url="https://quaysidecourier.example/a/1")
    assert (found.source, found.basis["source"]) == ("Quayside Courier", "html:copyright")


def test_title_affix_beside_the_headline_names_the_site():
    found = extract_html(
        page(title="Quay reopens - КН Приморье"), url="https://primorye.kn.example/a/1"
    )
    assert found.source == "КН Приморье"


def test_outlet_domain_is_the_registered_domain():
    found = extract_html(page(head=og("Coast Post")), url="https://north.coastpost.co.uk/quay")
    assert found.source_domain == "coastpost.co.uk"
    assert site_domain("someone.blogspot.com") == "someone.blogspot.com"
    assert site_domain("10.0.0.7") is None


def test_names_meet_across_case_accents_and_the():
    assert squeezed("The Harbour Herald") == squeezed("harbourherald") == squeezed("HARBOUR herald")
    assert squeezed("Listín Diario") == squeezed("listindiario")
    assert resembles("iG", "ig.com.br") and not resembles("News", "hutchnews.com")


def test_a_handle_and_the_written_name_are_one_outlet_in_the_archive(tmp_path):
    from archive.archive import Archive
    from archive.ingest import Submission

    texts = [
        " ".join([f"The town council met on {day} and voted on the {topic}, which had been "
                  f"argued over for {n} months by residents of the {side} district."] * 4)
        for day, topic, n, side in (("Monday", "parking plan", "six", "northern"),
                                    ("Thursday", "school budget", "nine", "western"),
                                    ("Saturday", "new library", "three", "harbour"))
    ]  # fmt: skip
    with Archive(tmp_path / "data") as archive:
        names = []
        for text, outlet in zip(texts, ("Harbour Herald", "harbourherald", "The HARBOUR herald"),
                                strict=True):  # fmt: skip
            sub = Submission(
                data=page(head=og(outlet)).replace(STORY, text).encode(),
                name=f"{outlet}.html",
                kind="html",
            )
            result = archive.add(sub)
            assert result.status == "added", result.reason
            names.append(archive.get(result.id).source)
    assert names == ["Harbour Herald"] * 3


def test_registry_script_keeps_names_the_pages_of_a_site_agree_on(tmp_path):
    import importlib.util
    from pathlib import Path

    spec = importlib.util.spec_from_file_location(
        "build_outlets", Path(__file__).parent.parent / "scripts" / "build_outlets.py"
    )
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    canonical = '<link rel="canonical" href="https://{host}/news/{n}">'
    for n, (host, name) in enumerate(
        [
            ("quaypost.co.uk", "Quay Post"),
            ("quaypost.co.uk", "Quay Post"),
            ("bayvoice.co.uk", "Sport"),
            ("bayvoice.co.uk", "Weather"),
        ]  # fmt: skip
    ):
        head = og(name) + canonical.format(host=host, n=n)
        text = page(head=head).replace("north quay", f"north quay number {n}")
        (tmp_path / f"{n}.html").write_text(text, encoding="utf8")
    registry = build.from_pages(tmp_path, min_pages=2)
    assert registry == {"quaypost.co.uk": "Quay Post"}
    assert build.from_table()["reuters.com"] == "Reuters"
