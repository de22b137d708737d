#!/bin/sh
# Install memhp into a scratch DESTDIR and use it as a packager's user would
# (run by tests/run-tests.sh; $1 is a scratch directory, MAKE, CC, SAN_FLAGS from make).
# Prints "ok - ..." / "not ok - ..." lines.
tmp=$1
dest=$tmp/destdir
prefix=/opt/memhp-test
libdir=$prefix/lib64
MAKE=${MAKE:-make}
CC=${CC:-cc}

ok() { echo "ok - install: $1"; }
not_ok() { echo "not ok - install: $1"; }

if ! $MAKE --no-print-directory install DESTDIR="$dest" PREFIX=$prefix LIBDIR=$libdir >"$tmp/install.log" 2>&1; then
	not_ok "make install DESTDIR PREFIX LIBDIR"
	sed 's/^/    /' "$tmp/install.log" | tail -n 20
	exit 0
fi
missing=
for f in bin/memhp include/memhp/memhp.h lib64/libmemhp.a lib64/libmemhp.so lib64/libmemhp.so.0 \
	lib64/pkgconfig/memhp.pc share/man/man1/memhp.1 share/man/man3/libmemhp.3 \
	share/man/man5/memhp-scenario.5; do
	[ -e "$dest$prefix/$f" ] || missing="$missing $f"
done
[ -z "$missing" ] && ok "every file in place" || not_ok "missing:$missing"

# only memhp_* (and the toolchain's own _names) leave either library
bad=$(nm -g --defined-only "$dest$libdir/libmemhp.a" | awk 'NF == 3 && $3 !~ /^memhp_/ && $3 !~ /^_/ { print $3 }')
[ -z "$bad" ] && [ -n "$(nm -g --defined-only "$dest$libdir/libmemhp.a" | grep ' T memhp_new$')" ] &&
	ok "nm libmemhp.a: only memhp_*" || { not_ok "nm libmemhp.a: only memhp_*"; echo "$bad" | head -n 10 | sed 's/^/    /'; }
bad=$(nm -D --defined-only "$dest$libdir/libmemhp.so" | awk 'NF == 3 && $3 !~ /^memhp_/ && $3 !~ /^_/ { print $3 }')
[ -z "$bad" ] && [ -n "$(nm -D --defined-only "$dest$libdir/libmemhp.so" | grep ' T memhp_new$')" ] &&
	ok "nm -D libmemhp.so: only memhp_*" || { not_ok "nm -D libmemhp.so: only memhp_*"; echo "$bad" | head -n 10 | sed 's/^/    /'; }
readelf -d "$dest$libdir/libmemhp.so" | grep -q 'SONAME.*\[libmemhp\.so\.0\]' && ok "soname libmemhp.so.0" ||
	not_ok "soname libmemhp.so.0"

if ! command -v pkg-config >/dev/null 2>&1; then
	echo "skip - install: pkg-config not found"
	exit 0
fi
export PKG_CONFIG_SYSROOT_DIR="$dest" PKG_CONFIG_LIBDIR="$dest$libdir/pkgconfig"
cflags=$(pkg-config --cflags memhp)
libs=$(pkg-config --libs memhp)
slibs=$(pkg-config --static --libs memhp)
[ "$(pkg-config --modversion memhp)" = "$(sed -n 's/^#define MEMHP_VERSION_STRING "\(.*\)"/\1/p' include/memhp/memhp.h)" ] &&
	ok "pkg-config --modversion" || not_ok "pkg-config --modversion"

# dynamic: -lmemhp finds libmemhp.so; the program needs libmemhp.so.0 and runs with it
if $CC $SAN_FLAGS -o "$tmp/client-shared" tests/install/client.c $cflags $libs >"$tmp/cc.log" 2>&1 &&
	readelf -d "$tmp/client-shared" | grep -q 'NEEDED.*\[libmemhp\.so\.0\]' &&
	LD_LIBRARY_PATH="$dest$libdir" "$tmp/client-shared" >"$tmp/run.log" 2>&1; then
	ok "a client with klog, parse_size, add_memory, list_add, machine_new, linked with libmemhp.so"
else
	not_ok "a client with klog, parse_size, add_memory, list_add, machine_new, linked with libmemhp.so"
	cat "$tmp/cc.log" "$tmp/run.log" 2>/dev/null | head -n 20 | sed 's/^/    /'
fi
# static: the same program against libmemhp.a
if $CC $SAN_FLAGS -o "$tmp/client-static" tests/install/client.c $cflags -Wl,-Bstatic $slibs -Wl,-Bdynamic \
	>"$tmp/cc.log" 2>&1 && ! readelf -d "$tmp/client-static" | grep -q 'NEEDED.*libmemhp' &&
	"$tmp/client-static" >"$tmp/run.log" 2>&1; then
	ok "the same client linked with libmemhp.a"
else
	not_ok "the same client linked with libmemhp.a"
	cat "$tmp/cc.log" "$tmp/run.log" 2>/dev/null | head -n 20 | sed 's/^/    /'
fi

if $MAKE --no-print-directory uninstall DESTDIR="$dest" PREFIX=$prefix LIBDIR=$libdir >"$tmp/install.log" 2>&1 &&
	[ -z "$(find "$dest" -type f -o -type l)" ]; then
	ok "make uninstall removes every file"
else
	not_ok "make uninstall removes every file"
	find "$dest" -type f -o -type l | head -n 10 | sed 's/^/    /'
fi
