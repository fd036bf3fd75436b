// libFuzzer target: an honest initiator and responder negotiate phase 1,
// Quick Mode, DPD and rekeys while an on-path third party without keys
// replays, mutates and forges datagrams. Any state change an injected
// datagram makes, and an exchange that does not complete once the honest
// messages arrive, is a finding (stateful_harness.h).
//
// PICSEC_STATEFUL_KNOWN="text;text": findings whose message contains one of
// these texts are not reported, so that a run goes on to the next kind.
#include "stateful_harness.h"

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

namespace {

const std::vector<std::string>& known_findings()
{
    static const std::vector<std::string> known = [] {
        std::vector<std::string> out;
        const char* env = std::getenv("PICSEC_STATEFUL_KNOWN");
        std::string all = env ? env : "";
        for (std::size_t at = 0; at < all.size();) {
            const auto end = std::min(all.find(';', at), all.size());
            if (end > at)
                out.push_back(all.substr(at, end - at));
            at = end + 1;
        }
        return out;
    }();
    return known;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string finding = picsec::ike::fuzz::stateful::run({data, size});
    if (finding.empty())
        return 0;
    for (const auto& k : known_findings())
        if (finding.find(k) != std::string::npos)
            return 0;
    std::fprintf(stderr, "fuzz_stateful: %s\n", finding.c_str());
    __builtin_trap();
}
