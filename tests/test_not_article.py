"""Pages that are no article are refused with the reason; menus around a story are cut.

Every page here is made up for the test."""

from __future__ import annotations

import pytest

from archive.extract.html import extract_html
from archive.extract.notarticle import trim_navigation
from archive.model import Rejected

STORY = (
    "The river burst its banks on Saturday night and flooded the lower town, where water "
    "stood a metre deep in the market square by dawn. Volunteers carried the elderly out of "
    "the houses nearest the bridge while the fire brigade pumped out the school basement."
)


MORE = [
    "By noon the water had fallen by half, leaving a brown line on every wall of the square "
    "and a smell of mud and diesel that hung over the lower town for the rest of the day.",
    "Shopkeepers dragged ruined stock onto the pavement. The baker said he had lost two "
    "ovens and a week of flour, and that he did not know whether his insurance would pay.",
    "The mayor promised an inquiry into why the flood barrier, finished only last year at "
    "great cost, had not been raised in time, and asked residents to report every loss.",
    "Forecasters expect more rain at the end of the week. The council has opened the sports "
    "hall for families whose homes are still under water and is handing out blankets.",
]


def page(body: str, *, head: str = "", title: str = "Lower town flooded") -> str:
    return (
        f"<!DOCTYPE html><html><head><title>{title}</title>{head}</head><body>{body}</body></html>"
    )


def story_page(head: str = "") -> str:
    paragraphs = "".join(f"<p>{STORY}</p>" for _ in range(3))
    return page(f"<article><h1>Lower town flooded</h1>{paragraphs}</article>", head=head)


def test_a_real_story_is_kept():
    assert "burst its banks" in extract_html(story_page()).text


def test_video_player_page_is_refused():
    head = '<meta property="og:type" content="video.other">'
    body = (
        "<div class='player'>Loading... Watch later. Share. Up next: autoplay is on.</div>"
        "<p>Published on 3 May. Highlights of the flood in the lower town, filmed from the "
        "bridge by a resident who stayed up all night with a camera and a torch.</p>"
    )
    with pytest.raises(Rejected, match="video player"):
        extract_html(page(body, head=head))


def test_json_ld_video_object_without_an_article_is_refused():
    head = (
        '<script type="application/ld+json">{"@type": "VideoObject", "name": "Flood",'
        ' "uploadDate": "2024-05-03"}</script>'
    )
    body = "<p>The flood in the lower town, filmed from the bridge by a resident at dawn.</p>" * 2
    with pytest.raises(Rejected, match="video player"):
        extract_html(page(body, head=head))


def test_a_long_story_with_an_embedded_video_is_kept():
    head = '<meta property="og:type" content="video.other">'
    paragraphs = "".join(f"<p>{text}</p>" for text in (STORY, *MORE))
    assert "fire brigade" in extract_html(page(f"<article>{paragraphs}</article>", head=head)).text


def test_page_of_headlines_linking_elsewhere_is_refused():
    headlines = [
        "Council approves the new budget for schools", "Storm closes the harbour road again",
        "Local team wins the regional cup final", "Bakery on the square celebrates fifty years",
        "Farmers warn of a poor harvest this autumn", "Museum reopens after a long repair",
        "Bus fares to rise from the first of June", "New bridge over the river opens in May",
    ]  # fmt: skip
    items = "".join(f"<p>{h}</p>" for h in headlines)
    body = f"<main><h1>Latest from our papers</h1>{items}</main>"
    with pytest.raises(Rejected, match="list of links or headlines"):
        extract_html(page(body, title="Latest from our papers"))


def test_table_of_results_is_not_taken_for_a_link_list():
    rows = "".join(
        f"<tr><td>{i}</td><td>Rider {chr(64 + i)}</td><td>{100 - i}</td><td>{i * 3}</td></tr>"
        for i in range(1, 13)
    )
    body = (
        "<article><h1>Final standings</h1><p>The final standings of the season after the "
        f"last race.</p><table>{rows}</table></article>"
    )
    assert "Rider A" in extract_html(page(body, title="Final standings")).text


def test_lorem_ipsum_placeholder_is_refused():
    text = (
        "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor "
        "incididunt ut labore et dolore magna aliqua. Quia voluptatem rerum sint natus odio "
        "libero, tenetur debitis sapiente iure esse."
    )
    body = "<article><h1>Lower town flooded</h1>" + f"<p>{text}</p>" * 3 + "</article>"
    with pytest.raises(Rejected, match="placeholder"):
        extract_html(page(body))


def test_wiki_diff_is_refused():
    rows = "".join(
        "<tr><td class='diff-marker'>−</td><td class='diff-deletedline'>"
        f"<div>{STORY}</div></td><td class='diff-marker'>+</td>"
        f"<td class='diff-addedline'><div>{STORY} Edited.</div></td></tr>"
        for _ in range(3)
    )
    body = f"<div id='content'><table class='diff diff-contentalign-left'>{rows}</table></div>"
    with pytest.raises(Rejected, match="comparison of two revisions"):
        extract_html(page(body, title="Difference between revisions of Flood"))


def test_a_leading_region_menu_is_cut_from_the_body():
    towns = ["Northfield", "Eastbrook", "Westmoor", "Southgate", "Oldbridge", "Newhaven",
             "Stonecross", "Ashford Vale", "Millbank", "Redcliff"]  # fmt: skip
    menu = "\n\n".join(["Your region:", *towns])
    body = f"{menu}\n\n{STORY}\n\n{STORY}"
    assert trim_navigation(body) == f"{STORY}\n\n{STORY}"


def test_a_trailing_section_menu_is_cut_but_a_short_list_stays():
    trailer = "\n\n".join(["MORE FROM THE SECTION", "most read", "MORE FROM THE REGIONS",
                           "most shared", "Weather", "Sport"])  # fmt: skip
    assert trim_navigation(f"{STORY}\n\n{trailer}") == STORY
    three = "\n\n".join(["Flour", "Eggs", "Milk"])
    assert trim_navigation(f"{STORY}\n\n{three}") == f"{STORY}\n\n{three}"


def test_menu_in_the_page_does_not_reach_the_stored_text():
    towns = "".join(f"<p>{t}</p>" for t in ("Northfield", "Eastbrook", "Westmoor", "Southgate",
                                            "Oldbridge", "Newhaven", "Stonecross"))  # fmt: skip
    paragraphs = "".join(f"<p>{STORY}</p>" for _ in range(3))
    found = extract_html(page(f"<article>{towns}{paragraphs}</article>"))
    assert "Eastbrook" not in found.text and "burst its banks" in found.text
