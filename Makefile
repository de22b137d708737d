# memhp: the Linux memory-hotplug subsystem as a user-space library, machine model and tools.
#
#   make            build libmemhp.a and the memhp program (into $(O))
#   make check      build and run every test; ends with "N passed, N failed"
#   make bench      benchmarks, as ratios against baselines run in the same process
#   make SAN=asan   AddressSanitizer + UndefinedBehaviorSanitizer build (in build-asan/)
#   make SAN=tsan   ThreadSanitizer build (in build-tsan/)
#   make DEBUG=1 O=build-debug   invariant checks after every hotplug operation, lockdep on

CC      ?= cc
SAN     ?=
O       ?= build$(if $(SAN),-$(SAN))
CFLAGS  ?= -O2 -g
CFLAGS  += -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -Wshadow -Wno-unused-parameter \
           -Iinclude -MMD -MP
LDLIBS  += -lpthread

ifeq ($(SAN),asan)
CFLAGS  += -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
LDFLAGS += -fsanitize=address,undefined
endif
ifeq ($(SAN),tsan)
CFLAGS  += -fsanitize=thread
LDFLAGS += -fsanitize=thread
endif
ifeq ($(DEBUG),1)
CFLAGS  += -DMEMHP_DEBUG
endif

LIB_SRCS  := $(sort $(wildcard src/lib/*.c src/kernel/*.c src/mm/*.c src/base/*.c src/acpi/*.c \
                               src/machine/*.c src/fs/*.c src/user/*.c src/drivers/*.c))
TOOL_SRCS := $(sort $(wildcard src/tools/*.c))
UNIT_SRCS := $(sort $(wildcard tests/unit/*.c))
BENCH_SRCS:= $(sort $(wildcard bench/*.c))
EX_SRCS   := $(sort $(wildcard examples/*.c))

# libfuse3 (Debian: libfuse3-dev, fuse3) gives `memhp serve --mount`, jansson (libjansson-dev)
# its QMP server; without them memhp builds, and serve says what it lacks.
HAVE_FUSE    := $(shell pkg-config --exists fuse3 2>/dev/null && echo 1)
HAVE_JANSSON := $(shell pkg-config --exists jansson 2>/dev/null && echo 1)
ifeq ($(HAVE_FUSE),1)
$(O)/src/fs/fuse_export.o $(O)/src/tools/serve.o: CFLAGS += $(shell pkg-config --cflags fuse3) -DMEMHP_HAVE_FUSE
MEMHP_LDLIBS += $(shell pkg-config --libs fuse3)
else
LIB_SRCS  := $(filter-out src/fs/fuse_export.c,$(LIB_SRCS))
endif
ifeq ($(HAVE_JANSSON),1)
$(O)/src/tools/serve_qmp.o: CFLAGS += $(shell pkg-config --cflags jansson) -DMEMHP_HAVE_JANSSON
MEMHP_LDLIBS += $(shell pkg-config --libs jansson)
endif

LIB_OBJS  := $(LIB_SRCS:%.c=$(O)/%.o)
TOOL_OBJS := $(TOOL_SRCS:%.c=$(O)/%.o)
UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=$(O)/tests/%)
BENCH_BINS:= $(BENCH_SRCS:bench/%.c=$(O)/bench/%)
EX_BINS   := $(EX_SRCS:examples/%.c=$(O)/examples/%)

all: $(O)/memhp

$(O)/libmemhp.a: $(LIB_OBJS)
	@rm -f $@
	ar rcs $@ $^

# libedit (Debian: libedit-dev) gives `memhp shell` line editing and history; without it, plain lines.
ifneq ($(wildcard /usr/include/editline/readline.h),)
$(O)/src/tools/interactive.o $(O)/src/tools/lineedit.o: CFLAGS += -DMEMHP_HAVE_LIBEDIT
MEMHP_LDLIBS += -ledit
endif

$(O)/memhp: $(TOOL_OBJS) $(O)/libmemhp.a
	$(CC) $(LDFLAGS) -o $@ $^ $(MEMHP_LDLIBS) $(LDLIBS)

$(O)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c -o $@ $<

$(O)/tests/%: tests/unit/%.c $(O)/libmemhp.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -Isrc -o $@ $< $(O)/libmemhp.a $(LDLIBS)

$(O)/bench/%: bench/%.c $(O)/libmemhp.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -Isrc -o $@ $< $(O)/libmemhp.a $(LDLIBS)

$(O)/examples/%: examples/%.c $(O)/libmemhp.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(O)/libmemhp.a $(LDLIBS)

build-tests: $(O)/memhp $(UNIT_BINS) $(EX_BINS)

check: build-tests
	@O=$(O) sh tests/run-tests.sh

# The tests that exercise real threads, for ThreadSanitizer (make SAN=tsan check-threads).
THREAD_TESTS := $(O)/tests/test_locks
check-threads: $(THREAD_TESTS)
	@for t in $(THREAD_TESTS); do $$t || exit 1; done

bench: $(BENCH_BINS)
	@for b in $(BENCH_BINS); do $$b || exit 1; done

clean:
	rm -rf build build-asan build-tsan build-debug

.PHONY: all check check-threads bench clean build-tests
-include $(LIB_OBJS:.o=.d) $(TOOL_OBJS:.o=.d)
