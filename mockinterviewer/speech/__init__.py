"""Speech adapters: text-to-speech, recorder, player and transcriber behind small interfaces.

Each adapter is handed its settings when it is made and reads no globals; each imports its
library lazily, so a machine without PortAudio or espeak-ng can still run the rest of the app
and hear one clear sentence about what is missing.
"""
