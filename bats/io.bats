#!/usr/bin/env bats
# A query reads the directory and the parts it needs, never the archive.
# Needs the extended data (senterica.agc; see data-roots.bash).

setup() {
    load /usr/lib/bats/bats-support/load.bash
    load /usr/lib/bats/bats-assert/load.bash
    load data-roots
    RAGC=${RAGC:-$BATS_TEST_DIRNAME/../ragc}
    data_roots_init || return 1
    need_data compat/archives/senterica.agc
    ARC=$(data_path compat/archives/senterica.agc)
    command -v strace > /dev/null || fail "strace is needed (scripts/install-deps.sh installs it)"
}

# bytes_read CMD...: total bytes ragc reads from files other than its own
# binaries and libraries (pread64 of the archive plus any read of it)
bytes_read() {
    local log=$BATS_TEST_TMPDIR/strace.log
    # LeakSanitizer cannot run under ptrace: no leak check in this one run
    ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 \
        strace -f -e trace=pread64 -o "$log" "$@" > /dev/null 2>&1 || return 1
    awk -F'= ' '/pread64/ { s += $NF } END { print s + 0 }' "$log"
}

@test "io: a 1 kb range of a 3 MB archive reads under 3% of it" {
    run bytes_read "$RAGC" getctg "$ARC" 'NODE_11_length_149361_cov_9.71634_ID_21@SAL_AA7743AA:100000-100999'
    assert_success
    local size
    size=$(stat -c %s "$ARC")
    [ "$output" -gt 0 ]
    [ "$output" -lt $((size * 3 / 100)) ] || fail "read $output of $size bytes"
}

@test "io: listset reads only the directory and the sample list" {
    run bytes_read "$RAGC" listset "$ARC"
    assert_success
    local size
    size=$(stat -c %s "$ARC")
    [ "$output" -lt $((size / 50)) ] || fail "read $output of $size bytes"
}

@test "io: getset of one sample reads less than the whole archive" {
    run bytes_read "$RAGC" getset "$ARC" SAL_HA8462AA
    assert_success
    local size
    size=$(stat -c %s "$ARC")
    [ "$output" -lt "$size" ] || fail "read $output of $size bytes"
}
