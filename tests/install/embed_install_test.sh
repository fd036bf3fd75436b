#!/usr/bin/env bash
# Installs picsec into a temporary prefix and uses it as an integrator would:
# examples/embed configured with find_package(picsec CONFIG) and run, then a
# small program compiled with `pkg-config --cflags --libs picsec`.
#   embed_install_test.sh CMAKE BUILD_DIR SOURCE_DIR CXX [EXTRA_FLAGS]
set -euo pipefail
cmake_cmd=$1 build=$2 source=$3 cxx=$4 extra_flags=${5:-}

work=$(mktemp -d "${TMPDIR:-/tmp}/picsec-install-test.XXXXXX")
trap 'rm -rf "$work"' EXIT
prefix=$work/prefix

fail() { echo "FAIL: $*" >&2; exit 1; }

echo "== cmake --install $build --prefix $prefix"
"$cmake_cmd" --install "$build" --prefix "$prefix" > "$work/install.log" || { cat "$work/install.log"; fail "install"; }
# The library directory is lib, or lib/<multiarch> for a /usr prefix (GNUInstallDirs).
pc=$(find "$prefix" -name picsec.pc)
[[ -n $pc ]] || fail "picsec.pc was not installed"
libdir=$(dirname "$(dirname "$pc")")
for f in bin/picsec bin/ike-peer share/man/man1/picsec.1 share/man/man1/ike-peer.1 include/picsec/ike/engine.h include/picsec/sadb/sadb.h include/picsec/pic/pic.h \
         include/picsec/config/model.h "${libdir#"$prefix"/}/cmake/picsec/picsecConfig.cmake" \
         "${libdir#"$prefix"/}/cmake/picsec/picsecConfigVersion.cmake"; do
  [[ -e $prefix/$f ]] || fail "$f was not installed"
done
for lib in base sadb pic config ike ike_codec ike_crypto ike_negotiation; do
  [[ -e $libdir/libpicsec_$lib.a ]] || fail "libpicsec_$lib.a was not installed"
done

echo "== examples/embed with find_package(picsec)"
generator=()
command -v ninja > /dev/null && generator=(-G Ninja)
"$cmake_cmd" -S "$source/examples/embed" -B "$work/embed" "${generator[@]}" -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_CXX_COMPILER="$cxx" \
  -DCMAKE_CXX_FLAGS="$extra_flags" -DCMAKE_EXE_LINKER_FLAGS="$extra_flags" > "$work/embed-configure.log" \
  || { cat "$work/embed-configure.log"; fail "configure examples/embed"; }
# Built against the prefix, never the source tree.
grep -q "$source/lib" "$work/embed/build.ninja" "$work/embed/Makefile" 2>/dev/null && fail "examples/embed sees the source tree"
"$cmake_cmd" --build "$work/embed" -j 2 > "$work/embed-build.log" || { cat "$work/embed-build.log"; fail "build examples/embed"; }
rc=0
out=$("$work/embed/embed-router") || rc=$?
[[ $rc == 0 ]] || { echo "$out"; fail "embed-router exited $rc"; }
echo "$out"
grep -Eq '^IPsec SA sa-to-peer up after [0-9]+ datagrams, [0-9]+ ms: 10\.0\.0\.1:500 <-> 10\.0\.0\.2:500, esp tunnel, SPI in 0x[0-9a-f]{8} out 0x[0-9a-f]{8}$' <<< "$out" \
  || fail "embed-router did not report the SA"
grep -q '^SADB holds 2 SAs$' <<< "$out" || fail "embed-router's SADB does not hold the pair"

echo "== pkg-config picsec"
export PKG_CONFIG_PATH=$libdir/pkgconfig
pkg-config --exists picsec || fail "pkg-config does not find picsec"
[[ $(pkg-config --modversion picsec) == 0.1.0 ]] || fail "picsec.pc version"
cat > "$work/pc.cpp" <<'CPP'
#include "picsec/ike/types.h"
#include "picsec/sadb/sadb.h"
#include <cstdio>
int main() {
    picsec::sadb::Sadb sadb;
    std::printf("%s %zu\n", picsec::ike::Ipv4Address::parse("192.0.2.1")->to_string().c_str(), sadb.size());
}
CPP
# shellcheck disable=SC2046,SC2086
"$cxx" -std=c++20 $extra_flags "$work/pc.cpp" -o "$work/pc" $(pkg-config --cflags --libs picsec) \
  || fail "compile with pkg-config --cflags --libs picsec"
[[ $("$work/pc") == "192.0.2.1 0" ]] || fail "the pkg-config program's output"
echo "PASS"
