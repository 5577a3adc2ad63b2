#!/bin/bash
# cmake --install into a temporary prefix: library, headers, fouille.pc,
# man pages, fouille.so and the tools land there; examples/search.c builds
# with pkg-config and finds an article indexed by the installed
# fouille-index; examples/write.c builds, writes articles from memory, and
# the installed fouille-query finds them.
set -euo pipefail
SRC=${FOUILLE_SOURCE_DIR:?}
BUILD=${FOUILLE_BUILD_DIR:?}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
P=$T/prefix
cmake --install "$BUILD" --prefix "$P" >"$T/install.log" 2>&1 || fail "install: $(tail -5 "$T/install.log")"
LIBDIR=$(dirname "$(find "$P" -name fouille.pc -print -quit)")/..
[ -f "$LIBDIR/pkgconfig/fouille.pc" ] || fail "no fouille.pc installed"
for f in include/fouille.h include/fouille/index.h include/fouille/query.h include/fouille/http.h \
  bin/fouille-index bin/fouille-query bin/fouille-analyze bin/fouille-export include/fouille/export.h \
  include/fouille/http.h; do
  [ -e "$P/$f" ] || fail "not installed: $f"
done
ls "$LIBDIR"/libfouille.so* "$LIBDIR"/libfouille.a >/dev/null || fail "library not installed"
find "$P" -name fouille.so | grep . >/dev/null || fail "fouille.so not installed"
find "$P" -path '*man1*' -name 'fouille-*.1' | grep . >/dev/null || fail "man pages not installed"

# The prefix in fouille.pc was fixed at configure time: point pkg-config
# at the temporary one.
export PKG_CONFIG_PATH=$LIBDIR/pkgconfig
PKGFLAGS="--define-variable=prefix=$P"
CFLAGS=$(pkg-config $PKGFLAGS --cflags fouille)
# A sanitizer build's library needs its runtime in the example too.
ldd "$BUILD/fouille-query" | grep libasan >/dev/null && CFLAGS="$CFLAGS -fsanitize=address,undefined"
LIBS=$(pkg-config $PKGFLAGS --libs fouille)
cc -std=c11 -Wall -Wextra -Werror $CFLAGS "$SRC/examples/search.c" -o "$T/search" $LIBS \
  -Wl,-rpath,"$(cd "$LIBDIR" && pwd)" || fail "examples/search.c does not build (shared)"
ldd "$T/search" | grep "$(cd "$LIBDIR" && pwd)/libfouille.so" >/dev/null || fail "search not linked to the installed library"
cc -std=c11 -Wall -Wextra -Werror $CFLAGS "$SRC/examples/write.c" -o "$T/write" $LIBS \
  -Wl,-rpath,"$(cd "$LIBDIR" && pwd)" || fail "examples/write.c does not build (shared)"

mkdir -p "$T/arch"
printf 'La montgolfière de Lyon\n\nUne montgolfière rouge a survolé Lyon ce matin.\n' >"$T/arch/ballon.txt"
cp -r "$FOUILLE_TEST_DATA/articles/." "$T/arch/"
"$P/bin/fouille-index" --quiet --db "$T/i.db" "$T/arch" >/dev/null || fail "installed fouille-index"
for bin in search; do
  "$T/$bin" "$T/i.db" montgolfière >"$T/out" || fail "$bin: exit $?"
  grep -q "^1 hits" "$T/out" || fail "$bin: $(head -1 "$T/out")"
  grep -q "ballon.txt" "$T/out" || fail "$bin: hit missing"
  grep -q "\[montgolfière\]" "$T/out" || fail "$bin: no highlight: $(cat "$T/out")"
  set +e
  "$T/$bin" "$T/i.db" zzyzxq >/dev/null; rc=$?
  "$T/$bin" "$T/none.db" montgolfière >/dev/null 2>"$T/err"; rc2=$?
  set -e
  [ $rc -eq 1 ] || fail "$bin: no hit should exit 1, got $rc"
  [ $rc2 -eq 3 ] && [ -s "$T/err" ] || fail "$bin: missing index should fail with a message"
done
"$P/bin/fouille-query" --db "$T/i.db" --ids montgolfière | grep -x ballon.txt >/dev/null || fail "installed fouille-query"
# The installed fouille-query loads the server library beside it (dlopen,
# --serve only) and does not link it: a one-shot query starts faster.
ldd "$P/bin/fouille-query" | grep -q libmicrohttpd && fail "fouille-query links libmicrohttpd"
"$P/bin/fouille-query" --db "$T/i.db" --serve 127.0.0.1:0 2>"$T/serve.err" &
spid=$!
for _ in $(seq 100); do grep -q "listening on" "$T/serve.err" 2>/dev/null && break; sleep 0.1; done
kill $spid 2>/dev/null || true
wait $spid 2>/dev/null || true
grep -q "listening on http://127.0.0.1:" "$T/serve.err" || fail "installed --serve: $(head -2 "$T/serve.err")"

# examples/write.c: twice (the second run puts the same articles again).
for run in 1 2; do
  "$T/write" "$T/w.db" >"$T/out" || fail "write: exit $? (run $run)"
  [ "$(cat "$T/out")" = "$(printf 'montgolfières: 1 hits\n  exemple/1  La montgolfière de Lyon\ndépêche: 0 hits')" ] \
    || fail "write output: $(cat "$T/out")"
done
"$P/bin/fouille-query" --db "$T/w.db" --ids bleue | grep -qx "exemple/1" || fail "written article not found"
"$P/bin/fouille-index" --db "$T/w.db" --stats | grep -q "^root: stream exemple, 2 articles" || fail "stream root"
set +e
"$T/write" >/dev/null 2>&1; rc=$?
set -e
[ $rc -eq 2 ] || fail "write without INDEX: exit $rc"
echo "install: ok"
