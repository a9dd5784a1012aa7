# Locates htslib.
#   make HTSDIR=/path/to/htslib   use an htslib source/build tree (headers and libhts there)
#   make                          use pkg-config (Debian: libhts-dev)
ifdef HTSDIR
HTSLIB_CPPFLAGS = -I$(HTSDIR)
HTSLIB_LDFLAGS  = -L$(HTSDIR) -Wl,-rpath,$(abspath $(HTSDIR))
HTSLIB_LIBS     = -lhts
else
HTSLIB_CPPFLAGS = $(shell pkg-config --cflags htslib 2>/dev/null)
HTSLIB_LDFLAGS  =
HTSLIB_LIBS     = $(or $(shell pkg-config --libs htslib 2>/dev/null),-lhts)
endif
