// The algorithms a configuration's PICs support, for the refusal of an
// algorithm word that is not one: the list of the PICs it has, not the
// whole algorithm table.
#pragma once

#include "schema.h"
#include "tree.h"

#include <string>
#include <vector>

namespace picsec::config {

/// The keywords `list` allows on the configuration's PICs (its es- and ms-
/// interfaces, on the chassis platform; the ES PIC when it names none), in
/// algorithm-table order, and where: {"des-cbc", "3des-cbc"}, "the ES PIC".
struct PicChoices {
    std::vector<std::string> keywords;
    std::string where;  ///< "the ES PIC", "the ES PIC or the services PIC"; empty for the IKE SA ciphers (the same on every PIC)
};
PicChoices pic_choices(const Node& root, schema::PicList list);

}  // namespace picsec::config
