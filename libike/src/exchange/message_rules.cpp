// The message rules table and its generic checker.
#include "message_rules.h"

namespace picsec::ike::detail {

namespace {

using codec::ExchangeType;
using codec::PayloadType;
using crypto::AuthMethod;
constexpr unsigned many = 16;

const std::vector<MessageRule>& rules()
{
    static const std::vector<MessageRule> table = {
        // RFC 2409 5.4 Main Mode with pre-shared keys; RFC 3947 3.1 VIDs, 3.2 NAT-D in 3 and 4.
        {ExchangeType::IdentityProtection, 1, "main mode 1", Encryption::Forbidden,
         {{PayloadType::SecurityAssociation, 1, 1}, {PayloadType::VendorId, 0, many}}},
        {ExchangeType::IdentityProtection, 2, "main mode 2", Encryption::Forbidden,
         {{PayloadType::SecurityAssociation, 1, 1}, {PayloadType::VendorId, 0, many},
          {PayloadType::Notification, 0, many}}},
        {ExchangeType::IdentityProtection, 3, "main mode 3", Encryption::Forbidden,
         {{PayloadType::KeyExchange, 1, 1}, {PayloadType::Nonce, 1, 1}, {PayloadType::NatD, 0, many},
          {PayloadType::VendorId, 0, many}, {PayloadType::CertificateRequest, 0, many}}},
        {ExchangeType::IdentityProtection, 4, "main mode 4", Encryption::Forbidden,
         {{PayloadType::KeyExchange, 1, 1}, {PayloadType::Nonce, 1, 1}, {PayloadType::NatD, 0, many},
          {PayloadType::VendorId, 0, many}, {PayloadType::CertificateRequest, 0, many}}},
        {ExchangeType::IdentityProtection, 5, "main mode 5", Encryption::Required,
         {{PayloadType::Identification, 1, 1}, {PayloadType::Hash, 1, 1}, {PayloadType::Notification, 0, many},
          {PayloadType::VendorId, 0, many}},
         false, AuthMethod::PreSharedKeys},
        {ExchangeType::IdentityProtection, 6, "main mode 6", Encryption::Required,
         {{PayloadType::Identification, 1, 1}, {PayloadType::Hash, 1, 1}, {PayloadType::Notification, 0, many},
          {PayloadType::VendorId, 0, many}},
         false, AuthMethod::PreSharedKeys},
        // RFC 2409 5.1 Main Mode with signatures: HDR*, IDii, [ CERT, ] SIG_I (and IDir, SIG_R).
        {ExchangeType::IdentityProtection, 5, "main mode 5", Encryption::Required,
         {{PayloadType::Identification, 1, 1}, {PayloadType::Certificate, 0, many}, {PayloadType::Signature, 1, 1},
          {PayloadType::CertificateRequest, 0, many}, {PayloadType::Notification, 0, many},
          {PayloadType::VendorId, 0, many}},
         false, AuthMethod::RsaSignatures},
        {ExchangeType::IdentityProtection, 6, "main mode 6", Encryption::Required,
         {{PayloadType::Identification, 1, 1}, {PayloadType::Certificate, 0, many}, {PayloadType::Signature, 1, 1},
          {PayloadType::Notification, 0, many}, {PayloadType::VendorId, 0, many}},
         false, AuthMethod::RsaSignatures},
        // RFC 2409 5.4 Aggressive Mode with pre-shared keys; RFC 3947 3.2 NAT-D in 2 and 3.
        {ExchangeType::Aggressive, 1, "aggressive mode 1", Encryption::Forbidden,
         {{PayloadType::SecurityAssociation, 1, 1}, {PayloadType::KeyExchange, 1, 1}, {PayloadType::Nonce, 1, 1},
          {PayloadType::Identification, 1, 1}, {PayloadType::CertificateRequest, 0, many},
          {PayloadType::VendorId, 0, many}}},
        {ExchangeType::Aggressive, 2, "aggressive mode 2", Encryption::Forbidden,
         {{PayloadType::SecurityAssociation, 1, 1}, {PayloadType::KeyExchange, 1, 1}, {PayloadType::Nonce, 1, 1},
          {PayloadType::Identification, 1, 1}, {PayloadType::Hash, 1, 1}, {PayloadType::NatD, 0, many},
          {PayloadType::VendorId, 0, many}, {PayloadType::Notification, 0, many}},
         false, AuthMethod::PreSharedKeys},
        {ExchangeType::Aggressive, 3, "aggressive mode 3", Encryption::Either,
         {{PayloadType::Hash, 1, 1}, {PayloadType::NatD, 0, many}, {PayloadType::Notification, 0, many},
          {PayloadType::VendorId, 0, many}},
         false, AuthMethod::PreSharedKeys},
        // RFC 2409 5.1 Aggressive Mode with signatures: <-- ..., IDir, [ CERT, ] SIG_R; [ CERT, ] SIG_I -->.
        {ExchangeType::Aggressive, 2, "aggressive mode 2", Encryption::Forbidden,
         {{PayloadType::SecurityAssociation, 1, 1}, {PayloadType::KeyExchange, 1, 1}, {PayloadType::Nonce, 1, 1},
          {PayloadType::Identification, 1, 1}, {PayloadType::Certificate, 0, many}, {PayloadType::Signature, 1, 1},
          {PayloadType::CertificateRequest, 0, many}, {PayloadType::NatD, 0, many}, {PayloadType::VendorId, 0, many},
          {PayloadType::Notification, 0, many}},
         false, AuthMethod::RsaSignatures},
        {ExchangeType::Aggressive, 3, "aggressive mode 3", Encryption::Either,
         {{PayloadType::Certificate, 0, many}, {PayloadType::Signature, 1, 1}, {PayloadType::NatD, 0, many},
          {PayloadType::Notification, 0, many}, {PayloadType::VendorId, 0, many}},
         false, AuthMethod::RsaSignatures},
        // RFC 2409 5.5 Quick Mode; RFC 3947 5.2 NAT-OA.
        {ExchangeType::QuickMode, 1, "quick mode 1", Encryption::Required,
         {{PayloadType::Hash, 1, 1}, {PayloadType::SecurityAssociation, 1, 1}, {PayloadType::Nonce, 1, 1},
          {PayloadType::KeyExchange, 0, 1}, {PayloadType::Identification, 0, 2}, {PayloadType::NatOa, 0, 2},
          {PayloadType::Notification, 0, many}},
         true},
        {ExchangeType::QuickMode, 2, "quick mode 2", Encryption::Required,
         {{PayloadType::Hash, 1, 1}, {PayloadType::SecurityAssociation, 1, 1}, {PayloadType::Nonce, 1, 1},
          {PayloadType::KeyExchange, 0, 1}, {PayloadType::Identification, 0, 2}, {PayloadType::NatOa, 0, 2},
          {PayloadType::Notification, 0, many}},
         true},
        {ExchangeType::QuickMode, 3, "quick mode 3", Encryption::Required, {{PayloadType::Hash, 1, 1}}, true},
        // RFC 2409 5.7 Informational, protected once phase 1 is done.
        {ExchangeType::Informational, 1, "informational", Encryption::Required,
         {{PayloadType::Hash, 1, 1}, {PayloadType::Notification, 0, many}, {PayloadType::Delete, 0, many}},
         true},
        // RFC 2408 4.8: an unprotected Informational (before keys exist) carries only Notify.
        {ExchangeType::Informational, 2, "unprotected informational", Encryption::Forbidden,
         {{PayloadType::Notification, 1, many}}},
    };
    return table;
}

}  // namespace

const MessageRule* find_rule(codec::ExchangeType exchange, unsigned number, std::optional<crypto::AuthMethod> auth)
{
    for (const auto& r : rules())
        if (r.exchange == exchange && r.number == number && (!r.auth || r.auth == auth))
            return &r;
    return nullptr;
}

std::optional<codec::DecodeError> check(const MessageRule& rule, const codec::RawMessage& m)
{
    const std::string name(rule.name);
    switch (rule.encryption) {
    case Encryption::Required:
        if (!m.header.encryption)
            return codec::DecodeError{codec::NotifyType::InvalidFlags, "ISAKMP header", "flags",
                                      name + ": must be encrypted (got E=0, need E=1)"};
        break;
    case Encryption::Forbidden:
        if (m.header.encryption)
            return codec::DecodeError{codec::NotifyType::InvalidFlags, "ISAKMP header", "flags",
                                      name + ": must not be encrypted (got E=1, need E=0)"};
        break;
    case Encryption::Either: break;
    }
    for (const auto& p : m.payloads) {
        bool allowed = false;
        for (const auto& pr : rule.payloads)
            allowed = allowed || pr.type == p.type;
        if (!allowed)
            return codec::DecodeError{codec::NotifyType::InvalidPayloadType, codec::short_name(p.type), "type",
                                      name + ": unexpected payload (got " + codec::short_name(p.type) + ")"};
    }
    for (const auto& pr : rule.payloads) {
        const auto n = m.count(pr.type);
        if (n < pr.min || n > pr.max)
            return codec::DecodeError{codec::NotifyType::PayloadMalformed, codec::short_name(pr.type), "count",
                                      name + ": wrong number of " + codec::short_name(pr.type) + " payloads (got " +
                                          std::to_string(n) + ", need " + std::to_string(pr.min) + ".." +
                                          std::to_string(pr.max) + ")"};
    }
    if (rule.hash_first && (m.payloads.empty() || m.payloads.front().type != codec::PayloadType::Hash))
        return codec::DecodeError{codec::NotifyType::InvalidHashInformation, "HASH", "position",
                                  name + ": HASH must be the first payload (RFC 2409 5.5)"};
    return std::nullopt;
}

}  // namespace picsec::ike::detail
