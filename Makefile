# memhp: the Linux memory-hotplug subsystem as a user-space library, machine model and tools.
#
#   make            build the memhp program, libmemhp.a and libmemhp.so (into $(O))
#   make check      build and run every test; ends with "N passed, N failed"
#   make bench      benchmarks, as ratios against baselines run in the same process
#   make install    PREFIX=/usr/local, DESTDIR=, LIBDIR=$(PREFIX)/lib (uninstall: the same)
#   make SAN=asan   AddressSanitizer + UndefinedBehaviorSanitizer build (in build-asan/)
#   make SAN=tsan   ThreadSanitizer build (in build-tsan/)
#   make DEBUG=1 O=build-debug   invariant checks after every hotplug operation, lockdep on
#   make fuzz       libFuzzer harnesses (clang, ASan+UBSan, in build-fuzz/), FUZZ_TIME s each
#
# CFLAGS, CPPFLAGS and LDFLAGS (command line, environment or dpkg-buildflags) are added
# after the flags the build needs, never instead of them: `make CFLAGS=-O0` is a -O0 build.

.DEFAULT_GOAL := all

CC      ?= cc
AR      ?= ar
OBJCOPY ?= objcopy
SAN     ?=
O       ?= build$(if $(SAN),-$(SAN))
CFLAGS  ?= -O2 -g

PREFIX     ?= /usr/local
BINDIR     ?= $(PREFIX)/bin
LIBDIR     ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
MANDIR     ?= $(PREFIX)/share/man
PKGCONFIGDIR ?= $(LIBDIR)/pkgconfig
DESTDIR    ?=

VERSION_MAJOR := $(shell sed -n 's/^\#define MEMHP_VERSION_MAJOR //p' include/memhp/memhp.h)
VERSION       := $(shell sed -n 's/^\#define MEMHP_VERSION_STRING "\(.*\)"/\1/p' include/memhp/memhp.h)
SONAME        := libmemhp.so.$(VERSION_MAJOR)

# What the build needs, whatever the caller's flags say. Every object is position-independent
# (the same objects make libmemhp.so) and hidden unless the header marks it MEMHP_API.
M_CPPFLAGS := -D_GNU_SOURCE -Iinclude
M_CFLAGS   := -std=c11 -Wall -Wextra -Werror -Wshadow -Wno-unused-parameter -fPIC \
              -fvisibility=hidden -MMD -MP
M_LDFLAGS  :=
M_LDLIBS   := -lpthread

ifeq ($(SAN),asan)
SAN_FLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
endif
ifeq ($(SAN),tsan)
SAN_FLAGS := -fsanitize=thread
endif
# The library and tools instrumented for clang's libFuzzer (make fuzz builds with it, in build-fuzz/)
ifeq ($(SAN),fuzz)
SAN_FLAGS := -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer \
             -fno-sanitize-recover=undefined
endif
ifeq ($(DEBUG),1)
M_CPPFLAGS += -DMEMHP_DEBUG
endif

ALL_CFLAGS  = $(M_CPPFLAGS) $(CPPFLAGS) $(M_CFLAGS) $(SAN_FLAGS) $(X_CFLAGS) $(CFLAGS)
ALL_LDFLAGS = $(M_LDFLAGS) $(SAN_FLAGS) $(LDFLAGS)

