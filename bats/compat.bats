#!/usr/bin/env bats
# Command-line compatibility of ragc with agc 3.2.2.
#
# For every archive of compat/ (written by the reference agc; the small ones
# are in test/data, all of them in the extended data, see data-roots.bash) and
# every command recorded in expected/ID/outputs.tsv, ragc must print byte-identical
# standard output. Exit status: 0, except where agc printed an error (a getset /
# getctg row with empty output: unknown sample, unknown or ambiguous contig);
# there ragc must exit non-zero and say "ragc getset: ..." / "ragc getctg: ..."
# on stderr. Failing tests list every mismatching row.
#
#   RAGC=/abs/path/ragc bats bats/compat.bats        (make check sets RAGC)
#   RAGC_SHARED=/path/to/shared  the extended data (default: <repo>/../shared);
#                                without it the archives not in test/data are skipped
#   RAGC_TIMEOUT=120             seconds per ragc run
#   bats -f 'compat toy:' bats/compat.bats   one archive only
#
# Tests per archive ID: lists (listref, listset, listctg, info), getcol rows,
# getset rows, getctg rows, and -t 2 output (the parallel path prints exactly
# what agc printed); plus getcol -o DIR / -g 6 for toy and hsmt-small. The
# @test list below is fixed (bats 1.8 has no dynamic registration); the first
# test fails when the fixture set has an archive without its five tests here:
# then add five lines for the new ID following the pattern below.

load helpers

setup() {
  compat_init
}

@test "compat fixtures: consistent and every archive has its tests" {
  compat_check_fixtures "$BATS_TEST_FILENAME"
}

@test "compat toy: getcol -o DIR and -g 6" {
  compat_check_getcol_dir toy
}

@test "compat hsmt-small: getcol -o DIR and -g 6" {
  compat_check_getcol_dir hsmt-small
}

@test "compat toy: lists" { compat_check_lists toy; }
@test "compat toy: getcol rows" { compat_check_rows toy getcol; }
@test "compat toy: getset rows" { compat_check_rows toy getset; }
@test "compat toy: getctg rows" { compat_check_rows toy getctg; }
@test "compat toy: -t 2 output" { compat_check_threads toy; }

@test "compat hsmt: lists" { compat_check_lists hsmt; }
@test "compat hsmt: getcol rows" { compat_check_rows hsmt getcol; }
@test "compat hsmt: getset rows" { compat_check_rows hsmt getset; }
@test "compat hsmt: getctg rows" { compat_check_rows hsmt getctg; }
@test "compat hsmt: -t 2 output" { compat_check_threads hsmt; }

@test "compat hsmt-small: lists" { compat_check_lists hsmt-small; }
@test "compat hsmt-small: getcol rows" { compat_check_rows hsmt-small getcol; }
@test "compat hsmt-small: getset rows" { compat_check_rows hsmt-small getset; }
@test "compat hsmt-small: getctg rows" { compat_check_rows hsmt-small getctg; }
@test "compat hsmt-small: -t 2 output" { compat_check_threads hsmt-small; }

@test "compat hsmt-concat: lists" { compat_check_lists hsmt-concat; }
@test "compat hsmt-concat: getcol rows" { compat_check_rows hsmt-concat getcol; }
@test "compat hsmt-concat: getset rows" { compat_check_rows hsmt-concat getset; }
@test "compat hsmt-concat: getctg rows" { compat_check_rows hsmt-concat getctg; }
@test "compat hsmt-concat: -t 2 output" { compat_check_threads hsmt-concat; }

@test "compat sarscov2-s5000: lists" { compat_check_lists sarscov2-s5000; }
@test "compat sarscov2-s5000: getcol rows" { compat_check_rows sarscov2-s5000 getcol; }
@test "compat sarscov2-s5000: getset rows" { compat_check_rows sarscov2-s5000 getset; }
@test "compat sarscov2-s5000: getctg rows" { compat_check_rows sarscov2-s5000 getctg; }
@test "compat sarscov2-s5000: -t 2 output" { compat_check_threads sarscov2-s5000; }

