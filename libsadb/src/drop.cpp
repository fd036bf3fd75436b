// Names of drop reasons, for logs and `show` output.
#include "picsec/sadb/drop.h"

namespace picsec::sadb {

std::string_view to_string(DropReason r) {
    switch (r) {
        case DropReason::Malformed: return "malformed";
        case DropReason::UnknownSpi: return "unknown-spi";
        case DropReason::UnknownSa: return "unknown-sa";
        case DropReason::WrongDirection: return "wrong-direction";
        case DropReason::BadIcv: return "bad-icv";
        case DropReason::Replay: return "replay";
        case DropReason::BadPadding: return "bad-padding";
        case DropReason::Expired: return "expired";
        case DropReason::SequenceOverflow: return "sequence-overflow";
        case DropReason::PolicyMismatch: return "policy-mismatch";
        case DropReason::NotIpsec: return "not-ipsec";
        case DropReason::DummyPacket: return "dummy-packet";
    }
    return "?";
}

}  // namespace picsec::sadb
