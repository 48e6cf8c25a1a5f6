"""Curation in real Chromium against `archive serve`: an editor signs in with a name,
corrects an article's outlet and removes a place on its page, and sees both in the results;
the history names the editor and an undo brings the old outlet back."""

from __future__ import annotations

import shutil

import pytest

from .conftest import TOKEN
from .serving import post_article, serve

pytestmark = pytest.mark.browser

TEXT = (
    "Farmers near Hama said the late rains had saved part of the barley harvest, and "
    "traders in Hama expected prices to ease before the winter."
)


@pytest.fixture(scope="module")
def server(seeded_dir, tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("curation") / "data"
    shutil.copytree(seeded_dir, data_dir)
    with serve(data_dir) as base:
        added = post_article(
            base, {"title": "Late rains save the barley", "source": "Misnamed Wire", "text": TEXT}
        )
        yield {"base": base, "id": added["id"]}


def facet_values(page, name: str) -> str:
    return page.locator(f"[data-facet='{name}'], #facet-{name}").first.inner_text()


def test_an_editor_corrects_the_outlet_and_removes_a_place(page, server):
    article = f"/articles/{server['id']}"
    page.goto(f"/sign-in?next={article}")
    page.fill("#token", TOKEN)
    page.fill("#editor-name", "Rana")
    page.click("button:has-text('Sign in')")
    assert page.url.endswith(article)
    page.fill("#edit-source", "Farm Wire")
    page.click("button:has-text('Save corrections')")
    assert "Corrected" in page.locator(".flashes").inner_text()
    assert "corrected by an editor" in page.locator(".meta").inner_text()
    place = page.locator(".panel--editor input[name=remove]").first
    place_id = place.get_attribute("value")
    place.check()
    page.click("button:has-text('Save places')")
    assert page.locator(f".panel--editor input[name=remove][value='{place_id}']").count() == 0
    history = page.locator(".history").inner_text()
    assert "by Rana" in history and "source: “Misnamed Wire” → “Farm Wire”" in history
    assert "places: remove" in history

    page.goto("/?q=barley")
    hit = page.locator("ol.hits > li.hit")
    assert hit.count() == 1
    assert "Farm Wire" in hit.first.inner_text()
    sidebar = page.locator("body").inner_text()
    assert "Misnamed Wire" not in sidebar
    page.goto(f"/?q=barley&place={place_id}")
    assert page.locator("ol.hits > li.hit").count() == 0

    page.goto(article)
    page.locator(".history__row", has_text="source: “Misnamed Wire”").locator("button").click()
    page.goto("/?q=barley")
    assert "Misnamed Wire" in page.locator("ol.hits > li.hit").first.inner_text()
