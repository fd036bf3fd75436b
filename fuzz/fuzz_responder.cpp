// libFuzzer target: arbitrary datagrams (several per input, with clock ticks
// between them) to a whole responder Engine with a PSK policy for the sender;
// input format in responder_harness.h, seeds from recorded initiators.
#include "responder_harness.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    picsec::ike::fuzz::run_input({data, size});
    return 0;
}
