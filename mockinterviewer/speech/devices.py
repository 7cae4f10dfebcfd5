"""Finding microphones and speakers through sounddevice (PortAudio)."""

from __future__ import annotations

import gc
import threading

from mockinterviewer.errors import DeviceError

# Held while a stream is being opened and while PortAudio is restarted to rescan the devices:
# restarting it under a stream that is being opened would crash the process.
portaudio_lock = threading.RLock()


def sounddevice():
    """The sounddevice module, or DeviceError when PortAudio is not installed."""
    try:
        import sounddevice as sd
    except OSError:
        raise DeviceError("Audio is unavailable: the PortAudio library is not installed "
                          "(on Debian or Ubuntu: sudo apt-get install libportaudio2).") from None
    return sd


def list_devices() -> list[dict]:
    sd = sounddevice()
    out = []
    for dev in sd.query_devices():
        out.append({
            "index": dev["index"], "name": dev["name"],
            "inputs": dev["max_input_channels"], "outputs": dev["max_output_channels"],
            "default_samplerate": dev["default_samplerate"],
        })
    return out


def open_streams() -> int:
    """How many sounddevice streams are open in this process, whoever opened them."""
    sd = sounddevice()
    # sounddevice keeps no registry of its streams; the garbage collector sees every live one.
    return sum(1 for obj in gc.get_objects() if isinstance(obj, sd._StreamBase) and not obj.closed)


def rescan() -> list[dict]:
    """The device list as it is now, not as PortAudio saw it at start-up.

    PortAudio reads the device list once, when it starts; restarting it is the only way to see a
    headset plugged in since, and restarting closes every open stream, so it is refused while
    the microphone or speaker is in use. Blocks for a moment: call it off the GUI thread.
    """
    sd = sounddevice()
    with portaudio_lock:
        if open_streams():
            raise DeviceError("The device list cannot be refreshed while the microphone or speaker is in use; "
                              "try again when the answer or the question has finished.")
        sd._terminate()
        sd._initialize()
    return list_devices()


def find(device, kind: str) -> dict:
    """The device dict for ``device`` (index, name or None for the default) of ``kind`` input/output."""
    sd = sounddevice()
    noun = "microphone" if kind == "input" else "speaker"
    try:
        if device is None or device == "":
            return sd.query_devices(kind=kind)
        if isinstance(device, str) and device.isdigit():
            device = int(device)
        info = sd.query_devices(device)
    except (ValueError, sd.PortAudioError):
        if device is None or device == "":
            raise DeviceError(f"No {noun} was found on this computer.") from None
        raise DeviceError(f"There is no {noun} called {device!r}.") from None
    channels = info["max_input_channels"] if kind == "input" else info["max_output_channels"]
    if channels < 1:
        raise DeviceError(f"{info['name']!r} is not a {noun}.")
    return info
