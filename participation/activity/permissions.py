"""Who may see an activity page: only the person it belongs to (the pages take no one's id but the viewer's own)."""


def can_view_activity(user) -> bool:
    return bool(getattr(user, "is_authenticated", False))
