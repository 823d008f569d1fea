#!/bin/sh
# Burns a staged evidock disc on macOS with the system's own tools, and lists the drives. hdiutil
# makehybrid makes the disc's image (ISO 9660, Joliet and UDF, which Windows, macOS and Linux all
# read) and hdiutil burn writes it, closes the disc and reads it back against the image
# (-verifyburn); the station's own passes read it back after that. Nothing is installed.
#
#   burn-disc.sh list
#   burn-disc.sh burn <staged folder> <volume id> [<drive>]
#
# <drive> is the number `drutil list` gives a drive (1, 2, ...); without it exactly one drive must
# be attached. Lines on stdout, for the station to read:
#   DRIVE<TAB>number<TAB>vendor<TAB>product<TAB>revision<TAB>bus
#   PROGRESS <percent>   while the disc is written: whole numbers, never going back
#   DONE                 the last line of a burn that succeeded
# On failure one line on stderr, ERROR <message>, and exit status 1. hdiutil's own words go to
# stderr as they come, for the log. The image is made in $TMPDIR and removed however this ends.
set -eu

# Apple's tools at Apple's paths: a PATH chosen by whoever started this picks no other drutil.
PATH=/usr/bin:/bin:/usr/sbin:/sbin
export PATH
# drutil's and hdiutil's reports in the wording read below, and [A-Z] meaning A to Z.
LC_ALL=C
export LC_ALL

work=
child=
reader=

say() { printf '%s\n' "$*"; }

fail() {
  printf 'ERROR %s\n' "$*" >&2
  exit 1
}

usage() {
  fail 'usage: burn-disc.sh list | burn-disc.sh burn <staged folder> <volume id> [<drive>]'
}

# The last line of a tool's report that says something: the words a custodian is shown.
last_words() {
  [ -f "$1" ] || return 0
  sed -e 's/^hdiutil: //' -e 's/[[:space:]]*$//' "$1" | grep -v '^$' | tail -n 1 || true
}

# Removes the image however the script ends, and stops a tool still running: a burn the station
# gave up on must not go on writing behind its back.
cleanup() {
  if [ -n "$child" ]; then kill "$child" 2>/dev/null || true; fi
  if [ -n "$reader" ]; then kill "$reader" 2>/dev/null || true; fi
  if [ -n "$work" ]; then rm -rf -- "$work"; fi
}

stopped() {
  trap - HUP INT TERM
  printf 'ERROR stopped by a signal before the burn ended\n' >&2
  exit 1
}

# A tool is run in the background and waited for: a shell runs its traps only between commands,
# so a signal during an hour's burn would otherwise wait for the burn to end.
wait_for() {
  child=$1
  if wait "$child"; then status=0; else status=$?; fi
  child=
  return "$status"
}

# `drutil list` is a table whose fields hold spaces ("DVDRW  GX40N", "Apple Shipping"), so the
# columns are cut where the header puts them.
list_drives() {
  listing=$(drutil list 2>&1) || fail "drutil could not list the drives: $(printf '%s\n' "$listing" | tail -n 1)"
  printf '%s\n' "$listing" | awk '
    function field(from, to,    s) {
      s = (to > from) ? substr($0, from, to - from) : substr($0, from)
      gsub(/\t/, " ", s)
      gsub(/^ +| +$/, "", s)
      return s
    }
    !head && index($0, "Vendor") && index($0, "Product") {
      v = index($0, "Vendor"); p = index($0, "Product"); r = index($0, "Rev")
      b = index($0, "Bus"); s = index($0, "SupportLevel")
      head = (v > 0 && p > v && r > p && b > r)
      next
    }
    head && $1 ~ /^[1-9][0-9]*$/ {
      printf "DRIVE\t%s\t%s\t%s\t%s\t%s\n", $1, field(v, p), field(p, r), field(r, b), field(b, (s > b) ? s : 0)
    }'
}

# hdiutil's -puppetstrings lines, read while it burns: PERCENT:<n> becomes PROGRESS <n>, any
# other line goes to stderr for the log and to $2 for a failure's reason; the highest percent
# shown is left in $1. It runs beside the burn, so that the script itself only ever waits.
translate() {
  shown=-1
  while IFS= read -r line; do
    case $line in
      PERCENT:*)
        # -1 means "no figure yet"; the verification counts from 0 again, and the station's
        # PROGRESS is the burn's, never going back.
        percent=${line#PERCENT:}
        percent=${percent%%.*}
        case $percent in '' | *[!0-9]*) continue ;; esac
        if [ "$percent" -gt "$shown" ] && [ "$percent" -le 100 ]; then
          shown=$percent
          say "PROGRESS $percent"
        fi
        ;;
      *)
        printf '%s\n' "$line" >&2
        printf '%s\n' "$line" >>"$2"
        ;;
    esac
  done
  printf '%s\n' "$shown" >"$1"
}

