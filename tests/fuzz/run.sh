#!/bin/sh
# make fuzz: run.sh BUILD SECONDS NAME...: each harness BUILD/fuzz/fuzz_NAME under libFuzzer for
# SECONDS, from the seeds of tests/ (seeds.py) and the corpus earlier runs grew (BUILD/corpus/NAME).
# FUZZ_SEEDS (default 40) seeds of each harness are taken, as libFuzzer runs every seed before it
# mutates (a scenario seed can take seconds under ASan). An input that crashes, leaks, breaks an
# invariant, runs over FUZZ_UNIT_TIMEOUT s (default 120) or takes over 4 GiB is kept as
# BUILD/findings/NAME-crash-... (-leak-, -timeout-, -oom-). Exit 1 if any harness found one.
build=$1
secs=$2
shift 2
python3 tests/fuzz/seeds.py "$build/seeds" --limit "${FUZZ_SEEDS:-40}" || exit 1
mkdir -p "$build/findings"
status=0
for name in "$@"; do
	mkdir -p "$build/corpus/$name"
	echo "fuzz $name: ${secs}s"
	start=$(date +%s)
	before=$(ls "$build/findings" | grep -cE "^$name-(crash|leak|timeout|oom)-")
	# -fork=1 with -ignore_*: a finding is kept and the fuzzing goes on for the whole time
	"$build/fuzz/fuzz_$name" -fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1 \
		-max_total_time="$secs" -timeout="${FUZZ_UNIT_TIMEOUT:-120}" -rss_limit_mb=4096 -max_len=8192 \
		-print_final_stats=1 -artifact_prefix="$build/findings/$name-" \
		"$build/corpus/$name" "$build/seeds/$name" >"$build/fuzz-$name.log" 2>&1
	rc=$?
	# slow-unit-* files are libFuzzer's note of a slow input, not a finding
	[ "$(ls "$build/findings" | grep -cE "^$name-(crash|leak|timeout|oom)-")" -eq "$before" ] || rc=1
	runs=$(grep -o 'exec/s:\? [0-9]*' "$build/fuzz-$name.log" | tail -n 1)
	cov=$(grep -o 'cov: [0-9]*' "$build/fuzz-$name.log" | tail -n 1)
	if [ $rc -eq 0 ]; then
		echo "ok - fuzz $name: $(($(date +%s) - start)) s, $cov, ${runs:-?}, no finding"
	else
		status=1
		echo "not ok - fuzz $name (exit $rc): see $build/fuzz-$name.log"
		grep -E '^(==[0-9]+==ERROR|SUMMARY|fuzz: |.*runtime error)' "$build/fuzz-$name.log" | sort -u | head -n 8 |
			sed 's/^/    /'
		ls "$build/findings" | grep -E "^$name-(crash|leak|timeout|oom)-" | sed 's/^/    /'
	fi
done
exit $status
