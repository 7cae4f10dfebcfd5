"""The PySide6 window: a thin front end over the core session and the speech adapters."""
