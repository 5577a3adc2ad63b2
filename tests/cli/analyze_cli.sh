#!/bin/bash
# fouille-analyze: terms with positions, byte offsets into the input and
# the colocated flag, as text and JSON; standard input; hostile input;
# usage errors exit 2 with one line.
set -euo pipefail
AN=${FOUILLE_ANALYZE:?}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

# Elision moves the start past "l’" (3 bytes for ’); accents fold after
# stemming; the accentless plural stem is a colocated alternative.
out=$("$AN" "L’État des vélos")
printf '%s\n' "$out" | grep -qxF "$(printf '0\tetat\t4-9\tÉtat')" || fail "elision offsets: $out"
printf '%s\n' "$out" | grep -qxF "$(printf '2\tvelos\t14-20\tvélos')" || fail "primary stem: $out"
printf '%s\n' "$out" | grep -qxF "$(printf '2\tvelo\t14-20\tvélos\tcolocated')" || fail "colocated: $out"

# JSON: the analyzer version, and offsets that slice the input bytes.
"$AN" --json "Jusqu’où ira l’IA ?" >"$T/j"
python3 - "$T/j" <<'PY' || fail "JSON: $(cat "$T/j")"
import json, sys
d = json.load(open(sys.argv[1]))
text = "Jusqu’où ira l’IA ?".encode()
assert d["mode"] == "document" and isinstance(d["analyzer_version"], int), d
terms = d["terms"]
assert [t["term"] for t in terms] == ["ou", "ira", "ia"], terms
for t in terms:
    assert text[t["start"]:t["end"]].decode() == t["text"], t
assert [t["position"] for t in terms] == [0, 1, 2], terms
assert not any(t["colocated"] for t in terms), terms
PY

# Standard input (- or nothing), and the query and prefix modes.
[ "$(echo 'Nucléaire' | "$AN" - | cut -f2)" = nucleair ] || fail "stdin"
[ "$(echo 'Nucléaire' | "$AN" | cut -f2)" = nucleair ] || fail "stdin without -"
# Prefix mode: the folded prefix first (not stemmed), its stem colocated.
[ "$("$AN" --prefix 'Nucléaire' | head -1 | cut -f2)" = nucleaire ] || fail "prefix mode is folded"
"$AN" --prefix 'Nucléaire' | grep -qxF "$(printf '0\tnucleair\t0-10\tNucléaire\tcolocated')" ||
  fail "prefix stem: $("$AN" --prefix 'Nucléaire')"
# A joined alternative spans the whole chain: O.N.U. is found by "onu".
"$AN" "O.N.U." | grep -qxF "$(printf '0\tonu\t0-5\tO.N.U\tcolocated')" || fail "acronym: $("$AN" O.N.U.)"
"$AN" --json --query x | grep -q '"mode":"query"' || fail "query mode"

# Hostile input: invalid UTF-8 separates words, binary and empty input are fine.
printf 'a\377b' | "$AN" --json >"$T/bad" || fail "invalid UTF-8 exit $?"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert [t["term"] for t in d["terms"]]==["a","b"], d' "$T/bad" || fail "invalid UTF-8: $(cat "$T/bad")"
head -c 100000 /dev/urandom >"$T/rand"
"$AN" --json <"$T/rand" >/dev/null || fail "random bytes"
[ -z "$("$AN" </dev/null)" ] || fail "empty input prints terms"

# --lines: one JSON string a line in, one JSON object a line out, the same
# as --json on each text; a line that is no JSON string fails (exit 3).
printf '"L\u2019\u00c9tat"\n"v\u00e9los"\n' | "$AN" --lines >"$T/lines"
[ "$(wc -l <"$T/lines")" -eq 2 ] || fail "--lines: $(cat "$T/lines")"
[ "$(sed -n 2p "$T/lines")" = "$("$AN" --json 'vélos')" ] || fail "--lines differs from --json"
set +e
echo '{"a":1}' | "$AN" --lines 2>"$T/lerr"; rcl=$?
"$AN" --lines text 2>/dev/null; rcl2=$?
set -e
[ $rcl -eq 3 ] && grep -q 'line 1: not a JSON string' "$T/lerr" || fail "--lines bad line: $rcl $(cat "$T/lerr")"
[ $rcl2 -eq 2 ] || fail "--lines with TEXT exit $rcl2"

# Usage errors: exit 2, one line and a hint.
set +e
"$AN" --nope x 2>"$T/err"; rc=$?
"$AN" a b 2>"$T/err2"; rc2=$?
set -e
[ $rc -eq 2 ] && [ $rc2 -eq 2 ] || fail "usage errors exit $rc, $rc2"
grep -q '^fouille-analyze: ' "$T/err" || fail "message: $(cat "$T/err")"
"$AN" --version | grep -q '^fouille-analyze [0-9]' || fail "--version"
echo "analyze_cli: ok"
