// Internal: what the Sadb keeps per SA - the public state plus the Botan
// objects of each leg.
#pragma once

#include <memory>

#include "picsec/sadb/sadb.h"

namespace picsec::sadb {

struct Sadb::Record {
    SaState state;
    std::unique_ptr<SaCrypto> primary_crypto;    ///< AH (ah, bundle) or ESP (esp)
    std::unique_ptr<SaCrypto> auxiliary_crypto;  ///< ESP of a bundle
    bool soft_bytes_reported = false;
};

}  // namespace picsec::sadb
