# build/vtk-sim: the Vendotek (VTK) terminal simulator.  Its core (tests/sim/pinpad/vtksim*.c)
# is part of libpinpadsim.a, which the unit tests link; only the program's main lives here.
EXTRA_PROGS += $(BUILD)/vtk-sim

$(BUILD)/vtk-sim: $(call obj,tests/sim/vtk/main.c) $(PPSIMLIB) $(TESTLIB) $(LIB)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(PKG_LIBS)
