// Shared by the shim's C++ files: the thread-local error slot and the guard that turns every C++ exception
// into a status code (no exception crosses into Swift).
#pragma once

#include <faiss/impl/FaissException.h>

#include <exception>
#include <stdexcept>
#include <string>

#include "cfaiss.h"

namespace cfaiss {

void set_error(const std::string &message);

/// Runs `body`; returns 0, or 1 with the exception's message stored for fs_last_error().
template <typename F>
int guard(F &&body) {
    try {
        body();
        return 0;
    } catch (const faiss::FaissException &e) {
        set_error(e.what());
    } catch (const std::exception &e) {
        set_error(e.what());
    } catch (...) {
        set_error("unknown C++ exception");
    }
    return 1;
}

/// Throws std::invalid_argument with `what` unless `ok`.
inline void require(bool ok, const std::string &what) {
    if (!ok) throw std::invalid_argument(what);
}

}  // namespace cfaiss