@test "compat sarscov2-adapt: lists" { compat_check_lists sarscov2-adapt; }
@test "compat sarscov2-adapt: getcol rows" { compat_check_rows sarscov2-adapt getcol; }
@test "compat sarscov2-adapt: getset rows" { compat_check_rows sarscov2-adapt getset; }
@test "compat sarscov2-adapt: getctg rows" { compat_check_rows sarscov2-adapt getctg; }
@test "compat sarscov2-adapt: -t 2 output" { compat_check_threads sarscov2-adapt; }

@test "compat senterica: lists" { compat_check_lists senterica; }
@test "compat senterica: getcol rows" { compat_check_rows senterica getcol; }
@test "compat senterica: getset rows" { compat_check_rows senterica getset; }
@test "compat senterica: getctg rows" { compat_check_rows senterica getctg; }
@test "compat senterica: -t 2 output" { compat_check_threads senterica; }

@test "compat senterica-k21: lists" { compat_check_lists senterica-k21; }
@test "compat senterica-k21: getcol rows" { compat_check_rows senterica-k21 getcol; }
@test "compat senterica-k21: getset rows" { compat_check_rows senterica-k21 getset; }
@test "compat senterica-k21: getctg rows" { compat_check_rows senterica-k21 getctg; }
@test "compat senterica-k21: -t 2 output" { compat_check_threads senterica-k21; }

@test "compat senterica-adapt: lists" { compat_check_lists senterica-adapt; }
@test "compat senterica-adapt: getcol rows" { compat_check_rows senterica-adapt getcol; }
@test "compat senterica-adapt: getset rows" { compat_check_rows senterica-adapt getset; }
@test "compat senterica-adapt: getctg rows" { compat_check_rows senterica-adapt getctg; }
@test "compat senterica-adapt: -t 2 output" { compat_check_threads senterica-adapt; }

@test "compat senterica-fallback: lists" { compat_check_lists senterica-fallback; }
@test "compat senterica-fallback: getcol rows" { compat_check_rows senterica-fallback getcol; }
@test "compat senterica-fallback: getset rows" { compat_check_rows senterica-fallback getset; }
@test "compat senterica-fallback: getctg rows" { compat_check_rows senterica-fallback getctg; }
@test "compat senterica-fallback: -t 2 output" { compat_check_threads senterica-fallback; }

@test "compat senterica-append: lists" { compat_check_lists senterica-append; }
@test "compat senterica-append: getcol rows" { compat_check_rows senterica-append getcol; }
@test "compat senterica-append: getset rows" { compat_check_rows senterica-append getset; }
@test "compat senterica-append: getctg rows" { compat_check_rows senterica-append getctg; }
@test "compat senterica-append: -t 2 output" { compat_check_threads senterica-append; }

@test "compat senterica-append-adapt: lists" { compat_check_lists senterica-append-adapt; }
@test "compat senterica-append-adapt: getcol rows" { compat_check_rows senterica-append-adapt getcol; }
@test "compat senterica-append-adapt: getset rows" { compat_check_rows senterica-append-adapt getset; }
@test "compat senterica-append-adapt: getctg rows" { compat_check_rows senterica-append-adapt getctg; }
@test "compat senterica-append-adapt: -t 2 output" { compat_check_threads senterica-append-adapt; }

@test "compat edge-ok: lists" { compat_check_lists edge-ok; }
@test "compat edge-ok: getcol rows" { compat_check_rows edge-ok getcol; }
@test "compat edge-ok: getset rows" { compat_check_rows edge-ok getset; }
@test "compat edge-ok: getctg rows" { compat_check_rows edge-ok getctg; }
@test "compat edge-ok: -t 2 output" { compat_check_threads edge-ok; }

