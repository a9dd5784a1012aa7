# ragc -- AGC archives for the htslib/samtools ecosystem.
#
#   make                 ragc, libragc.a, libragc.so
#   make check           unit tests (test/) and command-line tests (bats/)
#   make demo            install missing packages, build, run the bundled example
#   make install PREFIX=/usr/local DESTDIR=
#   make OUT=san SANITIZE=1 check    the same under ASan + UBSan, built in san/
#   make OUT=tsan TSAN=1 check-threads   the thread stress test under ThreadSanitizer
#   make WERROR=1        warnings are errors (CI)
#   make fuzz            libFuzzer harnesses (test/fuzz/) in fuzz/, with clang; bench/fuzz.sh runs them

include htslib-config.mk

CC       ?= cc
OUT      ?= .
OBJ      := $(OUT)/obj
CFLAGS   ?= -O2 -g
STD      := -std=c11 -Wall -Wextra -Wpedantic
ifeq ($(WERROR),1)
STD      += -Werror
endif
ifeq ($(SANITIZE),1)
CFLAGS   := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=undefined
LDSAN    := -fsanitize=address,undefined
endif
ifeq ($(TSAN),1)
# -Wno-stringop-overflow: with -fsanitize=thread GCC 12 misreads a length
# check in htslib's kputsn (kstring.h) as a huge memcpy
CFLAGS   := -O1 -g -fno-omit-frame-pointer -fsanitize=thread -Wno-stringop-overflow
LDSAN    := -fsanitize=thread
endif
ifeq ($(FUZZ),1)
# make fuzz (below): the library instrumented for libFuzzer, built by clang
CFLAGS   := -O1 -g -fno-omit-frame-pointer -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined
LDSAN    := -fsanitize=address,undefined
endif
SRC_DIRS := src/io src/format src/read src/write
CPPFLAGS += -D_XOPEN_SOURCE=700 $(HTSLIB_CPPFLAGS)
LDFLAGS  += $(LDSAN) $(HTSLIB_LDFLAGS)
LIB_LIBS := $(HTSLIB_LIBS) -lzstd -ldeflate -lpthread -lm
CLI_LIBS := $(LIB_LIBS)

# Layers look down only: io < format < read < write < cli, plugin.  Each
# folder is compiled with include/ (the public API), its own folder and the
# folders below it; the command and the plugin see the public API only.
# The unit tests (test/) test internals and see everything.
# bats/layers.bats proves the fences hold (make layer-flags, at the end).
INC_io     := -Iinclude -Isrc/io
INC_format := $(INC_io) -Isrc/format
INC_read   := $(INC_format) -Isrc/read
INC_write  := $(INC_read) -Isrc/write
INC_cli    := -Iinclude -Isrc/cli
INC_plugin := -Iinclude -Iplugin
INC_test   := $(INC_write) -Isrc/cli
# Only what include/ declares with RAGC_EXPORT leaves libragc.so.
VISIBILITY := -fvisibility=hidden

PREFIX     ?= /usr/local
BINDIR     ?= $(PREFIX)/bin
LIBDIR     ?= $(PREFIX)/lib
INCDIR     ?= $(PREFIX)/include
MANDIR     ?= $(PREFIX)/share/man
PKGCONFDIR ?= $(LIBDIR)/pkgconfig

