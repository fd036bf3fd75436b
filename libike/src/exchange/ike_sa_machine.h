// Lifecycle of one IKE SA as a Boost.Statechart machine, hidden behind
// IkeSaLifecycle::handle(event) so the sc:: types never reach a public header.
//
//                 start(initiator) / first message(responder)
//   +--------+  ------------------------------------------->  +-------------+
//   |  Idle  |                                                | Negotiating |
//   +--------+                                                +-------------+
//       |                                  phase1_done |          | phase1_failed
//       |                                              v          |  (timeout, no proposal,
//       |                                       +-------------+   |   bad hash, notify)
//       |                                       | Established |   |
//       |                                       +-------------+   |
//       |                         soft_expire |     ^    | delete / hard_expire / peer_dead
//       |                                     v     |    |        |
//       |                                +----------+    |        |
//       |                                | Rekeying |----+        |
//       |                                +----------+ delete/hard_expire/peer_dead
//       |                                     |          |        |
//       | delete                              v          v        v
//       +------------------------------>  +----------------------------+
//                                         |            Dead            |
//                                         +----------------------------+
//
// Rekeying: the soft lifetime (minus jitter) has passed, a replacement IKE SA
// is being negotiated; this SA still protects Quick Modes and Informationals
// until it is deleted or hard-expires. Dead is terminal: the engine reaps
// the SA on the next tick. Unexpected events are logged and rejected by an
// outermost catch-all reaction.
//
// Entering a state runs the engine's entry action for it, the work that
// state means: Established sets the SA's lifetime, rekey and DPD deadlines;
// Rekeying starts the replacement phase 1; Dead stops every retransmission
// and drops the Quick Modes in flight. The machine is the only record of
// the state: state() asks it.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include <spdlog/logger.h>

namespace picsec::ike::detail {

enum class LifecycleState { Idle, Negotiating, Established, Rekeying, Dead };
enum class LifecycleEvent { Start, Phase1Done, Phase1Failed, SoftExpire, HardExpire, Delete, PeerDead };

std::string_view to_string(LifecycleState s);
std::string_view to_string(LifecycleEvent e);

/// The work done on entering a state (see the diagram). It must not feed
/// events to the same machine.
using EntryAction = std::function<void(LifecycleState entered)>;

/// Owns the state machine of one IKE SA. `context` names the SA on every
/// log line (peer, cookies).
class IkeSaLifecycle {
public:
    IkeSaLifecycle(std::shared_ptr<spdlog::logger> logger, std::string context);
    ~IkeSaLifecycle();
    IkeSaLifecycle(const IkeSaLifecycle&) = delete;
    IkeSaLifecycle& operator=(const IkeSaLifecycle&) = delete;

    /// Feeds one event; returns false when the current state rejects it
    /// (logged by the catch-all reaction; nothing changed).
    [[nodiscard]] bool handle(LifecycleEvent e);
    LifecycleState state() const;
    void set_context(std::string context);
    void set_entry_action(EntryAction action);

    struct Machine;

private:
    std::unique_ptr<Machine> m_machine;
};

}  // namespace picsec::ike::detail
