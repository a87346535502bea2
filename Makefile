# xenguest + libmeminit: one non-recursive Makefile.
#
#   make                 the product only: build/xenguest, build/libmeminit.a
#   make check           the structure checks (function length, no file cycle
#                        in meminit/), then every offline test (cmocka units
#                        on the simulated host, xenguest-bench --builder);
#                        builds the simulator (build/libxcsim.so), the
#                        tools and build/xenguest-bench
#   make tools           build/tools/* (meminit-measure) and the simulator
#   make SAN=1 check     the same under ASan + UBSan, in build/san/
#   make check-xen       the real-Xen-under-QEMU harness (tests/xen/)
#   make check-xen-boot  its boot set: PV/PVH/HVM guests by xenguest and xl
#   make check-xen-nodeclaim  node-claim scenarios on a self-built, patched
#                        Xen 4.17 (a test fixture: tests/xen/nodeclaim/)
#   make demo [NODE=N]   boot a 4-node Xen under QEMU and build a VM on node N
#                        (default 3) with xenguest and with xl, side by side
#
# Sources are picked up by directory: meminit/*.c is the library,
# xenguest/*.c the binary (main.c holds main()), tests/sim/*.c the simulated
# hypervisor, tests/unit/test_*.c one cmocka binary each.

CC      ?= gcc
OBJCOPY ?= objcopy
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

# The firmware hvmloader/bios asks for: the defaults of xenguest's --seabios,
# --ovmf and --ipxe. Debian's seabios and ovmf packages; the iPXE ROM where
# XenServer keeps it. XenServer/XCP-ng 8.3 builds (the RPM spec) use
# /usr/share/edk2/OVMF-release.fd for OVMF.
SEABIOS_PATH ?= /usr/share/seabios/bios-256k.bin
OVMF_PATH    ?= /usr/share/ovmf/OVMF.fd
IPXE_PATH    ?= /usr/share/ipxe/ipxe.bin
CPPFLAGS += -DXG_SEABIOS_PATH='"$(SEABIOS_PATH)"' -DXG_OVMF_PATH='"$(OVMF_PATH)"' \
            -DXG_IPXE_PATH='"$(IPXE_PATH)"'
LDFLAGS += $(SANFLAGS)

XEN_LIBS := -lxenguest -lxenctrl -lxenstore -lxentoollog
CMOCKA_LIBS := -lcmocka
# The JSON report (xenguest/report.c) is written with json-c.
JSONC_CFLAGS := $(shell pkg-config --cflags json-c 2>/dev/null)
JSONC_LIBS   := $(shell pkg-config --libs json-c 2>/dev/null || echo -ljson-c)
CPPFLAGS += $(JSONC_CFLAGS)

