"""The settings dialog, its typed QSettings keys, and the microphone test."""
