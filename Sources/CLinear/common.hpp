// The thread-local error slot and the guard that turns every C++ exception into a status code (as CVision's).
#pragma once

#include "shim_guard.hpp"

#include <exception>
#include <stdexcept>
#include <string>

#include "clinear.h"

namespace clinear {

void set_error(const std::string &message);

/// Runs `body`; returns 0, or 1 with the exception's message stored for the last-error function (`shim::guard`).
template <typename F>
int guard(F &&body) {
    return shim::guard(std::forward<F>(body), set_error);
}

}  // namespace clinear
