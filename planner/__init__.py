"""The planning engine and everything headless: evaluation, finance, reports, the CLI (no Qt)."""
