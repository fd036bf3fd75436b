// CREATE_CHILD_SA (RFC 7296 1.3) as a task for both roles, on an
// established IKE SA whose SK{} already authenticates each message:
//   a new Child SA    HDR, SK {SA, Ni, [KEi,] TSi, TSr}           -->
//   a Child SA rekey  HDR, SK {N(REKEY_SA), SA, Ni, [KEi,] TSi, TSr}  -->
//                                  <--  HDR, SK {SA, Nr, [KEr,] TSi, TSr}
//   an IKE SA rekey   HDR, SK {SA, Ni, KEi}  -->  <--  HDR, SK {SA, Nr, KEr}
// The task owns the exchange material (nonces, D-H pair, new SPIs) and
// answers with payload lists; the engine seals them with the IKE SA's keys.
#pragma once

#include "outcome.h"
#include "payloads.h"

#include "picsec/ike/config.h"
#include "picsec/ike/crypto/dh.h"

#include <botan/rng.h>
#include <spdlog/spdlog.h>

#include <optional>
#include <span>
#include <string>
#include <utility>

namespace picsec::ike::detail::v2 {

/// What a CREATE_CHILD_SA task reads from its IKE SA for one call.
struct ChildContext {
    const IkePolicy& policy;
    const SaKeys& keys;  ///< the IKE SA's: SK_d for KEYMAT and the rekeyed SKEYSEED
    Endpoint local;
    Endpoint peer;
    bool udp_encapsulated = false;           ///< the IKE SA detected a NAT
    std::span<const IpsecSaPolicy> children; ///< responder: our Child SA templates
    Botan::RandomNumberGenerator& rng;
};

/// The IKE SA an IKE SA rekey creates (RFC 7296 2.18): the exchange's
/// initiator is the new SA's original initiator.
struct NewIkeSa {
    Established established;
    c2::IkeSpi spi_i{}, spi_r{};
    Role role = Role::Initiator;
};

/// What a CREATE_CHILD_SA message decided. Every message reaching a task
/// was authenticated by SK{}, so `accepted` is false only for a malformed one.
struct ChildOutcome {
    bool accepted = false;
    Payloads send;             ///< our request, or our response
    Payloads send_if_refused;  ///< responder: the response when the installer refuses the Child SA
    std::optional<NewChild> child;
    std::optional<NewIkeSa> ike;
    std::optional<Failure> failure;  ///< the old IKE SA always stands
};

class CreateChildTask {
public:
    enum class Kind { NewChild, RekeyChild, RekeyIke };

    /// Initiator: a new Child SA for `child`, or its rekey when `replaces`
    /// names our inbound SPI of the Child SA it replaces.
    static std::pair<CreateChildTask, Payloads> new_child(const ChildContext& ctx, const IpsecSaPolicy& child,
                                                          std::optional<std::uint32_t> replaces);
    /// Initiator: a new IKE SA with a fresh D-H exchange and new SPIs.
    static std::pair<CreateChildTask, Payloads> rekey_ike(const ChildContext& ctx);
    /// Responder: answers a request. `rekeyed` is the policy of the Child SA
    /// that N(REKEY_SA) names (null when none or unknown: then the answer is
    /// CHILD_SA_NOT_FOUND if REKEY_SA was sent).
    static ChildOutcome respond(const ChildContext& ctx, const Payloads& request, const IpsecSaPolicy* rekeyed);
    /// Initiator: the response to our request.
    ChildOutcome on_response(const ChildContext& ctx, const Payloads& response);

    Kind kind() const { return m_kind; }
    const IpsecSaPolicy* child_policy() const { return m_child; }
    std::optional<std::uint32_t> replaces() const { return m_replaces; }

private:
    friend class ObserveTasks;
    explicit CreateChildTask(Kind kind) : m_kind(kind) {}
    ChildOutcome on_child_response(const ChildContext& ctx, const Payloads& response);
    ChildOutcome on_ike_response(const ChildContext& ctx, const Payloads& response);

    Kind m_kind;
    const IpsecSaPolicy* m_child = nullptr;
    std::optional<std::uint32_t> m_replaces;
    std::uint32_t m_our_spi = 0;
    c2::IkeSpi m_new_spi_i{};
    std::optional<crypto::DhKeyPair> m_dh;
    std::vector<std::uint8_t> m_ni;
};

}  // namespace picsec::ike::detail::v2
