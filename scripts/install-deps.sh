#!/usr/bin/env bash
# Installs what picsec needs on Debian 12 (run as root).
#   install-deps.sh          build dependencies only (enough for `picsec demo`)
#   install-deps.sh --test   also the test tools: tshark, clang-14 (fuzzers), strongSwan (interop),
#                            openssl (judges the certificate commands), groff (renders the man pages)
set -euo pipefail
packages=(build-essential cmake ninja-build pkg-config libbotan-2-dev libboost-dev libspdlog-dev catch2)
if [[ "${1:-}" == "--test" ]]; then
  packages+=(tshark clang-14 libclang-rt-14-dev iproute2 procps python3 iputils-ping openssl groff-base
             strongswan-charon strongswan-swanctl strongswan-pki
             libstrongswan-standard-plugins libstrongswan-extra-plugins libcharon-extra-plugins)
fi
export DEBIAN_FRONTEND=noninteractive
# tshark asks whether non-root users may capture; answer no without a prompt.
echo "wireshark-common wireshark-common/install-setuid boolean false" | debconf-set-selections 2>/dev/null || true
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${packages[@]}"
if [[ "${1:-}" == "--test" ]]; then
  # strongSwan's fake kernel for the AH and transport-mode interop cases
  bash "$(dirname "$0")/../tests/interop/build-load-tester.sh"
fi
