"""Describe places in India: the resolved place, other names of districts, distances."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

EARTH_RADIUS_KM = 6371.0088  # mean Earth radius (IUGG)

# Other names people use for a district, keyed by its name in the India Post data set shipped by
# indian-pincode 2.1.0: renamed districts, old and Hindi names, cities that are not districts.
DISTRICT_OTHER_NAMES: dict[str, tuple[str, ...]] = {
    "PRAYAGRAJ": ("Allahabad", "Ilahabad", "Prayag", "प्रयागराज", "इलाहाबाद", "प्रयाग"),
    "AYODHYA": ("Faizabad", "अयोध्या", "फैजाबाद"),
    "VARANASI": ("Benares", "Banaras", "Benaras", "Kashi", "वाराणसी", "बनारस", "काशी"),
    "KANPUR NAGAR": ("Kanpur", "Cawnpore", "कानपुर"),
    "LUCKNOW": ("Lakhnau", "लखनऊ"),
    "NEW DELHI": ("Delhi", "Dilli", "दिल्ली", "नई दिल्ली", "नयी दिल्ली"),
    "GAUTAM BUDDHA NAGAR": ("Noida", "Greater Noida", "नोएडा", "नोयडा"),
    "RAE BARELI": ("Rae Bareilly", "Raibareli", "रायबरेली"),
    "KHERI": ("Lakhimpur Kheri", "लखीमपुर खीरी"),
    "KUSHI NAGAR": ("Padrauna", "कुशीनगर"),
    "SANT KABEER NAGAR": ("Sant Kabir Nagar", "Khalilabad", "संत कबीर नगर"),
    "BHADOHI": ("Sant Ravidas Nagar", "भदोही"),
    "CHANDAULI": ("Mughalsarai", "चंदौली"),
    "SIDDHARTH NAGAR": ("सिद्धार्थनगर",), "SONBHADRA": ("सोनभद्र",),
    "AGRA": ("आगरा",), "MEERUT": ("मेरठ",), "GORAKHPUR": ("गोरखपुर",), "GHAZIABAD": ("गाजियाबाद",),
    "MATHURA": ("Vrindavan", "मथुरा", "वृंदावन"), "ALIGARH": ("अलीगढ़",),
    "BAREILLY": ("Bareli", "बरेली"), "MORADABAD": ("मुरादाबाद",), "JHANSI": ("झांसी",),
    "MIRZAPUR": ("मिर्जापुर",), "JAUNPUR": ("जौनपुर",), "AZAMGARH": ("आजमगढ़",),
    "GHAZIPUR": ("गाजीपुर",), "BALLIA": ("बलिया",), "SULTANPUR": ("सुल्तानपुर",),
    "PRATAPGARH": ("प्रतापगढ़",), "UNNAO": ("उन्नाव",), "SITAPUR": ("सीतापुर",),
    "BARABANKI": ("बाराबंकी",), "GONDA": ("गोंडा",), "BAHRAICH": ("बहराइच",), "BASTI": ("बस्ती",),
    "DEORIA": ("देवरिया",), "KAUSHAMBI": ("कौशाम्बी", "कौशांबी"), "FATEHPUR": ("फतेहपुर",),
    "BANDA": ("बांदा",), "CHITRAKOOT": ("चित्रकूट",), "SAHARANPUR": ("सहारनपुर",),
    "MUZAFFARNAGAR": ("मुजफ्फरनगर",), "MAU": ("मऊ",), "AMETHI": ("अमेठी",),
    "PATNA": ("पटना",), "GAYA": ("गया",), "MUZAFFARPUR": ("मुजफ्फरपुर",),
    "BHAGALPUR": ("भागलपुर",), "DARBHANGA": ("दरभंगा",), "RANCHI": ("रांची",),
    "DHANBAD": ("धनबाद",), "EAST SINGHBUM": ("Jamshedpur", "East Singhbhum", "जमशेदपुर"),
    "JAIPUR": ("जयपुर",), "JODHPUR": ("जोधपुर",), "UDAIPUR": ("उदयपुर",), "KOTA": ("कोटा",),
    "AJMER": ("अजमेर",), "BHOPAL": ("भोपाल",), "INDORE": ("इंदौर",), "GWALIOR": ("ग्वालियर",),
    "JABALPUR": ("Jubbulpore", "जबलपुर"), "HOSHANGABAD": ("Narmadapuram",),
    "DEHRADUN": ("देहरादून",), "HARIDWAR": ("Hardwar", "हरिद्वार"), "CHANDIGARH": ("चंडीगढ़",),
    "GURUGRAM": ("Gurgaon", "गुरुग्राम", "गुड़गांव"), "FARIDABAD": ("फरीदाबाद",),
    "LUDHIANA": ("लुधियाना",), "AMRITSAR": ("अमृतसर",), "S.A.S NAGAR": ("Mohali", "SAS Nagar"),
    "MUMBAI": ("Bombay", "मुंबई", "बंबई", "बम्बई"), "THANE": ("Navi Mumbai",),
    "PUNE": ("Poona", "पुणे"), "NAGPUR": ("नागपुर",), "KOLKATA": ("Calcutta", "कोलकाता", "कलकत्ता"),
    "CHENNAI": ("Madras", "चेन्नई"), "HYDERABAD": ("Secunderabad", "हैदराबाद"),
    "BENGALURU URBAN": ("Bangalore", "Bengaluru", "बेंगलुरु", "बंगलौर", "बैंगलोर"),
    "MYSURU": ("Mysore",), "AHMADABAD": ("Ahmedabad", "अहमदाबाद"), "VADODARA": ("Baroda",),
    "THIRUVANANTHAPURAM": ("Trivandrum",), "ERNAKULAM": ("Kochi", "Cochin"),
    "KOZHIKODE": ("Calicut",), "ALAPPUZHA": ("Alleppey",), "KOLLAM": ("Quilon",),
    "THRISSUR": ("Trichur",), "KAMRUP METRO": ("Guwahati", "Gauhati"),
    "KHORDHA": ("Bhubaneswar", "Bhubaneshwar", "Khurda"), "NTR": ("Vijayawada",),
    "VISAKHAPATANAM": ("Visakhapatnam", "Vizag"), "SPSR NELLORE": ("Nellore",),
    "Y.S.R.": ("Kadapa", "Cuddapah"), "DAKSHINA KANNADA": ("Mangalore", "Mangaluru"),
    "BELAGAVI": ("Belgaum",), "KALABURAGI": ("Gulbarga",), "SHIVAMOGGA": ("Shimoga",),
    "TUMAKURU": ("Tumkur",), "DHARWAD": ("Hubli", "Hubballi"), "TIRUCHIRAPPALLI": ("Trichy",),
    "PONDICHERRY": ("Puducherry",), "SHIMLA": ("Simla",), "NORTH GOA": ("Goa", "Panaji"),
    "LEH LADAKH": ("Leh",),
}

# Abbreviations and Hindi names of states, used only as a hint after a district name.
STATE_OTHER_NAMES: dict[str, str] = {
    "UP": "UTTAR PRADESH", "उत्तर प्रदेश": "UTTAR PRADESH", "MP": "MADHYA PRADESH",
    "मध्य प्रदेश": "MADHYA PRADESH", "HP": "HIMACHAL PRADESH", "UK": "UTTARAKHAND",
    "Uttaranchal": "UTTARAKHAND", "बिहार": "BIHAR", "राजस्थान": "RAJASTHAN", "Orissa": "ODISHA",
    "AP": "ANDHRA PRADESH", "TN": "TAMIL NADU", "WB": "WEST BENGAL", "JK": "JAMMU AND KASHMIR",
}


# Delhi's districts are named by compass point alone in the data set.
_DELHI_COMPASS = frozenset(
    {"CENTRAL", "EAST", "NORTH", "SOUTH", "WEST", "NORTH EAST", "NORTH WEST", "SOUTH EAST",
     "SOUTH WEST"}
)

# Words kept lower-case inside a title-cased name ("Jammu and Kashmir").
_SMALL_WORDS = frozenset({"and", "of"})

JsonPlace = dict[str, float | str | None]


@dataclass(frozen=True)
class Place:
    """A point a user named, with the district and state it lies in, ready to show."""

    latitude: float
    longitude: float
    district: str
    state: str
    pincode: str | None
    label: str

    def to_json(self) -> JsonPlace:
        """Return the place as a dict of JSON primitives."""
        return {
            "latitude": self.latitude,
            "longitude": self.longitude,
            "district": self.district,
            "state": self.state,
            "pincode": self.pincode,
            "label": self.label,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, object]) -> Place:
        """Rebuild a place from `to_json` output; raise ValueError if a field is malformed."""
        pincode = data.get("pincode")
        if pincode is not None and not isinstance(pincode, str):
            raise ValueError("pincode must be a string or null")
        return cls(
            latitude=_number(data, "latitude"),
            longitude=_number(data, "longitude"),
            district=_text(data, "district"),
            state=_text(data, "state"),
            pincode=pincode,
            label=_text(data, "label"),
        )


def _number(data: Mapping[str, object], key: str) -> float:
    value = data.get(key)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"{key} must be a number")
    return float(value)


def _text(data: Mapping[str, object], key: str) -> str:
    value = data.get(key)
    if not isinstance(value, str):
        raise ValueError(f"{key} must be a string")
    return value


def display_name(name: str) -> str:
    """Title-case an upper-case data-set name for display ("UTTAR PRADESH" → "Uttar Pradesh")."""
    words = name.strip().lower().split()
    return " ".join(
        word if index and word in _SMALL_WORDS else word.title()
        for index, word in enumerate(words)
    )


def district_display(name: str, state: str) -> str:
    """Return a district's display name: "PRAYAGRAJ" → "Prayagraj", "CENTRAL" → "Central Delhi"."""
    if state == "DELHI" and name in _DELHI_COMPASS:
        return f"{display_name(name)} Delhi"
    return display_name(name)


def haversine_km(a_lat: float, a_lon: float, b_lat: float, b_lon: float) -> float:
    """Return the great-circle distance in kilometres between two points."""
    phi_a, phi_b = math.radians(a_lat), math.radians(b_lat)
    d_phi = phi_b - phi_a
    d_lambda = math.radians(b_lon - a_lon)
    h = math.sin(d_phi / 2) ** 2 + math.cos(phi_a) * math.cos(phi_b) * math.sin(d_lambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))
