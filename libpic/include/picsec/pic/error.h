// The structured result of every ES PIC validation: which field was wrong
// and a message saying what was found and what was expected.
#pragma once

#include <optional>
#include <string>

namespace picsec::pic {

/// A rule violation. `field` is the configuration keyword the rule is about
/// (e.g. "spi", "auxiliary-spi", "encryption key"); `message` never contains
/// key material.
struct Error {
    std::string field;
    std::string message;
};

/// The result of a single check: empty when the rule holds.
using Check = std::optional<Error>;

}  // namespace picsec::pic
