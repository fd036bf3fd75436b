// PIC dynamic SA admission and the chassis of PICs (see pic.h).
#include "picsec/pic/pic.h"

#include <variant>

#include "picsec/pic/validate.h"
#include "picsec/pic/validate_sa.h"

namespace picsec::pic {

Pic::Pic(PicName name, const PlatformModel& platform, std::optional<std::size_t> dynamic_sa_limit)
    : m_name(name), m_platform(&platform), m_dynamic_sa_limit(dynamic_sa_limit.value_or(platform.dynamic_sa_limit)) {}

Check Pic::admit_dynamic() {
    if (auto e = check_dynamic_sa_count(name_string(), m_dynamic_sa_count + 1, m_dynamic_sa_limit)) {
        e->message = "dynamic SA refused on " + name_string() + ": the PIC already holds " +
                     std::to_string(m_dynamic_sa_count) + " dynamic SAs, its limit is " +
                     std::to_string(m_dynamic_sa_limit);
        return e;
    }
    ++m_dynamic_sa_count;
    return std::nullopt;
}

void Pic::release_dynamic() {
    if (m_dynamic_sa_count > 0) --m_dynamic_sa_count;
}

Check Pic::check_sa(const sadb::SaSpec& spec) const { return pic::check_sa(spec, *m_platform); }

Chassis::Chassis(Platform platform) : m_platform(&model(platform)) {}

Pic& Chassis::add_pic(const PicName& name) {
    auto key = slot(name);
    auto it = m_pics.find(key);
    if (it == m_pics.end()) it = m_pics.emplace(key, Pic(key, model(m_platform->id, key.kind))).first;
    return it->second;
}

Pic* Chassis::find(const PicName& name) {
    auto it = m_pics.find(slot(name));
    return it == m_pics.end() ? nullptr : &it->second;
}

const Pic* Chassis::find(const PicName& name) const {
    auto it = m_pics.find(slot(name));
    return it == m_pics.end() ? nullptr : &it->second;
}

Pic* Chassis::find(std::string_view interface_name) {
    auto parsed = parse_pic_name(interface_name, *m_platform);
    return parsed ? find(*parsed) : nullptr;
}

}  // namespace picsec::pic
