#!/usr/bin/env bats
# Corrupted archives: ragc must reject them cleanly or decode them, never crash or hang.
#
# For every fixture archive (ids = column 1 of compat/cases.tsv, and three of
# foreign/cases.tsv; archives found in neither data root are skipped, see
# data-roots.bash) the
# test makes about 47 corrupted copies (plan and details: bats/corrupt-helper.bash)
# and runs `ragc listset`, `ragc getcol` and, where cheap, `ragc getset A SAMPLE`
# (SAMPLE = the first line of compat/expected/ID/listset.txt) on each copy
# under `timeout`.  The work is done by `corrupt-helper.bash check`, outside
# bats (whose per-command DEBUG trap would triple the run time).
#
#   truncations, trailer damage  must fail: exit 1..123 and a stderr line
#                                starting with "ragc "
#   byte flips                   may decode (AGC has no checksums); exit 0..123,
#                                and a "ragc " stderr line if the exit is non-zero
#   always                       no timeout, no signal, no sanitizer report
#
# "corrupt ragc-original" damages the ragc-original stream (ragc's original
# forms, docs/lossless.md) of an archive made from three soft-masked
# fasta-edge files: every reader must print the input's bases (the original
# form applied), agc's upper-case view with a warning, or fail cleanly, and
# `getset --original` the input file or a clean failure; never other bytes
# (bats/corrupt-original.bash, which also reproduces a failure by hand).
#
# A failing test lists the bad cases (10 at most) with the exit status, the head
# of stderr and a command line that rebuilds the corrupted copy.  One archive
# can be checked by hand with
#   RAGC=./ragc bash bats/corrupt-helper.bash check test/data/compat/archives/ID.agc SAMPLE
#
# Environment
#   RAGC                   binary under test (default: bats/../ragc)
#   RAGC_SHARED            the extended data (default: bats/../../shared)
#   RAGC_CORRUPT_FLIPS     byte flips per archive (default 20)
#   RAGC_CORRUPT_SEED      extra PRNG seed (default 1; the plan also depends on the archive name)
#   RAGC_CORRUPT_TIMEOUT   seconds per command (default 20)
#   RAGC_CORRUPT_GETSET_MAX  run getset on flipped copies of archives up to this
#                          many bytes (default 262144; always on truncations/trailer)
#   RAGC_CORRUPT_JOBS      corrupted copies checked in parallel (default 2)

load data-roots

setup_file() {
	export RAGC="${RAGC:-$BATS_TEST_DIRNAME/../ragc}"
	if [[ ! -d ${RAGC_TEST_DATA:-$BATS_TEST_DIRNAME/../test/data}/compat/archives ]]; then
		echo "corrupt.bats: fixture archives not found in the repository's test/data" >&2
		return 1
	fi
	if [[ ! -x $RAGC ]]; then
		echo "corrupt.bats: binary under test not found or not executable: $RAGC (set RAGC)" >&2
		return 1
	fi
	command -v timeout >/dev/null || { echo "corrupt.bats: needs timeout(1) (coreutils)" >&2; return 1; }
}

setup() {
	data_roots_init
}

