"""The words for reasons and actions, in the reader's language."""
from participation.i18n import lazy_gettext as _l

from participation.moderation.models import ActionKind, HideReason, ReportReason

HIDE_REASONS = {
    HideReason.ABUSE: _l("abusive or insulting"),
    HideReason.PERSONAL_DATA: _l("contains personal data"),
    HideReason.SPAM: _l("spam or advertising"),
    HideReason.OFF_TOPIC: _l("not about this subject"),
    HideReason.ILLEGAL: _l("breaks the law"),
    HideReason.OTHER: _l("breaks the rules of the platform"),
}

REPORT_REASONS = {
    ReportReason.ABUSE: _l("Abusive or insulting"),
    ReportReason.PERSONAL_DATA: _l("Contains someone's personal data"),
    ReportReason.SPAM: _l("Spam or advertising"),
    ReportReason.OFF_TOPIC: _l("Not about this subject"),
    ReportReason.OTHER: _l("Something else"),
    ReportReason.REVIEW: _l("The author asks for a review"),
}

ACTIONS = {
    ActionKind.HIDE: _l("Hidden"),
    ActionKind.RESTORE: _l("Restored"),
    ActionKind.APPROVE: _l("Approved"),
    ActionKind.DISMISS: _l("Reports dismissed"),
    ActionKind.HIGHLIGHT: _l("Highlighted"),
    ActionKind.UNHIGHLIGHT: _l("Highlight removed"),
    ActionKind.OFF_TOPIC: _l("Marked off-topic"),
    ActionKind.ON_TOPIC: _l("Off-topic mark removed"),
    ActionKind.BLOCK: _l("Account blocked"),
    ActionKind.UNBLOCK: _l("Account unblocked"),
    ActionKind.BLOCK_KEPT: _l("Block reviewed and kept"),
    ActionKind.VERIFY: _l("Group confirmed"),
}

# Block periods offered to moderators, in days; 0 is for good.
BLOCK_PERIODS = {1: _l("1 day"), 7: _l("7 days"), 30: _l("30 days"), 365: _l("1 year"), 0: _l("For good")}


# Each reason for hiding refers to the community rule it applies: its anchor on the terms page (legal.terms, issue 18).
RULE_ANCHORS = {
    HideReason.ABUSE: "rule-abuse",
    HideReason.PERSONAL_DATA: "rule-personal-data",
    HideReason.SPAM: "rule-spam",
    HideReason.OFF_TOPIC: "rule-off-topic",
    HideReason.ILLEGAL: "rule-illegal",
    HideReason.OTHER: "rule-other",
}


def community_rule_url(code: str) -> str:
    """The community rule a reason for hiding refers to (the rules as a whole for an unknown code)."""
    from flask import url_for

    try:
        anchor = RULE_ANCHORS[HideReason(code)]
    except ValueError:
        anchor = "community-rules"
    return url_for("legal.terms", _anchor=anchor)


def hide_reason_label(code: str) -> str:
    try:
        return str(HIDE_REASONS[HideReason(code)])
    except ValueError:
        return code


def report_reason_label(code: str) -> str:
    try:
        return str(REPORT_REASONS[ReportReason(code)])
    except ValueError:
        return code
