#!/bin/sh
# The billing-center network suite again, every client's exchange in a kiosk-link process
# (as the kiosk runs them): the same ledger rows, classes, statuses and clock offsets.
BUILD=${BUILD:-build}
CENTER_NET_LINK=1 exec "$BUILD/tests/center_net" "$BUILD"
