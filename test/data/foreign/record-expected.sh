#!/bin/bash
# record-expected.sh -- records what agc prints for archives written by other
# AGC writers, in the layout of compat/expected (see compat/README.md):
#
#   AGC=/path/to/agc-3.2.2 ./record-expected.sh ID...
#
# reads archives/ID.agc and writes expected/ID/: listref.txt, listset.txt,
# listctg.txt (every sample, listset order), info.txt (agc's standard output
# of info, which is empty: agc reports on stderr) and outputs.tsv (command,
# agc's exit status, bytes and md5 of its standard output).  The queries:
# getcol (default and -l 60), getset of every sample, getset -l 120 of the
# first and last sample, and for the first, middle and last sample its first
# and last contig whole, as ranges (0-99, 1000-1999, 5-5, 3000-12000), by
# bare name and by the first word of its header; then a contig and a sample
# that do not exist.  agc itself is never part of the repository.
set -euo pipefail
: "${AGC:?set AGC to an agc 3.2.2 binary}"
cd "$(dirname "$0")"

# q ARG: ARG with backslash escapes only (what bats/helpers.bash parses)
q() { sed 's/[^A-Za-z0-9_.@:\/+=,-]/\\&/g' <<<"$1"; }

row() { # row ARGS... (one {A} among them)
  local -a run=() cmd=()
  local a out rc
  for a in "$@"; do
    if [[ $a == "{A}" ]]; then run+=("archives/$ID.agc"); cmd+=("{A}"); else run+=("$a"); cmd+=("$(q "$a")"); fi
  done
  out=$(mktemp)
  rc=0
  "$AGC" "${run[@]}" >"$out" 2>/dev/null || rc=$?
  printf '%s\t%s\t%s\t%s\n' "${cmd[*]}" "$rc" "$(wc -c <"$out" | tr -d ' ')" "$(md5sum <"$out" | cut -d' ' -f1)"
  rm -f "$out"
}

for ID in "$@"; do
  A=archives/$ID.agc
  E=expected/$ID
  mkdir -p "$E"
  "$AGC" listref "$A" >"$E/listref.txt"
  "$AGC" listset "$A" >"$E/listset.txt"
  mapfile -t S <"$E/listset.txt"
  "$AGC" listctg "$A" "${S[@]}" >"$E/listctg.txt"
  "$AGC" info "$A" >"$E/info.txt" 2>/dev/null
  n=${#S[@]}
  picks=("${S[0]}")
  ((n > 2)) && picks+=("${S[n / 2]}")
  ((n > 1)) && picks+=("${S[n - 1]}")
  {
    printf 'command\texit\tbytes\tmd5\n'
    row getcol "{A}"
    row getcol -l 60 "{A}"
    for s in "${S[@]}"; do row getset "{A}" "$s"; done
    row getset -l 120 "{A}" "${S[0]}" "${S[n - 1]}"
    for s in "${picks[@]}"; do
      mapfile -t C < <("$AGC" listctg "$A" "$s" | sed -n 's/^   //p')
      for c in "${C[0]}" "${C[${#C[@]} - 1]}"; do
        for r in "" :0-99 :1000-1999 :5-5 :3000-12000; do row getctg "{A}" "$c@$s$r"; done
        row getctg "{A}" "$c"
        row getctg "{A}" "${c%% *}@$s"
      done
    done
    row getctg "{A}" no_such_contig
    row getset "{A}" no_such_sample
  } >"$E/outputs.tsv"
done
