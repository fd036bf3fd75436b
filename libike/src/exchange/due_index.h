// When each SA's timer work is next due, soonest first, so a tick visits the
// SAs with something due instead of walking the whole table.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <utility>
#include <vector>

namespace picsec::ike::detail {

/// One entry per key: the time (ms) its owner next has tick work. A key
/// whose timers may have moved earlier is touched (due at once); a tick
/// takes the keys due, visits them and files each again under its new time.
template <typename Key>
class DueIndex {
public:
    /// Files `key` under `due`, replacing its entry; no time removes it.
    void schedule(const Key& key, std::optional<std::uint64_t> due)
    {
        remove(key);
        if (!due)
            return;
        m_by_time.emplace(*due, key);
        m_by_key.emplace(key, *due);
    }
    /// Due at the next take, whatever it was filed under.
    void touch(const Key& key) { schedule(key, 0); }
    void remove(const Key& key)
    {
        const auto it = m_by_key.find(key);
        if (it == m_by_key.end())
            return;
        m_by_time.erase({it->second, key});
        m_by_key.erase(it);
    }
    /// Removes and returns the keys due at or before `now`, soonest first.
    std::vector<Key> take_due(std::uint64_t now)
    {
        std::vector<Key> out;
        while (!m_by_time.empty() && m_by_time.begin()->first <= now) {
            out.push_back(m_by_time.begin()->second);
            m_by_key.erase(out.back());
            m_by_time.erase(m_by_time.begin());
        }
        return out;
    }
    /// The time `key` is filed under, if any.
    std::optional<std::uint64_t> due(const Key& key) const
    {
        const auto it = m_by_key.find(key);
        return it == m_by_key.end() ? std::nullopt : std::optional<std::uint64_t>(it->second);
    }
    std::size_t size() const { return m_by_key.size(); }

private:
    std::set<std::pair<std::uint64_t, Key>> m_by_time;
    std::map<Key, std::uint64_t> m_by_key;
};

}  // namespace picsec::ike::detail