@test "compat toy-agc30: lists" { compat_check_lists toy-agc30; }
@test "compat toy-agc30: getcol rows" { compat_check_rows toy-agc30 getcol; }
@test "compat toy-agc30: getset rows" { compat_check_rows toy-agc30 getset; }
@test "compat toy-agc30: getctg rows" { compat_check_rows toy-agc30 getctg; }
@test "compat toy-agc30: -t 2 output" { compat_check_threads toy-agc30; }

@test "compat v1.1-hsmt-append: lists" { compat_check_lists v1.1-hsmt-append; }
@test "compat v1.1-hsmt-append: getcol rows" { compat_check_rows v1.1-hsmt-append getcol; }
@test "compat v1.1-hsmt-append: getset rows" { compat_check_rows v1.1-hsmt-append getset; }
@test "compat v1.1-hsmt-append: getctg rows" { compat_check_rows v1.1-hsmt-append getctg; }
@test "compat v1.1-hsmt-append: -t 2 output" { compat_check_threads v1.1-hsmt-append; }

@test "compat v1.1-hsmt-base3: lists" { compat_check_lists v1.1-hsmt-base3; }
@test "compat v1.1-hsmt-base3: getcol rows" { compat_check_rows v1.1-hsmt-base3 getcol; }
@test "compat v1.1-hsmt-base3: getset rows" { compat_check_rows v1.1-hsmt-base3 getset; }
@test "compat v1.1-hsmt-base3: getctg rows" { compat_check_rows v1.1-hsmt-base3 getctg; }
@test "compat v1.1-hsmt-base3: -t 2 output" { compat_check_threads v1.1-hsmt-base3; }

@test "compat v1.1-hsmt20-b3: lists" { compat_check_lists v1.1-hsmt20-b3; }
@test "compat v1.1-hsmt20-b3: getcol rows" { compat_check_rows v1.1-hsmt20-b3 getcol; }
@test "compat v1.1-hsmt20-b3: getset rows" { compat_check_rows v1.1-hsmt20-b3 getset; }
@test "compat v1.1-hsmt20-b3: getctg rows" { compat_check_rows v1.1-hsmt20-b3 getctg; }
@test "compat v1.1-hsmt20-b3: -t 2 output" { compat_check_threads v1.1-hsmt20-b3; }

@test "compat v1.1-hsmt20-b5: lists" { compat_check_lists v1.1-hsmt20-b5; }
@test "compat v1.1-hsmt20-b5: getcol rows" { compat_check_rows v1.1-hsmt20-b5 getcol; }
@test "compat v1.1-hsmt20-b5: getset rows" { compat_check_rows v1.1-hsmt20-b5 getset; }
@test "compat v1.1-hsmt20-b5: getctg rows" { compat_check_rows v1.1-hsmt20-b5 getctg; }
@test "compat v1.1-hsmt20-b5: -t 2 output" { compat_check_threads v1.1-hsmt20-b5; }

@test "compat v1.1-hsmt20: lists" { compat_check_lists v1.1-hsmt20; }
@test "compat v1.1-hsmt20: getcol rows" { compat_check_rows v1.1-hsmt20 getcol; }
@test "compat v1.1-hsmt20: getset rows" { compat_check_rows v1.1-hsmt20 getset; }
@test "compat v1.1-hsmt20: getctg rows" { compat_check_rows v1.1-hsmt20 getctg; }
@test "compat v1.1-hsmt20: -t 2 output" { compat_check_threads v1.1-hsmt20; }

@test "compat v1.1-syn5m-append: lists" { compat_check_lists v1.1-syn5m-append; }
@test "compat v1.1-syn5m-append: getcol rows" { compat_check_rows v1.1-syn5m-append getcol; }
@test "compat v1.1-syn5m-append: getset rows" { compat_check_rows v1.1-syn5m-append getset; }
@test "compat v1.1-syn5m-append: getctg rows" { compat_check_rows v1.1-syn5m-append getctg; }
@test "compat v1.1-syn5m-append: -t 2 output" { compat_check_threads v1.1-syn5m-append; }

