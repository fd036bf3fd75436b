// Text forms of the SA protocol, direction and mode (see algorithms.h).
#include "picsec/sadb/algorithms.h"

namespace picsec::sadb {

std::string_view to_string(Protocol p) {
    switch (p) {
        case Protocol::Ah: return "ah";
        case Protocol::Esp: return "esp";
        case Protocol::Bundle: return "bundle";
    }
    return "?";
}

std::string_view to_string(Direction d) {
    switch (d) {
        case Direction::Inbound: return "inbound";
        case Direction::Outbound: return "outbound";
        case Direction::Bidirectional: return "bidirectional";
    }
    return "?";
}

std::string_view to_string(Mode m) {
    switch (m) {
        case Mode::Transport: return "transport";
        case Mode::Tunnel: return "tunnel";
    }
    return "?";
}

}  // namespace picsec::sadb
