"""Fixed choices for proposals: topics and the territory (Latvia's municipalities since 2021)."""
from participation.i18n import lazy_gettext as _l

TOPICS = {
    "education": _l("Education"),
    "youth": _l("Youth"),
    "transport": _l("Roads and transport"),
    "environment": _l("Environment"),
    "social": _l("Social care"),
    "health": _l("Health"),
    "culture": _l("Culture"),
    "sport": _l("Sport"),
    "housing": _l("Housing and utilities"),
    "safety": _l("Public safety"),
    "economy": _l("Business and jobs"),
    "digital": _l("Digital services"),
    "governance": _l("Public administration"),
}

WHOLE_COUNTRY = "Latvija"

# The seven state cities and the municipalities of the 2021 administrative-territorial reform.
MUNICIPALITIES = [
    "Daugavpils", "Jelgava", "Jūrmala", "Liepāja", "Rēzekne", "Rīga", "Ventspils",
    "Aizkraukles novads", "Alūksnes novads", "Augšdaugavas novads", "Ādažu novads", "Balvu novads",
    "Bauskas novads", "Cēsu novads", "Dienvidkurzemes novads", "Dobeles novads", "Gulbenes novads",
    "Jelgavas novads", "Jēkabpils novads", "Krāslavas novads", "Kuldīgas novads", "Ķekavas novads",
    "Limbažu novads", "Līvānu novads", "Ludzas novads", "Madonas novads", "Mārupes novads", "Ogres novads",
    "Olaines novads", "Preiļu novads", "Rēzeknes novads", "Ropažu novads", "Salaspils novads", "Saldus novads",
    "Saulkrastu novads", "Siguldas novads", "Smiltenes novads", "Talsu novads", "Tukuma novads", "Valkas novads",
    "Valmieras novads", "Varakļānu novads", "Ventspils novads",
]
