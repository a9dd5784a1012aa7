#!/usr/bin/env bats
# The source folders are layers that look down only:
#   io < format < read < write < cli, plugin
# Each folder is compiled with include/ (the public API), its own folder and
# the folders below it (Makefile, INC_*); the command and the plugin see the
# public API only.  These tests compile `#include "H"` with each layer's
# flags (make layer-flags) for every header H of the tree: the layer's own
# and lower headers must compile, every other header must be "not found".
#
# Environment: RAGC_MAKE, the make command for this tree (make check sets
# it; default: make -s -C <repo>).

setup() {
    load /usr/lib/bats/bats-support/load.bash
    load /usr/lib/bats/bats-assert/load.bash
    TOP=$(cd "$BATS_TEST_DIRNAME/.." && pwd)
    MAKE_CMD=${RAGC_MAKE:-make -s -C $TOP}
    cd "$TOP"
}

# folders LAYER: the source folders LAYER may include from, own folder first
folders() {
    case $1 in
    io) echo src/io ;;
    format) echo src/format src/io ;;
    read) echo src/read src/format src/io ;;
    write) echo src/write src/read src/format src/io ;;
    cli) echo src/cli ;;
    plugin) echo plugin ;;
    esac
}

ALL_FOLDERS="src/io src/format src/read src/write src/cli plugin"

# probe_layer LAYER: compiles every header with LAYER's flags; fails listing
# the headers that compile where they must not, or fail where they must.
probe_layer() {
    local layer=$1 cmd allowed dir h name out bad=() n_ok=0 n_refused=0
    # MAKEFLAGS of an outer make (jobserver, -j) must not reach this one
    cmd=$(env -u MAKEFLAGS -u MFLAGS $MAKE_CMD layer-flags LAYER="$layer") || fail "make layer-flags failed"
    [[ $cmd == *" -Iinclude "* ]] || fail "no -Iinclude in the flags of $layer: $cmd"
    allowed=" $(folders "$layer") "
    for dir in $ALL_FOLDERS; do
        for h in "$dir"/*.h; do
            name=${h##*/}
            if out=$(printf '#include "%s"\n' "$name" | $cmd -fsyntax-only -x c - 2>&1); then
                if [[ $allowed == *" $dir "* ]]; then
                    n_ok=$((n_ok + 1))
                else
                    bad+=("$h compiles in $layer")
                fi
            else
                if [[ $allowed == *" $dir "* ]]; then
                    bad+=("$h does not compile in $layer: $(head -n 3 <<<"$out")")
                elif [[ $out == *"$name: No such file or directory"* ]]; then
                    n_refused=$((n_refused + 1))
                else
                    bad+=("$h fails in $layer for another reason: $(head -n 3 <<<"$out")")
                fi
            fi
        done
    done
    ((${#bad[@]} == 0)) || fail "$(printf '%s\n' "${bad[@]}")"
    # the layer has headers of its own, and something was refused
    ((n_ok > 0 && n_refused > 0)) || fail "$layer: $n_ok headers compiled, $n_refused refused"
}

@test "layers: header names are unique across the source folders" {
    local dups
    dups=$(for d in $ALL_FOLDERS include; do ls "$d"/*.h; done | sed 's|.*/||' | sort | uniq -d)
    [[ -z $dups ]] || fail "headers with the same name in two folders: $dups"
}

@test "layers: src/io sees include/ and src/io only" {
    probe_layer io
}

@test "layers: src/format sees io, not read, write, cli or plugin" {
    probe_layer format
}

@test "layers: src/read sees format and io, not write, cli or plugin" {
    probe_layer read
}

@test "layers: src/write sees read, format and io, not cli or plugin" {
    probe_layer write
}

@test "layers: src/cli sees include/ and src/cli only" {
    probe_layer cli
}

@test "layers: plugin/ sees include/ and plugin/ only" {
    probe_layer plugin
}

@test "layers: the public headers compile on their own" {
    local cmd h
    cmd=$(env -u MAKEFLAGS -u MFLAGS $MAKE_CMD layer-flags LAYER=cli) || fail "make layer-flags failed"
    for h in include/*.h; do
        printf '#include "%s"\n' "${h##*/}" | $cmd -fsyntax-only -x c - || fail "$h"
    done
}

@test "layers: the public headers compile as C++ (skipped without a C++ compiler)" {
    command -v "${CXX:-c++}" >/dev/null || skip "no C++ compiler (${CXX:-c++})"
    local h
    for h in include/*.h; do
        printf '#include "%s"\n' "${h##*/}" | "${CXX:-c++}" -Iinclude -Wall -Wextra -fsyntax-only -x c++ - || fail "$h"
    done
}
