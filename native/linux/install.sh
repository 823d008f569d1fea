#!/bin/sh
# Installs the evidock station as a systemd service: the "evidock" system user and group, the
# unit, and the udev rules that let that group open the recorders' USB devices and, when given,
# the dock's IC-card reader. It enables and starts nothing. Running it again rewrites only what
# differs, so it also changes the card reader or the path of evidock.
set -eu

NAME=evidock
HERE=$(CDPATH='' cd -- "$(dirname -- "$0")" && pwd)
# The unit names this path; it is replaced by the evidock this machine has.
SHIPPED_EXEC=/usr/local/bin/evidock

usage() {
  cat <<'USAGE'
Usage: install.sh [--evidock PATH] [--card-reader VID:PID | --no-card-reader] [--destdir DIR]
       install.sh --list-hid

  --evidock PATH         the evidock command the service runs; by default the evidock on PATH.
                         It must be the command-line evidock run by Node (the npm package's
                         bin), not the desktop app's launcher, and not under /home or /root,
                         which the service cannot read.
  --card-reader VID:PID  the dock's IC-card reader, e.g. 0x1234:0x5678, the ids set in the unit
                         policy: writes the udev rule that gives the service its hidraw nodes.
  --no-card-reader       removes that rule.
  --destdir DIR          writes the files under DIR (a system image being prepared, a package
                         build) and nothing else: no user, no reload. PATH is a path inside DIR.
  --list-hid             lists the USB HID devices attached now, to find the reader's ids.
USAGE
}

say() { printf '%s\n' "$*"; }
die() {
  printf 'install.sh: %s\n' "$*" >&2
  exit 1
}
need_value() { [ $# -ge 2 ] || die "$1 needs a value (see --help)"; }

# A 16-bit USB id as udev compares it with sysfs: four lower-case hex digits, no 0x.
hex16() {
  digits=${1#0[xX]}
  case $digits in '' | *[!0-9a-fA-F]*) return 1 ;; esac
  [ ${#digits} -le 4 ] || return 1
  printf '%04x' "0x$digits"
}

list_hid() {
  found=false
  for node in /sys/class/hidraw/hidraw*; do
    [ -e "$node/device/uevent" ] || continue
    # HID_ID is bus:vendor:product, e.g. 0003:0000046D:0000C52B; bus 0003 is USB.
    id=$(sed -n 's/^HID_ID=//p' "$node/device/uevent")
    name=$(sed -n 's/^HID_NAME=//p' "$node/device/uevent")
    case $id in 0003:*:*) ;; *) continue ;; esac
    rest=${id#*:}
    printf '/dev/%s  0x%04x:0x%04x  %s\n' "${node##*/}" "0x${rest%%:*}" "0x${rest#*:}" "$name"
    found=true
  done
  $found || say 'No USB HID device is attached.'
}

evidock=''
card_reader=''
no_card_reader=false
destdir=''
while [ $# -gt 0 ]; do
  case $1 in
    --evidock) need_value "$@"; evidock=$2; shift 2 ;;
    --evidock=*) evidock=${1#*=}; shift ;;
    --card-reader) need_value "$@"; card_reader=$2; shift 2 ;;
    --card-reader=*) card_reader=${1#*=}; shift ;;
    --no-card-reader) no_card_reader=true; shift ;;
    --destdir) need_value "$@"; destdir=$2; shift 2 ;;
    --destdir=*) destdir=${1#*=}; shift ;;
    --list-hid) list_hid; exit 0 ;;
    -h | --help) usage; exit 0 ;;
    *) die "unknown argument: $1 (see --help)" ;;
  esac
done

