"""The PySide6 desktop app: windows, views, Qt models, charts and undo commands."""

import models  # noqa: F401  (first: it sets up numpy's threads before numpy loads)
