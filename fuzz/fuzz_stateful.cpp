// libFuzzer target: an honest initiator and responder negotiate phase 1,
// Quick Mode, DPD and rekeys while an on-path third party without keys
// replays, mutates and forges datagrams. Any state change an injected
// datagram makes, and an exchange that does not complete once the honest
// messages arrive, is a finding (stateful_harness.h).
#include "stateful_harness.h"

#include <cstddef>
#include <cstdint>
#include <cstdio>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string finding = picsec::ike::fuzz::stateful::run({data, size});
    if (!finding.empty()) {
        std::fprintf(stderr, "fuzz_stateful: %s\n", finding.c_str());
        __builtin_trap();
    }
    return 0;
}
