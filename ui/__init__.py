"""The PySide6 desktop app: windows, views, Qt models, charts and undo commands."""
