// One IKEv2 SA as the engine keeps it: endpoints, SPIs, the lifecycle
// machine, the IKE_SA_INIT/IKE_AUTH task while it runs, the keys once
// authenticated, and the message-ID window of RFC 7296 2.3 (window 1: one
// request of ours outstanding, one response of ours cached).
#pragma once

#include "create_child_task.h"
#include "ike_auth_task.h"

#include "../../exchange/ike_sa_machine.h"
#include "../../exchange/retransmit.h"

#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace picsec::ike::detail::v2 {

class IkeSa {
public:
    IkeSa(std::shared_ptr<spdlog::logger> logger, std::string context)
        : lifecycle(std::move(logger), std::move(context)) {}

    std::uint64_t serial = 0;
    Role role = Role::Initiator;
    Endpoint local, peer;
    c2::IkeSpi spi_i{}, spi_r{};
    const IkePolicy* policy = nullptr;
    IkeSaLifecycle lifecycle;
    /// IKE_SA_INIT and IKE_AUTH while they run; gone once they are over.
    std::unique_ptr<IkeAuthTask> task;
    /// What the authenticated IKE_AUTH established: keys, choice, peer ID.
    std::optional<Established> sa;
    // RFC 7296 2.3: our next request's message ID, the peer's next one.
    std::uint32_t next_request_id = 0;
    std::uint32_t peer_next_id = 0;
    Retransmitter rtx;                 ///< our one outstanding request
    std::uint32_t outstanding_id = 0;  ///< its message ID, while rtx is armed
    /// The CREATE_CHILD_SA task of our outstanding request, if it is one.
    std::unique_ptr<CreateChildTask> child_task;
    /// reconfigure() changed or removed that task's Child SA while the
    /// request was out: what it creates is deleted at once (telling the peer).
    bool child_task_obsolete = false;
    /// A request of ours waiting for the outstanding one's answer.
    struct Request {
        c2::ExchangeType exchange = c2::ExchangeType::Informational;
        std::vector<c2::Payload> payloads;
        std::unique_ptr<CreateChildTask> task;  ///< CREATE_CHILD_SA only
    };
    std::deque<Request> queued;
    ResponseCache cache;               ///< our answer to the peer's last request
    Reassembly fragments;              ///< a message arriving in SKF fragments (RFC 7383)
    bool floated = false;              ///< moved to the NAT-T port (RFC 7296 2.23)
    bool nat_detected = false;
    std::string drop_note;             ///< why the last datagram was dropped
    std::vector<std::string> pending;  ///< Child SAs waiting for this IKE SA
    std::uint64_t created_ms = 0;
    std::uint64_t established_ms = 0;
    std::uint64_t hard_at_ms = 0;
    std::uint64_t rekey_at_ms = 0;  ///< the original initiator rekeys the IKE SA (CREATE_CHILD_SA)
    std::uint64_t half_open_deadline_ms = 0;
    std::uint64_t last_heard_ms = 0;

    /// Our SPI: the key of the engine's IKEv2 table.
    const c2::IkeSpi& our_spi() const { return role == Role::Initiator ? spi_i : spi_r; }
    bool established() const {
        const auto s = lifecycle.state();
        return s == LifecycleState::Established || s == LifecycleState::Rekeying;
    }
    /// "peer 192.0.2.2 [spi_i:spi_r]" for log lines.
    std::string name() const;
};

}  // namespace picsec::ike::detail::v2
