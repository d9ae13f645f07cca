from viewer.cli import run

raise SystemExit(run())
