// libFuzzer target: arbitrary datagrams (several per input, with clock ticks
// between them) to a whole IKEv2 responder Engine (RFC 7296) with PSK
// policies for the senders; input format in responder_harness.h, seeds from
// recorded IKEv2 initiators (tests/ike/exchange_fuzz_seeds_v2_test.cpp).
#include "responder_harness.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    static const picsec::ike::EngineConfig config = picsec::ike::fuzz::v2_responder_config();
    picsec::ike::fuzz::run_input({data, size}, config);
    return 0;
}
