# xenguest + libmeminit: one non-recursive Makefile.
#
#   make                 build/xenguest, build/libmeminit.a, build/libxcsim.so
#   make check           every offline test (cmocka units on the simulated host)
#   make SAN=1 check     the same under ASan + UBSan, in build/san/
#   make check-xen       the real-Xen-under-QEMU harness (tests/xen/)
#   make demo            boot a 4-node Xen under QEMU and build a VM on a chosen node
#
# Sources are picked up by directory: meminit/*.c is the library,
# xenguest/*.c the binary (main.c holds main()), tests/sim/*.c the simulated
# hypervisor, tests/unit/test_*.c one cmocka binary each.

CC      ?= gcc
SAN     ?= 0
WERROR  ?= 0

ifeq ($(SAN),1)
B       := build/san
SANFLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
else
B       := build
SANFLAGS :=
endif

WARN    := -Wall -Wextra -Wshadow -Wformat=2 -Wstrict-prototypes \
           -Wmissing-prototypes -Wpointer-arith -Wcast-qual -Wwrite-strings \
           -Wundef -Wvla -Wnull-dereference -Wimplicit-fallthrough
ifeq ($(WERROR),1)
WARN    += -Werror
endif

CFLAGS  ?= -O2 -g
CFLAGS  += -std=gnu11 $(WARN) $(SANFLAGS) -D_GNU_SOURCE -MMD -MP
CPPFLAGS += -Imeminit -Ixenguest -Itests/sim
LDFLAGS += $(SANFLAGS)

XEN_LIBS := -lxenguest -lxenctrl -lxenstore -lxentoollog
CMOCKA_LIBS := -lcmocka

MEMINIT_SRC := $(wildcard meminit/*.c)
MEMINIT_OBJ := $(MEMINIT_SRC:%.c=$(B)/obj/%.o)
SIM_SRC     := $(wildcard tests/sim/*.c)
SIM_OBJ     := $(SIM_SRC:%.c=$(B)/pic/%.o)
XG_SRC      := $(filter-out xenguest/main.c,$(wildcard xenguest/*.c))
XG_OBJ      := $(XG_SRC:%.c=$(B)/obj/%.o)
UNIT_SRC    := $(wildcard tests/unit/test_*.c)
UNIT_BIN    := $(UNIT_SRC:tests/unit/%.c=$(B)/tests/%)
TOOL_SRC    := $(wildcard tests/tools/*.c)
TOOL_BIN    := $(TOOL_SRC:tests/tools/%.c=$(B)/tools/%)

LIBMEMINIT  := $(B)/libmeminit.a
LIBXGFRONT  := $(B)/libxgfront.a
LIBXCSIM    := $(B)/libxcsim.so

.PHONY: all check check-unit check-xen demo bench fuzz check-robust clean
all: $(B)/xenguest $(LIBMEMINIT) $(LIBXCSIM) $(TOOL_BIN)

# V=1 shows the full commands.
ifeq ($(V),1)
Q       :=
else
Q       := @
endif

$(B)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	@[ -n "$(Q)" ] && echo "  CC      $<" || true
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

$(B)/pic/%.o: %.c
	@mkdir -p $(dir $@)
	@[ -n "$(Q)" ] && echo "  CC      $< (pic)" || true
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) -fPIC -c -o $@ $<

$(LIBMEMINIT): $(MEMINIT_OBJ)
	@mkdir -p $(dir $@)
	$(AR) rcs $@ $^

$(LIBXGFRONT): $(XG_OBJ)
	@mkdir -p $(dir $@)
	$(AR) rcs $@ $^

# The simulated hypervisor exports the libxenctrl calls under libxenctrl's own
# symbol version, so that libxenguest's stock meminit binds to it when it is
# loaded ahead of the real libxenctrl.
$(LIBXCSIM): $(SIM_OBJ) tests/sim/xcsim.map
	$(CC) $(LDFLAGS) -shared -Wl,--version-script=tests/sim/xcsim.map \
	    -Wl,-soname,libxcsim.so -o $@ $(SIM_OBJ) -lpthread

$(B)/xenguest: $(B)/obj/xenguest/main.o $(LIBXGFRONT) $(LIBMEMINIT)
	$(CC) $(LDFLAGS) -o $@ $^ $(XEN_LIBS)

# Unit tests: the simulated libxenctrl comes first so that it, not the real
# one, answers every hypercall made by meminit and by the stock libxenguest.
TEST_LDLIBS := -L$(B) -Wl,-rpath,'$$ORIGIN/..' -lxcsim $(XEN_LIBS) $(CMOCKA_LIBS) -lpthread
$(B)/tests/%: $(B)/obj/tests/unit/%.o $(LIBXGFRONT) $(LIBMEMINIT) $(LIBXCSIM)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $< $(LIBXGFRONT) $(LIBMEMINIT) $(TEST_LDLIBS)

$(B)/tools/%: $(B)/obj/tests/tools/%.o $(LIBXGFRONT) $(LIBMEMINIT) $(LIBXCSIM)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $< $(LIBXGFRONT) $(LIBMEMINIT) $(TEST_LDLIBS)

check: check-unit

check-unit: all $(UNIT_BIN)
	@scripts/run-units $(UNIT_BIN)

check-xen: all
	tests/xen/run

demo: all
	tests/xen/run --demo

clean:
	rm -rf build

-include $(patsubst %.o,%.d,$(MEMINIT_OBJ) $(SIM_OBJ) $(XG_OBJ) $(B)/obj/xenguest/main.o \
    $(UNIT_SRC:tests/unit/%.c=$(B)/obj/tests/unit/%.o))
