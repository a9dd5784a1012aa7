#!/usr/bin/env bats
# workflows/Snakefile (issue 16): run locally with `snakemake -j 2` on seven
# hsmt-50 mitochondria (a base of 3, two shards of 2), the merged archive must
# hold what a single `ragc create` of the same files holds: the same samples,
# in the same order, every one byte for byte.  Needs snakemake (Debian package
# `snakemake`, scripts/install-deps.sh); without it the tests are skipped with
# that reason.  Everything runs in $BATS_TEST_TMPDIR.

load helpers
load ../bench/http-server

SAMPLES=(HG00140 HG00178 HG00356 HG00365 HG00513 HG00599 HG00629)

setup() {
  data_roots_init
  RAGC=${RAGC:-$BATS_TEST_DIRNAME/../ragc}
  [[ -x $RAGC ]] || fail "binary under test not found: RAGC=$RAGC (build it, or set RAGC)"
  RAGC=$(realpath "$RAGC")
  SNAKEFILE=$(cd "$BATS_TEST_DIRNAME/../workflows" && pwd -P)/Snakefile
  command -v snakemake >/dev/null ||
    skip "snakemake not installed (Debian: apt-get install snakemake; scripts/install-deps.sh)"
  HSMT=$CORE_ROOT/data/hsmt-50
  W=$BATS_TEST_TMPDIR
  FASTA=()
  local s
  for s in "${SAMPLES[@]}"; do
    [[ -f $HSMT/$s.fa ]] || fail "core test data missing: $HSMT/$s.fa"
    FASTA+=("$HSMT/$s.fa")
  done
}

# write_sheet FILE: the sample sheet of the seven samples (absolute paths).
write_sheet() {
  local i
  {
    printf 'sample\tfasta\n'
    for i in "${!SAMPLES[@]}"; do printf '%s\t%s\n' "${SAMPLES[i]}" "${FASTA[i]}"; done
  } >"$1"
}

# re_quote TEXT: TEXT as an extended regular expression matching it literally.
re_quote() {
  printf '%s' "$1" | sed 's/[][\\.*^$+?(){}|]/\\&/g'
}

# run_workflow ARGS...: snakemake in $W (its .snakemake/ folder goes there too).
run_workflow() {
  run timeout -k 10 600 snakemake -j 2 --snakefile "$SNAKEFILE" --directory "$W" \
    --config ragc="$RAGC" output="$W/out/merged.agc" parts="$W/out/parts" "$@"
}

