"""Platform-wide roles."""


def is_moderator(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and (user.is_moderator or user.is_admin))


def is_platform_admin(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_admin)


def can_write(user) -> bool:
    """Signed in and not blocked: a blocked account can read but not write."""
    return bool(getattr(user, "is_authenticated", False) and not user.is_blocked())
