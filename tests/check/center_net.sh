#!/bin/sh
# Billing-center network suite: build/billing-center + the kiosk's center_client over real
# mutual TLS on loopback (ledger rules, signatures, clock skew, pinning, every fault knob).
BUILD=${BUILD:-build}
exec "$BUILD/tests/center_net" "$BUILD"
