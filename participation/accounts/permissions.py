"""Platform-wide roles."""


def is_moderator(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and (user.is_moderator or user.is_admin))


def is_platform_admin(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_admin)


def can_write(user) -> bool:
    """Signed in and not blocked: a blocked account can read but not write."""
    return bool(getattr(user, "is_authenticated", False) and not user.is_blocked())


def why_cannot_write(user, needs_verified: bool = True) -> str | None:
    """Why this person may not send a form that writes, before they start typing: "anonymous", "blocked",
    "unverified" (where the action needs a confirmed e-mail address), or None when they may."""
    if not getattr(user, "is_authenticated", False):
        return "anonymous"
    if user.is_blocked():
        return "blocked"
    if needs_verified and not user.is_verified:
        return "unverified"
    return None