@test "compat v1.1-syn5m-base3: lists" { compat_check_lists v1.1-syn5m-base3; }
@test "compat v1.1-syn5m-base3: getcol rows" { compat_check_rows v1.1-syn5m-base3 getcol; }
@test "compat v1.1-syn5m-base3: getset rows" { compat_check_rows v1.1-syn5m-base3 getset; }
@test "compat v1.1-syn5m-base3: getctg rows" { compat_check_rows v1.1-syn5m-base3 getctg; }
@test "compat v1.1-syn5m-base3: -t 2 output" { compat_check_threads v1.1-syn5m-base3; }

@test "compat v1.1-syn5m-f: lists" { compat_check_lists v1.1-syn5m-f; }
@test "compat v1.1-syn5m-f: getcol rows" { compat_check_rows v1.1-syn5m-f getcol; }
@test "compat v1.1-syn5m-f: getset rows" { compat_check_rows v1.1-syn5m-f getset; }
@test "compat v1.1-syn5m-f: getctg rows" { compat_check_rows v1.1-syn5m-f getctg; }
@test "compat v1.1-syn5m-f: -t 2 output" { compat_check_threads v1.1-syn5m-f; }

@test "compat v1.1-syn5m: lists" { compat_check_lists v1.1-syn5m; }
@test "compat v1.1-syn5m: getcol rows" { compat_check_rows v1.1-syn5m getcol; }
@test "compat v1.1-syn5m: getset rows" { compat_check_rows v1.1-syn5m getset; }
@test "compat v1.1-syn5m: getctg rows" { compat_check_rows v1.1-syn5m getctg; }
@test "compat v1.1-syn5m: -t 2 output" { compat_check_threads v1.1-syn5m; }

@test "compat v1.1-toy: lists" { compat_check_lists v1.1-toy; }
@test "compat v1.1-toy: getcol rows" { compat_check_rows v1.1-toy getcol; }
@test "compat v1.1-toy: getset rows" { compat_check_rows v1.1-toy getset; }
@test "compat v1.1-toy: getctg rows" { compat_check_rows v1.1-toy getctg; }
@test "compat v1.1-toy: -t 2 output" { compat_check_threads v1.1-toy; }

@test "compat v2.1-hsmt-append: lists" { compat_check_lists v2.1-hsmt-append; }
@test "compat v2.1-hsmt-append: getcol rows" { compat_check_rows v2.1-hsmt-append getcol; }
@test "compat v2.1-hsmt-append: getset rows" { compat_check_rows v2.1-hsmt-append getset; }
@test "compat v2.1-hsmt-append: getctg rows" { compat_check_rows v2.1-hsmt-append getctg; }
@test "compat v2.1-hsmt-append: -t 2 output" { compat_check_threads v2.1-hsmt-append; }

@test "compat v2.1-hsmt-base3: lists" { compat_check_lists v2.1-hsmt-base3; }
@test "compat v2.1-hsmt-base3: getcol rows" { compat_check_rows v2.1-hsmt-base3 getcol; }
@test "compat v2.1-hsmt-base3: getset rows" { compat_check_rows v2.1-hsmt-base3 getset; }
@test "compat v2.1-hsmt-base3: getctg rows" { compat_check_rows v2.1-hsmt-base3 getctg; }
@test "compat v2.1-hsmt-base3: -t 2 output" { compat_check_threads v2.1-hsmt-base3; }

@test "compat v2.1-hsmt20-b3: lists" { compat_check_lists v2.1-hsmt20-b3; }
@test "compat v2.1-hsmt20-b3: getcol rows" { compat_check_rows v2.1-hsmt20-b3 getcol; }
@test "compat v2.1-hsmt20-b3: getset rows" { compat_check_rows v2.1-hsmt20-b3 getset; }
@test "compat v2.1-hsmt20-b3: getctg rows" { compat_check_rows v2.1-hsmt20-b3 getctg; }
@test "compat v2.1-hsmt20-b3: -t 2 output" { compat_check_threads v2.1-hsmt20-b3; }

