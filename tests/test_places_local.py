"""Local news: datelines, state abbreviations and counties."""

from __future__ import annotations

import pytest

from archive.places import extract_places
from archive.places.local import datelines, state_after

WASHINGTON_DC, NEW_YORK_CITY, NEW_YORK_STATE = "4140963", "5128581", "5128638"


def refs(text: str):
    return extract_places(text)


def first(text: str):
    return refs(text)[0]


@pytest.mark.parametrize(
    "text",
    [
        "WASHINGTON (AP) — Senators from New Jersey and Ohio met on Tuesday.",
        "WASHINGTON — A federal judge in New Jersey ruled on Friday.",
        "WASHINGTON (Reuters) - Regulators said nothing new.",
    ],
)
def test_a_washington_dateline_is_the_capital(text):
    place = first(text)
    assert place.geonameid == WASHINGTON_DC
    assert place.mentions[0].surface == "WASHINGTON"


@pytest.mark.parametrize(
    "text",
    [
        "NEW YORK (Reuters) - Shares of the chipmaker slid in early trade.",
        "NEW YORK (AP) — A painting sold for a record sum at auction.",
    ],
)
def test_a_new_york_dateline_is_the_city_never_the_state(text):
    found = [p.geonameid for p in refs(text)]
    assert found == [NEW_YORK_CITY]


def test_a_dateline_with_a_state_abbreviation_is_that_states_town():
    place = first("SPRINGFIELD, Ill. — The legislature adjourned without a budget.")
    assert (place.name, place.country, place.lat > 39.0) == ("Springfield", "US", True)
    # The Springfield of Illinois, not the larger one of Missouri.
    assert round(place.lon) == -90


@pytest.mark.parametrize(
    ("text", "state"),
    [
        ("Crews were sent to Springfield, Mo., after the storm.", "MO"),
        ("The plant in Springfield, Mass., will close.", "MA"),
        ("Springfield, OR 97477 is where the mill stood.", "OR"),
    ],
)
def test_a_town_followed_by_its_state_abbreviation_is_the_town_of_that_state(text, state):
    from archive.places import get_place

    place = first(text)
    assert place.name == "Springfield"
    assert get_place(place.geonameid).admin1 == state


def test_state_abbreviations_in_ap_style_and_postal_codes():
    text = "Gilford, N.H., Tulsa, Okla., Boise, ID and Austin, Texas"
    assert state_after(text, text.index(",")) == "NH"
    assert state_after(text, text.index(", Okla")) == "OK"
    assert state_after(text, text.index(", ID")) == "ID"
    assert state_after(text, text.index(", Texas")) is None  # a full name: a region match
    assert state_after("Paris, Miss Dior said", 5) is None  # no dot: a word, not Mississippi


def test_datelines_are_found_only_at_the_start_of_a_line():
    text = "BEIRUT (AP) — Talks resumed.\nLater, in Cairo - officials said."
    assert datelines(text) == [(0, 6)]


def test_counties_are_places_and_take_the_state_from_the_article():
    found = refs("Deputies in Cuyahoga County said Cleveland roads were closed.")
    assert "Cuyahoga County" in {p.name for p in found}
    orange = [p for p in refs("Fires in Orange County, California, forced evacuations.")]
    county = next(p for p in orange if p.name == "Orange County")
    assert county.country == "US" and county.lon < -115  # the Californian one


def test_a_state_abbreviation_after_a_town_is_a_mention_of_the_state():
    found = {p.name: p for p in refs("A fire in Gilford, N.H., spread to Laconia.")}
    state = found["New Hampshire"]
    assert state.kind == "region"
    assert [m.surface for m in state.mentions] == ["N.H."]
    assert "Gilford" in found


def test_a_county_takes_the_state_of_its_abbreviation_also_in_brackets():
    from archive.places import get_place

    for text in (
        "Deputies in Walker County, Ga., found the car.",
        "The Walker County (Ga.) Sheriff's Office is asking for help.",
    ):
        county = first(text)
        assert county.name == "Walker County"
        assert get_place(county.geonameid).admin1 == "GA"


def test_canadian_province_abbreviations_qualify_towns():
    from archive.places import get_place

    found = {p.name: p for p in refs("Crews from Nelson, B.C., and Kingston, Ont., helped.")}
    assert get_place(found["Nelson"].geonameid).admin1 == "02"
    assert found["Nelson"].country == "CA"
    assert {"British Columbia", "Ontario"} <= set(found)


def test_a_state_named_outright_settles_its_counties_against_another_states():
    from archive.places import get_place

    text = (
        "Kentucky lawmakers set the school budget. Clay County will receive $1 million, "
        "Union County $800,000 and Wayne County $700,000."
    )
    counties = [p for p in refs(text) if p.kind == "district"]
    assert len(counties) == 3
    assert {get_place(p.geonameid).admin1 for p in counties} == {"KY"}


def test_a_county_outranks_a_foreign_town_of_its_name_when_its_country_is_named():
    # Kent, Washington is a city of 130,000; with England's places around, Kent is the county.
    found = refs("The season opens at Brands Hatch, Kent, then Thruxton, Hampshire, in England.")
    kent = next(p for p in found if p.name == "Kent")
    assert (kent.kind, kent.country) == ("district", "GB")


def test_a_town_qualified_by_its_county_is_that_countys_town():
    from archive.places import get_place

    found = {p.name: p for p in refs("The fair moved to Andover, Hampshire, last year.")}
    assert found["Andover"].country == "GB"
    assert get_place(found["Andover"].geonameid).admin1 == "ENG"


def test_three_small_towns_of_one_state_vouch_for_each_other():
    text = (
        "Kasey Cohen grew up in Oceanside. A doctor from Fort Salonga and his wife joined "
        "the crew, and a couple from Bellmore came aboard last summer."
    )
    found = {p.name: p for p in refs(text)}
    assert {"Oceanside", "Fort Salonga", "Bellmore"} <= set(found)
    assert {p.country for p in found.values()} == {"US"}


def test_two_small_towns_alone_do_not_vouch_for_each_other():
    # Floor plans named after towns: two names are not yet a place the story is about.
    assert refs("Two floor plans, Bellmore and Fort Salonga, are offered to buyers.") == []
    with_third = "Two floor plans, Bellmore and Fort Salonga, are offered; Oceanside is sold out."
    assert len(refs(with_third)) == 3


@pytest.mark.parametrize(
    ("text", "region"),
    [
        ("The caravan camped near the border of Oaxaca State, Mexico.", "Oaxaca"),
        ("The Governor of Sokoto State met officials in Abuja.", "Sokoto"),
    ],
)
def test_a_name_followed_by_state_or_province_is_the_region_not_its_city(text, region):
    found = next(p for p in refs(text) if p.name == region)
    assert found.kind == "region"


@pytest.mark.parametrize(
    ("text", "town"),
    [
        ("Fans travelled from Stoke to London for the final.", "Stoke-on-Trent"),
        ("Burton Albion fans travelled from Burton to Derby, England.", "Burton upon Trent"),
        ("The show comes to Clacton, then moves on to Colchester in Essex.", "Clacton-on-Sea"),
    ],
)
def test_a_town_named_with_its_river_or_coast_goes_by_the_first_part(text, town):
    assert town in {p.name for p in refs(text)}
