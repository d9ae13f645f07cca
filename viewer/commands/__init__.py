"""Command-line commands. Each module has ``register(subparsers, common)``; ``viewer.cli`` lists them."""