@test "compat v2.1-hsmt20-b5: lists" { compat_check_lists v2.1-hsmt20-b5; }
@test "compat v2.1-hsmt20-b5: getcol rows" { compat_check_rows v2.1-hsmt20-b5 getcol; }
@test "compat v2.1-hsmt20-b5: getset rows" { compat_check_rows v2.1-hsmt20-b5 getset; }
@test "compat v2.1-hsmt20-b5: getctg rows" { compat_check_rows v2.1-hsmt20-b5 getctg; }
@test "compat v2.1-hsmt20-b5: -t 2 output" { compat_check_threads v2.1-hsmt20-b5; }

@test "compat v2.1-hsmt20: lists" { compat_check_lists v2.1-hsmt20; }
@test "compat v2.1-hsmt20: getcol rows" { compat_check_rows v2.1-hsmt20 getcol; }
@test "compat v2.1-hsmt20: getset rows" { compat_check_rows v2.1-hsmt20 getset; }
@test "compat v2.1-hsmt20: getctg rows" { compat_check_rows v2.1-hsmt20 getctg; }
@test "compat v2.1-hsmt20: -t 2 output" { compat_check_threads v2.1-hsmt20; }

@test "compat v2.1-syn5m-append: lists" { compat_check_lists v2.1-syn5m-append; }
@test "compat v2.1-syn5m-append: getcol rows" { compat_check_rows v2.1-syn5m-append getcol; }
@test "compat v2.1-syn5m-append: getset rows" { compat_check_rows v2.1-syn5m-append getset; }
@test "compat v2.1-syn5m-append: getctg rows" { compat_check_rows v2.1-syn5m-append getctg; }
@test "compat v2.1-syn5m-append: -t 2 output" { compat_check_threads v2.1-syn5m-append; }

@test "compat v2.1-syn5m-base3: lists" { compat_check_lists v2.1-syn5m-base3; }
@test "compat v2.1-syn5m-base3: getcol rows" { compat_check_rows v2.1-syn5m-base3 getcol; }
@test "compat v2.1-syn5m-base3: getset rows" { compat_check_rows v2.1-syn5m-base3 getset; }
@test "compat v2.1-syn5m-base3: getctg rows" { compat_check_rows v2.1-syn5m-base3 getctg; }
@test "compat v2.1-syn5m-base3: -t 2 output" { compat_check_threads v2.1-syn5m-base3; }

@test "compat v2.1-syn5m: lists" { compat_check_lists v2.1-syn5m; }
@test "compat v2.1-syn5m: getcol rows" { compat_check_rows v2.1-syn5m getcol; }
@test "compat v2.1-syn5m: getset rows" { compat_check_rows v2.1-syn5m getset; }
@test "compat v2.1-syn5m: getctg rows" { compat_check_rows v2.1-syn5m getctg; }
@test "compat v2.1-syn5m: -t 2 output" { compat_check_threads v2.1-syn5m; }

@test "compat v2.1-toy: lists" { compat_check_lists v2.1-toy; }
@test "compat v2.1-toy: getcol rows" { compat_check_rows v2.1-toy getcol; }
@test "compat v2.1-toy: getset rows" { compat_check_rows v2.1-toy getset; }
@test "compat v2.1-toy: getctg rows" { compat_check_rows v2.1-toy getctg; }
@test "compat v2.1-toy: -t 2 output" { compat_check_threads v2.1-toy; }

@test "compat v3.0-hsmt-append: lists" { compat_check_lists v3.0-hsmt-append; }
@test "compat v3.0-hsmt-append: getcol rows" { compat_check_rows v3.0-hsmt-append getcol; }
@test "compat v3.0-hsmt-append: getset rows" { compat_check_rows v3.0-hsmt-append getset; }
@test "compat v3.0-hsmt-append: getctg rows" { compat_check_rows v3.0-hsmt-append getctg; }
@test "compat v3.0-hsmt-append: -t 2 output" { compat_check_threads v3.0-hsmt-append; }