LIB_SRCS  := $(sort $(foreach d,$(SRC_DIRS),$(wildcard $(d)/*.c)))
CLI_SRCS  := $(sort $(wildcard src/cli/*.c))
TEST_SRCS := $(sort $(wildcard test/*.c))
LIB_OBJS  := $(LIB_SRCS:%.c=$(OBJ)/%.o)
CLI_OBJS  := $(CLI_SRCS:%.c=$(OBJ)/%.o)
# the command without main(), for the unit tests of its parts
CLI_LIB   := $(OBJ)/libragc-cli.a
TEST_BINS := $(TEST_SRCS:test/%.c=$(OBJ)/testbin/%)
HEADERS   := $(wildcard include/*.h $(SRC_DIRS:%=%/*.h) src/cli/*.h plugin/*.h)

SOVERSION := 0

PLUGIN_SRCS := $(sort $(wildcard plugin/*.c))
PLUGIN_OBJS := $(PLUGIN_SRCS:%.c=$(OBJ)/%.o)
# Not in sanitizer builds: an instrumented plugin cannot load into samtools.
PLUGIN      := $(if $(filter 1,$(SANITIZE)),,$(if $(PLUGIN_SRCS),$(OUT)/hfile_agc.so))
# PLUGINDIR: empty = where htslib looks by default (see "Packages" below)
PLUGINDIR   ?=
HTS_PLUGIN_DIR := $(OBJ)/hts_plugin_dir

all: $(OUT)/ragc $(OUT)/libragc.a $(OUT)/libragc.so $(PLUGIN)

$(foreach l,io format read write cli,$(eval $(OBJ)/src/$(l)/%.o: LAYER_INC := $(INC_$(l))))
$(OBJ)/plugin/%.o: LAYER_INC := $(INC_plugin)

$(OBJ)/%.o: %.c $(HEADERS)
	@mkdir -p $(dir $@)
	$(CC) $(STD) $(CFLAGS) -fPIC $(VISIBILITY) $(LAYER_INC) $(CPPFLAGS) -c -o $@ $<

$(OUT)/libragc.a: $(LIB_OBJS)
	@mkdir -p $(dir $@)
	rm -f $@ && $(AR) rcs $@ $^

$(OUT)/libragc.so: $(LIB_OBJS)
	$(CC) -shared -Wl,-soname,libragc.so.$(SOVERSION) $(LDFLAGS) -o $@ $^ $(LIB_LIBS)

# The htslib plugin: the objects of libragc.a it needs (the reader, not the
# compressor), all hidden; it exports hfile_plugin_init only.  It is linked
# with libhts as htslib's own plugins are: a program that loads htslib with
# RTLD_LOCAL (a Python extension such as pysam) does not show htslib's
# symbols to the plugins it opens.  In samtools the loader reuses the
# libhts.so already loaded (same soname): one htslib either way.
$(OUT)/hfile_agc.so: $(PLUGIN_OBJS) $(OUT)/libragc.a plugin/hfile_agc.map
	$(CC) -shared $(LDFLAGS) -Wl,--exclude-libs,ALL -Wl,--version-script=plugin/hfile_agc.map \
	    -o $@ $(PLUGIN_OBJS) $(OUT)/libragc.a $(HTSLIB_LIBS) -lzstd -lpthread

$(CLI_LIB): $(filter-out $(OBJ)/src/cli/main.o,$(CLI_OBJS))
	rm -f $@ && $(AR) rcs $@ $^

$(OUT)/ragc: $(OBJ)/src/cli/main.o $(CLI_LIB) $(OUT)/libragc.a
	$(CC) $(LDFLAGS) -o $@ $(OBJ)/src/cli/main.o $(CLI_LIB) $(OUT)/libragc.a $(CLI_LIBS)

$(OBJ)/testbin/%: test/%.c test/tap.h $(CLI_LIB) $(OUT)/libragc.a $(HEADERS)
	@mkdir -p $(dir $@)
	$(CC) $(STD) $(CFLAGS) $(INC_test) $(CPPFLAGS) $(LDFLAGS) -o $@ $< $(CLI_LIB) $(OUT)/libragc.a $(CLI_LIBS)

# Fuzzing harnesses (test/fuzz/fuzz_*.c, see test/fuzz/README.md).  make
# check replays each one's kept inputs (test/fuzz/regress/HARNESS/) through
# a plain main (test/fuzz/standalone.c), built with CC like the unit tests;
# make fuzz builds them for libFuzzer with clang in fuzz/.
FUZZ_NAMES  := $(patsubst test/fuzz/%.c,%,$(wildcard test/fuzz/fuzz_*.c))
FUZZ_PARTS  := test/fuzz/util.c $(filter-out plugin/hfile_agc.c,$(PLUGIN_SRCS))
FUZZ_REPLAY := $(FUZZ_NAMES:%=$(OBJ)/testbin/%)
FUZZ_FLAGS   = $(STD) $(CFLAGS) $(INC_test) -Iplugin -Itest/fuzz $(CPPFLAGS)
$(OBJ)/testbin/fuzz_%: test/fuzz/fuzz_%.c test/fuzz/standalone.c $(FUZZ_PARTS) test/fuzz/fuzz.h $(CLI_LIB) $(OUT)/libragc.a $(HEADERS)
	@mkdir -p $(dir $@)
	$(CC) $(FUZZ_FLAGS) -DFZ_REGRESS_DIR='"test/fuzz/regress/fuzz_$*"' $(LDFLAGS) -o $@ $< test/fuzz/standalone.c \
	    $(FUZZ_PARTS) $(CLI_LIB) $(OUT)/libragc.a $(CLI_LIBS)

FUZZ_CC ?= clang
fuzz:
	@command -v $(FUZZ_CC) > /dev/null || { echo "make fuzz: $(FUZZ_CC) not found (Debian: apt-get install clang libfuzzer-14-dev)" >&2; exit 1; }
	@printf 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n) { (void)d; (void)n; return 0; }\n' \
	    | $(FUZZ_CC) -fsanitize=fuzzer -x c - -o /dev/null 2> /dev/null \
	    || { echo "make fuzz: $(FUZZ_CC) cannot link libFuzzer (Debian: apt-get install libfuzzer-14-dev)" >&2; exit 1; }
	$(MAKE) OUT=fuzz FUZZ=1 CC=$(FUZZ_CC) fuzz-bins
fuzz-bins: $(FUZZ_NAMES:%=$(OUT)/%)
$(OUT)/fuzz_%: test/fuzz/fuzz_%.c $(FUZZ_PARTS) test/fuzz/fuzz.h $(CLI_LIB) $(OUT)/libragc.a $(HEADERS)
	$(CC) $(FUZZ_FLAGS) -fsanitize=fuzzer $(LDFLAGS) -o $@ $< $(FUZZ_PARTS) $(CLI_LIB) $(OUT)/libragc.a $(CLI_LIBS)

# Benchmark programs (bench/*.c) see the internals like the unit tests; they
# are built with the tests so that they never rot, and run by hand.
BENCH_BINS := $(patsubst bench/%.c,$(OBJ)/benchbin/%,$(wildcard bench/*.c))
$(OBJ)/benchbin/%: bench/%.c $(CLI_LIB) $(OUT)/libragc.a $(HEADERS)
	@mkdir -p $(dir $@)
	$(CC) $(STD) $(CFLAGS) $(INC_test) $(CPPFLAGS) $(LDFLAGS) -o $@ $< $(CLI_LIB) $(OUT)/libragc.a $(CLI_LIBS)

# The fault-injection shim (bats/faults.bats preloads it): never built with
# the sanitizers, whatever CFLAGS says, so that it loads into any ragc.
FAULTSHIM := $(OBJ)/faultshim.so
$(FAULTSHIM): test/shim/faultshim.c
	@mkdir -p $(dir $@)
	$(CC) $(STD) -O2 -g -fPIC -shared -o $@ $< -ldl

tests: $(TEST_BINS) $(BENCH_BINS) $(FAULTSHIM) $(FUZZ_REPLAY)

# Unit tests, then the bats suites.  Each prints TAP; test/run-all sums them up
# and prints the closing "N passed, N failed" line.  run-all runs two suites at
# a time (RAGC_TEST_JOBS): what two of them would build at once (`make install`
# in bats/cli.bats and bats/install.bats needs HTS_PLUGIN_DIR) is built here.
check: all tests $(if $(PLUGIN),$(HTS_PLUGIN_DIR))
	RAGC=$(abspath $(OUT)/ragc) RAGC_PLUGIN_DIR=$(abspath $(OUT)) TESTBIN=$(abspath $(OBJ)/testbin) \
	RAGC_LIB=$(abspath $(OUT)/libragc.so) RAGC_OBJ=$(abspath $(OBJ)) RAGC_FAULTSHIM=$(abspath $(FAULTSHIM)) \
	RAGC_MAKE="$(MAKE) -s -C $(CURDIR) $(if $(HTSDIR),HTSDIR=$(HTSDIR))" ./test/run-all

# The thread stress test alone (test/test_threads.c: 16 threads through the
# native API, agc's API and the plugin): the target for a ThreadSanitizer
# build, which the whole suite would make too slow.
check-threads: all $(OBJ)/testbin/test_threads
	RAGC_PLUGIN_DIR=$(abspath $(OUT)) RAGC_STRESS_SECONDS=$(or $(STRESS_SECONDS),5) \
	TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1" $(OBJ)/testbin/test_threads

demo:
	./scripts/demo.sh

install: all $(if $(PLUGIN),$(if $(PLUGINDIR),,$(HTS_PLUGIN_DIR)))
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(LIBDIR) $(DESTDIR)$(INCDIR) \
	           $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(PKGCONFDIR)
	install -m 755 $(OUT)/ragc $(DESTDIR)$(BINDIR)/ragc
	install -m 644 $(OUT)/libragc.a $(DESTDIR)$(LIBDIR)/libragc.a
	install -m 755 $(OUT)/libragc.so $(DESTDIR)$(LIBDIR)/libragc.so.$(SOVERSION)
	ln -sf libragc.so.$(SOVERSION) $(DESTDIR)$(LIBDIR)/libragc.so
	install -m 644 include/ragc.h include/agc-api.h $(DESTDIR)$(INCDIR)/
	install -m 644 docs/ragc.1 $(DESTDIR)$(MANDIR)/man1/ragc.1
	$(if $(PLUGIN),dir=$(PLUGINDIR_SH) && install -d "$(DESTDIR)$$dir" && install -m 755 $(PLUGIN) "$(DESTDIR)$$dir/hfile_agc.so")
	sed -e 's|@PREFIX@|$(PREFIX)|; s|@LIBDIR@|$(LIBDIR)|; s|@INCDIR@|$(INCDIR)|; s|@VERSION@|$(shell sed -n 's/^#define RAGC_VERSION "\(.*\)"/\1/p' include/ragc.h)|' \
	    ragc.pc.in > $(DESTDIR)$(PKGCONFDIR)/ragc.pc

clean:
	rm -rf $(OBJ) $(OUT)/ragc $(OUT)/libragc.a $(OUT)/libragc.so $(OUT)/hfile_agc.so san tsan fuzz

.PHONY: all tests check check-threads layer-flags demo install clean fuzz fuzz-bins

# Packages -----------------------------------------------------------------
# The plugin's directory: PLUGINDIR, else the one of htslib's built-in search
# path that lies under PREFIX, as the htslib we build against reports it
# (scripts/hts_plugin_dir.c), else PREFIX/libexec/htslib, which then needs
# HTS_PATH (docs/install.md).  `make -s plugindir PREFIX=/usr` prints it.
PLUGINDIR_SH = "$$(d='$(PLUGINDIR)'; [ -n "$$d" ] || d=$$($(HTS_PLUGIN_DIR) '$(PREFIX)') \
    || { d='$(PREFIX)/libexec/htslib'; echo "note: htslib searches no plugin directory under $(PREFIX); using $$d (set HTS_PATH, docs/install.md)" >&2; }; echo "$$d")"
$(HTS_PLUGIN_DIR): scripts/hts_plugin_dir.c
	@mkdir -p $(dir $@)
	$(CC) $(STD) $(CFLAGS) $(CPPFLAGS) $(LDFLAGS) -o $@ $< $(HTSLIB_LIBS)

plugindir: $(if $(PLUGINDIR),,$(HTS_PLUGIN_DIR))
	@echo $(PLUGINDIR_SH)

# Debian packages (debian/) built in a copy of the tree under DEBDIR, where
# the .deb files end up; scripts/test-packages.sh installs and tests them.
DEBDIR ?= $(OUT)/deb
deb:
	./scripts/make-deb.sh $(DEBDIR)

.PHONY: plugindir deb

# make -s layer-flags LAYER=format: the compiler command of a layer (io
# format read write cli plugin test), for bats/layers.bats.
layer-flags:
	@echo '$(CC) $(STD) $(CFLAGS) $(INC_$(LAYER)) $(CPPFLAGS)'
