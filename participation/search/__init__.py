"""One search over everything (issue 19): a table of search documents kept in step with every write, FTS5 on SQLite,
full text with unaccent, prefix matching and a pg_trgm fallback on PostgreSQL. A channel adds a kind by registering
how its rows read as documents (`registry.register`, see `kinds.py`)."""


def init_app(app) -> None:
    """The kinds, the index's listener, the /search page and `flask search-reindex`."""
    import click

    from participation.search import indexing, kinds
    from participation.search.views import bp

    kinds.register_all()
    indexing.connect()
    app.register_blueprint(bp)

    @app.cli.command("search-reindex")
    def reindex_command():
        """Fill the search index again from every table (after a bulk load, e.g. the benchmark's seeding)."""
        from participation.extensions import db

        with db.engine.begin() as connection:
            count = indexing.rebuild(connection)
        click.echo(f"Indexed {count} documents.")
