#!/bin/sh
# Run every test of memhp (make check; O is the build directory):
#   1. each unit-test binary $O/tests/* (its "ok -"/"not ok -" lines and "N passed, N failed" summary),
#   1b. each fuzzing harness of tests/fuzz/ over a sample of its seeds (replay.c, no libFuzzer),
#   2. the self-tests of `memhp compare`; 2b. src/tools includes only memhp.h and src/api/host.h,
#   3. each golden scenario tests/golden/**/NAME.scn with NAME.txt beside it: the transcript of
#      `memhp run NAME.scn` must compare equal to NAME.txt (the real kernel's, for tests/golden/reference),
#   3b. the scenario generator of tests/difftest: deterministic per seed, its scenarios run,
#   3c. the pictures of memory of `memhp run --html` against sysfs (XML, and headless Chromium),
#   4. each example program $O/examples/* (exit status 0),
#   5. the installed library: make install into a scratch DESTDIR, a client built against it
#      with pkg-config (tests/install/run.sh),
#   6. real tools against `memhp serve` (tests/tools/run.py): lsmem/chmem transcripts of
#      tests/golden/{,oracle/}tools, the kernel's mem-on-off-test.sh, a QMP client, uevents;
#      what cannot run here (no /dev/fuse, not root, no python3) is listed as "skip - ...",
#   7. the monitor and QMP answers against QEMU 7.2's, recorded in tests/qemu/recorded.txt
#      (tests/qemu/check.py replays tests/qemu/session.txt against memhp serve --qmp),
#   8. the memhp program's command line, QEMU options and memhp shell through a pseudo-terminal
#      (tests/tools/cli.py),
#   9. a QMP client someone else wrote: go-qemu's qmp package (Debian's golang-go and
#      golang-github-digitalocean-go-qemu-dev) drives memhp serve --qmp (tests/go/qmpclient).
# Ends with "N passed, N failed" alone on the last line; exits 1 if anything failed.

