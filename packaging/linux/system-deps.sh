#!/bin/sh
# The Debian/Ubuntu packages Mock Interviewer needs: installs the missing ones when it can
# (root, or sudo without a password), otherwise prints the exact command and fails.
#   system-deps.sh test   what the test suite needs (audio, speech, Qt offscreen, poppler-utils for the PDF)
#   system-deps.sh run    that plus what Qt needs to open a window on X11
#   system-deps.sh bench  the test set plus the other voices and sox the benchmarks use
#   system-deps.sh package  the run set (bundled into the app), binutils for PyInstaller, and
#                           what packaging/check_bundle.sh uses (desktop-file-utils, appstream, Xvfb, xwininfo)
set -eu
purpose=${1:-run}

# PortAudio for sounddevice, espeak-ng for pyttsx3 (and for the tests' speech),
# and the libraries PySide6's Qt links against that a minimal system may lack.
pkgs="libportaudio2 libasound2 espeak-ng libespeak-ng1 libegl1 libgl1 libfontconfig1 libfreetype6
      libxkbcommon0 libglib2.0-0 libdbus-1-3"
if [ "$purpose" = test ]; then
  pkgs="$pkgs poppler-utils"  # the tests read the PDF report as a reader sees it (pdftotext, pdftoppm)
fi
if [ "$purpose" = bench ]; then
  pkgs="$pkgs flite festival festvox-us-slt-hts sox"
fi
if [ "$purpose" = run ] || [ "$purpose" = package ]; then
  pkgs="$pkgs libxkbcommon-x11-0 libx11-xcb1 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0
        libxcb-image0 libxcb-render-util0 libxcb-randr0 libxcb-xinerama0 libxcb-xkb1"
fi

if ! command -v dpkg-query >/dev/null 2>&1; then
  case "$(uname -s)" in
    Darwin) exit 0 ;;  # the macOS wheels carry PortAudio; speech uses the system's voices
    *) echo "Not a Debian-family system: install PortAudio, espeak-ng and Qt's X11 libraries with your package manager."
       exit 0 ;;
  esac
fi

python=${PYTHON:-python3}
if ! "$python" -c 'import ensurepip, venv' >/dev/null 2>&1; then
  pkgs="$pkgs python3-venv"
fi
if [ "$purpose" = package ]; then
  pkgs="$pkgs binutils desktop-file-utils appstream xvfb x11-utils"
  # PyInstaller bundles libpython, which Debian's own python3 keeps in a package of its own.
  if dpkg -S "$(readlink -f "$(command -v "$python")")" >/dev/null 2>&1; then
    pkgs="$pkgs lib$("$python" -c 'import sys; print("python%d.%d" % sys.version_info[:2])')"
  fi
fi

missing=""
for p in $pkgs; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0

install="apt-get install -y --no-install-recommends$missing"
if [ "$(id -u)" = 0 ]; then
  echo "Installing system packages:$missing"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive $install
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  echo "Installing system packages:$missing"
  sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive $install
else
  echo "Mock Interviewer needs these system packages:$missing"
  echo "Install them with:"
  echo "  sudo apt-get update && sudo $install"
  exit 1
fi
