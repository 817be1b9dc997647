"""The pages about the service (issue 18): privacy notice, terms and community rules, accessibility statement,
contact. Long texts live in one template per language (templates/legal/<lang>/<page>.html).

CURRENT holds the versions in force. A new version of the terms or of the privacy notice is a new date here (and the
changed text): everyone who accepted an older one is shown the new one at their next log-in
(accounts.views.accept_terms)."""

CURRENT = {
    "TERMS_VERSION": "2026-11-30",
    "PRIVACY_VERSION": "2026-11-30",
    # The date of the last review of the accessibility statement (Latvia's website accessibility rules ask for it).
    "ACCESSIBILITY_REVIEWED": "2026-11-30",
}


def terms_version() -> str:
    return CURRENT["TERMS_VERSION"]


def privacy_version() -> str:
    return CURRENT["PRIVACY_VERSION"]