@test "compat v3.0-hsmt-base3: lists" { compat_check_lists v3.0-hsmt-base3; }
@test "compat v3.0-hsmt-base3: getcol rows" { compat_check_rows v3.0-hsmt-base3 getcol; }
@test "compat v3.0-hsmt-base3: getset rows" { compat_check_rows v3.0-hsmt-base3 getset; }
@test "compat v3.0-hsmt-base3: getctg rows" { compat_check_rows v3.0-hsmt-base3 getctg; }
@test "compat v3.0-hsmt-base3: -t 2 output" { compat_check_threads v3.0-hsmt-base3; }

@test "compat v3.0-hsmt20-b3: lists" { compat_check_lists v3.0-hsmt20-b3; }
@test "compat v3.0-hsmt20-b3: getcol rows" { compat_check_rows v3.0-hsmt20-b3 getcol; }
@test "compat v3.0-hsmt20-b3: getset rows" { compat_check_rows v3.0-hsmt20-b3 getset; }
@test "compat v3.0-hsmt20-b3: getctg rows" { compat_check_rows v3.0-hsmt20-b3 getctg; }
@test "compat v3.0-hsmt20-b3: -t 2 output" { compat_check_threads v3.0-hsmt20-b3; }

@test "compat v3.0-hsmt20-b5: lists" { compat_check_lists v3.0-hsmt20-b5; }
@test "compat v3.0-hsmt20-b5: getcol rows" { compat_check_rows v3.0-hsmt20-b5 getcol; }
@test "compat v3.0-hsmt20-b5: getset rows" { compat_check_rows v3.0-hsmt20-b5 getset; }
@test "compat v3.0-hsmt20-b5: getctg rows" { compat_check_rows v3.0-hsmt20-b5 getctg; }
@test "compat v3.0-hsmt20-b5: -t 2 output" { compat_check_threads v3.0-hsmt20-b5; }

@test "compat v3.0-hsmt20: lists" { compat_check_lists v3.0-hsmt20; }
@test "compat v3.0-hsmt20: getcol rows" { compat_check_rows v3.0-hsmt20 getcol; }
@test "compat v3.0-hsmt20: getset rows" { compat_check_rows v3.0-hsmt20 getset; }
@test "compat v3.0-hsmt20: getctg rows" { compat_check_rows v3.0-hsmt20 getctg; }
@test "compat v3.0-hsmt20: -t 2 output" { compat_check_threads v3.0-hsmt20; }

@test "compat v3.0-syn5m-append: lists" { compat_check_lists v3.0-syn5m-append; }
@test "compat v3.0-syn5m-append: getcol rows" { compat_check_rows v3.0-syn5m-append getcol; }
@test "compat v3.0-syn5m-append: getset rows" { compat_check_rows v3.0-syn5m-append getset; }
@test "compat v3.0-syn5m-append: getctg rows" { compat_check_rows v3.0-syn5m-append getctg; }
@test "compat v3.0-syn5m-append: -t 2 output" { compat_check_threads v3.0-syn5m-append; }

@test "compat v3.0-syn5m-base3: lists" { compat_check_lists v3.0-syn5m-base3; }
@test "compat v3.0-syn5m-base3: getcol rows" { compat_check_rows v3.0-syn5m-base3 getcol; }
@test "compat v3.0-syn5m-base3: getset rows" { compat_check_rows v3.0-syn5m-base3 getset; }
@test "compat v3.0-syn5m-base3: getctg rows" { compat_check_rows v3.0-syn5m-base3 getctg; }
@test "compat v3.0-syn5m-base3: -t 2 output" { compat_check_threads v3.0-syn5m-base3; }

@test "compat v3.0-syn5m: lists" { compat_check_lists v3.0-syn5m; }
@test "compat v3.0-syn5m: getcol rows" { compat_check_rows v3.0-syn5m getcol; }
@test "compat v3.0-syn5m: getset rows" { compat_check_rows v3.0-syn5m getset; }
@test "compat v3.0-syn5m: getctg rows" { compat_check_rows v3.0-syn5m getctg; }
@test "compat v3.0-syn5m: -t 2 output" { compat_check_threads v3.0-syn5m; }

