// The "$9$" secret form. After "$9$" come a salt character, as many padding
// characters as the salt's family says (0-3), then each byte of the plain
// text as a run of 1-4 characters: the byte is the sum of weights times the
// gaps between consecutive characters in one 65-character alphabet, the
// weights cycling through a fixed table of seven (Crypt::Juniper documents
// the same algorithm).
#include "picsec/config/junos_secret.h"

#include <array>
#include <vector>

namespace picsec::config {
namespace {

// The alphabet, as four families; a salt character's family sets the padding.
constexpr std::array<std::string_view, 4> k_families = {"QzF3n6/9CAtpu0O", "B1IREhcSyrleKvMW8LXx",
                                                        "7N-dVbwsY2g4oaJZGUDj", "iHkq.mPf5T"};
constexpr std::string_view k_prefix = "$9$";

// Weights of the characters that encode byte i, by i mod 7.
const std::array<std::vector<unsigned>, 7> k_weights = {{
    {1, 4, 32},
    {1, 16, 32},
    {1, 8, 32},
    {1, 64},
    {1, 32},
    {1, 4, 16, 128},
    {1, 32, 64},
}};

const std::string& alphabet()
{
    static const std::string all = [] {
        std::string s;
        for (auto f : k_families)
            s += f;
        return s;
    }();
    return all;
}

// Position in the alphabet, or -1.
int position(char c)
{
    const auto at = alphabet().find(c);
    return at == std::string::npos ? -1 : static_cast<int>(at);
}

// Padding after a salt character: 3 for the first family down to 0 for the last.
int padding(char salt)
{
    for (std::size_t f = 0; f < k_families.size(); ++f)
        if (k_families[f].find(salt) != std::string_view::npos)
            return 3 - static_cast<int>(f);
    return -1;
}

JunosSecretError error(std::string why) { return JunosSecretError{"$9$ secret: " + std::move(why)}; }

}  // namespace

bool is_junos_secret(std::string_view text) { return text.substr(0, k_prefix.size()) == k_prefix; }

std::variant<std::string, JunosSecretError> decode_junos_secret(std::string_view text)
{
    if (!is_junos_secret(text))
        return error("does not start with $9$");
    std::string_view rest = text.substr(k_prefix.size());
    if (rest.empty())
        return error("no salt character after $9$");
    for (std::size_t i = 0; i < rest.size(); ++i)
        if (position(rest[i]) < 0)
            return error(std::string("character '") + rest[i] + "' at position " + std::to_string(k_prefix.size() + i + 1) +
                         " is not in the $9$ alphabet");
    const char salt = rest.front();
    const auto pad = static_cast<std::size_t>(padding(salt));
    if (rest.size() < 1 + pad)
        return error("too short for its salt (got " + std::to_string(text.size()) + " characters, need at least " +
                     std::to_string(k_prefix.size() + 1 + pad) + ")");
    rest.remove_prefix(1 + pad);
    const int n = static_cast<int>(alphabet().size());
    char previous = salt;
    std::string plain;
    while (!rest.empty()) {
        const auto& weights = k_weights[plain.size() % k_weights.size()];
        if (rest.size() < weights.size())
            return error("ends inside character " + std::to_string(plain.size() + 1) + " (got " +
                         std::to_string(rest.size()) + " characters, need " + std::to_string(weights.size()) + ")");
        unsigned value = 0;
        for (std::size_t i = 0; i < weights.size(); ++i) {
            const int gap = ((position(rest[i]) - position(previous)) % n + n) % n - 1;
            value += static_cast<unsigned>(gap) * weights[i];
            previous = rest[i];
        }
        plain.push_back(static_cast<char>(value % 256));
        rest.remove_prefix(weights.size());
    }
    return plain;
}

std::string encode_junos_secret(std::string_view plain, unsigned salt)
{
    const std::string& all = alphabet();
    const auto n = static_cast<unsigned>(all.size());
    // A simple stream from the salt for the salt character and the padding.
    auto next = [state = salt * 2654435761u + 12345u]() mutable {
        state = state * 1103515245u + 12345u;
        return (state >> 16) % 65;
    };
    std::string out(k_prefix);
    const char first = all[next() % n];
    out += first;
    for (int i = 0; i < padding(first); ++i)
        out += all[next() % n];
    char previous = first;
    for (std::size_t k = 0; k < plain.size(); ++k) {
        const auto& weights = k_weights[k % k_weights.size()];
        unsigned value = static_cast<unsigned char>(plain[k]);
        // Gaps from the largest weight down; the last (weight 1) takes the rest.
        std::vector<unsigned> gaps(weights.size());
        for (std::size_t i = weights.size(); i-- > 0;) {
            gaps[i] = value / weights[i];
            value %= weights[i];
        }
        for (std::size_t i = 0; i < weights.size(); ++i) {
            const auto p = (static_cast<unsigned>(position(previous)) + gaps[i] + 1) % n;
            previous = all[p];
            out += previous;
        }
    }
    return out;
}

}  // namespace picsec::config
