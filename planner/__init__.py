"""The planning engine and everything headless: evaluation, finance, reports, the CLI (no Qt)."""

import models  # noqa: F401  (first: it sets up numpy's threads before numpy loads)
