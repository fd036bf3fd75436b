// JUNOS "$9$" secrets: how every JUNOS configuration stores an `ascii-text`
// key or password. The form is a reversible obfuscation, not encryption
// (its algorithm is public): it keeps keys from being read over a shoulder,
// nothing more, so a configuration file stays as secret as its plain text.
#pragma once

#include <string>
#include <string_view>
#include <variant>

namespace picsec::config {

/// True when `text` starts with "$9$".
bool is_junos_secret(std::string_view text);

/// The plain text of a "$9$" secret, or a message saying why it is not one
/// ("$9$ secret: ... (got X, need Y)").
struct JunosSecretError {
    std::string message;
};
std::variant<std::string, JunosSecretError> decode_junos_secret(std::string_view text);

/// The "$9$" form of `plain`. `salt` picks the random-looking characters
/// JUNOS chooses at random (a salt character and the padding); equal salts
/// give equal output, so a configuration written back is stable.
std::string encode_junos_secret(std::string_view plain, unsigned salt = 0);

}  // namespace picsec::config
