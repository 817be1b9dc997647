"""Follows, notification preferences and digests (issue 18).

- `subjects`: what can be followed (a registry: consultation, proposal, institution, group; more plug in).
- `services`: follow/unfollow, preferences, the signed one-click unsubscribe, and `notify(...)`, which other channels
  call to tell followers about an event (see its docstring).
- `events`: where the news comes from (the spine's signal and what the ORM writes), connected by `init_app`.
- `digests` and `tasks`: sweeps and digests on the job queue.
"""
from flask import Flask


def init_app(app: Flask) -> None:
    from participation.follows import events, subjects
    from participation.follows.views import follow_state

    subjects.register_builtin()
    events.connect()
    app.jinja_env.globals["follow_state"] = follow_state

