"""The annotation domain. Never imports Textual: the CLI and tests use it alone."""
