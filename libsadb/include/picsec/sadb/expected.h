// A small value-or-error holder used by libsadb's API (C++20 has no
// std::expected): either a T or an E, never both.
#pragma once

#include <stdexcept>
#include <utility>
#include <variant>

namespace picsec::sadb {

/// Either a value of type T or an error of type E.
template <class T, class E>
class Expected {
public:
    Expected(T value) : m_v(std::in_place_index<0>, std::move(value)) {}  // NOLINT(google-explicit-constructor)
    Expected(E error) : m_v(std::in_place_index<1>, std::move(error)) {}  // NOLINT(google-explicit-constructor)

    bool has_value() const { return m_v.index() == 0; }
    explicit operator bool() const { return has_value(); }

    T& value() {
        if (!has_value()) throw std::logic_error("Expected: value() on an error");
        return std::get<0>(m_v);
    }
    const T& value() const {
        if (!has_value()) throw std::logic_error("Expected: value() on an error");
        return std::get<0>(m_v);
    }
    const E& error() const {
        if (has_value()) throw std::logic_error("Expected: error() on a value");
        return std::get<1>(m_v);
    }
    T& operator*() { return value(); }
    const T& operator*() const { return value(); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }

private:
    std::variant<T, E> m_v;
};

}  // namespace picsec::sadb
