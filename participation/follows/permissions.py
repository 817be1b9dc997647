"""Who may follow what, and whose follows and settings are whose."""
from participation.follows import subjects


def can_follow(user, kind: str, item) -> bool:
    """A signed-in person with a confirmed address (we write to it) follows anything everyone may see."""
    return (getattr(user, "is_authenticated", False) and user.is_verified
            and item is not None and subjects.is_public(kind, item))


def can_manage_follows(user) -> bool:
    """Anyone signed in chooses how they hear from us and stops their follows (a blocked person too)."""
    return bool(getattr(user, "is_authenticated", False))


def owns_follow(user, follow) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and follow is not None and follow.user_id == user.id


def sees_cases_due(user) -> bool:
    """Staff who answer cases have the digest of cases nearing their deadline to choose about."""
    from participation.institutions.services import memberships_of
    from participation.institutions.models import StaffRole

    return any(m.role in (StaffRole.RESPONDER, StaffRole.ADMIN) for m in memberships_of(user))
