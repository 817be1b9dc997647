"""`flask` commands: seed-demo, close-consultations, send-mail, recount-counters, backup, restore, worker."""
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
        from participation import counters

        counters.recount()  # the proposal list's and the response logs' totals (issue 17)
        db.session.commit()
        db.session.remove()

    @app.cli.command("rerender-html")
    @click.option("--batch", default=500, show_default=True, help="Rows per statement and commit.")
    def rerender_html_command(batch):
        """Render the stored HTML of every user text again whose HTML is missing or of an older sanitiser policy
        (after participation.text.POLICY was raised, or rows written by SQL alone)."""
        from participation.text import POLICY, rerender_all

        done = rerender_all(db.session, batch, log=click.echo)
        click.echo(f"Policy {POLICY}: " + ", ".join(f"{table} {rows}" for table, rows in done.items()) + " rows rendered.")
        db.session.remove()

    @app.cli.command("backup")
    @click.argument("folder", type=click.Path(file_okay=False))
    def backup_command(folder):
        """Back up the database (pg_dump, custom format; SQLite: a copy) and the uploaded files into FOLDER."""
        from pathlib import Path

        from participation.backup import backup

        db.session.remove()
        target = backup(app.config["SQLALCHEMY_DATABASE_URI"], app.config["UPLOAD_FOLDER"], Path(folder))
        click.echo(f"Backup written to {target}.")
        if app.config["STORAGE"] == "s3":
            click.echo(f"The uploaded files are in the bucket {app.config['S3_BUCKET']}, not in this backup: keep them "
                       "with the object store's versioning or replication (docs/deploy.md).")

    @app.cli.command("restore")
    @click.argument("folder", type=click.Path(exists=True, file_okay=False))
    @click.option("--yes", is_flag=True, help="Replace the database and the uploads without asking.")
    def restore_command(folder, yes):
        """Replace the database's content and the uploaded files with a backup made by `flask backup`."""
        from pathlib import Path

        from participation.backup import restore

        if not yes:
            click.confirm("This replaces everything in the configured database and upload folder. Go on?", abort=True)
        db.session.remove()
        db.engine.dispose()
        restore(app.config["SQLALCHEMY_DATABASE_URI"], app.config["UPLOAD_FOLDER"], Path(folder))
        click.echo("Restored.")

    @app.cli.command("worker")
    @click.option("--workers", type=int, default=None, help="Threads running jobs (default: JOBS_WORKERS, 2).")
    @click.option("--no-periodic", is_flag=True, help="Do not schedule the periodic tasks (another consumer does).")
    def worker_command(workers, no_periodic):
        """Run the job consumer: queued jobs and the periodic tasks (closing step, e-mail, digests…). Ctrl-C stops it."""
        from participation.worker import run_consumer

        click.echo(f"Job consumer started on {app.extensions['jobs']['queue'].split('@')[-1]}.")
        run_consumer(app, workers, periodic=not no_periodic)
