#!/usr/bin/env bats
# make install puts the htslib plugin where htslib looks by default (issue
# 13, docs/install.md): the directory of htslib's built-in plugin path under
# PREFIX (PREFIX/libexec/htslib first), PREFIX/libexec/htslib with a note
# when htslib searches nothing under PREFIX, PLUGINDIR when given.
#
# htslib's path is read here from `samtools --version` ("plugin-path="),
# not from ragc's own helper, so the two must agree.
#
#   RAGC=/abs/path/ragc bats bats/install.bats      (make check sets RAGC)

load cli-helpers

bats_require_minimum_version 1.5.0

setup() {
  cli_init
  if [[ $(realpath "$RAGC") != "$(realpath "$REPO/ragc")" ]]; then
    skip "runs in the plain build only (RAGC=$RAGC is not $REPO/ragc)"
  fi
  PLUGIN_PATH=$(env -u HTS_PATH samtools --version | sed -n 's/.*plugin-path=\([^ ]*\).*/\1/p')
  [[ -n $PLUGIN_PATH ]] || skip "this htslib reports no plugin path (built without plugins)"
}

# want_dir PREFIX: the directory docs/install.md promises, from htslib's list
want_dir() {
  local d first=""
  IFS=: read -ra dirs <<<"$PLUGIN_PATH"
  for d in "${dirs[@]}"; do
    [[ $d == "$1/libexec/htslib" ]] && { echo "$d"; return; }
    [[ -z $first && $d == "$1"/lib* ]] && first=$d
  done
  echo "${first:-$1/libexec/htslib}"
}

@test "install: the plugin goes to htslib's default directory under PREFIX (/usr/local, /usr)" {
  local p want
  for p in /usr/local /usr; do
    want=$(want_dir "$p")
    [[ ":$PLUGIN_PATH:" == *":$want:"* ]] || fail "htslib searches nothing under $p: $PLUGIN_PATH"
    run make -s -C "$REPO" --no-print-directory plugindir PREFIX="$p"
    [[ $status -eq 0 && $output == "$want" ]] || fail "make plugindir PREFIX=$p: '$output', want $want"
    rm -rf "$T/stage"
    run make -s -C "$REPO" install DESTDIR="$T/stage" PREFIX="$p"
    ((status == 0)) || fail "make install PREFIX=$p failed: $output"
    [[ -x $T/stage$want/hfile_agc.so ]] || fail "no $want/hfile_agc.so: $(cd "$T/stage" && find . -name '*.so')"
  done
  # the staged plugin is one htslib loads (through HTS_PATH, as it is staged)
  printf '>c\nACGTACGTAC\n' >"$T/c.fa"
  "$RAGC" create -o "$T/c.agc" "$T/c.fa"
  run env HTS_PATH="$T/stage$want:" samtools faidx "agc:$T/c.agc" c:3-6
  [[ $status -eq 0 && $output == $'>c:3-6\nGTAC' ]] || fail "samtools with the staged plugin: $output"
}

@test "install: a PREFIX htslib does not search gets PREFIX/libexec/htslib and a note; PLUGINDIR wins" {
  run make -s -C "$REPO" install DESTDIR="$T/stage" PREFIX=/opt/ragc-test
  ((status == 0)) || fail "make install failed: $output"
  [[ -x $T/stage/opt/ragc-test/libexec/htslib/hfile_agc.so ]] || fail "not in PREFIX/libexec/htslib"
  [[ $output == *"htslib searches no plugin directory under /opt/ragc-test"*HTS_PATH* ]] ||
    fail "no note about HTS_PATH: $output"
  run make -s -C "$REPO" install DESTDIR="$T/stage2" PREFIX=/usr/local PLUGINDIR=/srv/plugins
  ((status == 0)) || fail "make install PLUGINDIR failed: $output"
  [[ -x $T/stage2/srv/plugins/hfile_agc.so ]] || fail "PLUGINDIR not used"
  [[ -z $(find "$T/stage2/usr" -name hfile_agc.so) ]] || fail "a second plugin was installed"
}