check_archive() {   # check_archive ID [SET]: SET compat (agc's archives) or foreign
	local id=$1 set=${2:-compat} first="" arc lst
	need_data "$set/archives/$id.agc"
	arc=$(data_path "$set/archives/$id.agc")
	lst=${arc%/archives/*}/expected/$id/listset.txt
	[[ -f $lst ]] && IFS= read -r first < "$lst"
	TMPDIR=$BATS_TEST_TMPDIR bash "$BATS_TEST_DIRNAME/corrupt-helper.bash" check \
		"$arc" "$first"
}

@test "corrupt toy" {
	check_archive toy
}

@test "corrupt hsmt" {
	check_archive hsmt
}

@test "corrupt hsmt-small" {
	check_archive hsmt-small
}

@test "corrupt hsmt-concat" {
	check_archive hsmt-concat
}

@test "corrupt sarscov2-s5000" {
	check_archive sarscov2-s5000
}

@test "corrupt sarscov2-adapt" {
	check_archive sarscov2-adapt
}

@test "corrupt senterica" {
	check_archive senterica
}

@test "corrupt senterica-k21" {
	check_archive senterica-k21
}

@test "corrupt senterica-adapt" {
	check_archive senterica-adapt
}

@test "corrupt senterica-fallback" {
	check_archive senterica-fallback
}

@test "corrupt senterica-append" {
	check_archive senterica-append
}

@test "corrupt senterica-append-adapt" {
	check_archive senterica-append-adapt
}

@test "corrupt edge-ok" {
	check_archive edge-ok
}

@test "corrupt toy-agc30" {
	check_archive toy-agc30
}

@test "corrupt v1.1-hsmt-append" {
	check_archive v1.1-hsmt-append
}

@test "corrupt v1.1-hsmt-base3" {
	check_archive v1.1-hsmt-base3
}

@test "corrupt v1.1-hsmt20-b3" {
	check_archive v1.1-hsmt20-b3
}

@test "corrupt v1.1-hsmt20-b5" {
	check_archive v1.1-hsmt20-b5
}

@test "corrupt v1.1-hsmt20" {
	check_archive v1.1-hsmt20
}

@test "corrupt v1.1-syn5m-append" {
	check_archive v1.1-syn5m-append
}

@test "corrupt v1.1-syn5m-base3" {
	check_archive v1.1-syn5m-base3
}

@test "corrupt v1.1-syn5m-f" {
	check_archive v1.1-syn5m-f
}

@test "corrupt v1.1-syn5m" {
	check_archive v1.1-syn5m
}

@test "corrupt v1.1-toy" {
	check_archive v1.1-toy
}

@test "corrupt v2.1-hsmt-append" {
	check_archive v2.1-hsmt-append
}

@test "corrupt v2.1-hsmt-base3" {
	check_archive v2.1-hsmt-base3
}

@test "corrupt v2.1-hsmt20-b3" {
	check_archive v2.1-hsmt20-b3
}

@test "corrupt v2.1-hsmt20-b5" {
	check_archive v2.1-hsmt20-b5
}

@test "corrupt v2.1-hsmt20" {
	check_archive v2.1-hsmt20
}

@test "corrupt v2.1-syn5m-append" {
	check_archive v2.1-syn5m-append
}

@test "corrupt v2.1-syn5m-base3" {
	check_archive v2.1-syn5m-base3
}

@test "corrupt v2.1-syn5m" {
	check_archive v2.1-syn5m
}

@test "corrupt v2.1-toy" {
	check_archive v2.1-toy
}

@test "corrupt v3.0-hsmt-append" {
	check_archive v3.0-hsmt-append
}

@test "corrupt v3.0-hsmt-base3" {
	check_archive v3.0-hsmt-base3
}

@test "corrupt v3.0-hsmt20-b3" {
	check_archive v3.0-hsmt20-b3
}

@test "corrupt v3.0-hsmt20-b5" {
	check_archive v3.0-hsmt20-b5
}

@test "corrupt v3.0-hsmt20" {
	check_archive v3.0-hsmt20
}

@test "corrupt v3.0-syn5m-append" {
	check_archive v3.0-syn5m-append
}

@test "corrupt v3.0-syn5m-base3" {
	check_archive v3.0-syn5m-base3
}

@test "corrupt v3.0-syn5m" {
	check_archive v3.0-syn5m
}

@test "corrupt v3.0-toy" {
	check_archive v3.0-toy
}

@test "corrupt v3.1-hsmt-append" {
	check_archive v3.1-hsmt-append
}

@test "corrupt v3.1-hsmt-base3" {
	check_archive v3.1-hsmt-base3
}

@test "corrupt v3.1-hsmt20-b3" {
	check_archive v3.1-hsmt20-b3
}

@test "corrupt v3.1-hsmt20-b5" {
	check_archive v3.1-hsmt20-b5
}

@test "corrupt v3.1-hsmt20" {
	check_archive v3.1-hsmt20
}

@test "corrupt v3.1-syn5m-append" {
	check_archive v3.1-syn5m-append
}

@test "corrupt v3.1-syn5m-base3" {
	check_archive v3.1-syn5m-base3
}

@test "corrupt v3.1-syn5m" {
	check_archive v3.1-syn5m
}

@test "corrupt v3.1-toy" {
	check_archive v3.1-toy
}

@test "corrupt upstream-toy_ex-agc1.0" {
	check_archive upstream-toy_ex-agc1.0
}

@test "corrupt upstream-toy_ex-agc3.0-20220823" {
	check_archive upstream-toy_ex-agc3.0-20220823
}

@test "corrupt upstream-toy_ex-agc3.0-20221222" {
	check_archive upstream-toy_ex-agc3.0-20221222
}

# archives of the Rust port of AGC (test/data/foreign): zstd frames without
# their content size, empty groups left out
@test "corrupt rust-toy" {
	check_archive rust-toy foreign
}

@test "corrupt rust-hsmt-s2000" {
	check_archive rust-hsmt-s2000 foreign
}

@test "corrupt rust-sarscov2-120" {
	check_archive rust-sarscov2-120 foreign
}

@test "corrupt ragc-original: damaged original forms read as the input, as agc's view with a warning, or fail" {
	local e=$CORE_ROOT/data/fasta-edge
	TMPDIR=$BATS_TEST_TMPDIR bash "$BATS_TEST_DIRNAME/corrupt-original.bash" check \
		"$e/bcftools.ENSCAFT00000047742.fa" "$e/pyfaidx.genes.lower.fasta" "$e/samtools.stat.test.fa"
}
