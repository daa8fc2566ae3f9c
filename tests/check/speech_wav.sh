#!/bin/sh
# Voice guidance, headless: the Russian voice payment run with --speech-wav leaves a speech
# log of the whole dialogue (time, screen id, text; one line each) and a WAV file per
# utterance that was synthesized to its end: RIFF/WAVE, 16-bit mono PCM at espeak-ng's
# 22050 Hz, sound in it.  Screen changes and new touches cut utterances short, so some lines
# have no file; the last one (voice mode switched off) always has.
set -u
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
out=$(mktemp -d /tmp/speech_wav.XXXXXX)
trap 'rm -rf "$out"' EXIT
fail() { echo "speech_wav: $*" >&2; exit 1; }

tests/e2e/run tests/e2e/voice_pay_ru.script --out "$out" --speech-wav || fail "the voice payment run failed"
log=$out/speech.log
[ -f "$log" ] || fail "no speech.log in the out directory"
lines=$(wc -l <"$log")
[ "$lines" -ge 40 ] || fail "speech.log has $lines lines, expected the whole dialogue (40 or more)"
# every line: "YYYY-MM-DD HH:MM:SS.mmm<TAB>screen<TAB>text"
bad=$(grep -cvP '^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}\t[a-z_]+\t.+$' "$log")
[ "$bad" -eq 0 ] || fail "$bad lines of speech.log are not time, screen, text"
grep -qP '^2026-11-20 10:0\d:\d\d\.\d{3}\tcontrol_question\tЛицевой счёт пять ноль ноль один два, три четыре пять\.' "$log" ||
	fail "the control question is not in the log at the test clock's time"
grep -qP '\tpayment_result\tОплата прошла\. Оплачено четыре тысячи пятьсот двадцать три рубля шестнадцать копеек\.' "$log" ||
	fail "the result is not in the log"

wavs=$(ls "$out"/speech-*.wav 2>/dev/null | wc -l)
[ "$wavs" -ge 5 ] && [ "$wavs" -le "$lines" ] || fail "$wavs WAV files for $lines utterances"
last=$(printf '%s/speech-%04d.wav' "$out" "$lines")
[ -f "$last" ] || fail "no WAV file for the last utterance ($last)"
python3 - "$out"/speech-*.wav <<'PY' || fail "a WAV file is not 16-bit mono PCM at 22050 Hz with sound in it"
import array, struct, sys
for path in sys.argv[1:]:
    d = open(path, 'rb').read()
    assert d[:4] == b'RIFF' and d[8:16] == b'WAVEfmt ' and d[36:40] == b'data', path
    fmt, ch, rate, _, _, bits = struct.unpack('<HHIIHH', d[20:36])
    assert (fmt, ch, rate, bits) == (1, 1, 22050, 16), path
    n = struct.unpack('<I', d[40:44])[0]
    assert n == len(d) - 44 and n > 0, path
    s = array.array('h', d[44:44 + n])
    assert max(max(s), -min(s)) > 500, path
PY
echo "speech_wav: $lines utterances logged, $wavs WAV files checked"
