#include "pic_choices.h"

#include "picsec/base/algorithms.h"
#include "picsec/pic/pic_name.h"
#include "picsec/pic/platform.h"

#include <algorithm>
#include <span>

namespace picsec::config {
namespace {

using schema::PicList;

// The PIC rows the configuration has: one per kind among its interfaces.
std::vector<const pic::PlatformModel*> models_of(const Node& root) {
    pic::Platform platform = pic::Platform::MSeries;
    if (const Node* chassis = root.child("chassis"))
        if (const Node* p = chassis->child("platform"))
            platform = pic::platform_from_keyword(p->value()).value_or(pic::Platform::MSeries);
    std::vector<const pic::PlatformModel*> out;
    if (const Node* interfaces = root.child("interfaces"))
        for (const auto& itf : interfaces->children)
            if (auto kind = pic::pic_kind_of(itf.keyword)) {
                const auto* m = &pic::model(platform, *kind);
                if (std::find(out.begin(), out.end(), m) == out.end()) out.push_back(m);
            }
    if (out.empty()) out.push_back(&pic::model(platform));
    return out;
}

// The keywords of `rows` (an algorithm table) whose value `allowed` lists.
template <class Rows, class Value>
void add_allowed(std::vector<std::string>& out, const Rows& rows, std::span<const Value> allowed) {
    for (const auto& row : rows)
        if (std::find(allowed.begin(), allowed.end(), row.id) != allowed.end() &&
            std::find(out.begin(), out.end(), row.keyword) == out.end())
            out.emplace_back(row.keyword);
}

}  // namespace

PicChoices pic_choices(const Node& root, PicList list) {
    PicChoices c;
    if (list == PicList::IkeSaEncryption) {
        for (const auto& row : algo::encryption_algorithms())
            if (!row.aead()) c.keywords.emplace_back(row.keyword);
        return c;
    }
    const auto models = models_of(root);
    for (const auto* m : models) {
        switch (list) {
            case PicList::IkeEncryption: add_allowed(c.keywords, algo::encryption_algorithms(), m->ike_encryption); break;
            case PicList::IkeAuthentication:
                add_allowed(c.keywords, algo::authentication_algorithms(), m->ike_authentication);
                break;
            case PicList::DhGroup: add_allowed(c.keywords, algo::dh_groups(), m->dh_groups); break;
            case PicList::ManualEncryption:
                add_allowed(c.keywords, algo::encryption_algorithms(), m->manual_encryption);
                break;
            case PicList::ManualAuthentication:
                add_allowed(c.keywords, algo::authentication_algorithms(), m->manual_authentication);
                break;
            case PicList::None:
            case PicList::IkeSaEncryption: break;
        }
        c.where += (c.where.empty() ? "" : " or ") + std::string(m->pic_label);
    }
    return c;
}

}  // namespace picsec::config
