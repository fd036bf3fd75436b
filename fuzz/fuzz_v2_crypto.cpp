// libFuzzer target: the IKEv2 crypto layer's parsers of peer bytes. The first
// input byte picks: 0 an SK message and 1 an SKF fragment into sk_open (keys
// of strongSwan's v2-psk-modp2048 sample, so the seeds open), 2 a method-14
// AUTH into digital_signature_scheme and rsa_verify, 3 SIGNATURE_HASH_ALGORITHMS
// data plus an sk_seal/sk_open round trip that must give the input back.
#include <picsec/ike/v2/crypto/auth.h>
#include <picsec/ike/v2/crypto/sk.h>

#include <botan/auto_rng.h>
#include <botan/hex.h>
#include <botan/rng.h>
#include <botan/rsa.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <span>
#include <string>
#include <vector>

using namespace picsec;
using namespace picsec::ike::v2::crypto;

namespace {

class CounterRng final : public Botan::RandomNumberGenerator {
public:
    void randomize(std::uint8_t out[], std::size_t n) override {
        for (std::size_t i = 0; i < n; ++i) out[i] = static_cast<std::uint8_t>(m_next++);
    }
    bool accepts_input() const override { return false; }
    void add_entropy(const std::uint8_t[], std::size_t) override {}
    std::string name() const override { return "CounterRng"; }
    void clear() override {}
    bool is_seeded() const override { return true; }

private:
    unsigned m_next = 0;
};

const Suite k_suite{algo::EncryptionAlgorithm::Aes256Cbc, algo::HashAlgorithm::Sha256,
                    algo::AuthenticationAlgorithm::HmacSha256_128, algo::DhGroup::Modp2048};
// SK_ei and SK_ai of the v2-psk-modp2048 sample (tests/ike/data/crypto).
const auto k_sk_ei = Botan::hex_decode("84f7d09bbcaec0460a01d9780d494d724c4276f961f8abce13349c0e2d5511ad");
const auto k_sk_ai = Botan::hex_decode("dea3b886cbf4709ab74b406804bc28988a97ae31b3c1e2b1605477351a3a5f45");

const Botan::RSA_PrivateKey& rsa_key() {
    static Botan::AutoSeeded_RNG rng;
    static const Botan::RSA_PrivateKey key(rng, 1024);
    return key;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const std::span<const std::uint8_t> input(data + 1, size - 1);
    const SkKeys keys{k_sk_ei, k_sk_ai};
    switch (data[0] % 4) {
    case 0: (void)sk_open(k_suite, keys, input, 28 + 4); break;
    case 1: (void)sk_open(k_suite, keys, input, 28 + 8); break;
    case 2: {
        (void)digital_signature_scheme(input);
        const std::uint8_t octets[4] = {1, 2, 3, 4};
        if (rsa_verify(14, input, rsa_key(), octets)) std::abort();  // no forgery without the key
        (void)rsa_verify(1, input, rsa_key(), octets);
        break;
    }
    case 3: {
        (void)parse_signature_hash_algorithms(input);
        CounterRng rng;
        std::vector<std::uint8_t> message(32, 0);
        const auto body = sk_seal(k_suite, keys, message, input, rng);
        if (body.size() != sk_body_size(k_suite, input.size())) std::abort();
        message.insert(message.end(), body.begin(), body.end());
        const auto opened = sk_open(k_suite, keys, message, 32);
        if (!opened || !std::equal(opened->begin(), opened->end(), input.begin(), input.end())) std::abort();
        break;
    }
    }
    return 0;
}
