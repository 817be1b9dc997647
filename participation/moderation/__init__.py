"""Moderation across every channel: reports, the moderators' queue, hiding with a public reason,
pre-moderation, blocked accounts, and the public and internal moderation logs."""
