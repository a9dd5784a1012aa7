#!/usr/bin/env bats
# ragc append: new samples added to a copy of an archive (agc's append).
# Expected sequences come from the input FASTA files; the layout against
# agc's own append chain is checked by test/test_create_layout.c.

setup() {
    load /usr/lib/bats/bats-support/load.bash
    load /usr/lib/bats/bats-assert/load.bash
    load data-roots
    RAGC=${RAGC:-$BATS_TEST_DIRNAME/../ragc}
    data_roots_init || return 1
    # toy and hsmt-50 and their archives are in the core test data;
    # senterica-10 only in the extended data (see data-roots.bash)
    DATA=$CORE_ROOT/data
    ARCS=$CORE_ROOT/compat/archives
    SENT10=$(data_path data/senterica-10)
    T=$BATS_TEST_TMPDIR
}

# the inputs as agc prints them: upper case, 80 columns
norm() {
    local f
    for f in "$@"; do
        case $f in *.gz) gzip -dc "$f" ;; *) cat "$f" ;; esac | awk '
            /^>/ { if (started) flush(); print; started = 1; seq = ""; next }
            { gsub(/[ \t\r]/, ""); seq = seq toupper($0) }
            function flush() { while (length(seq) > 80) { print substr(seq, 1, 80); seq = substr(seq, 81) } if (length(seq)) print seq }
            END { if (started) flush() }'
    done
}

@test "append: three steps give back every sample, the input archives untouched" {
    need_data data/senterica-10
    local s=$SENT10
    run "$RAGC" create -t 2 -o "$T/a1.agc" "$s/SAL_AA7743AA.fasta.gz" "$s/SAL_BA0010AA.fasta.gz"
    assert_success
    local sum1
    sum1=$(md5sum < "$T/a1.agc")
    run "$RAGC" append -t 2 -o "$T/a2.agc" "$T/a1.agc" "$s/SAL_CA3280AA.fasta.gz" "$s/SAL_FA0063AA.fasta.gz"
    assert_success
    [ "$(md5sum < "$T/a1.agc")" = "$sum1" ] || fail "append modified its input archive"
    run "$RAGC" append -t 1 -o "$T/a3.agc" "$T/a2.agc" "$s/SAL_HA8462AA.fasta.gz"
    assert_success
    norm "$s/SAL_AA7743AA.fasta.gz" "$s/SAL_BA0010AA.fasta.gz" "$s/SAL_CA3280AA.fasta.gz" \
        "$s/SAL_FA0063AA.fasta.gz" "$s/SAL_HA8462AA.fasta.gz" > "$T/want.fa"
    "$RAGC" getcol "$T/a3.agc" > "$T/got.fa"
    cmp "$T/want.fa" "$T/got.fa" || fail "getcol after two appends differs from the inputs"
    run "$RAGC" listref "$T/a3.agc"
    assert_output SAL_AA7743AA
}

@test "append: to an archive written by agc (hsmt-small, -b 5: a partial last batch)" {
    local h=$DATA/hsmt-50
    run "$RAGC" append -o "$T/h.agc" "$ARCS/hsmt-small.agc" "$h/HG00140.fa"
    assert_failure   # HG00140 is already a sample of hsmt-small
    assert_output --partial "ragc append: "
    cp "$h/HG00140.fa" "$T/NEW1.fa"
    cp "$h/HG00178.fa" "$T/NEW2.fa"
    run "$RAGC" append -o "$T/h.agc" "$ARCS/hsmt-small.agc" "$T/NEW1.fa" "$T/NEW2.fa"
    assert_success
    "$RAGC" getset "$T/h.agc" NEW1 NEW2 > "$T/got.fa"
    norm "$T/NEW1.fa" "$T/NEW2.fa" > "$T/want.fa"
    cmp "$T/want.fa" "$T/got.fa" || fail "appended samples differ from their inputs"
    # the old samples are still there, unchanged
    "$RAGC" getset "$T/h.agc" HG00356 > "$T/old.fa"
    norm "$h/HG00356.fa" > "$T/old-want.fa"
    cmp "$T/old-want.fa" "$T/old.fa" || fail "an old sample changed"
    run "$RAGC" info "$T/h.agc"
    assert_success
}

@test "append: the output is identical for -t 1 and -t 2" {
    need_data data/senterica-10
    local s=$SENT10
    "$RAGC" create -o "$T/b.agc" "$s/SAL_AA7743AA.fasta.gz"
    "$RAGC" append -t 1 -o "$T/b1.agc" "$T/b.agc" "$s/SAL_GA5038AA.fasta.gz"
    "$RAGC" append -t 2 -o "$T/b2.agc" "$T/b.agc" "$s/SAL_GA5038AA.fasta.gz"
    cmp "$T/b1.agc" "$T/b2.agc"
}

