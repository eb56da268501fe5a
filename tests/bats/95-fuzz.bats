#!/usr/bin/env bats
# The short fuzzing run of make check: tests/fuzz/run-short builds the
# libFuzzer targets (the response parser, the response records, the line
# tokenizer) with clang and runs each for FUZZ_SECONDS (15) on its seed
# corpus.  A finding is kept in build/fuzz/findings/ for replay.  Only in
# the plain pass: the targets carry their own ASan and UBSan, so the
# asan-bats pass would only repeat it.  Longer runs by hand: make fuzz
# FUZZ_SECONDS=3600.

RUN_SHORT=$BATS_TEST_DIRNAME/../fuzz/run-short

setup()
{
	if [ "${IMAPSH_TEST_STAGE-}" = asan-bats ]; then
		skip "fuzzing runs in the plain pass only (the targets have ASan built in)"
	fi
}

# fuzz_one TARGET: run-short TARGET; skip if it skips, show its TAP line.
fuzz_one()
{
	local out rc=0

	out=$("$RUN_SHORT" "$1" 2>&1) || rc=$?
	if [[ $out == "1..0 # SKIP "* ]]; then
		skip "${out#1..0 # SKIP }"
	fi
	# The result with the number of runs, without its "ok N -" (it is
	# not a test of this file): tests/run shows it under the test.
	grep -E '^(not )?ok ' <<<"$out" | sed -E 's/^(not )?ok [0-9]+ - //' >&3
	if [ "$rc" -ne 0 ] || ! grep -q '^ok 1 - ' <<<"$out"; then
		printf '%s\n' "$out" >&2
		return 1
	fi
}

@test "fuzz: the response parser (fuzz-parse) without a finding" {
	fuzz_one fuzz-parse
}

@test "fuzz: the response records (fuzz-resp) without a finding" {
	fuzz_one fuzz-resp
}

@test "fuzz: the line tokenizer (fuzz-lex) without a finding" {
	fuzz_one fuzz-lex
}

@test "fuzz: the JSON printer (fuzz-json) without a finding" {
	fuzz_one fuzz-json
}

@test "fuzz: the Python printers (fuzz-repr) without a finding" {
	fuzz_one fuzz-repr
}
