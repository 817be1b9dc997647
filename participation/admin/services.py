"""The administrators' audit log (issue 18): every admin page that shows personal data, and every change made there,
is recorded with who, when, what was searched for and whose accounts it showed."""
from flask import request
from sqlalchemy import select

from participation.admin.models import PersonalDataAccess
from participation.extensions import db


def record_access(admin, action: str, subject_ids=(), query: str = "") -> PersonalDataAccess:
    entry = PersonalDataAccess(
        admin_id=admin.id, action=action, path=request.full_path.rstrip("?")[:500] if request else "",
        query=(query or "")[:200], subject_ids=" ".join(str(i) for i in subject_ids),
    )
    db.session.add(entry)
    db.session.commit()
    return entry


def audit_log():
    """Newest first (paginated by the view)."""
    return select(PersonalDataAccess).order_by(PersonalDataAccess.created_at.desc(), PersonalDataAccess.id.desc())
