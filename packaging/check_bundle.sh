#!/bin/sh
# Check a built Linux bundle as a user who never had the project would run it:
#   packaging/check_bundle.sh dist/MockInterviewer                         (the folder)
#   packaging/check_bundle.sh dist/MockInterviewer-0.1.0-linux-x86_64.tar.gz   (the download)
# The bundle is copied (or unpacked) into a temporary folder outside the checkout and run from
# there with an empty environment: a fresh HOME and XDG folders, no PYTHONPATH, Qt offscreen.
# Checks, each failing the script:
#   - the bundle's libraries need nothing beyond a desktop's base system (glibc, GL, libxcb, Wayland)
#   - --version; doctor --json: the bundled model loads, banks and model are found inside the bundle
#   - a sentence spoken by espeak-ng is transcribed and scored, from a WAV file and recorded
#     through PortAudio from an ALSA file-backed microphone
#   - the window starts and keeps running (offscreen, and on X11 when Xvfb is installed)
#   - install.sh installs a command that runs and a valid menu entry and AppStream file
# Needs espeak-ng, and python3 to read the JSON (and write the microphone's file) only.
set -eu
[ $# -ge 1 ] || { echo "usage: $0 DIST_DIR|TARBALL [VERSION]"; exit 2; }
given=$1
version=${2:-}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/mi-bundle-check.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
unset DISPLAY WAYLAND_DISPLAY QPA
step() { printf '\n== %s\n' "$*"; }
fail() { echo "FAILED: $*" >&2; exit 1; }

step "unpacking $given into $tmp"
if [ -d "$given" ]; then
  cp -a "$given" "$tmp/MockInterviewer"
else
  tar -xzf "$given" -C "$tmp"
fi
app=$tmp/MockInterviewer
[ -x "$app/mockinterviewer" ] || fail "no executable $app/mockinterviewer"
mkdir -p "$tmp/home" "$tmp/work"

# A user's session: nothing from this shell (no PYTHONPATH, no virtualenv), run from an empty folder;
# DISPLAY only while the X11 check sets it.
run_app() {
  (cd "$tmp/work" && env -i PATH=/usr/bin:/bin HOME="$tmp/home" LANG=C.UTF-8 \
    XDG_CONFIG_HOME="$tmp/home/.config" XDG_DATA_HOME="$tmp/home/.local/share" \
    XDG_CACHE_HOME="$tmp/home/.cache" XDG_STATE_HOME="$tmp/home/.local/state" \
    XDG_RUNTIME_DIR="$tmp/home/run" QT_QPA_PLATFORM="${QPA:-offscreen}" ${DISPLAY:+DISPLAY="$DISPLAY"} "$@")
}
mkdir -p -m 700 "$tmp/home/run"
json() {  # json FILE EXPRESSION: a Python expression over the parsed file `d`, the `bundle` and `home` folders
  python3 -I -c 'import json, sys; d = json.load(open(sys.argv[1])); bundle, home = sys.argv[3:]; print(eval(sys.argv[2]))' \
    "$1" "$2" "$app/" "$tmp/home/"
}

step "every bundled library finds its libraries in the bundle or in any desktop's base system"
# From the system: glibc, OpenGL/EGL (the graphics driver's), libxcb (every X11 session has it;
# PyInstaller never bundles it) and libwayland-* (every Wayland session). Anything else must be
# inside the bundle: the build machine may have it, a user's machine need not.
outside=$(find "$app" -type f -name '*.so*' | while read -r lib; do
  LD_LIBRARY_PATH="$app/_internal" ldd "$lib" 2>/dev/null | while read -r name arrow path _; do
    [ "$arrow" = "=>" ] || continue
    case "$path" in "$app"/*) continue ;; esac
    case "${name%%.so*}" in
      libc|libm|libpthread|libdl|librt|libresolv|libutil|libGL|libGLX|libGLdispatch|libEGL|libOpenGL|libxcb) continue ;;
      libwayland-*) continue ;;
    esac
    echo "  $name ($path), for ${lib#"$app"/}"
  done
done)
[ -z "$outside" ] || fail "libraries taken from outside the bundle:
$outside"
echo ok

step "--version"
out=$(run_app "$app/mockinterviewer" --version) || fail "--version exited $?"
echo "$out"
case "$out" in "mockinterviewer ${version}"*) ;; *) fail "--version printed '$out', expected mockinterviewer $version" ;; esac

step "doctor --json"
run_app "$app/mockinterviewer" doctor --json > "$tmp/doctor.json" || fail "doctor exited $? (the model did not load?)"
for check in \
  'd["model"]["loads"] and d["model"]["bundled"] and d["model"]["name"] == "tiny.en"' \
  'd["model"]["path"].startswith(bundle)' \
  'd["folders"]["shipped_banks"].startswith(bundle)' \
  'any(b["id"] == "ml-engineer" and b["questions"] > 0 and b["file"].startswith(bundle) for b in d["banks"])' \
  'not d["broken_banks"]' \
  'd["speech"]["ok"]'; do
  result=$(json "$tmp/doctor.json" "$check") || fail "could not read doctor's JSON"
  [ "$result" = True ] || { cat "$tmp/doctor.json"; fail "doctor: not true: $check"; }
done
echo "model $(json "$tmp/doctor.json" 'd["model"]["path"]'), loaded in $(json "$tmp/doctor.json" 'd["model"]["load_seconds"]') s"

step "transcribe and score a spoken answer"
command -v espeak-ng >/dev/null || fail "espeak-ng is needed to speak the sample answer"
espeak-ng -v en-us -s 150 -w "$tmp/work/answer.wav" "The bias variance tradeoff. High bias means the model \
is too simple and underfits. High variance means it overfits and memorizes the training data. More model \
complexity lowers bias but raises variance, and we use cross validation to find the balance."
run_app "$app/mockinterviewer" score --question "bias variance" --audio answer.wav --json > "$tmp/score.json" \
  || fail "score exited $?"
for check in 'd["question_id"] == "bias-variance-tradeoff"' 'd["model"] == "tiny.en"' \
             '"underfit" in d["transcript"].lower()' 'd["score"] >= 60'; do
  [ "$(json "$tmp/score.json" "$check")" = True ] || { cat "$tmp/score.json"; fail "score: not true: $check"; }
done
echo "score $(json "$tmp/score.json" 'd["score"]'): $(json "$tmp/score.json" 'd["transcript"]')"

step "record a spoken answer through PortAudio and score it (answer, with a file-backed ALSA microphone)"
# ALSA's file plugin gives PortAudio a microphone that reads a raw file (as tests/conftest.py does).
# It is not paced and past its end repeats stale audio, so the answer ends at a time limit within
# the real zeros that pad the speech.
length=$(python3 -I - "$tmp/work/answer.wav" "$tmp/mic.raw" <<'PY'
import array, sys, wave
with wave.open(sys.argv[1]) as w:
    rate, speech = w.getframerate(), array.array("h", w.readframes(w.getnframes()))
# The device runs at the stream's rate, 44100 Hz (PortAudio's default); nearest-sample resampling
# is enough, as the app filters when it resamples to 16 kHz.
mic = array.array("h", (speech[i * rate // 44100] for i in range(len(speech) * 44100 // rate)))
mic.extend([0] * 44100 * 3)
open(sys.argv[2], "wb").write(mic.tobytes())
print(f"{len(mic) / 44100 - 1:.1f}")
PY
)
cat > "$tmp/asound.conf" <<ASOUND
pcm.!default { type asym  playback.pcm "speaker"  capture.pcm "mic" }
pcm.speaker  { type file  slave.pcm "null"  file "/dev/null"  format "raw" }
pcm.mic      { type file  slave.pcm "null"  file "/dev/null"  infile "$tmp/mic.raw"  format "raw" }
ASOUND
run_app env ALSA_CONFIG_PATH="/usr/share/alsa/alsa.conf:$tmp/asound.conf" "$app/mockinterviewer" answer \
  --question "bias variance" --no-speak --max-seconds "$length" --json < /dev/null > "$tmp/answer.json" \
  2> "$tmp/answer.err" || { cat "$tmp/answer.err"; fail "answer exited with an error"; }
for check in '"underfit" in d["transcript"].lower()' 'd["score"] >= 60' \
             'd["recording"].startswith(home)'; do
  [ "$(json "$tmp/answer.json" "$check")" = True ] || { cat "$tmp/answer.json"; fail "answer: not true: $check"; }
done
echo "recorded $length s, score $(json "$tmp/answer.json" 'd["score"]')"

# The window: still running after 20 s, with no error on stderr or in its log; on X11 it must
# also have put up its main window (found by title with xwininfo).
check_window() {
  log=$tmp/window-$1.err
  run_app timeout 20 "$app/mockinterviewer" 2> "$log" &
  pid=$!
  shown=no
  if [ "$1" = xcb ]; then
    for _ in $(seq 18); do
      sleep 1
      if xwininfo -root -tree -display "$DISPLAY" 2>/dev/null | grep -q '"Mock Interviewer"'; then shown=yes; break; fi
    done
  fi
  rc=0
  wait "$pid" || rc=$?
  [ "$rc" = 124 ] || { cat "$log"; fail "the window ($1) exited with status $rc before 20 s"; }
  if grep -rqsE "Traceback|Failed to execute|unexpected error" "$log" "$tmp/home/.local/state/MockInterviewer"; then
    cat "$log"; cat "$tmp"/home/.local/state/MockInterviewer/log/* 2>/dev/null || true
    fail "the window ($1) reported an error"
  fi
  if [ "$1" = xcb ]; then
    [ "$shown" = yes ] || fail "no window titled Mock Interviewer appeared on X11"
    echo 'ok: the window "Mock Interviewer" was shown and ran 20 s'
  else
    echo "ok: ran 20 s"
  fi
}
step "the window, offscreen"
check_window offscreen
if command -v Xvfb >/dev/null && command -v xwininfo >/dev/null; then
  step "the window on X11 (Xvfb)"
  Xvfb -displayfd 3 -screen 0 1280x900x24 -nolisten tcp 3> "$tmp/display" 2> "$tmp/xvfb.err" &
  xvfb=$!
  for _ in $(seq 10); do [ -s "$tmp/display" ] && break; sleep 1; done
  [ -s "$tmp/display" ] || fail "Xvfb did not start: $(cat "$tmp/xvfb.err")"
  DISPLAY=":$(cat "$tmp/display")" QPA=xcb
  check_window xcb
  unset DISPLAY QPA
  kill "$xvfb"
else
  echo "(Xvfb or xwininfo not installed: the start on X11 is not checked)"
fi

step "install.sh: the command and a valid menu entry"
PREFIX="$tmp/prefix" sh "$app/install.sh" > /dev/null
run_app "$tmp/prefix/bin/mockinterviewer" --version > /dev/null || fail "the installed command does not run"
id=io.github.mockinterviewer.MockInterviewer
[ -s "$tmp/prefix/share/icons/hicolor/256x256/apps/$id.png" ] || fail "no 256x256 icon installed"
[ -s "$tmp/prefix/share/icons/hicolor/scalable/apps/$id.svg" ] || fail "no scalable icon installed"
grep -qx "Icon=$id" "$tmp/prefix/share/applications/mockinterviewer.desktop" || fail "the menu entry names another icon"
grep -qx "Exec=\"$app/mockinterviewer\"" "$tmp/prefix/share/applications/mockinterviewer.desktop" \
  || fail "the installed menu entry does not start $app/mockinterviewer"
for tool in desktop-file-validate appstreamcli; do
  command -v $tool >/dev/null || fail "$tool is needed (sh packaging/linux/system-deps.sh package installs it)"
done
desktop-file-validate "$tmp/prefix/share/applications/mockinterviewer.desktop" || fail "invalid desktop file"
appstreamcli validate --no-net "$tmp/prefix/share/metainfo/$id.metainfo.xml" > /dev/null || fail "invalid metainfo"
echo ok

printf '\nAll bundle checks passed (%s).\n' "$(du -sh "$app" | cut -f1) unpacked"
