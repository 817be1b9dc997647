"""Demo follows (`flask seed-demo`): besides what the demo residents commented on, submitted or supported (followed
automatically), the resident follows the Rēzekne municipality and the youth council, and hears of new consultations in
a daily digest, where one line already waits."""
from participation.extensions import db
from participation.follows import services
from participation.follows.models import Event, Frequency, PendingNotification


def seed_follows(resident, institution, group) -> None:
    services.follow(resident, "institution", institution.id)
    services.follow(resident, "group", group.id)
    services.set_preferences(resident, {Event.OPENING: Frequency.DAILY})
    follow = services.follow_of(resident, "institution", institution.id)
    db.session.add(PendingNotification(
        user_id=resident.id, follow_id=follow.id, event=Event.OPENING, frequency=Frequency.DAILY,
        subject_kind="institution", subject_id=institution.id,
        text=f"{institution.name}: jauna apspriešana „Ielu apgaismojuma noteikumi”", link=""))
    db.session.commit()
