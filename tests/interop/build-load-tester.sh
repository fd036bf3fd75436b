#!/usr/bin/env bash
# Builds strongSwan's load-tester plugin, which Debian does not ship, from
# Debian's own strongswan 5.9.8 source package. Its fake kernel accepts every
# SA (AH, transport mode), which this machine's kernel cannot install; the
# interop tests use it for those cases only (never for certificates: it trusts
# a CA of its own). Installs /usr/lib/ipsec/plugins/libstrongswan-load-tester.so.
set -euo pipefail
[[ -f /usr/lib/ipsec/plugins/libstrongswan-load-tester.so ]] && exit 0
work=${WORK:-/tmp/picsec-load-tester}; mkdir -p "$work"; cd "$work"
if ! grep -rqs '^Types: deb-src' /etc/apt/sources.list.d/; then
  sed 's/^Types: deb$/Types: deb-src/' /etc/apt/sources.list.d/debian.sources \
    > /etc/apt/sources.list.d/debian-src.sources
  apt-get update -qq
fi
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends build-essential \
  pkg-config libgmp-dev libssl-dev dpkg-dev >/dev/null
installed=$(dpkg-query -W -f='${Version}' strongswan-charon)
for v in "$installed" $(apt-cache showsrc strongswan | awk '/^Version: 5.9.8/{print $2}' | sort -Vr); do
  apt-get source --download-only "strongswan=$v" >/dev/null 2>&1 && break
done
rm -rf src && dpkg-source -x strongswan_5.9.8-*.dsc src >/dev/null
cd src
# --enable-mediation matches Debian's build: it is the one switch that changes
# libcharon structures a plugin sees.
./configure --prefix=/usr --sysconfdir=/etc --libdir=/usr/lib --libexecdir=/usr/lib \
  --enable-mediation --enable-load-tester --disable-gmp >configure.log 2>&1
make -C src/libcharon/plugins/load_tester >make.log 2>&1
install -m 755 src/libcharon/plugins/load_tester/.libs/libstrongswan-load-tester.so /usr/lib/ipsec/plugins/
echo "installed /usr/lib/ipsec/plugins/libstrongswan-load-tester.so"
