"""Replaying a recorded answer: the player's view, its waveform and transcript."""