@test "compat v3.0-toy: lists" { compat_check_lists v3.0-toy; }
@test "compat v3.0-toy: getcol rows" { compat_check_rows v3.0-toy getcol; }
@test "compat v3.0-toy: getset rows" { compat_check_rows v3.0-toy getset; }
@test "compat v3.0-toy: getctg rows" { compat_check_rows v3.0-toy getctg; }
@test "compat v3.0-toy: -t 2 output" { compat_check_threads v3.0-toy; }

@test "compat v3.1-hsmt-append: lists" { compat_check_lists v3.1-hsmt-append; }
@test "compat v3.1-hsmt-append: getcol rows" { compat_check_rows v3.1-hsmt-append getcol; }
@test "compat v3.1-hsmt-append: getset rows" { compat_check_rows v3.1-hsmt-append getset; }
@test "compat v3.1-hsmt-append: getctg rows" { compat_check_rows v3.1-hsmt-append getctg; }
@test "compat v3.1-hsmt-append: -t 2 output" { compat_check_threads v3.1-hsmt-append; }

@test "compat v3.1-hsmt-base3: lists" { compat_check_lists v3.1-hsmt-base3; }
@test "compat v3.1-hsmt-base3: getcol rows" { compat_check_rows v3.1-hsmt-base3 getcol; }
@test "compat v3.1-hsmt-base3: getset rows" { compat_check_rows v3.1-hsmt-base3 getset; }
@test "compat v3.1-hsmt-base3: getctg rows" { compat_check_rows v3.1-hsmt-base3 getctg; }
@test "compat v3.1-hsmt-base3: -t 2 output" { compat_check_threads v3.1-hsmt-base3; }

@test "compat v3.1-hsmt20-b3: lists" { compat_check_lists v3.1-hsmt20-b3; }
@test "compat v3.1-hsmt20-b3: getcol rows" { compat_check_rows v3.1-hsmt20-b3 getcol; }
@test "compat v3.1-hsmt20-b3: getset rows" { compat_check_rows v3.1-hsmt20-b3 getset; }
@test "compat v3.1-hsmt20-b3: getctg rows" { compat_check_rows v3.1-hsmt20-b3 getctg; }
@test "compat v3.1-hsmt20-b3: -t 2 output" { compat_check_threads v3.1-hsmt20-b3; }

@test "compat v3.1-hsmt20-b5: lists" { compat_check_lists v3.1-hsmt20-b5; }
@test "compat v3.1-hsmt20-b5: getcol rows" { compat_check_rows v3.1-hsmt20-b5 getcol; }
@test "compat v3.1-hsmt20-b5: getset rows" { compat_check_rows v3.1-hsmt20-b5 getset; }
@test "compat v3.1-hsmt20-b5: getctg rows" { compat_check_rows v3.1-hsmt20-b5 getctg; }
@test "compat v3.1-hsmt20-b5: -t 2 output" { compat_check_threads v3.1-hsmt20-b5; }

@test "compat v3.1-hsmt20: lists" { compat_check_lists v3.1-hsmt20; }
@test "compat v3.1-hsmt20: getcol rows" { compat_check_rows v3.1-hsmt20 getcol; }
@test "compat v3.1-hsmt20: getset rows" { compat_check_rows v3.1-hsmt20 getset; }
@test "compat v3.1-hsmt20: getctg rows" { compat_check_rows v3.1-hsmt20 getctg; }
@test "compat v3.1-hsmt20: -t 2 output" { compat_check_threads v3.1-hsmt20; }

@test "compat v3.1-syn5m-append: lists" { compat_check_lists v3.1-syn5m-append; }
@test "compat v3.1-syn5m-append: getcol rows" { compat_check_rows v3.1-syn5m-append getcol; }
@test "compat v3.1-syn5m-append: getset rows" { compat_check_rows v3.1-syn5m-append getset; }
@test "compat v3.1-syn5m-append: getctg rows" { compat_check_rows v3.1-syn5m-append getctg; }
@test "compat v3.1-syn5m-append: -t 2 output" { compat_check_threads v3.1-syn5m-append; }

