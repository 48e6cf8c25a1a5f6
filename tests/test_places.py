"""The geoparser: spelling variants merge, ordinary words stay words, context decides."""

from __future__ import annotations

import pytest

from archive.places import (
    Place,
    country_of,
    extract_places,
    get_place,
    place_label,
    resolve_place,
)

SYRIA, HOMS, DAMASCUS, ALEPPO = "163843", "169577", "170654", "170063"
DARAA, SUWAYDA, DEIR_EZ_ZOR, TARTUS, PALMYRA = "170905", "172408", "170794", "163345", "163808"


def ids(text: str) -> list[str]:
    return [p.geonameid for p in extract_places(text)]


@pytest.mark.parametrize(
    ("spellings", "geonameid"),
    [
        (["Deraa", "Daraa", "Dar'a", "Dar‘a"], DARAA),
        (["Sweida", "Suweida", "Suwayda", "As-Suwayda", "al-Suwayda"], SUWAYDA),
        (["Deir al-Zor", "Deir Ezzor", "Deir ez-Zor", "deir ezzor", "Deir el-Zour"], DEIR_EZ_ZOR),
        (["Tartous", "Tartus", "Ţarţūs"], TARTUS),
        (["Palmyra", "Tadmur"], PALMYRA),
    ],
)
def test_seed_spellings_resolve_to_one_place(spellings, geonameid):
    for spelling in spellings:
        place = resolve_place(spelling)
        assert place is not None and place.geonameid == geonameid, spelling


def test_seed_spellings_in_running_text_land_on_one_entry():
    text = (
        "Rebels took Deraa on Friday. Fighters in Daraa celebrated. "
        "Druze leaders in Sweida and Suwayda met. The SDF entered Deir al-Zor; "
        "Deir Ezzor residents fled. Russia keeps its base in Tartous, near Tartus port. "
        "Palmyra, known in Arabic as Tadmur, changed hands again."
    )
    found = {p.geonameid: len(p.mentions) for p in extract_places(text)}
    assert found[DARAA] == 2
    assert found[SUWAYDA] == 2
    assert found[DEIR_EZ_ZOR] == 2
    assert found[TARTUS] == 2
    assert found[PALMYRA] == 2


def test_mentions_carry_offsets_surface_and_form():
    text = "Syrian forces left Homs."
    refs = {p.geonameid: p for p in extract_places(text)}
    (homs,) = refs[HOMS].mentions
    assert (homs.start, homs.end, homs.surface, homs.form) == (19, 23, "Homs", "name")
    (syrian,) = refs[SYRIA].mentions
    assert (syrian.surface, syrian.form) == ("Syrian", "demonym")


def test_places_are_ordered_by_first_mention():
    assert ids("From Aleppo to Damascus, then back to Aleppo.") == [ALEPPO, DAMASCUS]


def test_get_place_and_roll_up_to_country():
    homs = get_place(HOMS)
    assert isinstance(homs, Place)
    assert homs.name == "Homs" and homs.country == "SY" and homs.kind == "city"
    assert country_of(homs).geonameid == SYRIA
    assert country_of(get_place(SYRIA)) is None
    assert place_label(homs) == "Homs · Syria"
    assert place_label(get_place(SYRIA)) == "Syria"


def test_ordinary_words_do_not_become_places():
    text = (
        "Turn on the radio. Nice weather today. The Jordan said he would play. "
        "I ate a turkey sandwich. Police said the West must act."
    )
    assert ids(text) == []
