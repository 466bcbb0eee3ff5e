// Shared by the shim's C++ files: the handle types, the thread-local error slot and the guard
// that turns every C++ exception into a status code (no exception crosses into Swift).
#pragma once

#include "shim_guard.hpp"

#include <ATen/ATen.h>
#include <c10/util/Exception.h>

#include <exception>
#include <string>
#include <vector>

#include "ctorch.h"

struct ft_tensor_opaque {
    at::Tensor tensor;
};

namespace ctorch {

void set_error(const std::string &message);

/// Runs `body`; returns 0, or 1 with the exception's message (c10's without its backtrace) stored for
/// ft_last_error() (`shim::guard`).
inline std::string describe(const std::exception &e) {
    if (const auto *c10 = dynamic_cast<const c10::Error *>(&e)) return c10->what_without_backtrace();
    return e.what();
}

template <typename F>
int guard(F &&body) {
    return shim::guard(std::forward<F>(body), set_error, describe);
}

inline ft_tensor wrap(at::Tensor t) { return new ft_tensor_opaque{std::move(t)}; }

inline const at::Tensor &unwrap(ft_tensor t) {
    if (t == nullptr) throw std::invalid_argument("null tensor handle");
    return t->tensor;
}

/// An optional tensor argument: NULL means "not given".
inline c10::optional<at::Tensor> optional(ft_tensor t) {
    if (t == nullptr) return c10::nullopt;
    return t->tensor;
}

inline at::IntArrayRef dims(const int64_t *values, int count) {
    if (count < 0) throw std::invalid_argument("negative dimension count");
    return at::IntArrayRef(values, static_cast<size_t>(count));
}

inline std::vector<at::Tensor> list(const ft_tensor *tensors, int count) {
    std::vector<at::Tensor> out;
    out.reserve(static_cast<size_t>(count));
    for (int i = 0; i < count; ++i) out.push_back(unwrap(tensors[i]));
    return out;
}

at::ScalarType scalar_type(ft_dtype dtype);
ft_dtype ft_type(at::ScalarType type);
at::Device device_of(ft_device device);
ft_device ft_device_of(const at::Device &device);

inline at::TensorOptions options(ft_dtype dtype, ft_device device) {
    return at::TensorOptions().dtype(scalar_type(dtype)).device(device_of(device));
}

}  // namespace ctorch
