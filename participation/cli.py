"""`flask` commands: seed-demo, close-consultations, send-mail, recount-counters."""
import click
from flask import Flask

from participation.extensions import db


def register_cli(app: Flask) -> None:
    @app.cli.command("seed-demo")
    def seed_demo_command():
        """Load the demo data once and print the demo accounts."""
        from participation.demo import DEMO_PASSWORD, seed_demo

        accounts = seed_demo()
        if accounts is None:
            click.echo("Demo data is already loaded.")
            return
        click.echo(f"Demo accounts (password for all: {DEMO_PASSWORD}):")
        for role, email in accounts:
            click.echo(f"  {role:<36} {email}")

    @app.cli.command("close-consultations")
    def close_consultations_command():
        """Run the closing step of every consultation whose window has ended (for cron; pages also run it)."""
        from participation.consultations.services import process_all_closed

        click.echo(f"Opened {process_all_closed()} cases.")

    @app.cli.command("send-mail")
    @click.option("--limit", default=100, show_default=True, help="How many queued messages to send.")
    def send_mail_command(limit):
        """Deliver queued e-mail (SMTP when MAIL_SERVER is set, else the console)."""
        from participation.outbox.services import deliver_queued

        sent, failed = deliver_queued(limit)
        click.echo(f"Sent {sent}, failed {failed}.")
        db.session.remove()

    @app.cli.command("recount-counters")
    def recount_counters_command():
        """Count every counter the pages read again from the rows (after a manual fix in the database)."""
        from participation.consultations.services import recount_counters
        from participation.proposals.services import recount_supports

        click.echo(f"Corrected {recount_counters()} comment counters and {recount_supports()} support counters.")
        db.session.remove()
