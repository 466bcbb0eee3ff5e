// The one guard of every C++ shim (CTorch, CVision, CFaiss, CLinear): runs a body, and turns any C++
// exception into a status code with its message stored in the calling shim's thread-local error slot, so no
// exception crosses into Swift. Each shim's common.hpp binds it to its own slot (and, for libtorch, to a
// message without c10's backtrace). Header only; Package.swift puts this folder on the shims' include path.
#pragma once

#include <exception>
#include <utility>
#include <string>

namespace shim {

/// The message of `e`; a shim may give its library's exception a better one (c10::Error's without backtrace).
inline std::string plain_message(const std::exception &e) { return e.what(); }

/// Runs `body`; returns 0, or 1 with the exception's message passed to `set_error`.
template <typename F, typename Describe = decltype(&plain_message)>
int guard(F &&body, void (*set_error)(const std::string &), Describe describe = &plain_message) {
    try {
        body();
        return 0;
    } catch (const std::exception &e) {
        set_error(describe(e));
    } catch (...) {
        set_error("unknown C++ exception");
    }
    return 1;
}

}  // namespace shim