burn() {
  { [ $# -eq 2 ] || [ $# -eq 3 ]; } || usage
  staged=$1
  volume=$2
  drive=${3:-}

  case $staged in
    /*) ;;
    *) fail "the staged folder must be an absolute path: $staged" ;;
  esac
  { [ -d "$staged" ] && [ ! -L "$staged" ]; } || fail "no staged folder at $staged"
  # The rule the Linux burner holds a volume id to, as the station's plan makes them.
  case $volume in
    '' | *[!A-Z0-9_]*) fail "not a volume id: $volume (A-Z, 0-9 and _, at most 32)" ;;
  esac
  [ ${#volume} -le 32 ] || fail "not a volume id: $volume (A-Z, 0-9 and _, at most 32)"
  case $drive in
    '') ;;
    0* | *[!0-9]*) fail "not a drive number: $drive" ;;
  esac
  # A disc holds plain files only, as on Linux: makehybrid would burn what a link points to,
  # which is not what the station proved.
  odd=$(find "$staged" ! -type f ! -type d -print | head -n 5)
  [ -z "$odd" ] || fail "a disc holds plain files only, not: $(printf '%s' "$odd" | tr '\n' ' ')"

  listed=$(list_drives)
  count=$(printf '%s\n' "$listed" | grep -c '^DRIVE' || true)
  [ "$count" -gt 0 ] || fail 'no disc drive is attached'
  if [ -z "$drive" ]; then
    [ "$count" -eq 1 ] || fail "$count disc drives are attached: name the one to burn"
    drive=$(printf '%s\n' "$listed" | awk -F '\t' 'NR == 1 { print $2 }')
  fi
  position=$(printf '%s\n' "$listed" | awk -F '\t' -v d="$drive" '$2 == d { print NR; exit }')
  [ -n "$position" ] || fail "there is no drive $drive ($count attached)"

  # hdiutil would wait for a disc it likes instead of failing, so the disc is judged first.
  report=$(drutil status -drive "$drive" 2>&1) || fail "drutil could not read drive $drive: $(printf '%s\n' "$report" | tail -n 1)"
  case $report in
    *'No Media Inserted'*) fail "there is no disc in drive $drive" ;;
  esac
  writability=$(printf '%s\n' "$report" | sed -n 's/^[[:space:]]*Writability:[[:space:]]*//p' | head -n 1 | tr -d ' ')
  case ",$writability," in
    *,blank,*) ;;
    *) fail "the disc in drive $drive is not blank (writability: ${writability:-none}): evidence is burned to a blank disc only" ;;
  esac

  # hdiutil burn -device takes the IORegistry path `hdiutil burn -list` prints, not drutil's
  # number. Both list the drives DiscRecording knows, in its order: the number's place in one
  # list is its place in the other, and when the two lists differ in length nothing is guessed.
  devices=$(hdiutil burn -list 2>/dev/null | sed -n 's/^[[:space:]]*\(IOService:.*[^[:space:]]\)[[:space:]]*$/\1/p' || true)
  known=$(printf '%s\n' "$devices" | grep -c '^IOService:' || true)
  [ "$known" -eq "$count" ] || fail "drutil lists $count drive(s) and hdiutil $known: which one is drive $drive cannot be told"
  device=$(printf '%s\n' "$devices" | sed -n "${position}p")

  work=$(mktemp -d "${TMPDIR:-/tmp}/evidock-burn.XXXXXX") || fail 'no temporary folder for the disc image'
  trap cleanup EXIT
  trap stopped HUP INT TERM
  image=$work/disc.iso

  # UDF 1.50 (makehybrid's default UDF revision) next to ISO 9660 and Joliet, all three named
  # with the volume id.
  hdiutil makehybrid -iso -joliet -udf -default-volume-name "$volume" -o "$image" "$staged" \
    >"$work/make.log" 2>&1 &
  wait_for $! || fail "hdiutil could not make the disc image: $(last_words "$work/make.log")"
  [ -s "$image" ] || fail 'hdiutil made no disc image'

  # -puppetstrings: progress as PERCENT:<n> lines, meant for programs. NSUnbufferedIO: a Foundation
  # tool writing into a pipe would otherwise hand its progress over in bursts.
  mkfifo "$work/progress"
  translate "$work/shown" "$work/said" <"$work/progress" &
  reader=$!
  NSUnbufferedIO=YES hdiutil burn "$image" -device "$device" -forceclose -verifyburn -noeject \
    -puppetstrings >"$work/progress" 2>"$work/burn.err" &
  if wait_for $!; then burned=0; else burned=$?; fi
  wait "$reader" || true
  reader=
  shown=$(cat "$work/shown" 2>/dev/null || true)
  if [ "$burned" -ne 0 ]; then
    words=$(last_words "$work/burn.err")
    [ -n "$words" ] || words=$(last_words "$work/said")
    fail "hdiutil burn failed (exit $burned): ${words:-no reason given}"
  fi
  [ "${shown:--1}" -ge 100 ] || say 'PROGRESS 100'
  say DONE
}

[ $# -ge 1 ] || usage
command=$1
shift
case $command in
  list)
    [ $# -eq 0 ] || usage
    list_drives
    ;;
  burn) burn "$@" ;;
  *) usage ;;
esac
