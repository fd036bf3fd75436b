// The one value-or-error holder of picsec (C++20 has no std::expected):
// either a T or an E, never both. libsadb returns it with a Drop, the IKE
// codec with a DecodeError (codec::DecodeResult).
#pragma once

#include <stdexcept>
#include <utility>
#include <variant>

namespace picsec {

/// Either a value of type T or an error of type E. Reading the side that is
/// not there throws std::logic_error (a programming error, never hostile input).
template <class T, class E>
class [[nodiscard]] Expected {
public:
    Expected(T value) : m_v(std::in_place_index<0>, std::move(value)) {}  // NOLINT(google-explicit-constructor)
    Expected(E error) : m_v(std::in_place_index<1>, std::move(error)) {}  // NOLINT(google-explicit-constructor)

    bool has_value() const { return m_v.index() == 0; }
    bool ok() const { return has_value(); }
    explicit operator bool() const { return has_value(); }

    T& value() & { return std::get<0>(checked_value()); }
    const T& value() const& { return std::get<0>(checked_value()); }
    T&& value() && { return std::get<0>(std::move(checked_value())); }
    const E& error() const {
        if (has_value()) throw std::logic_error("Expected: error() on a value");
        return std::get<1>(m_v);
    }
    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }

private:
    std::variant<T, E>& checked_value() {
        if (!has_value()) throw std::logic_error("Expected: value() on an error");
        return m_v;
    }
    const std::variant<T, E>& checked_value() const {
        if (!has_value()) throw std::logic_error("Expected: value() on an error");
        return m_v;
    }

    std::variant<T, E> m_v;
};

}  // namespace picsec
