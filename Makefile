# ragc -- AGC archives for the htslib/samtools ecosystem.
#
#   make                 ragc, libragc.a, libragc.so
#   make check           unit tests (test/) and command-line tests (bats/)
#   make demo            install missing packages, build, run the bundled example
#   make install PREFIX=/usr/local DESTDIR=
#   make OUT=san SANITIZE=1 check    the same under ASan + UBSan, built in san/
#   make WERROR=1        warnings are errors (CI)

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
SRC_DIRS := src/format src/io src/read src/write
CPPFLAGS += -D_XOPEN_SOURCE=700 -Iinclude $(SRC_DIRS:%=-I%) -Isrc/cli $(HTSLIB_CPPFLAGS)
LDFLAGS  += $(LDSAN) $(HTSLIB_LDFLAGS)
LIBS     := $(HTSLIB_LIBS) -lzstd -ldeflate -lpthread -lm

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
TEST_BINS := $(TEST_SRCS:test/%.c=$(OBJ)/testbin/%)
HEADERS   := $(wildcard include/*.h $(SRC_DIRS:%=%/*.h) src/cli/*.h plugin/*.h)

SOVERSION := 0

PLUGIN_SRCS := $(sort $(wildcard plugin/*.c))
PLUGIN_OBJS := $(PLUGIN_SRCS:%.c=$(OBJ)/%.o)
# Not in sanitizer builds: an instrumented plugin cannot load into samtools.
PLUGIN      := $(if $(filter 1,$(SANITIZE)),,$(if $(PLUGIN_SRCS),$(OUT)/hfile_agc.so))
PLUGINDIR   ?= $(PREFIX)/libexec/htslib

all: $(OUT)/ragc $(OUT)/libragc.a $(OUT)/libragc.so $(PLUGIN)

$(OBJ)/%.o: %.c $(HEADERS)
	@mkdir -p $(dir $@)
	$(CC) $(STD) $(CFLAGS) -fPIC $(CPPFLAGS) -c -o $@ $<

$(OUT)/libragc.a: $(LIB_OBJS)
	@mkdir -p $(dir $@)
	rm -f $@ && $(AR) rcs $@ $^

$(OUT)/libragc.so: $(LIB_OBJS)
	$(CC) -shared -Wl,-soname,libragc.so.$(SOVERSION) $(LDFLAGS) -o $@ $^ $(LIBS)

# The htslib plugin: libragc inside, htslib's symbols from the program that loads it.
$(OUT)/hfile_agc.so: $(PLUGIN_OBJS) $(LIB_OBJS)
	$(CC) -shared $(LDFLAGS) -o $@ $^ -lzstd -ldeflate -lpthread

$(OUT)/ragc: $(CLI_OBJS) $(OUT)/libragc.a
	$(CC) $(LDFLAGS) -o $@ $(CLI_OBJS) $(OUT)/libragc.a $(LIBS)

$(OBJ)/testbin/%: test/%.c test/tap.h $(OUT)/libragc.a $(HEADERS)
	@mkdir -p $(dir $@)
	$(CC) $(STD) $(CFLAGS) $(CPPFLAGS) $(LDFLAGS) -o $@ $< $(OUT)/libragc.a $(LIBS)

tests: $(TEST_BINS)

# Unit tests, then the bats suites.  Each prints TAP; test/run-all sums them up
# and prints the closing "N passed, N failed" line.
check: all tests
	RAGC=$(abspath $(OUT)/ragc) RAGC_PLUGIN_DIR=$(abspath $(OUT)) TESTBIN=$(abspath $(OBJ)/testbin) ./test/run-all

demo:
	./scripts/demo.sh

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(LIBDIR) $(DESTDIR)$(INCDIR) \
	           $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(PKGCONFDIR)
	install -m 755 $(OUT)/ragc $(DESTDIR)$(BINDIR)/ragc
	install -m 644 $(OUT)/libragc.a $(DESTDIR)$(LIBDIR)/libragc.a
	install -m 755 $(OUT)/libragc.so $(DESTDIR)$(LIBDIR)/libragc.so.$(SOVERSION)
	ln -sf libragc.so.$(SOVERSION) $(DESTDIR)$(LIBDIR)/libragc.so
	install -m 644 include/ragc.h include/agc-api.h $(DESTDIR)$(INCDIR)/
	install -m 644 docs/ragc.1 $(DESTDIR)$(MANDIR)/man1/ragc.1
	$(if $(PLUGIN),install -d $(DESTDIR)$(PLUGINDIR) && install -m 755 $(PLUGIN) $(DESTDIR)$(PLUGINDIR)/hfile_agc.so)
	sed -e 's|@PREFIX@|$(PREFIX)|; s|@LIBDIR@|$(LIBDIR)|; s|@INCDIR@|$(INCDIR)|; s|@VERSION@|$(shell sed -n 's/^#define RAGC_VERSION "\(.*\)"/\1/p' include/ragc.h)|' \
	    ragc.pc.in > $(DESTDIR)$(PKGCONFDIR)/ragc.pc

clean:
	rm -rf $(OBJ) $(OUT)/ragc $(OUT)/libragc.a $(OUT)/libragc.so $(OUT)/hfile_agc.so san

.PHONY: all tests check demo install clean
