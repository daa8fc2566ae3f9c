#!/bin/sh
# The voice guidance's rate and volume from the technician's service menu: set, said, kept
# in the store's settings and the audit trail (set.script), and still in force after a
# restart on the same store (restart.script).
cd "$(dirname "$0")/../.." || exit 2
tests/e2e/run tests/check/voice_settings/set.script --then tests/check/voice_settings/restart.script
