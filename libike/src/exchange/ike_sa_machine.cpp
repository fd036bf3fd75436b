// Boost.Statechart implementation of the IKE SA lifecycle (diagram in
// ike_sa_machine.h). Every state logs its entry and exit.
#include "ike_sa_machine.h"

#include <boost/mpl/list.hpp>
#include <boost/statechart/custom_reaction.hpp>
#include <boost/statechart/event.hpp>
#include <boost/statechart/state.hpp>
#include <boost/statechart/state_machine.hpp>
#include <boost/statechart/transition.hpp>

namespace sc = boost::statechart;
namespace mpl = boost::mpl;

namespace picsec::ike::detail {

std::string_view to_string(LifecycleState s)
{
    switch (s) {
    case LifecycleState::Idle: return "idle";
    case LifecycleState::Negotiating: return "negotiating";
    case LifecycleState::Established: return "established";
    case LifecycleState::Rekeying: return "rekeying";
    case LifecycleState::Dead: return "dead";
    }
    return "?";
}

std::string_view to_string(LifecycleEvent e)
{
    switch (e) {
    case LifecycleEvent::Start: return "start";
    case LifecycleEvent::Phase1Done: return "phase1-done";
    case LifecycleEvent::Phase1Failed: return "phase1-failed";
    case LifecycleEvent::SoftExpire: return "soft-expire";
    case LifecycleEvent::HardExpire: return "hard-expire";
    case LifecycleEvent::Delete: return "delete";
    case LifecycleEvent::PeerDead: return "peer-dead";
    }
    return "?";
}

// The event and state types live in a named namespace: Boost.Statechart
// instantiates no_context<Event>::no_function, which clang refuses to leave
// undefined for types with internal linkage.
namespace machine {

struct EvStart : sc::event<EvStart> {};
struct EvPhase1Done : sc::event<EvPhase1Done> {};
struct EvPhase1Failed : sc::event<EvPhase1Failed> {};
struct EvSoftExpire : sc::event<EvSoftExpire> {};
struct EvHardExpire : sc::event<EvHardExpire> {};
struct EvDelete : sc::event<EvDelete> {};
struct EvPeerDead : sc::event<EvPeerDead> {};

struct Idle;
struct Negotiating;
struct Established;
struct Rekeying;
struct Dead;

}  // namespace machine

struct IkeSaLifecycle::Machine : sc::state_machine<IkeSaLifecycle::Machine, machine::Idle> {
    Machine(std::shared_ptr<spdlog::logger> l, std::string c) : logger(std::move(l)), context(std::move(c)) {}

    // The outermost catch-all: an event no state reacts to is logged and rejected.
    void unconsumed_event(const sc::event_base&);

    void enter(LifecycleState s)
    {
        logger->debug("{}: enter state {}", context, to_string(s));
        if (entry_action)
            entry_action(s);
    }
    void leave(LifecycleState s) { logger->debug("{}: leave state {}", context, to_string(s)); }
    LifecycleState state() const;

    std::shared_ptr<spdlog::logger> logger;
    std::string context;
    EntryAction entry_action;
    LifecycleEvent pending = LifecycleEvent::Start;
    bool consumed = true;
};

namespace machine {

using MachineT = IkeSaLifecycle::Machine;

/// What every state says it is: the machine's state() reads it from the
/// active state, so no copy of the state is kept beside the machine.
struct StateId {
    virtual ~StateId() = default;
    virtual LifecycleState id() const = 0;
};

// Shared entry/exit logging and entry action for every state (sc::state so
// the constructor can reach the machine).
template <class Derived, LifecycleState S>
struct LoggedState : sc::state<Derived, MachineT>, StateId {
    using Base = sc::state<Derived, MachineT>;
    explicit LoggedState(typename Base::my_context ctx) : Base(ctx) { this->outermost_context().enter(S); }
    ~LoggedState() override { this->outermost_context().leave(S); }
    LifecycleState id() const override { return S; }
};

struct Idle : LoggedState<Idle, LifecycleState::Idle> {
    using reactions = mpl::list<sc::transition<EvStart, Negotiating>, sc::transition<EvDelete, Dead>,
                                sc::transition<EvPhase1Failed, Dead>>;
    using LoggedState::LoggedState;
};

struct Negotiating : LoggedState<Negotiating, LifecycleState::Negotiating> {
    using reactions = mpl::list<sc::transition<EvPhase1Done, Established>, sc::transition<EvPhase1Failed, Dead>,
                                sc::transition<EvDelete, Dead>, sc::transition<EvHardExpire, Dead>,
                                sc::transition<EvPeerDead, Dead>>;
    using LoggedState::LoggedState;
};

struct Established : LoggedState<Established, LifecycleState::Established> {
    using reactions = mpl::list<sc::transition<EvSoftExpire, Rekeying>, sc::transition<EvHardExpire, Dead>,
                                sc::transition<EvDelete, Dead>, sc::transition<EvPeerDead, Dead>>;
    using LoggedState::LoggedState;
};

struct Rekeying : LoggedState<Rekeying, LifecycleState::Rekeying> {
    using reactions = mpl::list<sc::transition<EvHardExpire, Dead>, sc::transition<EvDelete, Dead>,
                                sc::transition<EvPeerDead, Dead>>;
    using LoggedState::LoggedState;
};

struct Dead : LoggedState<Dead, LifecycleState::Dead> {
    // Terminal: everything is rejected by the catch-all.
    using LoggedState::LoggedState;
};

}  // namespace machine

LifecycleState IkeSaLifecycle::Machine::state() const
{
    return state_cast<const machine::StateId&>().id();
}

void IkeSaLifecycle::Machine::unconsumed_event(const sc::event_base&)
{
    logger->warn("{}: lifecycle event {} rejected in state {}", context, to_string(pending), to_string(state()));
    consumed = false;
}

IkeSaLifecycle::IkeSaLifecycle(std::shared_ptr<spdlog::logger> logger, std::string context)
    : m_machine(std::make_unique<Machine>(std::move(logger), std::move(context)))
{
    m_machine->initiate();
}

IkeSaLifecycle::~IkeSaLifecycle()
{
    if (m_machine)
        m_machine->terminate();
}

void IkeSaLifecycle::set_context(std::string context) { m_machine->context = std::move(context); }

void IkeSaLifecycle::set_entry_action(EntryAction action) { m_machine->entry_action = std::move(action); }

LifecycleState IkeSaLifecycle::state() const { return m_machine->state(); }

bool IkeSaLifecycle::handle(LifecycleEvent e)
{
    using namespace machine;
    Machine& m = *m_machine;
    m.pending = e;
    m.consumed = true;
    switch (e) {
    case LifecycleEvent::Start: m.process_event(EvStart{}); break;
    case LifecycleEvent::Phase1Done: m.process_event(EvPhase1Done{}); break;
    case LifecycleEvent::Phase1Failed: m.process_event(EvPhase1Failed{}); break;
    case LifecycleEvent::SoftExpire: m.process_event(EvSoftExpire{}); break;
    case LifecycleEvent::HardExpire: m.process_event(EvHardExpire{}); break;
    case LifecycleEvent::Delete: m.process_event(EvDelete{}); break;
    case LifecycleEvent::PeerDead: m.process_event(EvPeerDead{}); break;
    }
    return m.consumed;
}

}  // namespace picsec::ike::detail
