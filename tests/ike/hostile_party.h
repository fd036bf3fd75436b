// A third party on the path between two engines of a test Pair: it records
// every datagram it forwards, replays them from any port, and forges
// messages: unprotected notifies, garbage, and (knowing the phase-1 keys
// from key logging) protected Informationals.
#pragma once

#include "exchange_harness.h"

#include "picsec/ike/codec/message.h"
#include "picsec/ike/codec/payload_delete.h"
#include "picsec/ike/codec/payload_hash.h"
#include "picsec/ike/codec/payload_notify.h"
#include "picsec/ike/codec/raw_payload.h"
#include "picsec/ike/crypto/cipher.h"
#include "picsec/ike/crypto/phase2.h"

#include <botan/hex.h>

#include <optional>
#include <regex>

namespace picsec::ike::test {

/// Forwards datagrams between a Pair's engines one at a time and keeps a copy.
struct Tap {
    Pair& p;
    std::vector<Datagram> seen;  ///< in delivery order

    bool a_to_b() { return forward(p.na, *p.eb); }
    bool b_to_a() { return forward(p.nb, *p.ea); }
    void settle()
    {
        for (int i = 0; i < 200 && (!p.na.outbox.empty() || !p.nb.outbox.empty()); ++i) {
            a_to_b();
            b_to_a();
        }
    }
    /// The datagrams seen with this exchange type (byte 18 of the ISAKMP header).
    std::vector<Datagram> of(codec::ExchangeType t) const
    {
        std::vector<Datagram> out;
        for (const auto& d : seen)
            if (d.bytes.size() >= codec::header_size && d.bytes[18] == static_cast<std::uint8_t>(t))
                out.push_back(d);
        return out;
    }

private:
    bool forward(RecordingNode& from, Engine& to)
    {
        if (from.outbox.empty())
            return false;
        auto d = std::move(from.outbox.front());
        from.outbox.pop_front();
        seen.push_back(d);
        to.received_datagram(d.bytes, d.from, d.to);
        return true;
    }
};

inline std::vector<std::uint8_t> with_nat_t_marker(std::vector<std::uint8_t> ike)
{
    ike.insert(ike.begin(), 4, 0);  // RFC 3948 2.2: non-ESP marker
    return ike;
}

inline codec::Header header_of(const std::vector<std::uint8_t>& bytes)
{
    return codec::decode_header(bytes).value();
}

/// HDR, N(type) in the clear about the IKE SA of `about` (RFC 2408 4.8).
inline std::vector<std::uint8_t> unprotected_notify(const codec::Header& about, codec::NotifyType type)
{
    codec::NotifyPayload n;
    n.spi.assign(about.initiator_cookie.begin(), about.initiator_cookie.end());
    n.spi.insert(n.spi.end(), about.responder_cookie.begin(), about.responder_cookie.end());
    n.notify_type = type;
    codec::Header h;
    h.initiator_cookie = about.initiator_cookie;
    h.responder_cookie = about.responder_cookie;
    h.next_payload = codec::PayloadType::Notification;
    h.exchange_type = codec::ExchangeType::Informational;
    const auto body = codec::encode_chain({codec::make_payload(n)});
    auto out = codec::encode_header(h, body.size());
    out.insert(out.end(), body.begin(), body.end());
    return out;
}

/// An encrypted phase-1 message of `size` bytes of garbage with these cookies.
inline std::vector<std::uint8_t> encrypted_garbage(const codec::Header& about, std::size_t size)
{
    codec::Header h;
    h.initiator_cookie = about.initiator_cookie;
    h.responder_cookie = about.responder_cookie;
    h.next_payload = codec::PayloadType::Identification;
    h.exchange_type = about.exchange_type;
    h.encryption = true;
    auto out = codec::encode_header(h, size);
    for (std::size_t i = 0; i < size; ++i)
        out.push_back(static_cast<std::uint8_t>(0x5a ^ i));
    return out;
}

/// Phase-1 keys read back from a Pair's key-logging debug lines (3DES/SHA-1).
struct LoggedKeys {
    Botan::secure_vector<std::uint8_t> skeyid_a, ka;
};

inline std::optional<LoggedKeys> logged_keys(const std::string& log)
{
    static const std::regex line("SKEYID_a ([0-9a-f]+) SKEYID_e [0-9a-f]+ Ka ([0-9a-f]+)");
    std::smatch m;
    if (!std::regex_search(log, m, line))
        return std::nullopt;
    return LoggedKeys{Botan::hex_decode_locked(m[1].str()), Botan::hex_decode_locked(m[2].str())};
}

/// HDR*, HASH(1), payloads on the IKE SA of `about` with message ID `msgid`
/// (RFC 2409 5.7), as whoever holds the keys would send it. `last_phase1`
/// is the last encrypted phase-1 message (its last block seeds the IV).
inline std::vector<std::uint8_t> protected_informational(const LoggedKeys& k,
                                                         const codec::Header& about,
                                                         const std::vector<std::uint8_t>& last_phase1,
                                                         std::uint32_t msgid,
                                                         const std::vector<codec::RawPayload>& payloads)
{
    const auto hash = crypto::informational_hash(crypto::HashAlgorithm::Sha1, k.skeyid_a, msgid,
                                                 codec::encode_chain(payloads));
    std::vector<codec::RawPayload> all{codec::make_payload(codec::HashPayload{{hash.begin(), hash.end()}})};
    all.insert(all.end(), payloads.begin(), payloads.end());
    const std::vector<std::uint8_t> last_block(last_phase1.end() - 8, last_phase1.end());
    const auto iv = crypto::exchange_iv(crypto::HashAlgorithm::Sha1, last_block, msgid, 8);
    const auto enc = crypto::encrypt_body(sadb::EncryptionAlgorithm::TripleDesCbc, k.ka, iv, codec::encode_chain(all));
    codec::Header h;
    h.initiator_cookie = about.initiator_cookie;
    h.responder_cookie = about.responder_cookie;
    h.next_payload = codec::PayloadType::Hash;
    h.exchange_type = codec::ExchangeType::Informational;
    h.encryption = true;
    h.message_id = msgid;
    auto out = codec::encode_header(h, enc.data.size());
    out.insert(out.end(), enc.data.begin(), enc.data.end());
    return out;
}

}  // namespace picsec::ike::test
