#!/bin/sh
# Install this unpacked Mock Interviewer for the current user: the `mockinterviewer` command in
# ~/.local/bin, the menu entry, icons and AppStream data in ~/.local/share. The app stays in this
# folder. PREFIX=/usr/local (as root) installs for everyone; --uninstall removes what was added.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
prefix=${PREFIX:-$HOME/.local}
id=io.github.mockinterviewer.MockInterviewer
files="share/applications/mockinterviewer.desktop share/metainfo/$id.metainfo.xml $(cd "$here" && find share/icons -type f)"

if [ "${1:-}" = --uninstall ]; then
  for f in bin/mockinterviewer $files; do rm -f "$prefix/$f"; done
  echo "Removed Mock Interviewer from $prefix (this folder is left as it is)."
  exit 0
fi

mkdir -p "$prefix/bin"
ln -sf "$here/mockinterviewer" "$prefix/bin/mockinterviewer"
for f in $files; do
  mkdir -p "$prefix/$(dirname "$f")"
  cp "$here/$f" "$prefix/$f"
done
# The menu entry starts this folder's executable even when ~/.local/bin is not on PATH.
sed -i "s|^Exec=.*|Exec=\"$here/mockinterviewer\"|" "$prefix/share/applications/mockinterviewer.desktop"
if command -v update-desktop-database >/dev/null 2>&1; then update-desktop-database -q "$prefix/share/applications" || true; fi
if command -v gtk-update-icon-cache >/dev/null 2>&1; then gtk-update-icon-cache -q -t "$prefix/share/icons/hicolor" || true; fi
echo "Installed $prefix/bin/mockinterviewer and the menu entry Mock Interviewer."
command -v espeak-ng >/dev/null 2>&1 || echo "To hear questions read aloud, install espeak-ng (Debian/Ubuntu: sudo apt-get install espeak-ng)."
