// Errors, threads, seeds, grad mode and dtype mapping.
#include <ATen/Parallel.h>
#include <ATen/autocast_mode.h>
#include <torch/csrc/autograd/grad_mode.h>

#include <climits>
#include <cstdlib>
#include <malloc.h>

#include "common.hpp"

namespace ctorch {

static thread_local std::string last_error;

void set_error(const std::string &message) { last_error = message; }

at::ScalarType scalar_type(ft_dtype dtype) {
    switch (dtype) {
        case FT_FLOAT32: return at::kFloat;
        case FT_FLOAT64: return at::kDouble;
        case FT_INT64: return at::kLong;
        case FT_INT32: return at::kInt;
        case FT_UINT8: return at::kByte;
        case FT_BOOL: return at::kBool;
        case FT_FLOAT16: return at::kHalf;
        case FT_INT8: return at::kChar;
        case FT_BFLOAT16: return at::kBFloat16;
    }
    throw std::invalid_argument("unknown dtype code " + std::to_string(static_cast<int>(dtype)));
}

ft_dtype ft_type(at::ScalarType type) {
    switch (type) {
        case at::kFloat: return FT_FLOAT32;
        case at::kDouble: return FT_FLOAT64;
        case at::kLong: return FT_INT64;
        case at::kInt: return FT_INT32;
        case at::kByte: return FT_UINT8;
        case at::kBool: return FT_BOOL;
        case at::kHalf: return FT_FLOAT16;
        case at::kChar: return FT_INT8;
        case at::kBFloat16: return FT_BFLOAT16;
        default: throw std::invalid_argument(std::string("unsupported scalar type ") + c10::toString(type));
    }
}

at::Device device_of(ft_device device) {
    switch (device) {
        case FT_CPU: return at::Device(at::kCPU);
    }
    throw std::invalid_argument("unknown device code " + std::to_string(static_cast<int>(device)));
}

ft_device ft_device_of(const at::Device &device) {
    if (device.is_cpu()) return FT_CPU;
    throw std::invalid_argument("unsupported device " + device.str());
}

}  // namespace ctorch

using namespace ctorch;

extern "C" {

const char *ft_last_error(void) { return last_error.c_str(); }

int ft_set_num_threads(int n) {
    return guard([&] {
        if (n < 1) throw std::invalid_argument("thread count must be at least 1, got " + std::to_string(n));
        at::set_num_threads(n);
    });
}

int ft_get_num_threads(int *out) { return guard([&] { *out = at::get_num_threads(); }); }

int ft_manual_seed(uint64_t seed) { return guard([&] { at::manual_seed(seed); }); }

int ft_set_grad_enabled(int enabled, int *previous) {
    return guard([&] {
        if (previous) *previous = at::GradMode::is_enabled() ? 1 : 0;
        at::GradMode::set_enabled(enabled != 0);
    });
}

int ft_is_grad_enabled(int *out) { return guard([&] { *out = at::GradMode::is_enabled() ? 1 : 0; }); }

int ft_autocast_cpu_set(int enabled, ft_dtype dtype, int *previous_enabled, ft_dtype *previous_dtype) {
    return guard([&] {
        at::ScalarType type = scalar_type(dtype);
        if (enabled && type != at::kBFloat16) throw std::invalid_argument("CPU autocast runs in bfloat16 only");
        if (previous_enabled) *previous_enabled = at::autocast::is_cpu_enabled() ? 1 : 0;
        if (previous_dtype) *previous_dtype = ft_type(at::autocast::get_autocast_cpu_dtype());
        at::autocast::set_cpu_enabled(enabled != 0);
        at::autocast::set_autocast_cpu_dtype(type);
    });
}

int ft_autocast_clear_cache(void) { return guard([&] { at::autocast::clear_cache(); }); }

void ft_buffer_free(void *buffer) { std::free(buffer); }

int ft_malloc_retain_freed_memory(void) {
    return guard([&] {
        // glibc's largest mmap threshold (HEAP_MAX_SIZE / 2 on 64-bit): blocks below it come from the heap.
        if (mallopt(M_MMAP_THRESHOLD, 32 * 1024 * 1024) != 1) throw std::runtime_error("mallopt(M_MMAP_THRESHOLD) failed");
        // Never hand the top of the heap back to the kernel.
        if (mallopt(M_TRIM_THRESHOLD, INT_MAX) != 1) throw std::runtime_error("mallopt(M_TRIM_THRESHOLD) failed");
    });
}

}  // extern "C"
