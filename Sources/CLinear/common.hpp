// The thread-local error slot and the guard that turns every C++ exception into a status code (as CVision's).
#pragma once

#include <exception>
#include <stdexcept>
#include <string>

#include "clinear.h"

namespace clinear {

void set_error(const std::string &message);

/// Runs `body`; returns 0, or 1 with the exception's message stored for cl_last_error().
template <typename F>
int guard(F &&body) {
    try {
        body();
        return 0;
    } catch (const std::exception &e) {
        set_error(e.what());
    } catch (...) {
        set_error("unknown C++ exception");
    }
    return 1;
}

}  // namespace clinear