# check_same_content MERGED SINGLE: both archives hold the samples of the
# sheet (listset sorts them), the first one the reference, in sheet order
# (getcol), with the same bytes (getcol, then getset of every sample).
check_same_content() {
  local merged=$1 single=$2 s
  printf '%s\n' "${SAMPLES[@]}" | LC_ALL=C sort >"$W/expected.listset"
  "$RAGC" listset "$merged" >"$W/merged.listset"
  "$RAGC" listset "$single" >"$W/single.listset"
  cmp "$W/expected.listset" "$W/single.listset"
  cmp "$W/expected.listset" "$W/merged.listset"
  [[ $("$RAGC" listref "$merged") == "${SAMPLES[0]}" ]] ||
    fail "merged reference: $("$RAGC" listref "$merged"), expected ${SAMPLES[0]}"

  "$RAGC" getcol "$single" >"$W/single.getcol"
  "$RAGC" getcol "$merged" >"$W/merged.getcol"
  [[ $(grep -c '^>' "$W/single.getcol") -eq ${#SAMPLES[@]} ]] ||
    fail "single create: not ${#SAMPLES[@]} records"
  # each hsmt file holds one record named after its sample
  grep '^>' "$W/merged.getcol" | cut -c2- >"$W/merged.order"
  printf '%s\n' "${SAMPLES[@]}" | cmp - "$W/merged.order" ||
    fail "merged collection order: $(tr '\n' ' ' <"$W/merged.order"), expected sheet order ${SAMPLES[*]}"
  cmp "$W/single.getcol" "$W/merged.getcol"
  for s in "${SAMPLES[@]}"; do
    "$RAGC" getset "$single" "$s" >"$W/single.$s.fa"
    "$RAGC" getset "$merged" "$s" >"$W/merged.$s.fa"
    [[ -s $W/single.$s.fa ]] || fail "getset of $s printed nothing"
    cmp "$W/single.$s.fa" "$W/merged.$s.fa"
  done
}

@test "workflow: base of 3 + 2 shards of 2, merged, reads as a single create" {
  write_sheet "$W/samples.tsv"
  run_workflow samples="$W/samples.tsv" base=3 shards=2 threads=1
  if ((status != 0)); then
    cat "$W"/out/parts/logs/*.log 2>/dev/null || true
    fail "snakemake failed (exit $status): $output"
  fi
  [[ -s $W/out/merged.agc ]] || fail "no merged archive: $W/out/merged.agc"
  # one job per part: its benchmark file; the shards are temporary and gone
  local f
  for f in base shard_1 shard_2 merge; do
    [[ -s $W/out/parts/benchmarks/$f.tsv ]] || fail "no benchmark of job $f (the job did not run)"
  done
  [[ -s $W/out/parts/base.agc ]] || fail "the base archive was not kept"
  [[ ! -e $W/out/parts/shard_1.agc && ! -e $W/out/parts/shard_2.agc ]] ||
    fail "the shards were not removed after the merge"

  "$RAGC" create -o "$W/single.agc" -t 2 "${FASTA[@]}"
  check_same_content "$W/out/merged.agc" "$W/single.agc"
}

@test "workflow: a sample name that is not the file's is refused before any job" {
  write_sheet "$W/samples.tsv"
  sed -i '3s/^HG00178\t/HG00178x\t/' "$W/samples.tsv"
  run_workflow samples="$W/samples.tsv" base=3 shards=2
  ((status != 0)) || fail "snakemake accepted a wrong sample name"
  assert_output --partial "samples.tsv:3: sample 'HG00178x', but ragc names the sample of"
  [[ ! -e $W/out/parts/base.agc ]] || fail "a job ran"
}

@test "workflow: a sample twice in the sheet is refused" {
  write_sheet "$W/samples.tsv"
  printf '%s\t%s\n' "${SAMPLES[1]}" "${FASTA[1]}" >>"$W/samples.tsv"
  run_workflow samples="$W/samples.tsv" base=3 shards=2
  ((status != 0)) || fail "snakemake accepted a sample twice"
  assert_output --partial "samples.tsv:9: sample 'HG00178' is already on line 3"
}

@test "workflow: shards cut in sheet order; the Slurm profile makes the same jobs" {
  write_sheet "$W/samples.tsv"
  # dry runs: nothing is run or submitted; -p prints the commands
  run_workflow samples="$W/samples.tsv" base=3 shards=2 -n -p
  ((status == 0)) || fail "dry run failed: $output"
  local expected_shard1="create --like $W/out/parts/base.agc -o $W/out/parts/shard_1.agc"
  assert_output --partial "create -o $W/out/parts/base.agc -t"
  assert_output --partial "$expected_shard1"
  assert_output --regexp "shard_1\.agc -t [0-9]+ +$(re_quote "${FASTA[3]}") $(re_quote "${FASTA[4]}") 2>"
  assert_output --regexp "shard_2\.agc -t [0-9]+ +$(re_quote "${FASTA[5]}") $(re_quote "${FASTA[6]}") 2>"
  assert_output --partial "merge -o $W/out/merged.agc -t"
  assert_output --regexp "base\.agc -t [0-9]+ +$(re_quote "${FASTA[0]}") $(re_quote "${FASTA[1]}") $(re_quote "${FASTA[2]}") 2>"

  # samples_per_shard: 4 samples in shards of 3 -> 3 + 1
  run_workflow samples="$W/samples.tsv" base=3 samples_per_shard=3 -n -p
  ((status == 0)) || fail "dry run failed: $output"
  assert_output --regexp "shard_1\.agc -t [0-9]+ +$(re_quote "${FASTA[3]}") $(re_quote "${FASTA[4]}") $(re_quote "${FASTA[5]}") 2>"
  assert_output --regexp "shard_2\.agc -t [0-9]+ +$(re_quote "${FASTA[6]}") 2>"
  refute_output --partial "shard_3.agc"

  # the profile: parsed by this snakemake, same jobs (no sbatch in a dry run)
  run timeout -k 10 120 snakemake -n --profile "$(dirname "$SNAKEFILE")/profiles/slurm" \
    --snakefile "$SNAKEFILE" --directory "$W" \
    --config ragc="$RAGC" samples="$W/samples.tsv" base=3 shards=2 output="$W/o.agc" parts="$W/p"
  ((status == 0)) || fail "dry run with the Slurm profile failed: $output"
  assert_output --partial "create --like $W/p/base.agc -o $W/p/shard_2.agc"
  assert_output --partial "mem_mb=4000"
}

@test "workflow: inputs through htslib URLs (http://, s3+http://) merge as the local files" {
  SRV=$W/srv
  mkdir -p "$SRV/www/bucket"
  chmod 755 "$W" "$SRV" "$SRV/www" "$SRV/www/bucket"
  cp "${FASTA[5]}" "$SRV/www/"
  cp "${FASTA[6]}" "$SRV/www/bucket/"
  chmod 644 "$SRV/www/${SAMPLES[5]}.fa" "$SRV/www/bucket/${SAMPLES[6]}.fa"
  http_server_start "$SRV" "$SRV/www" || fail "cannot start nginx (scripts/install-deps.sh installs nginx-light)"
  # htslib's S3 support against the loopback server, path-style
  export HTS_S3_HOST=127.0.0.1:$HTTP_PORT HTS_S3_ADDRESS_STYLE=path
  export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_DEFAULT_REGION=us-east-1
  export AWS_SHARED_CREDENTIALS_FILE=/dev/null HTS_S3_S3CFG=/dev/null
  {
    printf 'sample\tfasta\n'
    for i in 0 1 2 3 4; do printf '%s\t%s\n' "${SAMPLES[i]}" "${FASTA[i]}"; done
    printf '%s\thttp://127.0.0.1:%s/%s.fa\n' "${SAMPLES[5]}" "$HTTP_PORT" "${SAMPLES[5]}"
    printf '%s\ts3+http://bucket/%s.fa\n' "${SAMPLES[6]}" "${SAMPLES[6]}"
  } >"$W/samples.tsv"
  run_workflow samples="$W/samples.tsv" base=3 shards=2 threads=1
  if ((status != 0)); then
    cat "$W"/out/parts/logs/*.log 2>/dev/null || true
    fail "snakemake failed (exit $status): $output"
  fi
  # the server saw the requests: the inputs came from it, not the disk
  grep -q "GET /${SAMPLES[5]}.fa 20[06]" "$SRV/access.log" || fail "no request for the http:// input"
  grep -q "GET /bucket/${SAMPLES[6]}.fa 20[06]" "$SRV/access.log" || fail "no request for the s3+http:// input"

  "$RAGC" create -o "$W/single.agc" -t 2 "${FASTA[@]}"
  check_same_content "$W/out/merged.agc" "$W/single.agc"
}

teardown() {
  [[ -n ${SRV:-} ]] && http_server_stop "$SRV"
  return 0
}
