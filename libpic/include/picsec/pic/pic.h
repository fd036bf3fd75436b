// One PIC (an ES PIC or a services PIC: its model's limits and its dynamic SA
// count) and the chassis that holds several of them.
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <string>

#include "picsec/pic/error.h"
#include "picsec/pic/pic_name.h"
#include "picsec/pic/platform.h"
#include "picsec/sadb/sa.h"

namespace picsec::pic {

/// One IPsec PIC, of the kind its name says (es- or ms-), with that kind's
/// model on the chassis' platform. Counts the dynamic SAs installed on it and
/// refuses more than its limit (the model's unless overridden).
/// Independent of the SADB: callers admit before installing and release after
/// deleting.
class Pic {
  public:
    Pic(PicName name, const PlatformModel& platform, std::optional<std::size_t> dynamic_sa_limit = std::nullopt);

    const PicName& name() const { return m_name; }
    std::string name_string() const { return to_string(m_name); }
    const PlatformModel& platform() const { return *m_platform; }

    std::size_t dynamic_sa_limit() const { return m_dynamic_sa_limit; }
    void set_dynamic_sa_limit(std::size_t limit) { m_dynamic_sa_limit = limit; }
    std::size_t dynamic_sa_count() const { return m_dynamic_sa_count; }

    /// Reserves room for one more dynamic SA; on refusal the count is unchanged
    /// and the Error says which PIC is full and its limit.
    Check admit_dynamic();
    /// Gives back one dynamic SA slot (no-op at zero).
    void release_dynamic();

    /// Whether this PIC can install the SA (check_sa() with this PIC's platform).
    Check check_sa(const sadb::SaSpec& spec) const;

  private:
    PicName m_name;
    const PlatformModel* m_platform;
    std::size_t m_dynamic_sa_limit;
    std::size_t m_dynamic_sa_count = 0;
};

/// A router: one platform and the PICs installed in it, keyed by kind and
/// (FPC, PIC) slot (the port of the name is always 0): es-1/0/0 and
/// ms-1/0/0 are two PICs.
class Chassis {
  public:
    explicit Chassis(Platform platform = Platform::MSeries);

    /// The platform's ES PIC row (model(platform().id, kind) gives the others).
    const PlatformModel& platform() const { return *m_platform; }

    /// Adds the PIC in that slot, or returns the one already there.
    Pic& add_pic(const PicName& name);
    Pic* find(const PicName& name);
    const Pic* find(const PicName& name) const;
    /// Parses an interface name (es-F/P/0 or ms-F/P/0) and finds its PIC.
    Pic* find(std::string_view interface_name);

    const std::map<PicName, Pic>& pics() const { return m_pics; }

  private:
    static PicName slot(const PicName& name) { return PicName{name.fpc, name.pic, 0, name.kind}; }

    const PlatformModel* m_platform;
    std::map<PicName, Pic> m_pics;
};

}  // namespace picsec::pic
