// IKEv2 messages as datagrams: plain ones (IKE_SA_INIT) and SK{}-protected
// ones (RFC 7296 3.14) built and opened with an IKE SA's keys. The sender
// uses SK_ei/SK_ai when it is the original initiator, SK_er/SK_ar otherwise.
#pragma once

#include "picsec/base/expected.h"
#include "picsec/ike/snapshot.h"
#include "picsec/ike/types.h"
#include "picsec/ike/v2/crypto/keys.h"
#include "picsec/ike/v2/header.h"
#include "picsec/ike/v2/payload.h"

#include <botan/rng.h>

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace picsec::ike::detail::v2 {

namespace c2 = picsec::ike::v2;
namespace k2 = picsec::ike::v2::crypto;
using Bytes = std::vector<std::uint8_t>;
/// The datagrams of one message: the message itself, or its SKF fragments in
/// order (RFC 7383 2.5). Sent, retransmitted and cached as one.
using Datagrams = std::vector<Bytes>;

/// The keys of an IKE SA and our role in it (the original initiator or not).
struct SaKeys {
    k2::Suite suite;
    k2::IkeKeys keys;
    Role role = Role::Initiator;
};

/// RFC 7383: the fragments of one protected message, each verified (ICV)
/// and decrypted as it arrives, kept until all are there. Bounded: at most
/// `max_fragments` fragments and `max_bytes` of plaintext per message.
struct Reassembly {
    static constexpr std::uint16_t max_fragments = 32;
    static constexpr std::size_t max_bytes = 64 * 1024;
    std::uint32_t message_id = 0;
    std::uint16_t total = 0;
    c2::PayloadType first = c2::PayloadType::None;
    std::vector<std::optional<Botan::secure_vector<std::uint8_t>>> parts;  ///< by fragment number - 1
    void reset(std::uint32_t id, std::uint16_t fragments);
    bool complete() const;
};

/// A header for an exchange of the SA named by (spi_i, spi_r), with the I
/// flag when we are the original initiator and R on responses.
c2::Header header(const c2::IkeSpi& spi_i, const c2::IkeSpi& spi_r, c2::ExchangeType exchange, Role role,
                  bool response, std::uint32_t message_id);

/// An unprotected message (IKE_SA_INIT, RFC 7296 1.2).
Bytes plain(c2::Header h, std::span<const c2::Payload> payloads);
/// HDR, SK{payloads}: the inner chain encrypted and the whole message
/// integrity-protected with our direction's keys.
Bytes seal(const SaKeys& k, c2::Header h, std::span<const c2::Payload> payloads, Botan::RandomNumberGenerator& rng);
/// RFC 7383 2.5.1: the largest IKE message (from the IKE header on) that
/// fits an IPv4 datagram of `datagram_size` bytes: less the IPv4 header
/// (20), the UDP header (8) and the non-ESP marker (4), reserved always
/// because the message may go out on the NAT-T port. 0 stays 0 (no limit).
std::size_t message_limit(std::size_t datagram_size);
/// As seal(), as one datagram when `limit` is 0 or the message fits in it;
/// otherwise as HDR, SKF{...} fragments of at most `limit` bytes each, each
/// with its own IV and ICV, the first naming the first inner payload and the
/// others 0 (RFC 7383 2.5). Only for an IKE SA whose both sides announced
/// IKEV2_FRAGMENTATION_SUPPORTED; the caller passes 0 otherwise.
Datagrams seal_message(const SaKeys& k, c2::Header h, std::span<const c2::Payload> payloads,
                       Botan::RandomNumberGenerator& rng, std::size_t limit);
/// RFC 7383 2.6.1: a request's fragment that may trigger resending our
/// cached response: Fragment Number 1, and its ICV verifies.
bool first_fragment_verifies(const SaKeys& k, const c2::Header& h, std::span<const std::uint8_t> raw);
/// The payloads of a protected message from the peer: SK must be the only
/// (last) outer payload, its ICV must verify, and the inner chain must
/// decode. An error says which check failed; nothing is changed.
Expected<std::vector<c2::Payload>, std::string> open(const SaKeys& k, const c2::Header& h,
                                                     std::span<const std::uint8_t> raw);
/// As open(), and also for one SKF fragment (RFC 7383 2.6): it is verified
/// and kept in `r`; the payloads come when the last fragment arrives, until
/// then nullopt. A fragment that does not verify changes nothing in `r`.
Expected<std::optional<std::vector<c2::Payload>>, std::string> open_fragment(const SaKeys& k, const c2::Header& h,
                                                                             std::span<const std::uint8_t> raw,
                                                                             Reassembly& r);

}  // namespace picsec::ike::detail::v2
