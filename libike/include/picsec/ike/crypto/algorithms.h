// The IKE rows of the one algorithm table (picsec/base/algorithms.h) under
// libike's names: crypto builds Botan objects from them, negotiation renders
// and matches attribute values with them.
#pragma once

#include "picsec/base/algorithms.h"

namespace picsec::ike::crypto {

using algo::AuthMethod;
using algo::AuthMethodInfo;
using algo::DhGroup;
using algo::DhGroupInfo;
using algo::DhKind;
using algo::EncryptionAlgorithm;
using algo::EncryptionInfo;
using algo::HashAlgorithm;
using algo::HashInfo;

using algo::auth_method_from_attribute;
using algo::auth_method_from_keyword;
using algo::auth_methods;
using algo::dh_group_from_attribute;
using algo::dh_group_from_keyword;
using algo::dh_groups;
using algo::encryption_algorithms;
using algo::encryption_from_keyword;
using algo::hash_algorithms;
using algo::hash_from_attribute;
using algo::hash_from_keyword;
using algo::ike_encryption_from_attribute;
using algo::info;

}  // namespace picsec::ike::crypto