LIB_SRCS  := $(sort $(wildcard src/lib/*.c src/kernel/*.c src/mm/*.c src/base/*.c src/acpi/*.c \
                               src/machine/*.c src/fs/*.c src/api/*.c src/user/*.c src/drivers/*.c \
                               src/drivers/nvdimm/*.c src/drivers/dax/*.c))
# The FUSE export is the program's (memhp serve --mount), not the library's.
LIB_SRCS  := $(filter-out src/fs/fuse_export.c,$(LIB_SRCS))
TOOL_SRCS := $(sort $(wildcard src/tools/*.c))
UNIT_SRCS := $(sort $(wildcard tests/unit/*.c))
BENCH_SRCS:= $(sort $(wildcard bench/*.c))
EX_SRCS   := $(sort $(wildcard examples/*.c))

# ---- optional packages ----------------------------------------------------------
# libfuse3 (Debian: libfuse3-dev, fuse3) gives `memhp serve --mount`, jansson (libjansson-dev)
# its QMP server, libedit (libedit-dev) `memhp shell` line editing; without them memhp builds,
# and says what it lacks. What was found is kept in $(O)/config/NAME, rewritten only when it
# changes, so that installing or removing a package rebuilds what depends on it.
HAVE_FUSE    := $(shell pkg-config --exists fuse3 2>/dev/null && echo 1)
HAVE_JANSSON := $(shell pkg-config --exists jansson 2>/dev/null && echo 1)
HAVE_LIBEDIT := $(if $(wildcard /usr/include/editline/readline.h),1)
# liburcu-dev: only bench_locks uses it, as a baseline for the reader pair.
HAVE_URCU    := $(shell pkg-config --exists liburcu-memb 2>/dev/null && echo 1)
FUSE_CFLAGS    := $(if $(HAVE_FUSE),$(shell pkg-config --cflags fuse3) -DMEMHP_HAVE_FUSE)
FUSE_LIBS      := $(if $(HAVE_FUSE),$(shell pkg-config --libs fuse3))
JANSSON_CFLAGS := $(if $(HAVE_JANSSON),$(shell pkg-config --cflags jansson) -DMEMHP_HAVE_JANSSON)
JANSSON_LIBS   := $(if $(HAVE_JANSSON),$(shell pkg-config --libs jansson))
LIBEDIT_CFLAGS := $(if $(HAVE_LIBEDIT),-DMEMHP_HAVE_LIBEDIT)
LIBEDIT_LIBS   := $(if $(HAVE_LIBEDIT),-ledit)
URCU_CFLAGS    := $(if $(HAVE_URCU),$(shell pkg-config --cflags liburcu-memb) -DMEMHP_HAVE_URCU)
URCU_LIBS      := $(if $(HAVE_URCU),$(shell pkg-config --libs liburcu-memb))
TOOL_LDLIBS    := $(FUSE_LIBS) $(JANSSON_LIBS) $(LIBEDIT_LIBS)

ifeq ($(HAVE_FUSE),1)
TOOL_SRCS += src/fs/fuse_export.c
endif

# config_stamp NAME, CONTENT: $(O)/config/NAME holds CONTENT; its time changes only with it
config_stamp = $(shell mkdir -p $(O)/config && \
	{ printf '%s\n' '$(2)' | cmp -s - $(O)/config/$(1) || printf '%s\n' '$(2)' >$(O)/config/$(1); })
ifneq ($(filter-out clean uninstall,$(or $(MAKECMDGOALS),all)),)
$(call config_stamp,fuse,$(FUSE_CFLAGS) $(FUSE_LIBS))
$(call config_stamp,jansson,$(JANSSON_CFLAGS) $(JANSSON_LIBS))
$(call config_stamp,libedit,$(LIBEDIT_CFLAGS) $(LIBEDIT_LIBS))
$(call config_stamp,urcu,$(URCU_CFLAGS) $(URCU_LIBS))
# every object follows the flags it was built with
$(call config_stamp,flags,$(CC) $(ALL_CFLAGS) | $(ALL_LDFLAGS) $(LDLIBS))
$(call config_stamp,dirs,$(PREFIX) $(LIBDIR) $(INCLUDEDIR))
endif

$(O)/src/fs/fuse_export.o $(O)/src/tools/serve.o: X_CFLAGS += $(FUSE_CFLAGS)
$(O)/src/fs/fuse_export.o $(O)/src/tools/serve.o: $(O)/config/fuse
$(O)/src/tools/serve_qmp.o: X_CFLAGS += $(JANSSON_CFLAGS)
$(O)/src/tools/serve_qmp.o: $(O)/config/jansson
$(O)/src/tools/interactive.o $(O)/src/tools/lineedit.o: X_CFLAGS += $(LIBEDIT_CFLAGS)
$(O)/src/tools/interactive.o $(O)/src/tools/lineedit.o: $(O)/config/libedit
$(O)/bench/bench_locks: private X_CFLAGS += $(URCU_CFLAGS)
$(O)/bench/bench_locks: private X_LDLIBS += $(URCU_LIBS)
$(O)/bench/bench_locks: $(O)/config/urcu
$(O)/memhp: $(O)/config/fuse $(O)/config/jansson $(O)/config/libedit

LIB_OBJS  := $(LIB_SRCS:%.c=$(O)/%.o)
TOOL_OBJS := $(TOOL_SRCS:%.c=$(O)/%.o)
UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=$(O)/tests/%)
BENCH_BINS:= $(BENCH_SRCS:bench/%.c=$(O)/bench/%)
EX_BINS   := $(EX_SRCS:examples/%.c=$(O)/examples/%)
LIBS      := $(O)/libmemhp.a $(O)/libmemhp.so.$(VERSION) $(O)/$(SONAME) $(O)/libmemhp.so

all: $(O)/memhp $(LIBS) $(O)/memhp.pc

# ---- the libraries ----------------------------------------------------------------
# Every object, all symbols global: for the memhp program, the unit tests and the benchmarks,
# which reach the internals. Never installed.
$(O)/libmemhp-internal.a: $(LIB_OBJS)
	@rm -f $@
	$(AR) rcs $@ $^

# The installed static library: one relocatable object whose hidden (internal) symbols are
# made local, so that only memhp_* is left for a program to collide with.
$(O)/libmemhp.o: $(LIB_OBJS)
	$(CC) -r -nostdlib -o $@.tmp $^
	$(OBJCOPY) --localize-hidden $@.tmp $@
	@rm -f $@.tmp

$(O)/libmemhp.a: $(O)/libmemhp.o
	@rm -f $@
	$(AR) rcs $@ $^

$(O)/libmemhp.so.$(VERSION): $(LIB_OBJS)
	$(CC) $(ALL_LDFLAGS) -shared -Wl,-soname,$(SONAME) -o $@ $^ $(LDLIBS) $(M_LDLIBS)

$(O)/$(SONAME) $(O)/libmemhp.so: $(O)/libmemhp.so.$(VERSION)
	ln -sf libmemhp.so.$(VERSION) $@

$(O)/memhp.pc: memhp.pc.in include/memhp/memhp.h $(O)/config/dirs
	sed -e 's|@PREFIX@|$(PREFIX)|; s|@LIBDIR@|$(LIBDIR)|; s|@INCLUDEDIR@|$(INCLUDEDIR)|' \
	    -e 's|@VERSION@|$(VERSION)|' memhp.pc.in >$@

# ---- programs -----------------------------------------------------------------------
$(O)/memhp: $(TOOL_OBJS) $(O)/libmemhp-internal.a
	$(CC) $(ALL_LDFLAGS) -o $@ $(filter %.o %.a,$^) $(TOOL_LDLIBS) $(LDLIBS) $(M_LDLIBS)

$(O)/%.o: %.c $(O)/config/flags
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(O)/tests/%: tests/unit/%.c $(O)/libmemhp-internal.a $(O)/config/flags
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Isrc $(ALL_LDFLAGS) -o $@ $< $(O)/libmemhp-internal.a $(LDLIBS) $(M_LDLIBS)

$(O)/bench/%: bench/%.c $(O)/libmemhp-internal.a $(O)/config/flags
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Isrc $(ALL_LDFLAGS) -o $@ $< $(O)/libmemhp-internal.a $(X_LDLIBS) $(LDLIBS) $(M_LDLIBS)

# Examples see only what an installed library shows: the public header and libmemhp.a.
$(O)/examples/%: examples/%.c $(O)/libmemhp.a $(O)/config/flags
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $< $(O)/libmemhp.a $(LDLIBS) $(M_LDLIBS)

# ---- tests ----------------------------------------------------------------------------
build-tests: all $(UNIT_BINS) $(EX_BINS) $(REPLAY_BINS)

# run-tests.sh installs into a scratch DESTDIR with $(MAKE) (the same variables, through
# MAKEFLAGS) and builds a client program against it with pkg-config.
check: build-tests
	+@O=$(O) MAKE="$(MAKE)" CC="$(CC)" SAN_FLAGS="$(SAN_FLAGS)" sh tests/run-tests.sh

# The tests that exercise real threads, for ThreadSanitizer (make SAN=tsan check-threads).
THREAD_TESTS := $(O)/tests/test_locks $(O)/tests/test_threads
check-threads: $(THREAD_TESTS)
	@for t in $(THREAD_TESTS); do $$t || exit 1; done

bench: $(BENCH_BINS)
	@for b in $(BENCH_BINS); do $$b || exit 1; done

# ---- fuzzing ---------------------------------------------------------------------------
# tests/fuzz/fuzz_NAME.c is a libFuzzer harness. `make fuzz` builds them with clang under
# ASan+UBSan (SAN=fuzz, in build-fuzz/) and runs each for FUZZ_TIME seconds from the seeds
# tests/fuzz/seeds.py makes of tests/ (FUZZ=NAME... for some only). `make check` runs each
# harness once over a sample of those seeds, linked with tests/fuzz/replay.c instead.
FUZZ_NAMES := $(sort $(patsubst tests/fuzz/fuzz_%.c,%,$(wildcard tests/fuzz/fuzz_*.c)))
FUZZ       ?= $(FUZZ_NAMES)
FUZZ_TIME  ?= 300
# the program's parts a harness needs besides the library
FUZZ_TOOLS_qmp     := serve_qmp qmp_number qmp_throttle
FUZZ_TOOLS_compare := compare normalise cli
FUZZ_LIBS_qmp      := $(JANSSON_LIBS)
fuzz_tools = $(addprefix $(O)/src/tools/,$(addsuffix .o,$(FUZZ_TOOLS_$(1))))
FUZZ_BINS   := $(FUZZ_NAMES:%=$(O)/fuzz/fuzz_%)
REPLAY_BINS := $(FUZZ_NAMES:%=$(O)/fuzz/replay_%)
# (build-tests above is read before REPLAY_BINS is set: its replays are added here)
build-tests: $(REPLAY_BINS)

.SECONDEXPANSION:
$(O)/fuzz/fuzz_%: tests/fuzz/fuzz_%.c $$(call fuzz_tools,$$*) $(O)/libmemhp-internal.a $(O)/config/flags
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Isrc $(ALL_LDFLAGS) -fsanitize=fuzzer -o $@ $< $(call fuzz_tools,$*) \
		$(O)/libmemhp-internal.a $(FUZZ_LIBS_$*) $(LDLIBS) $(M_LDLIBS)

$(O)/fuzz/replay.o: tests/fuzz/replay.c $(O)/config/flags
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Isrc -c -o $@ $<

$(O)/fuzz/replay_%: tests/fuzz/fuzz_%.c $(O)/fuzz/replay.o $$(call fuzz_tools,$$*) \
		$(O)/libmemhp-internal.a $(O)/config/flags
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Isrc $(ALL_LDFLAGS) -o $@ $< $(O)/fuzz/replay.o $(call fuzz_tools,$*) \
		$(O)/libmemhp-internal.a $(FUZZ_LIBS_$*) $(LDLIBS) $(M_LDLIBS)

fuzz-bins: $(FUZZ_BINS)

fuzz:
	+$(MAKE) SAN=fuzz CC=clang fuzz-bins
	sh tests/fuzz/run.sh build-fuzz $(FUZZ_TIME) $(FUZZ)

# ---- install --------------------------------------------------------------------------
MAN1 := $(wildcard man/*.1)
MAN3 := $(wildcard man/*.3)
MAN5 := $(wildcard man/*.5)

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(LIBDIR) $(DESTDIR)$(INCLUDEDIR)/memhp \
		$(DESTDIR)$(PKGCONFIGDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man3 \
		$(DESTDIR)$(MANDIR)/man5
	install -m 755 $(O)/memhp $(DESTDIR)$(BINDIR)/memhp
	install -m 644 include/memhp/memhp.h $(DESTDIR)$(INCLUDEDIR)/memhp/memhp.h
	install -m 644 $(O)/libmemhp.a $(DESTDIR)$(LIBDIR)/libmemhp.a
	install -m 755 $(O)/libmemhp.so.$(VERSION) $(DESTDIR)$(LIBDIR)/libmemhp.so.$(VERSION)
	ln -sf libmemhp.so.$(VERSION) $(DESTDIR)$(LIBDIR)/$(SONAME)
	ln -sf $(SONAME) $(DESTDIR)$(LIBDIR)/libmemhp.so
	install -m 644 $(O)/memhp.pc $(DESTDIR)$(PKGCONFIGDIR)/memhp.pc
	$(if $(MAN1),install -m 644 $(MAN1) $(DESTDIR)$(MANDIR)/man1/)
	$(if $(MAN3),install -m 644 $(MAN3) $(DESTDIR)$(MANDIR)/man3/)
	$(if $(MAN5),install -m 644 $(MAN5) $(DESTDIR)$(MANDIR)/man5/)

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/memhp $(DESTDIR)$(INCLUDEDIR)/memhp/memhp.h \
		$(DESTDIR)$(LIBDIR)/libmemhp.a $(DESTDIR)$(LIBDIR)/libmemhp.so.$(VERSION) \
		$(DESTDIR)$(LIBDIR)/$(SONAME) $(DESTDIR)$(LIBDIR)/libmemhp.so \
		$(DESTDIR)$(PKGCONFIGDIR)/memhp.pc \
		$(addprefix $(DESTDIR)$(MANDIR)/man1/,$(notdir $(MAN1))) \
		$(addprefix $(DESTDIR)$(MANDIR)/man3/,$(notdir $(MAN3))) \
		$(addprefix $(DESTDIR)$(MANDIR)/man5/,$(notdir $(MAN5)))
	-rmdir $(DESTDIR)$(INCLUDEDIR)/memhp 2>/dev/null

# `make clean` removes $(O); without O, every default build directory.
clean:
	rm -rf $(O) $(if $(filter file,$(origin O)),build build-asan build-tsan build-debug build-fuzz)

.PHONY: all check check-threads bench clean build-tests install uninstall fuzz fuzz-bins
# header dependencies of every object and program (gcc -MMD writes TARGET.d beside TARGET)
-include $(LIB_OBJS:.o=.d) $(TOOL_OBJS:.o=.d) $(UNIT_BINS:=.d) $(BENCH_BINS:=.d) $(EX_BINS:=.d) \
	$(FUZZ_BINS:=.d) $(REPLAY_BINS:=.d) $(O)/fuzz/replay.d