O=${O:-build}
MEMHP=$O/memhp
pass=0
fail=0
tmp=$(mktemp -d "${TMPDIR:-/tmp}/memhp-tests.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM

# A hung test must not hang the whole run.
if command -v timeout >/dev/null 2>&1; then
	limit="timeout 600"
else
	limit=
fi

ok() {
	pass=$((pass + 1))
	echo "ok - $1"
}

not_ok() {
	fail=$((fail + 1))
	echo "not ok - $1"
}

# show FILE: the first lines of a failure's evidence, indented
show() {
	head -n 30 "$1" | sed 's/^/    /'
}

# counts FILE: p and f from the last "N passed, N failed" line of FILE; 1 when it has none
counts() {
	s=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$1" | tail -n 1)
	[ -n "$s" ] || return 1
	p=${s%% passed*}
	f=${s#*, }
	f=${f%% failed}
}

# add RC: p and f to the totals; a driver that exits non-zero with no failure reported is one
add() {
	[ "$1" -ne 0 ] && [ "$f" -eq 0 ] && f=1
	pass=$((pass + p))
	fail=$((fail + f))
}

# summary FILE RC: add the "N passed, N failed" line of a driver's output file to the totals
summary() {
	if ! counts "$1"; then
		p=0
		f=1	# the driver died before its summary
	fi
	add "$2"
}

# driver OUT COMMAND...: run a test driver (its "ok"/"not ok" lines and summary), output to OUT,
# shown but for the summary, which is added to the totals
driver() {
	out=$1
	shift
	$limit "$@" >"$out" 2>&1
	summary "$out" $?
	grep -v -E '^[0-9]+ passed, [0-9]+ failed$' "$out"
}

# ---- 1. unit tests ----------------------------------------------------------
for t in "$O"/tests/*; do
	[ -f "$t" ] && [ -x "$t" ] || continue
	name=${t##*/}
	$limit "$t" >"$tmp/unit.out" 2>&1
	rc=$?
	if ! counts "$tmp/unit.out"; then
		p=$(grep -c '^ok ' "$tmp/unit.out")
		f=$(grep -c '^not ok ' "$tmp/unit.out")
	fi
	add $rc
	if [ "$f" -eq 0 ]; then
		echo "ok - $name ($p passed)"
	else
		echo "not ok - $name ($p passed, $f failed, exit $rc)"
		if grep -q '^not ok' "$tmp/unit.out"; then
			grep '^not ok' "$tmp/unit.out" | head -n 20 | sed 's/^/    /'
		else
			tail -n 10 "$tmp/unit.out" | sed 's/^/    /'
		fi
	fi
done

# ---- 1b. the fuzzing harnesses over a sample of their seeds ------------------
# (make fuzz runs them under libFuzzer; tests/fuzz/fuzz.h)
if ls "$O"/fuzz/replay_* >/dev/null 2>&1; then
	if command -v python3 >/dev/null 2>&1 && python3 tests/fuzz/seeds.py "$tmp/seeds" --limit 10; then
		for t in "$O"/fuzz/replay_*; do
			[ -f "$t" ] && [ -x "$t" ] || continue	# not replay_NAME.d
			name=${t##*/replay_}
			if $limit "$t" "$tmp/seeds/$name" >"$tmp/replay.out" 2>&1; then
				ok "fuzz harness $name: its seeds replayed, invariants held"
			else
				not_ok "fuzz harness $name: its seeds replayed, invariants held"
				show "$tmp/replay.out"
			fi
		done
	else
		echo "skip - fuzz harness seeds: no python3"
	fi
fi

# ---- 2. memhp compare ---------------------------------------------------------
if [ ! -x "$MEMHP" ]; then
	not_ok "memhp binary $MEMHP exists"
else
	ref=tests/golden/reference/core

	all=0
	for t in tests/golden/reference/*/*.txt; do
		"$MEMHP" compare "$t" "$t" >/dev/null 2>&1 || all=1
	done
	[ $all -eq 0 ] && ok "compare: every reference transcript equals itself" ||
		not_ok "compare: every reference transcript equals itself"

	# an empty side (issue 13: NULL + 0 under clang's UBSan): every line is a deletion, both ways
	"$MEMHP" compare $ref/biscuitos.txt /dev/null >"$tmp/c0.out" 2>&1; r1=$?
	"$MEMHP" compare /dev/null $ref/biscuitos.txt >"$tmp/c0b.out" 2>&1; r2=$?
	"$MEMHP" compare /dev/null /dev/null >/dev/null 2>&1; r3=$?
	[ $r1 -eq 1 ] && [ $r2 -eq 1 ] && [ $r3 -eq 0 ] && grep -q '^-' "$tmp/c0.out" &&
		grep -q '^+' "$tmp/c0b.out" && ok "compare: against an empty file" ||
		{ not_ok "compare: against an empty file ($r1 $r2 $r3)"; show "$tmp/c0.out"; }

	# a sysfs line is compared exactly
	sed 's/^Normal Movable$/Normal/' $ref/biscuitos.txt >"$tmp/c1.txt"
	"$MEMHP" compare $ref/biscuitos.txt "$tmp/c1.txt" >"$tmp/c.out" 2>&1
	[ $? -eq 1 ] && grep -q '^-    Normal Movable$' "$tmp/c.out" && ok "compare: a changed sysfs line differs" ||
		{ not_ok "compare: a changed sysfs line differs"; show "$tmp/c.out"; }

	# a figure compared as a delta may move as a whole: every managed of DMA32 +1000 still matches
	awk '/^Node [0-9]+, zone/ { z = $4 == "DMA32" }
	     z && $1 == "managed" { sub(/[0-9]+$/, $2 + 1000) } { print }' $ref/zones-mixed.txt >"$tmp/c2.txt"
	! cmp -s $ref/zones-mixed.txt "$tmp/c2.txt" &&
		"$MEMHP" compare $ref/zones-mixed.txt "$tmp/c2.txt" >"$tmp/c.out" 2>&1 &&
		ok "compare: managed is compared as a delta from boot" ||
		{ not_ok "compare: managed is compared as a delta from boot"; show "$tmp/c.out"; }

	# ... but a change after the first device_add is a difference
	awk '/^\(qemu\) device_add/ { hot = 1 } /^Node [0-9]+, zone/ { z = $4 == "DMA32" }
	     hot && z && $1 == "managed" { sub(/[0-9]+$/, $2 + 1) } { print }' $ref/zones-mixed.txt >"$tmp/c3.txt"
	"$MEMHP" compare $ref/zones-mixed.txt "$tmp/c3.txt" >"$tmp/c.out" 2>&1
	[ $? -eq 1 ] && grep -q '^+      managed delta +1$' "$tmp/c.out" &&
		ok "compare: a managed change after device_add differs" ||
		{ not_ok "compare: a managed change after device_add differs"; show "$tmp/c.out"; }

	# values of zoneinfo fields other than spanned/present/managed/start_pfn are not compared
	sed 's/^\(  pages free \+\)[0-9]\+$/\1 1/' $ref/zones-mixed.txt >"$tmp/c4.txt"
	! cmp -s $ref/zones-mixed.txt "$tmp/c4.txt" &&
		"$MEMHP" compare $ref/zones-mixed.txt "$tmp/c4.txt" >/dev/null 2>&1 &&
		ok "compare: other zoneinfo values are ignored" || not_ok "compare: other zoneinfo values are ignored"

	# the normalised form of a small transcript, line by line
	cat >"$tmp/n.txt" <<'END'
# a comment
qemu -m 1G
$ free -m
              total        used        free      shared  buff/cache   available
Mem:            876          30         832           5          14         768
Swap:             0           0           0
$ cat /proc/meminfo
MemTotal:         896740 kB
MemFree:          851932 kB
(qemu) device_add pc-dimm,id=d1,memdev=m1
$ cat /proc/meminfo
MemTotal:        1027812 kB
MemFree:          851932 kB
$ cat /proc/iomem
00000000-00000fff : Reserved
00001000-0009fbff : System RAM
$ cat /proc/buddyinfo
Node 0, zone      DMA      1      1      1
$ ls /x   

END
	cat >"$tmp/n.want" <<'END'
qemu -m 1G
$ free -m
    header: total used free shared buff/cache available
    Mem: total delta +0
$ cat /proc/meminfo
    MemTotal delta +0 kB
    fields: MemTotal | MemFree
(qemu) device_add pc-dimm,id=d1,memdev=m1
$ cat /proc/meminfo
    MemTotal delta +131072 kB
    fields: MemTotal | MemFree
$ cat /proc/iomem
    00001000-0009fbff : System RAM
$ cat /proc/buddyinfo
    Node 0, zone DMA, 3 orders
$ ls /x
END
	"$MEMHP" compare --normalise "$tmp/n.txt" >"$tmp/n.got" 2>&1
	cmp -s "$tmp/n.want" "$tmp/n.got" && ok "compare --normalise: the rules of scenario-format.md" ||
		{ not_ok "compare --normalise: the rules of scenario-format.md"; diff "$tmp/n.want" "$tmp/n.got" | head -n 30; }
fi

# ---- 2b. the program is the library's client -----------------------------------
# src/tools includes the public header, the host interface (src/api/host.h) and its own headers,
# never the machine's or the guest kernel's (docs/DESIGN.md, "The program and the library").
grep -n '^#include "' src/tools/*.c src/tools/*.h |
	grep -v -E ':#include "(memhp/memhp\.h|\.\./api/host\.h|[a-z_]+\.h)"' >"$tmp/inc.out"
[ ! -s "$tmp/inc.out" ] && ok "src/tools uses memhp.h and host.h only" ||
	{ not_ok "src/tools uses memhp.h and host.h only"; show "$tmp/inc.out"; }

# ---- 3. golden scenarios ------------------------------------------------------
# (tools/ transcripts run real lsmem/chmem against a served machine: section 6)
for scn in $(find tests/golden -name '*.scn' -not -path '*/tools/*' | LC_ALL=C sort); do
	txt=${scn%.scn}.txt
	[ -f "$txt" ] || continue	# not recorded yet
	name=${scn#tests/golden/}
	$limit "$MEMHP" run "$scn" >"$tmp/actual.txt" 2>"$tmp/stderr"
	rc=$?
	"$MEMHP" compare "$txt" "$tmp/actual.txt" >"$tmp/diff" 2>&1
	crc=$?
	if [ $rc -eq 0 ] && [ $crc -eq 0 ]; then
		ok "$name"
	else
		not_ok "$name (memhp run: exit $rc)"
		show "$tmp/stderr"
		show "$tmp/diff"
	fi
done

# ---- 3b. the scenario generator of tests/difftest --------------------------------
# The same seed must give the same scenario (a recorded generated scenario names
# its seed), and every scenario it writes must run through memhp.
if command -v python3 >/dev/null 2>&1 && [ -x "$MEMHP" ]; then
	for seed in 101 102 103; do
		python3 tests/difftest/difftest --memhp "$MEMHP" gen --seed $seed --out "$tmp/g1" >/dev/null 2>&1 &&
			python3 tests/difftest/difftest --memhp "$MEMHP" gen --seed $seed --out "$tmp/g2" >/dev/null 2>&1 &&
			cmp -s "$tmp/g1/s$seed.scn" "$tmp/g2/s$seed.scn" &&
			$limit "$MEMHP" run "$tmp/g1/s$seed.scn" >/dev/null 2>"$tmp/stderr" &&
			ok "difftest gen --seed $seed: deterministic, runs" ||
			{ not_ok "difftest gen --seed $seed: deterministic, runs"; show "$tmp/stderr"; }
	done
else
	echo "skip - difftest gen: python3 not found"
fi

# ---- 3c. the picture of memory (memhp run --html) against sysfs ---------------------
# tests/map/check.py: every picture of the report parsed as XML; then the report laid out by
# headless Chromium (skipped without the chromium package).
if command -v python3 >/dev/null 2>&1 && [ -x "$MEMHP" ]; then
	for mode in "" --chromium; do
		$limit python3 tests/map/check.py "$MEMHP" $mode tests/map/*.scn examples/biscuitos.scn \
			>"$tmp/map.out" 2>&1
		rc=$?
		cat "$tmp/map.out"
		p=$(grep -c '^ok ' "$tmp/map.out")
		f=$(grep -c '^not ok ' "$tmp/map.out")
		if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
			f=1
			echo "not ok - tests/map/check.py $mode exited $rc"
			show "$tmp/map.out"
		fi
		pass=$((pass + p))
		fail=$((fail + f))
	done
else
	echo "skip - map: python3 not found"
fi

# ---- 4. examples --------------------------------------------------------------
for ex in "$O"/examples/*; do
	[ -f "$ex" ] && [ -x "$ex" ] || continue
	$limit "$ex" >"$tmp/ex.out" 2>&1 && ok "example ${ex##*/}" ||
		{ not_ok "example ${ex##*/}"; show "$tmp/ex.out"; }
done

# ---- 5. the installed library --------------------------------------------------
# make install into a scratch DESTDIR, a client program built with pkg-config against it
# (static and shared), nm of both libraries, make uninstall (tests/install/run.sh).
if [ -n "$MAKE" ]; then
	mkdir -p "$tmp/install"
	sh tests/install/run.sh "$tmp/install" >"$tmp/install.out" 2>&1
	cat "$tmp/install.out"
	pass=$((pass + $(grep -c '^ok ' "$tmp/install.out")))
	fail=$((fail + $(grep -c '^not ok ' "$tmp/install.out")))
else
	echo "skip - install: run through make check (MAKE not set)"
fi

# ---- 6. real tools against memhp serve -----------------------------------------
if ! command -v python3 >/dev/null 2>&1; then
	echo "skip - tools: python3 not found"
elif [ -x "$MEMHP" ]; then
	driver "$tmp/tools.out" python3 tests/tools/run.py "$MEMHP"
fi

# ---- 7. the monitor and QMP against QEMU 7.2's recorded answers -------------------
if ! command -v python3 >/dev/null 2>&1; then
	echo "skip - qemu: python3 not found"
elif [ -x "$MEMHP" ]; then
	driver "$tmp/qemu.out" python3 tests/qemu/check.py "$MEMHP"
fi

# ---- 8. the command line and the interactive shell -----------------------------
if command -v python3 >/dev/null 2>&1 && [ -x "$MEMHP" ]; then
	driver "$tmp/cli.out" python3 tests/tools/cli.py "$MEMHP"
fi

# ---- 9. go-qemu's QMP client ------------------------------------------------------
gosrc=/usr/share/gocode
if ! command -v go >/dev/null 2>&1; then
	echo "skip - go-qmp: go not found (Debian: golang-go)"
elif [ ! -d "$gosrc/src/github.com/digitalocean/go-qemu/qmp" ]; then
	echo "skip - go-qmp: go-qemu not found (Debian: golang-github-digitalocean-go-qemu-dev)"
elif [ -x "$MEMHP" ]; then
	# Debian's Go libraries are a GOPATH tree: build without modules, offline
	if GO111MODULE=off GOPATH=$gosrc GOCACHE="$tmp/gocache" GOFLAGS= \
		go build -o "$tmp/qmpclient" ./tests/go/qmpclient >"$tmp/go.out" 2>&1; then
		driver "$tmp/go.out" "$tmp/qmpclient" "$MEMHP"
	else
		not_ok "go-qmp: the client builds"
		show "$tmp/go.out"
	fi
fi

echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