MEMINIT_SRC := $(wildcard meminit/*.c)
MEMINIT_OBJ := $(MEMINIT_SRC:%.c=$(B)/obj/%.o)
MEMINIT_SIM_OBJ := $(MEMINIT_SRC:%.c=$(B)/simobj/%.o)
SIM_SRC     := $(wildcard tests/sim/*.c)
SIM_OBJ     := $(SIM_SRC:%.c=$(B)/pic/%.o)
XG_SRC      := $(filter-out xenguest/main.c,$(wildcard xenguest/*.c))
XG_OBJ      := $(XG_SRC:%.c=$(B)/obj/%.o)
UNIT_SRC    := $(wildcard tests/unit/test_*.c)
UNIT_BIN    := $(UNIT_SRC:tests/unit/%.c=$(B)/tests/%)
TOOL_SRC    := $(wildcard tests/tools/*.c)
TOOL_BIN    := $(TOOL_SRC:tests/tools/%.c=$(B)/tools/%)

LIBMEMINIT  := $(B)/libmeminit.a
LIBMEMINIT_SIM := $(B)/libmeminit-sim.a
LIBXGFRONT  := $(B)/libxgfront.a
LIBXCSIM    := $(B)/libxcsim.so

.PHONY: all check check-unit check-xen check-xen-boot check-xen-nodeclaim demo bench fuzz check-robust clean tools
all: $(B)/xenguest $(LIBMEMINIT)

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

# libmeminit.a, the archive that is installed and linked into xenguest:
# its objects relinked as one (ld -r), then every global symbol but the
# public meminit_* ones made local (objcopy), so that names such as
# claim_stake or topology_read cannot collide with a caller's (scripts/
# check-symbols checks the result). The unit tests, which also call internal
# functions (layout, topology), link libmeminit-sim.a below: the same
# sources, built against the simulated host's headers, with no such step.
$(LIBMEMINIT): $(MEMINIT_OBJ)
	@mkdir -p $(dir $@)
	$(LD) -r -o $(B)/meminit.o $^
	$(OBJCOPY) --wildcard --keep-global-symbol='meminit_*' $(B)/meminit.o
	rm -f $@
	$(AR) rcs $@ $(B)/meminit.o

# The claim-set call is bound only in the form the <xenctrl.h> in use
# declares (scripts/claim-abi writes claim_abi.h). The product is built
# against the system's headers; everything built against the simulated host
# sees tests/sim/claimset/xenctrl.h first (the v7 claim-set ABI, which the
# simulator implements) and links libmeminit-sim.a, the same sources built
# against that header.
CLAIMSET_CPPFLAGS := -Itests/sim/claimset
$(B)/gen/claim_abi.h: scripts/claim-abi
	@mkdir -p $(dir $@)
	$(Q)scripts/claim-abi "$(CC)" $(CPPFLAGS) > $@.tmp && mv $@.tmp $@
$(B)/gen-sim/claim_abi.h: scripts/claim-abi tests/sim/claimset/xenctrl.h
	@mkdir -p $(dir $@)
	$(Q)scripts/claim-abi "$(CC)" $(CLAIMSET_CPPFLAGS) $(CPPFLAGS) > $@.tmp && mv $@.tmp $@
$(MEMINIT_OBJ): $(B)/gen/claim_abi.h
$(MEMINIT_OBJ): CPPFLAGS += -I$(B)/gen
$(MEMINIT_SIM_OBJ): $(B)/gen-sim/claim_abi.h
$(MEMINIT_SIM_OBJ): CPPFLAGS += $(CLAIMSET_CPPFLAGS) -I$(B)/gen-sim

$(B)/simobj/%.o: %.c
	@mkdir -p $(dir $@)
	@[ -n "$(Q)" ] && echo "  CC      $< (sim)" || true
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

$(LIBMEMINIT_SIM): $(MEMINIT_SIM_OBJ)
	@mkdir -p $(dir $@)
	$(AR) rcs $@ $^

$(LIBXGFRONT): $(XG_OBJ)
	@mkdir -p $(dir $@)
	$(AR) rcs $@ $^

# The simulated hypervisor exports the libxenctrl calls under libxenctrl's own
# symbol version, so that libxenguest's stock meminit binds to it when it is
# loaded ahead of the real libxenctrl.
$(SIM_OBJ): CPPFLAGS += $(CLAIMSET_CPPFLAGS)
$(LIBXCSIM): $(SIM_OBJ) tests/sim/xcsim.map
	$(CC) $(LDFLAGS) -shared -Wl,--version-script=tests/sim/xcsim.map \
	    -Wl,-soname,libxcsim.so -o $@ $(SIM_OBJ) -lpthread

$(B)/xenguest: $(B)/obj/xenguest/main.o $(LIBXGFRONT) $(LIBMEMINIT)
	$(CC) $(LDFLAGS) -o $@ $^ $(XEN_LIBS) $(JSONC_LIBS)

# Unit tests: the simulated libxenctrl comes first so that it, not the real
# one, answers every hypercall made by meminit and by the stock libxenguest.
TEST_LDLIBS := -L$(B) -Wl,-rpath,'$$ORIGIN/..' -lxcsim $(XEN_LIBS) $(CMOCKA_LIBS) \
               $(JSONC_LIBS) -lpthread
$(UNIT_SRC:tests/unit/%.c=$(B)/obj/tests/unit/%.o): CPPFLAGS += $(CLAIMSET_CPPFLAGS)
$(TOOL_SRC:tests/tools/%.c=$(B)/obj/tests/tools/%.o): CPPFLAGS += $(CLAIMSET_CPPFLAGS)
$(B)/tests/%: $(B)/obj/tests/unit/%.o $(LIBXGFRONT) $(LIBMEMINIT_SIM) $(LIBXCSIM)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $< $(LIBXGFRONT) $(LIBMEMINIT_SIM) $(TEST_LDLIBS)

$(B)/tools/%: $(B)/obj/tests/tools/%.o $(LIBXGFRONT) $(LIBMEMINIT_SIM) $(LIBXCSIM)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $< $(LIBXGFRONT) $(LIBMEMINIT_SIM) $(TEST_LDLIBS)

check: check-unit check-claim-abi check-boot-fault check-bench-builder

# The boot scenarios' emulator-fault gate against Xen's dumps, offline.
.PHONY: check-boot-fault
check-boot-fault:
	@tests/tools/boot-fault-check

# xenguest-bench's --builder ours|stock|both on the simulated host.
.PHONY: check-bench-builder
check-bench-builder: $(B)/xenguest-bench
	@tests/tools/bench-builder-check $(B)

# The claim-set probe against the forms it knows, claim.c built for each.
.PHONY: check-claim-abi
check-claim-abi:
	@tests/tools/claim-abi-check "$(CC)" $(B)

# Structure: no function of xenguest/ or meminit/ of 40 lines or more, and
# no file-level cycle in meminit/, neither in its #includes nor in which
# object calls which (nm); scripts/funclen and scripts/acyclic say how.
.PHONY: check-structure
check-structure: $(LIBMEMINIT)
	@scripts/funclen --max 39 xenguest meminit
	@scripts/acyclic meminit $(B)/obj/meminit

tools: $(TOOL_BIN) $(LIBXCSIM)

check-unit: all tools $(UNIT_BIN) check-structure
	@scripts/run-units $(UNIT_BIN)

check-xen: all bench-build
	tests/xen/run --dom0-vcpus 2

# The boot set (guests built by xenguest and by xl booted to their token):
# a second QEMU boot, so that neither run outgrows CI's patience.
check-xen-boot: all
	tests/xen/run --boot

check-xen-nodeclaim: all
	tests/xen/nodeclaim/run

demo: all bench-build
	tests/xen/run --demo $(if $(NODE),--node $(NODE))

clean:
	rm -rf build

-include $(patsubst %.o,%.d,$(MEMINIT_OBJ) $(MEMINIT_SIM_OBJ) $(SIM_OBJ) $(XG_OBJ) $(B)/obj/xenguest/main.o \
    $(UNIT_SRC:tests/unit/%.c=$(B)/obj/tests/unit/%.o) \
    $(TOOL_SRC:tests/tools/%.c=$(B)/obj/tests/tools/%.o))

# --- ACPI (PVH) ---
# The PVH guest's DSDT (xenguest/acpi.c): xenguest/acpi/dsdt_pvh.asl plus one
# processor Device per possible vCPU (mk-dsdt-cpus, XG_MAX_VCPUS from
# xenguest/platform.h), compiled by iasl (acpica-tools), turned into a C array
# by aml2c and linked into libxgfront. WERROR=1 makes iasl warnings errors.
IASL          ?= iasl
IASLFLAGS     := -vs $(if $(filter 1,$(WERROR)),-we)
ACPI_GEN      := $(B)/gen/acpi
ACPI_NCPUS    := $(shell sed -n 's/^.define XG_MAX_VCPUS  *\([0-9]*\).*/\1/p' xenguest/platform.h)
ACPI_DSDT_OBJ := $(ACPI_GEN)/dsdt_pvh.o

$(ACPI_GEN)/dsdt_pvh_cpus.asl: xenguest/acpi/mk-dsdt-cpus xenguest/platform.h
	@mkdir -p $(dir $@)
	$(Q)xenguest/acpi/mk-dsdt-cpus $(ACPI_NCPUS) > $@.tmp && mv $@.tmp $@

$(ACPI_GEN)/dsdt_pvh.aml: xenguest/acpi/dsdt_pvh.asl $(ACPI_GEN)/dsdt_pvh_cpus.asl
	@[ -n "$(Q)" ] && echo "  IASL    $<" || true
	$(Q)$(IASL) $(IASLFLAGS) -I $(ACPI_GEN) -p $(ACPI_GEN)/dsdt_pvh $< \
	    > $(ACPI_GEN)/iasl.log 2>&1 || { cat $(ACPI_GEN)/iasl.log; exit 1; }
	$(Q)grep -q ' 0 Errors, 0 Warnings, 0 Remarks' $(ACPI_GEN)/iasl.log || \
	    cat $(ACPI_GEN)/iasl.log

$(ACPI_GEN)/dsdt_pvh.c: $(ACPI_GEN)/dsdt_pvh.aml xenguest/acpi/aml2c
	$(Q)xenguest/acpi/aml2c $< xg_dsdt_pvh $(ACPI_NCPUS) > $@.tmp && mv $@.tmp $@

$(ACPI_DSDT_OBJ): $(ACPI_GEN)/dsdt_pvh.c
	@[ -n "$(Q)" ] && echo "  CC      $<" || true
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

$(LIBXGFRONT): $(ACPI_DSDT_OBJ)
-include $(ACPI_DSDT_OBJ:.o=.d)

# --- robustness ---
# Robustness and fuzzing (docs/robustness.md):
#   make check-robust    fault sweep, boot storm and signal tests on the
#                        simulated host (tests/robust), a reduced sweep under
#                        valgrind, then each fuzz target for
#                        FUZZ_CI_SECONDS (10) and a replay of its corpus
#   make fuzz            each libFuzzer target for FUZZ_SECONDS (30)
# The fuzz targets need clang and libclang-rt-14-dev (scripts/deps --all).
ROBUST_SRC    := $(filter-out tests/robust/robust.c,$(wildcard tests/robust/*.c))
ROBUST_BIN    := $(ROBUST_SRC:tests/robust/%.c=$(B)/robust/%)
ROBUST_LIB    := $(B)/obj/tests/robust/robust.o
ROBUST_LDLIBS := -L$(B) -Wl,-rpath,'$$ORIGIN/..' -lxcsim $(XEN_LIBS) $(JSONC_LIBS) \
                 -lpthread
# Keep the objects: they are intermediates of the pattern rule below.
.SECONDARY: $(ROBUST_SRC:%.c=$(B)/obj/%.o) $(ROBUST_LIB)

# The robustness programs link the front-end library too: the signal tests
# exercise xenguest's own stop flag and handler (xenguest/signals.c).
$(B)/robust/%: $(B)/obj/tests/robust/%.o $(ROBUST_LIB) $(LIBXGFRONT) \
               $(LIBMEMINIT_SIM) $(LIBXCSIM)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $< $(ROBUST_LIB) $(LIBXGFRONT) $(LIBMEMINIT_SIM) \
	    $(ROBUST_LDLIBS)

FUZZ_CC         ?= clang
FUZZ_SECONDS    ?= 30
FUZZ_CI_SECONDS ?= 10
FUZZ_DIR        := build/fuzz
FUZZ_TARGETS    := $(patsubst tests/fuzz/fuzz_%.c,%,$(wildcard tests/fuzz/fuzz_*.c))
FUZZ_BIN        := $(FUZZ_TARGETS:%=$(FUZZ_DIR)/fuzz_%)
FUZZ_CFLAGS     := -std=gnu11 -g -O1 $(WARN) -D_GNU_SOURCE \
                   -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
# What each target compiles besides its harness.
FUZZ_SRC_options  := xenguest/options.c xenguest/parse.c meminit/error.c \
                     meminit/names.c
FUZZ_SRC_platform := xenguest/platform.c xenguest/parse.c xenguest/mask.c \
                     meminit/names.c \
                     meminit/error.c
FUZZ_SRC_mask     := xenguest/mask.c meminit/error.c
FUZZ_SRC_layout   := meminit/layout.c meminit/topology.c meminit/ctx.c \
                     meminit/policy.c meminit/names.c \
                     meminit/error.c
FUZZ_LIBS_layout  := -lxenctrl

define fuzz_rule
$(FUZZ_DIR)/fuzz_$(1): tests/fuzz/fuzz_$(1).c tests/fuzz/fuzz.h $(FUZZ_SRC_$(1))
	@mkdir -p $$(dir $$@)
	$$(FUZZ_CC) $$(FUZZ_CFLAGS) $$(CPPFLAGS) -Itests/fuzz -o $$@ \
	    tests/fuzz/fuzz_$(1).c $(FUZZ_SRC_$(1)) $(FUZZ_LIBS_$(1))
endef
$(foreach t,$(FUZZ_TARGETS),$(eval $(call fuzz_rule,$(t))))

.PHONY: robust-bin fuzz-bin
robust-bin: all $(LIBXCSIM) $(ROBUST_BIN)
fuzz-bin: $(FUZZ_BIN)

fuzz: $(FUZZ_BIN)
	@FUZZ_DIR=$(FUZZ_DIR) tests/fuzz/run $(FUZZ_SECONDS) $(FUZZ_TARGETS)

check-robust: robust-bin $(FUZZ_BIN)
	@B=$(B) SAN=$(SAN) FUZZ_DIR=$(FUZZ_DIR) FUZZ_SECONDS=$(FUZZ_CI_SECONDS) \
	    FUZZ_TARGETS="$(FUZZ_TARGETS)" tests/robust/run

-include $(patsubst %.c,$(B)/obj/%.d,$(wildcard tests/robust/*.c))

# --- benchmark ---
# build/xenguest-bench      the benchmark on the simulated host: libxcsim.so
#                           comes first, as for the unit tests, so that it
#                           answers the libxenctrl calls of both builders
# build/xenguest-bench-xen  the same sources against real Xen (run in dom0 as
#                           root): the host's libxenguest/libxenctrl only
# make bench-build          both binaries; make check-bench: a quick smoke test
# make bench                the standard set on the simulated hosts of
#                           tests/bench/hosts/: the tables on stdout, and
#                           build/bench/NAME.{txt,json,svg} (docs/benchmarks.md)
BENCH_SRC     := $(filter-out tests/bench/backend_%.c,$(wildcard tests/bench/*.c))
BENCH_OBJ     := $(BENCH_SRC:%.c=$(B)/obj/%.o)
BENCH_SIM_OBJ := $(BENCH_OBJ) $(B)/obj/tests/bench/backend_sim.o
BENCH_XEN_OBJ := $(BENCH_OBJ) $(B)/obj/tests/bench/backend_xen.o
BENCH_BIN     := $(B)/xenguest-bench $(B)/xenguest-bench-xen
BENCH_OUT     := $(B)/bench
BENCH_HOSTS   := tests/bench/hosts
BENCH_RUNS    ?= 3

.PHONY: bench-build
bench-build: $(BENCH_BIN)

$(B)/xenguest-bench: $(BENCH_SIM_OBJ) $(LIBMEMINIT_SIM) $(LIBXCSIM)
	$(CC) $(LDFLAGS) -o $@ $(BENCH_SIM_OBJ) $(LIBMEMINIT_SIM) \
	    -L$(B) -Wl,-rpath,'$$ORIGIN' -lxcsim $(XEN_LIBS) -lm -lpthread

$(B)/xenguest-bench-xen: $(BENCH_XEN_OBJ) $(LIBMEMINIT)
	$(CC) $(LDFLAGS) -o $@ $(BENCH_XEN_OBJ) $(LIBMEMINIT) \
	    -lxenguest -lxenctrl -lxentoollog -lm

# One case of the standard set: $(1) its name, $(2) the options. The table is
# kept in build/bench/$(1).txt and shown; the JSON must parse.
define bench_case
	@echo; echo "### $(1): xenguest-bench $(2)"
	@$(B)/xenguest-bench $(2) --runs $(BENCH_RUNS) --name $(1) \
	    --json=$(BENCH_OUT)/$(1).json --plot $(BENCH_OUT)/$(1).svg \
	    > $(BENCH_OUT)/$(1).txt; rc=$$?; cat $(BENCH_OUT)/$(1).txt; \
	    [ $$rc -eq 0 ] && python3 -m json.tool $(BENCH_OUT)/$(1).json >/dev/null
endef

comma := ,
bench: $(BENCH_BIN)
	@mkdir -p $(BENCH_OUT)
	$(call bench_case,8node-1tib,--host $(BENCH_HOSTS)/8-node.host --gib 1024 --pnode 0)
	$(call bench_case,8node-each,--host $(BENCH_HOSTS)/8-node.host --gib 64 --pnode each)
	$(call bench_case,4node-spill,--host $(BENCH_HOSTS)/4-node.host --gib 96 --pnode 2)
	$(call bench_case,4node-claimset,--host $(BENCH_HOSTS)/4-node.host --gib 96 --pnode 2 --claim-abi set)
	$(call bench_case,2socket-spill,--host $(BENCH_HOSTS)/2-socket.host --gib 160 --pnode 1)
	$(call bench_case,fragmented,--host $(BENCH_HOSTS)/fragmented.host --gib 24 --pnode 0)
	$(call bench_case,fragmented-2m,--host $(BENCH_HOSTS)/fragmented-2m.host --gib 24 --pnode 0)
	$(call bench_case,4node-pv,--host $(BENCH_HOSTS)/4-node.host --type pv --gib 32 --pnode 2)
	$(call bench_case,4node-policy,--host $(BENCH_HOSTS)/4-node.host --gib 96 --pnode 2 --policy all --policy-nodes 2-3)
	$(call bench_case,8node-policy,--host $(BENCH_HOSTS)/8-node.host --gib 64 --pnode 0 --policy all --policy-nodes 0-1$(comma)7)
	@echo; echo "bench: tables, JSON and SVG in $(BENCH_OUT)/"

# A quick check that both binaries build, a case runs and its JSON parses,
# and a usage error exits 2 (not part of `check`).
.PHONY: check-bench
check-bench: $(BENCH_BIN)
	@$(B)/xenguest-bench --host $(BENCH_HOSTS)/fragmented.host --gib 8 \
	    --pnode each --runs 1 --json | python3 -m json.tool >/dev/null
	@$(B)/xenguest-bench --gib 1 --mib 16 >/dev/null 2>&1; [ $$? -eq 2 ]
	@echo "check-bench: ok"

-include $(BENCH_OBJ:.o=.d) $(B)/obj/tests/bench/backend_sim.d \
    $(B)/obj/tests/bench/backend_xen.d

# --- install, packages ---
# make install [DESTDIR=...] [PREFIX=/usr] [LIBDIR=...] [INCLUDEDIR=...]
#   $(LIBEXECDIR)/xenguest-numa     the builder, under its own name: never
#                                   over XenServer's xenguest, which
#                                   emu-manager execs for migration and
#                                   resume (modes this one does not have)
#   $(XAPI_ALTDIR)/xenguest-numa    a symlink to it: the name a VM's
#                                   platform:xenguest may give (xenopsd looks
#                                   only in /usr/lib/xapi/alternatives/xenguest;
#                                   XAPI_ALTDIR= skips it)
#   $(BENCHDIR)/xenguest-bench-xen  the real-Xen benchmark
#   $(MANDIR)/man1/xenguest-numa.1
#   $(LIBDIR)/libmeminit.a, $(LIBDIR)/pkgconfig/libmeminit.pc,
#   $(INCLUDEDIR)/meminit/{meminit,error}.h (meminit.h includes "error.h",
#                                   which must not land beside <error.h>)
# make uninstall removes exactly these, and the two directories that are
# ours alone ($(BENCHDIR), $(INCLUDEDIR)/meminit) when they are empty;
# shared ones (man1, pkgconfig, libexec/xen/bin, ...) stay. LIBDIR defaults to Debian's multiarch directory when the
# compiler names one (gcc -print-multiarch), else $(PREFIX)/lib.
# make dist: build/xenguest-numa-$(VERSION).tar.gz from git HEAD, with the
# version in .tarball-version and the RPM spec made from its template.
PREFIX      ?= /usr
MULTIARCH   := $(shell $(CC) -print-multiarch 2>/dev/null)
LIBDIR      ?= $(PREFIX)/lib$(if $(MULTIARCH),/$(MULTIARCH))
INCLUDEDIR  ?= $(PREFIX)/include
LIBEXECDIR  ?= $(PREFIX)/libexec/xen/bin
BENCHDIR    ?= $(PREFIX)/libexec/xenguest-numa
MANDIR      ?= $(PREFIX)/share/man
XAPI_ALTDIR ?= /usr/lib/xapi/alternatives/xenguest
XG_NAME     := xenguest-numa
VERSION     := $(shell scripts/version)
XEN_VERSION := $(shell pkg-config --modversion xencontrol 2>/dev/null || echo unknown)

# What install puts where: DEST:SOURCE:MODE, one per file.
INSTALL_FILES := \
    $(LIBEXECDIR)/$(XG_NAME):$(B)/xenguest:0755 \
    $(BENCHDIR)/xenguest-bench-xen:$(B)/xenguest-bench-xen:0755 \
    $(MANDIR)/man1/$(XG_NAME).1:docs/xenguest.1:0644 \
    $(LIBDIR)/libmeminit.a:$(B)/libmeminit.a:0644 \
    $(LIBDIR)/pkgconfig/libmeminit.pc:$(B)/libmeminit.pc:0644 \
    $(INCLUDEDIR)/meminit/meminit.h:meminit/meminit.h:0644 \
    $(INCLUDEDIR)/meminit/error.h:meminit/error.h:0644

# The version (scripts/version) and the Xen it is built against are
# compiled into main.o only: --version prints them.
$(B)/obj/xenguest/main.o: CPPFLAGS += -DXG_VERSION='"$(VERSION)"' \
    -DXG_XEN_VERSION='"$(XEN_VERSION)"'
$(B)/obj/xenguest/main.o: $(B)/version.stamp
$(B)/version.stamp: FORCE
	@mkdir -p $(dir $@)
	@echo '$(VERSION) $(XEN_VERSION)' | cmp -s - $@ || \
	    echo '$(VERSION) $(XEN_VERSION)' > $@

# Remade whenever the paths or the version differ from the last make.
$(B)/libmeminit.pc: meminit/libmeminit.pc.in FORCE
	@mkdir -p $(dir $@)
	@sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@LIBDIR@|$(LIBDIR)|' \
	    -e 's|@INCLUDEDIR@|$(INCLUDEDIR)|' -e 's|@VERSION@|$(VERSION)|' \
	    $< > $@.tmp
	@cmp -s $@.tmp $@ && rm -f $@.tmp || mv $@.tmp $@

.PHONY: install uninstall dist check-deploy FORCE
install: all $(B)/xenguest-bench-xen $(B)/libmeminit.pc
	@set -e; for f in $(INSTALL_FILES); do \
	    dest=$${f%%:*}; rest=$${f#*:}; src=$${rest%%:*}; mode=$${rest#*:}; \
	    echo "  INSTALL $(DESTDIR)$$dest"; \
	    install -D -m $$mode $$src $(DESTDIR)$$dest; \
	done
	$(if $(XAPI_ALTDIR),install -d $(DESTDIR)$(XAPI_ALTDIR))
	$(if $(XAPI_ALTDIR),ln -sfn $(LIBEXECDIR)/$(XG_NAME) \
	    $(DESTDIR)$(XAPI_ALTDIR)/$(XG_NAME))

uninstall:
	@for f in $(INSTALL_FILES); do \
	    dest=$${f%%:*}; echo "  RM      $(DESTDIR)$$dest"; \
	    rm -f $(DESTDIR)$$dest; \
	done
	$(if $(XAPI_ALTDIR),rm -f $(DESTDIR)$(XAPI_ALTDIR)/$(XG_NAME))
	@for d in $(BENCHDIR) $(INCLUDEDIR)/meminit; do \
	    [ ! -d $(DESTDIR)$$d ] || rmdir $(DESTDIR)$$d 2>/dev/null || \
	        echo "uninstall: $(DESTDIR)$$d is not empty: kept"; \
	done

dist:
	@scripts/mkdist build

# Offline checks of the deployment (part of make check): the archive
# exports meminit_* only; a staged install leaves a stand-in
# /usr/libexec/xen/bin/xenguest alone, a program built with pkg-config
# against it runs, and uninstall removes exactly what install added;
# (--version and the report schema are tested by test_cli, test_report.)
check: check-deploy
check-deploy: check-unit $(B)/xenguest-bench-xen
	@scripts/check-symbols $(LIBMEMINIT)
	@B=$(B) MAKE="$(MAKE)" SAN=$(SAN) SANFLAGS="$(SANFLAGS)" CC="$(CC)" \
	    scripts/check-install

# The .debs (dpkg-buildpackage, lintian) and the RPMs (Debian's rpmbuild)
# from make dist's tarball, each installed into a scratch root and checked
# (scripts/build-packages; CI runs it).
.PHONY: packages
packages:
	@scripts/build-packages build/pkg
