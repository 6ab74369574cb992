"""The `patron` command line. Its commands and their output are a fixed contract for outside tools."""

from patron.cli.app import app


def main() -> None:
    app()
