// Per-exchange message rules (which payloads, how many, encrypted or not),
// checked generically before an exchange task sees a message (RFC 2409 5,
// 5.5, 5.7; RFC 3947 3.2; RFC 3706). Modelled as data, one row per message.
#pragma once

#include "picsec/ike/codec/raw_payload.h"
#include "picsec/ike/crypto/algorithms.h"

#include <optional>
#include <string_view>
#include <vector>

namespace picsec::ike::detail {

enum class Encryption { Required, Forbidden, Either };

struct PayloadRule {
    codec::PayloadType type;
    unsigned min;
    unsigned max;
};

/// One message of one exchange. `number` counts from 1 within the exchange.
struct MessageRule {
    codec::ExchangeType exchange;
    unsigned number;
    std::string_view name;  ///< "main mode 3" ...
    Encryption encryption;
    std::vector<PayloadRule> payloads;  ///< anything not listed is INVALID-PAYLOAD-TYPE
    bool hash_first = false;            ///< RFC 2409 5.5/5.7: HASH must immediately follow the header
    /// Phase-1 messages that carry the authentication differ by method
    /// (RFC 2409 5.1 SIG and CERT, 5.4 HASH); unset = any method.
    std::optional<crypto::AuthMethod> auth = std::nullopt;
};

/// The rule for message `number` of `exchange` under authentication method
/// `auth`; null when there is none.
const MessageRule* find_rule(codec::ExchangeType exchange, unsigned number,
                             std::optional<crypto::AuthMethod> auth = std::nullopt);

/// Checks a message against its rule; returns the error to answer with.
std::optional<codec::DecodeError> check(const MessageRule& rule, const codec::RawMessage& m);

}  // namespace picsec::ike::detail