@test "append: bad inputs fail clearly and write nothing" {
    # any readable FASTA will do next to the missing archive: a senterica
    # genome when the extended data is there, else a core one
    local fa=$DATA/hsmt-50/HG00140.fa
    have_data data/senterica-10 && fa=$SENT10/SAL_GA5038AA.fasta.gz
    local before
    before=$(cat "$ARCS/toy.agc" "$ARCS/v2.1-toy.agc" "$ARCS/v1.1-toy.agc" | md5sum)
    echo keep > "$T/out.agc"
    run "$RAGC" append -o "$T/out.agc" "$T/missing.agc" "$fa"
    assert_failure
    assert_output --partial "ragc append: "
    run "$RAGC" append -o "$T/out.agc" "$DATA/toy/a.fa" "$DATA/toy/b.fa"
    assert_failure
    assert_output --partial "ragc append: "
    # formats 1 and 2 cannot be continued
    run "$RAGC" append -o "$T/out.agc" "$ARCS/v2.1-toy.agc" "$DATA/toy/ref2.fa"
    assert_failure
    assert_output --partial "format 2"
    run "$RAGC" append -o "$T/out.agc" "$ARCS/v1.1-toy.agc" "$DATA/toy/ref2.fa"
    assert_failure
    assert_output --partial "format 1"
    # a truncated archive
    head -c 5000 "$ARCS/hsmt.agc" > "$T/trunc.agc"
    run "$RAGC" append -o "$T/out.agc" "$T/trunc.agc" "$DATA/toy/ref2.fa"
    assert_failure
    assert_output --partial "ragc append: "
    # a sample name already present
    run "$RAGC" append -o "$T/out.agc" "$ARCS/toy.agc" "$DATA/toy/a.fa"
    assert_failure
    [ "$(cat "$T/out.agc")" = keep ] || fail "a failed append replaced its output"
    [ -z "$(ls "$T" | grep 'out.agc.tmp')" ] || fail "temporary file left behind"
    run "$RAGC" append -k 21 -o "$T/out.agc" "$ARCS/toy.agc" "$DATA/toy/ref2.fa"
    assert_failure
    assert_output --partial "ragc append: "
    : > "$T/empty.fa"
    run "$RAGC" append -o "$T/out.agc" "$ARCS/toy.agc" "$T/empty.fa"
    assert_failure
    assert_output --partial "ragc append: "
    [ "$(cat "$ARCS/toy.agc" "$ARCS/v2.1-toy.agc" "$ARCS/v1.1-toy.agc" | md5sum)" = "$before" ] \
        || fail "an input archive changed"
}

@test "append: with no FASTA files the archive keeps every sample (agc loses a partial last batch)" {
    run "$RAGC" append -o "$T/same.agc" "$ARCS/toy.agc"
    assert_success
    "$RAGC" getcol "$T/same.agc" > "$T/got.fa"
    "$RAGC" getcol "$ARCS/toy.agc" > "$T/want.fa"
    cmp "$T/want.fa" "$T/got.fa"
}

# a PanSN multi-sample file: HG00140#1#chrM, HG00140#2#chrM, HG00178#1#chrM, ...
make_pansn() {
    local s h
    : > "$T/pansn.fa"
    for s in HG00140 HG00178 HG00356; do
        for h in 1 2; do
            sed "s/^>.*/>$s#$h#chrM extra words/" "$DATA/hsmt-50/$s.fa" >> "$T/pansn.fa"
        done
    done
}

@test "import --pansn: one sample per sample#haplotype, contig names kept" {
    make_pansn
    run "$RAGC" import --pansn "$T/p.agc" "$T/pansn.fa"
    assert_success
    run "$RAGC" listset "$T/p.agc"
    assert_output "$(printf 'HG00140#1\nHG00140#2\nHG00178#1\nHG00178#2\nHG00356#1\nHG00356#2')"
    local s h
    for s in HG00140 HG00178 HG00356; do
        for h in 1 2; do
            "$RAGC" getset "$T/p.agc" "$s#$h" > "$T/got.fa"
            sed "s/^>.*/>$s#$h#chrM extra words/" "$DATA/hsmt-50/$s.fa" > "$T/one.fa"
            norm "$T/one.fa" > "$T/want.fa"
            cmp "$T/want.fa" "$T/got.fa" || fail "sample $s#$h differs from its records"
        done
    done
}

@test "import: creates, then adds in place; conflicts and bad input leave the archive intact" {
    local h=$DATA/hsmt-50
    run "$RAGC" import "$T/i.agc" "$h/HG00140.fa" "$h/HG00178.fa"
    assert_success
    run "$RAGC" import "$T/i.agc" "$h/HG00356.fa"
    assert_success
    "$RAGC" getcol "$T/i.agc" > "$T/got.fa"
    norm "$h/HG00140.fa" "$h/HG00178.fa" "$h/HG00356.fa" > "$T/want.fa"
    cmp "$T/want.fa" "$T/got.fa" || fail "import in place lost or changed samples"
    local before
    before=$(md5sum < "$T/i.agc")
    run "$RAGC" import -k 25 "$T/i.agc" "$h/HG00365.fa"      # conflicting parameter
    assert_failure
    assert_output --partial "ragc import: "
    run "$RAGC" import "$T/i.agc" "$h/HG00140.fa"            # sample already present
    assert_failure
    : > "$T/empty.fa"
    run "$RAGC" import "$T/i.agc" "$T/empty.fa"              # no sequences
    assert_failure
    printf '>x\nAC-GT\n' > "$T/bad.fa"
    run "$RAGC" import --no-original "$T/i.agc" "$T/bad.fa"  # a character agc would drop (kept only in an original form)
    assert_failure
    [ "$(md5sum < "$T/i.agc")" = "$before" ] || fail "a failed import changed the archive"
    [ -z "$(ls "$T" | grep 'i.agc.tmp')" ] || fail "temporary file left behind"
    echo "not an archive" > "$T/notagc.agc"
    run "$RAGC" import "$T/notagc.agc" "$h/HG00365.fa"
    assert_failure
    assert_output --partial "ragc import: "
    [ "$(cat "$T/notagc.agc")" = "not an archive" ] || fail "import overwrote a file that is not an archive"
}

@test "import --pansn: a record without a PanSN name is an error" {
    printf '>sampleA#1#chr1\nACGT\n>plainname\nACGT\n' > "$T/mixed.fa"
    run "$RAGC" import --pansn "$T/m.agc" "$T/mixed.fa"
    assert_failure
    assert_output --partial "PanSN"
    [ ! -e "$T/m.agc" ] || fail "an archive was written"
}
