"""Every setting is declared once, has help, and is documented in the README."""

from __future__ import annotations

from dataclasses import fields

from archive.settings import SETTINGS, Settings

from .conftest import ROOT


def test_settings_declared_once_with_help_match_the_dataclass():
    assert [f.name for f in fields(Settings)] == [s.name for s in SETTINGS]
    for setting, field in zip(SETTINGS, fields(Settings), strict=True):
        assert setting.help and field.default == setting.default


def test_every_setting_is_documented_in_the_readme():
    readme = (ROOT / "README.md").read_text()
    for setting in SETTINGS:
        assert f"`{setting.env}`" in readme, setting.env


def test_environment_overrides_defaults(monkeypatch):
    monkeypatch.setenv("ARCHIVE_PAGE_SIZE", "7")
    monkeypatch.setenv("ARCHIVE_DATA_DIR", "/tmp/x")
    settings = Settings.from_env(data_dir=None)
    assert (settings.page_size, settings.data_dir) == (7, "/tmp/x")
    assert Settings.from_env(data_dir="/y").data_dir == "/y"
