"""The benchmark: `make bench` fills PostgreSQL with a national-scale load (seed.py), serves the app and a bare-Flask
baseline under gunicorn and loads both with wrk (run.py, baseline.py), and writes the report (report.py)."""
