// Shared by the shim's C++ files: the thread-local error slot and the guard that turns every C++ exception
// into a status code (no exception crosses into Swift).
#pragma once

#include "shim_guard.hpp"

#include <faiss/impl/FaissException.h>

#include <exception>
#include <stdexcept>
#include <string>

#include "cfaiss.h"

namespace cfaiss {

void set_error(const std::string &message);

/// Runs `body`; returns 0, or 1 with the exception's message stored for the last-error function (`shim::guard`).
template <typename F>
int guard(F &&body) {
    return shim::guard(std::forward<F>(body), set_error);
}

/// Throws std::invalid_argument with `what` unless `ok`.
inline void require(bool ok, const std::string &what) {
    if (!ok) throw std::invalid_argument(what);
}

}  // namespace cfaiss
