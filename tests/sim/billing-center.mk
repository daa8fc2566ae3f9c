# The top Makefile includes tests/*/*.mk; the billing-center fragments live beside its sources.
include tests/sim/billing-center/center.mk tests/sim/billing-center/certs.mk
