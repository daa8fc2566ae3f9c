# Test PKI for the billing center and the kiosk, generated (never committed) into
# $(BUILD)/certs by mkcerts.sh: the center CA and server certificate (+ an alternative key
# for the pin-mismatch test, + a backup pin), the kiosk CA and client certificates, HMAC
# keys and the sha256 pins.  Part of `all`, so `make` and `make check` build it.
# (CERTS_STAMP is named in the top Makefile, before any fragment is read.)
EXTRA_PROGS += $(CERTS_STAMP)

$(CERTS_STAMP): tests/sim/billing-center/mkcerts.sh | $(DEPS_STAMP)
	@sh tests/sim/billing-center/mkcerts.sh $(BUILD)/certs
	@touch $@
