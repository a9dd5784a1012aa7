#!/usr/bin/env bats
# What the shared objects export.  libragc.so: exactly the functions that
# include/ragc.h and include/agc-api.h declare (the library is compiled with
# -fvisibility=hidden and the headers mark each with RAGC_EXPORT).
# hfile_agc.so: hfile_plugin_init only, and none of the compressor (it links
# the objects of libragc.a the reader needs, all hidden).
#
# Environment (make check sets them): RAGC_LIB (libragc.so), RAGC_PLUGIN_DIR
# (the folder of hfile_agc.so), RAGC_OBJ (the folder of the objects), CC (a
# GCC: the declarations are read with -aux-info).

setup() {
    load /usr/lib/bats/bats-support/load.bash
    load /usr/lib/bats/bats-assert/load.bash
    TOP=$(cd "$BATS_TEST_DIRNAME/.." && pwd)
    RAGC=${RAGC:-$TOP/ragc}
    LIB=${RAGC_LIB:-$TOP/libragc.so}
    PLUGIN=${RAGC_PLUGIN_DIR:-$TOP}/hfile_agc.so
    OBJ=${RAGC_OBJ:-$TOP/obj}
    T=$BATS_TEST_TMPDIR
    command -v nm >/dev/null || fail "nm (binutils) is needed"
    [[ -f $LIB ]] || fail "libragc.so not found: $LIB (run make, or set RAGC_LIB)"
}

# Functions the public headers declare, one a line, sorted: the compiler's
# own list of the prototypes it read (gcc -aux-info), those from include/.
declared_functions() {
    printf '#include "ragc.h"\n#include "agc-api.h"\n' |
        ${CC:-cc} -std=c11 -I"$TOP/include" -fsyntax-only -aux-info "$T/api.aux" -x c - ||
        return 1
    grep -E '^/\* [^ ]*/include/(ragc|agc-api)\.h:' "$T/api.aux" |
        sed -E 's|^/\* [^*]*\*/ ||; s| \(.*||; s|.*[ *]||' | sort -u
}

# Symbols a shared object defines for the dynamic linker, sorted.
exported() {
    nm -D --defined-only "$1" | awk 'NF == 3 { print $3 }' | sort -u
}

need_plugin() {
    [[ -f $PLUGIN ]] && return 0
    [[ $RAGC == */san/* ]] && skip "the htslib plugin is built in the plain build only"
    fail "htslib plugin not found: $PLUGIN (run make, or set RAGC_PLUGIN_DIR)"
}

@test "symbols: the headers' declarations are found" {
    run declared_functions
    assert_success
    assert_line ragc_open
    assert_line ragc_vfasta_read
    assert_line ragc_outfile_commit
    assert_line agc_open
    [[ ${#lines[@]} -ge 40 ]] || fail "only ${#lines[@]} functions: $output"
}

@test "symbols: libragc.so exports exactly the functions of ragc.h and agc-api.h" {
    declared_functions >"$T/declared" || fail "cannot read the headers"
    exported "$LIB" >"$T/exported"
    local extra missing
    extra=$(comm -13 "$T/declared" "$T/exported")
    missing=$(comm -23 "$T/declared" "$T/exported")
    [[ -z $extra && -z $missing ]] ||
        fail "exported but not declared: ${extra:-none}"$'\n'"declared but not exported: ${missing:-none}"
}

@test "symbols: hfile_agc.so exports hfile_plugin_init only" {
    need_plugin
    run exported "$PLUGIN"
    assert_success
    assert_output hfile_plugin_init
}

@test "symbols: hfile_agc.so holds the reader but none of the compressor" {
    need_plugin
    # the writing side: src/write and the format's encoders and writers
    local objs=("$OBJ"/src/write/*.o "$OBJ"/src/format/*_write.o "$OBJ"/src/format/*_enc.o)
    [[ -f ${objs[0]} ]] || fail "no objects in $OBJ/src/write (set RAGC_OBJ)"
    nm --defined-only "${objs[@]}" | awk 'NF == 3 && $2 ~ /^[TDBR]$/ { print $3 }' | sort -u >"$T/writer"
    [[ -s $T/writer ]] || fail "no global symbols in the writer's objects"
    nm --defined-only "$PLUGIN" | awk 'NF == 3 { print $3 }' | sort -u >"$T/plugin"
    # the symbol table is there (hidden symbols included), so absence means absence
    grep -qx ragc_vfasta_open "$T/plugin" || fail "ragc_vfasta_open not in nm of $PLUGIN (stripped?)"
    local found
    found=$(comm -12 "$T/writer" "$T/plugin")
    [[ -z $found ]] || fail "compressor symbols in the plugin: $found"
}