# Everything is checked before anything is written.
if [ -n "$destdir" ]; then
  case $destdir in /*) ;; *) die "--destdir must be an absolute path: $destdir" ;; esac
  [ -d "$destdir" ] || die "--destdir $destdir is not a folder"
  destdir=${destdir%/}
  [ -n "$evidock" ] || die '--destdir needs --evidock: there is no PATH to look in'
else
  [ "$(id -u)" = 0 ] ||
    die "run it as root (sudo $0 ...): it creates the $NAME system user and writes to /etc"
  if [ -z "$evidock" ]; then
    evidock=$(command -v evidock 2>/dev/null) || true
    [ -n "$evidock" ] || die 'no evidock on PATH: give its path with --evidock PATH'
  fi
fi

case $evidock in /*) ;; *) die "--evidock must be an absolute path: $evidock" ;; esac
case $evidock in
  *[!A-Za-z0-9._/+-]*)
    die "the evidock path may hold only letters, digits and . _ / + - (it goes into the unit): $evidock"
    ;;
esac
target=$destdir$evidock
if [ ! -f "$target" ] || [ ! -x "$target" ]; then die "$target is not an executable file"; fi
resolved=$(readlink -f -- "$target") || die "cannot resolve $target"
# bin/evidock.mjs starts with "#!"; the desktop app's launcher is a binary that cannot run the
# station without a display.
[ "$(head -c 2 -- "$resolved")" = '#!' ] ||
  die "$target is not the command-line evidock (a Node script); the desktop app cannot run as a service"
for path in "$evidock" "${resolved#"$destdir"}"; do
  case $path in
    /home/* | /root/* | /run/user/*)
      die "$evidock is under a home folder ($path), which the service cannot read (ProtectHome): install evidock elsewhere, e.g. npm install -g"
      ;;
  esac
done

# The station runs the ffmpeg and ffprobe that npm installed with it. A package whose install
# step makes its binary executable by the owner only leaves a service user without it: clips
# then lack thumbnails, or codec and frame size, and nothing fails.
media_tools() {
  package=$(dirname -- "$(dirname -- "$resolved")")
  for binary in "$package"/node_modules/@ffmpeg-installer/*/ffmpeg \
    "$package"/node_modules/@ffprobe-installer/*/ffprobe; do
    [ -f "$binary" ] || continue
    [ -z "$(find "$binary" -perm -0001)" ] || continue
    say "Warning: the service cannot run ${binary#"$destdir"} (others may not execute it)."
    say "  Allow it with: chmod a+rx ${binary#"$destdir"}"
  done
}

if $no_card_reader && [ -n "$card_reader" ]; then
  die 'give --card-reader or --no-card-reader, not both'
fi
vendor=''
product=''
if [ -n "$card_reader" ]; then
  case $card_reader in *:*) ;; *) die "--card-reader takes VID:PID, e.g. 0x1234:0x5678, not $card_reader" ;; esac
  if ! vendor=$(hex16 "${card_reader%%:*}") || ! product=$(hex16 "${card_reader#*:}"); then
    die "--card-reader takes two 16-bit hex ids, VID:PID, e.g. 0x1234:0x5678, not $card_reader"
  fi
  [ "$vendor" != 0000 ] || die "0x0000 is no USB vendor id: $card_reader"
fi

unit_dir=$destdir/etc/systemd/system
rules_dir=$destdir/etc/udev/rules.d
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Replaces dest only when its content differs, through a rename: udev and systemd never read a
# half-written file, and a temporary name without .rules is never read as rules.
put() {
  changed=false
  if [ -f "$2" ] && cmp -s "$1" "$2"; then
    say "unchanged: $2"
    return
  fi
  changed=true
  mkdir -p -- "$(dirname -- "$2")"
  next=$(mktemp "$(dirname -- "$2")/.evidock-install.XXXXXX")
  cat -- "$1" >"$next"
  chmod 0644 "$next"
  mv -f -- "$next" "$2"
  say "installed: $2"
}

if [ -z "$destdir" ]; then
  if ! getent group "$NAME" >/dev/null; then
    groupadd --system "$NAME"
    say "created the system group $NAME"
  fi
  if getent passwd "$NAME" >/dev/null; then
    [ "$(id -gn "$NAME")" = "$NAME" ] ||
      die "the user $NAME exists with another primary group than $NAME; the udev rules give devices to the group $NAME"
  else
    nologin=/usr/sbin/nologin
    [ -x "$nologin" ] || nologin=/sbin/nologin
    [ -x "$nologin" ] || nologin=/bin/false
    useradd --system --gid "$NAME" --home-dir /var/lib/evidock --no-create-home \
      --shell "$nologin" --comment 'evidock station' "$NAME"
    say "created the system user $NAME"
  fi
fi

sed "s|^ExecStart=$SHIPPED_EXEC |ExecStart=$evidock |" "$HERE/evidock.service" >"$work/unit"
grep -qF "ExecStart=$evidock station " "$work/unit" || die "the unit's ExecStart was not rewritten"
put "$work/unit" "$unit_dir/evidock.service"
unit_changed=$changed
put "$HERE/70-evidock.rules" "$rules_dir/70-evidock.rules"

card_rules=$rules_dir/71-evidock-card-reader.rules
if [ -n "$vendor" ]; then
  sed -e "s/@VENDOR@/$vendor/g" -e "s/@PRODUCT@/$product/g" \
    "$HERE/71-evidock-card-reader.rules.in" >"$work/card"
  put "$work/card" "$card_rules"
elif $no_card_reader && [ -e "$card_rules" ]; then
  rm -f -- "$card_rules"
  say "removed: $card_rules"
fi

media_tools
if [ -n "$destdir" ]; then
  say "Files written under $destdir. No user was created and nothing was reloaded: the system"
  say "that boots from it needs the system user and group $NAME (this script, run there, makes them)."
  exit 0
fi

if [ -d /run/systemd/system ] && command -v systemctl >/dev/null; then
  systemctl daemon-reload
  if $unit_changed && systemctl is-active --quiet evidock.service; then
    say 'evidock is running: "systemctl restart evidock" makes it use the unit as installed now.'
  fi
fi
if command -v udevadm >/dev/null && [ -S /run/udev/control ]; then
  udevadm control --reload
  # Devices already plugged in get the new group now, not at their next plug.
  udevadm trigger --action=change --subsystem-match=usb --subsystem-match=hidraw
else
  say 'udev is not running: the rules apply from its next start.'
fi

if [ -n "$vendor" ]; then
  say "The group $NAME can now read and write USB HID device $vendor:$product. Check that it"
  say 'is the card reader and not a keyboard: install.sh --list-hid names the devices attached.'
elif [ ! -e "$card_rules" ]; then
  say 'No card-reader rule: officers confirm with badge and PIN until you run'
  say 'install.sh --card-reader VID:PID with the ids set in the unit policy.'
fi
say 'Nothing was enabled or started. To run the station now and at every boot:'
say '  systemctl enable --now evidock'
say 'Its UI is then at http://127.0.0.1:47810/ on this machine.'