@test "compat v3.1-syn5m-base3: lists" { compat_check_lists v3.1-syn5m-base3; }
@test "compat v3.1-syn5m-base3: getcol rows" { compat_check_rows v3.1-syn5m-base3 getcol; }
@test "compat v3.1-syn5m-base3: getset rows" { compat_check_rows v3.1-syn5m-base3 getset; }
@test "compat v3.1-syn5m-base3: getctg rows" { compat_check_rows v3.1-syn5m-base3 getctg; }
@test "compat v3.1-syn5m-base3: -t 2 output" { compat_check_threads v3.1-syn5m-base3; }

@test "compat v3.1-syn5m: lists" { compat_check_lists v3.1-syn5m; }
@test "compat v3.1-syn5m: getcol rows" { compat_check_rows v3.1-syn5m getcol; }
@test "compat v3.1-syn5m: getset rows" { compat_check_rows v3.1-syn5m getset; }
@test "compat v3.1-syn5m: getctg rows" { compat_check_rows v3.1-syn5m getctg; }
@test "compat v3.1-syn5m: -t 2 output" { compat_check_threads v3.1-syn5m; }

@test "compat v3.1-toy: lists" { compat_check_lists v3.1-toy; }
@test "compat v3.1-toy: getcol rows" { compat_check_rows v3.1-toy getcol; }
@test "compat v3.1-toy: getset rows" { compat_check_rows v3.1-toy getset; }
@test "compat v3.1-toy: getctg rows" { compat_check_rows v3.1-toy getctg; }
@test "compat v3.1-toy: -t 2 output" { compat_check_threads v3.1-toy; }

@test "compat upstream-toy_ex-agc1.0: lists" { compat_check_lists upstream-toy_ex-agc1.0; }
@test "compat upstream-toy_ex-agc1.0: getcol rows" { compat_check_rows upstream-toy_ex-agc1.0 getcol; }
@test "compat upstream-toy_ex-agc1.0: getset rows" { compat_check_rows upstream-toy_ex-agc1.0 getset; }
@test "compat upstream-toy_ex-agc1.0: getctg rows" { compat_check_rows upstream-toy_ex-agc1.0 getctg; }
@test "compat upstream-toy_ex-agc1.0: -t 2 output" { compat_check_threads upstream-toy_ex-agc1.0; }

@test "compat upstream-toy_ex-agc3.0-20220823: lists" { compat_check_lists upstream-toy_ex-agc3.0-20220823; }
@test "compat upstream-toy_ex-agc3.0-20220823: getcol rows" { compat_check_rows upstream-toy_ex-agc3.0-20220823 getcol; }
@test "compat upstream-toy_ex-agc3.0-20220823: getset rows" { compat_check_rows upstream-toy_ex-agc3.0-20220823 getset; }
@test "compat upstream-toy_ex-agc3.0-20220823: getctg rows" { compat_check_rows upstream-toy_ex-agc3.0-20220823 getctg; }
@test "compat upstream-toy_ex-agc3.0-20220823: -t 2 output" { compat_check_threads upstream-toy_ex-agc3.0-20220823; }

@test "compat upstream-toy_ex-agc3.0-20221222: lists" { compat_check_lists upstream-toy_ex-agc3.0-20221222; }
@test "compat upstream-toy_ex-agc3.0-20221222: getcol rows" { compat_check_rows upstream-toy_ex-agc3.0-20221222 getcol; }
@test "compat upstream-toy_ex-agc3.0-20221222: getset rows" { compat_check_rows upstream-toy_ex-agc3.0-20221222 getset; }
@test "compat upstream-toy_ex-agc3.0-20221222: getctg rows" { compat_check_rows upstream-toy_ex-agc3.0-20221222 getctg; }
@test "compat upstream-toy_ex-agc3.0-20221222: -t 2 output" { compat_check_threads upstream-toy_ex-agc3.0-20221222; }
