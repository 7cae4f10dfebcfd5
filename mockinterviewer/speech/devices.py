"""Finding microphones and speakers through sounddevice (PortAudio)."""

from __future__ import annotations

from mockinterviewer.errors import DeviceError


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
