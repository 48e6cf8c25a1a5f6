"""docs/web.md documents every route, every setting and shows screenshots that exist."""

from __future__ import annotations

import re
from pathlib import Path

from archive.settings import SETTINGS

DOCS = Path(__file__).resolve().parents[2] / "docs"
WEB_MD = (DOCS / "web.md").read_text(encoding="utf-8")


def test_every_route_is_documented(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        path = re.sub(r"<[^>]+>", "<id>", rule.rule)
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            assert f"`{method} {path}`" in WEB_MD, f"{method} {path} is not in docs/web.md"


def test_every_setting_is_documented():
    for setting in SETTINGS:
        assert f"`{setting.env}`" in WEB_MD, setting.env


def test_screenshots_shown_in_the_docs_exist():
    shown = re.findall(r"\]\((screenshots/[^)]+)\)", WEB_MD)
    assert {"screenshots/search-desktop.png", "screenshots/search-phone.png",
            "screenshots/article.png"} <= set(shown)  # fmt: skip
    for name in shown:
        assert (DOCS / name).stat().st_size > 10_000, name
