"""Imports every model so the metadata (and Alembic) sees every table."""
from participation.accounts.models import User  # noqa: F401
from participation.cases.models import Case, DeadlineRule, Response  # noqa: F401
from participation.groups.models import Group, GroupMember  # noqa: F401
from participation.institutions.models import Institution, Membership  # noqa: F401
from participation.outbox.models import OutboxMessage  # noqa: F401
from participation.jobs.models import JobRun  # noqa: F401  (issue 18: periodic runs claimed once)
from participation.proposals.models import MergeRecord, Proposal, ProposalSettings, Support  # noqa: F401
from participation.consultations.models import Attachment, Comment, Consultation, DraftVersion, Section, WindowExtension  # noqa: F401
from participation.moderation.models import ModerationAction, Report  # noqa: F401
from participation.feedback.models import Feedback, PageFigure, Site, WeekFigure, WordFigure  # noqa: F401
from participation.accounts.models import SecurityEvent  # noqa: F401,E402  (issue 18)
from participation.admin.models import PersonalDataAccess  # noqa: F401,E402  (issue 18)
from participation import counters  # noqa: E402  (issue 17: list totals kept as counters)
counters.listen()
from participation.follows.models import Follow, NotificationEvent, NotificationPreference, PendingNotification  # noqa: F401
from participation.search.models import SearchDocument  # noqa: F401,E402  (issue 19)
from participation.cocreation.models import (  # noqa: F401,E402  (issue 16)
    Amendment, Clause, CoCreation, Endorsement, Idea, IdeaSupport, RegulationVersion, TimelineEvent, WorkingGroupMember)
