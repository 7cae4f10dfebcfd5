"""Mock Interviewer: spoken practice for technical interviews, transcribed and scored locally."""

__version__ = "0.1.0"
