// Tensor lifetime, inspection, copies in and out, and autograd bookkeeping.
#include <torch/csrc/autograd/autograd.h>
#include <torch/csrc/autograd/grad_mode.h>

#include <cstring>

#include "common.hpp"

using namespace ctorch;

extern "C" {

void ft_tensor_free(ft_tensor t) { delete t; }

int ft_tensor_from_data(
    ft_tensor *out, const void *data, const int64_t *shape, int ndim, ft_dtype dtype, ft_device device) {
    return guard([&] {
        auto sizes = dims(shape, ndim);
        // The copy is made in host memory, then moved to `device` (a no-op for the CPU).
        at::Tensor t = at::empty(sizes, options(dtype, FT_CPU));
        if (t.numel() > 0) {
            if (data == nullptr) throw std::invalid_argument("null data pointer");
            std::memcpy(t.data_ptr(), data, t.numel() * t.element_size());
        }
        *out = wrap(t.to(device_of(device)));
    });
}

int ft_tensor_copy_to(ft_tensor t, void *dst, size_t nbytes, ft_dtype dtype) {
    return guard([&] {
        at::Tensor src = unwrap(t).detach().to(at::kCPU, scalar_type(dtype)).contiguous();  // host memory
        size_t need = static_cast<size_t>(src.numel()) * src.element_size();
        if (need != nbytes)
            throw std::invalid_argument("destination holds " + std::to_string(nbytes) + " bytes, tensor needs " +
                                        std::to_string(need));
        if (need > 0) std::memcpy(dst, src.data_ptr(), need);
    });
}

int ft_tensor_ndim(ft_tensor t, int *out) { return guard([&] { *out = static_cast<int>(unwrap(t).dim()); }); }

int ft_tensor_shape(ft_tensor t, int64_t *out, int capacity) {
    return guard([&] {
        auto sizes = unwrap(t).sizes();
        for (size_t i = 0; i < sizes.size() && static_cast<int>(i) < capacity; ++i) out[i] = sizes[i];
    });
}

int ft_tensor_borrow_data(const void **out, ft_tensor t, ft_dtype dtype) {
    return guard([&] {
        const at::Tensor &tensor = unwrap(t);
        if (tensor.scalar_type() != scalar_type(dtype)) throw std::invalid_argument("the tensor is of another dtype");
        if (!tensor.is_contiguous()) throw std::invalid_argument("the tensor is not contiguous");
        if (!tensor.is_cpu()) throw std::invalid_argument("the tensor is not in host memory");
        *out = tensor.data_ptr();
    });
}

int ft_tensor_dtype(ft_tensor t, ft_dtype *out) { return guard([&] { *out = ft_type(unwrap(t).scalar_type()); }); }

int ft_tensor_device(ft_tensor t, ft_device *out) { return guard([&] { *out = ft_device_of(unwrap(t).device()); }); }

int ft_tensor_numel(ft_tensor t, int64_t *out) { return guard([&] { *out = unwrap(t).numel(); }); }

int ft_tensor_item(ft_tensor t, double *out) { return guard([&] { *out = unwrap(t).item<double>(); }); }

int ft_tensor_is_contiguous(ft_tensor t, int channels_last, int *out) {
    return guard([&] {
        auto format = channels_last ? at::MemoryFormat::ChannelsLast : at::MemoryFormat::Contiguous;
        *out = unwrap(t).is_contiguous(format) ? 1 : 0;
    });
}

int ft_tensor_shallow_clone(ft_tensor *out, ft_tensor t) { return guard([&] { *out = wrap(unwrap(t)); }); }

int ft_tensor_clone(ft_tensor *out, ft_tensor t) { return guard([&] { *out = wrap(unwrap(t).clone()); }); }

int ft_tensor_detach(ft_tensor *out, ft_tensor t) { return guard([&] { *out = wrap(unwrap(t).detach()); }); }

int ft_tensor_contiguous(ft_tensor *out, ft_tensor t, int channels_last) {
    return guard([&] {
        auto format = channels_last ? at::MemoryFormat::ChannelsLast : at::MemoryFormat::Contiguous;
        *out = wrap(unwrap(t).contiguous(format));
    });
}

int ft_tensor_to(ft_tensor *out, ft_tensor t, ft_device device, ft_dtype dtype) {
    return guard([&] { *out = wrap(unwrap(t).to(device_of(device), scalar_type(dtype))); });
}

int ft_tensor_copy_(ft_tensor dst, ft_tensor src) {
    return guard([&] {
        at::NoGradGuard no_grad;
        at::Tensor d = unwrap(dst);
        d.copy_(unwrap(src));
    });
}

int ft_tensor_set_data(ft_tensor dst, ft_tensor src) {
    return guard([&] {
        at::Tensor d = unwrap(dst);
        d.set_data(unwrap(src));
    });
}

int ft_tensor_fill_(ft_tensor dst, double value) {
    return guard([&] {
        at::NoGradGuard no_grad;
        at::Tensor d = unwrap(dst);
        d.fill_(value);
    });
}

int ft_tensor_lerp_(ft_tensor dst, ft_tensor end, double weight) {
    return guard([&] {
        at::NoGradGuard no_grad;
        at::Tensor d = unwrap(dst);
        d.lerp_(unwrap(end), weight);
    });
}

// ---- autograd ----

int ft_tensor_set_requires_grad(ft_tensor t, int requires_grad) {
    return guard([&] {
        at::Tensor x = unwrap(t);
        x.set_requires_grad(requires_grad != 0);
    });
}

int ft_tensor_requires_grad(ft_tensor t, int *out) {
    return guard([&] { *out = unwrap(t).requires_grad() ? 1 : 0; });
}

int ft_tensor_grad(ft_tensor *out, int *defined, ft_tensor t) {
    return guard([&] {
        const at::Tensor &g = unwrap(t).grad();
        *defined = g.defined() ? 1 : 0;
        *out = g.defined() ? wrap(g) : nullptr;
    });
}

int ft_tensor_zero_grad(ft_tensor t) {
    return guard([&] {
        at::Tensor x = unwrap(t);
        x.mutable_grad() = at::Tensor();
    });
}

int ft_tensor_backward(ft_tensor t, ft_tensor gradient) {
    return guard([&] {
        if (gradient == nullptr) {
            unwrap(t).backward();
        } else {
            unwrap(t).backward(unwrap(gradient));
        }
    });
}

// ---- creation ----

int ft_zeros(ft_tensor *out, const int64_t *shape, int ndim, ft_dtype dtype, ft_device device) {
    return guard([&] { *out = wrap(at::zeros(dims(shape, ndim), options(dtype, device))); });
}

int ft_ones(ft_tensor *out, const int64_t *shape, int ndim, ft_dtype dtype, ft_device device) {
    return guard([&] { *out = wrap(at::ones(dims(shape, ndim), options(dtype, device))); });
}

int ft_full(ft_tensor *out, const int64_t *shape, int ndim, double value, ft_dtype dtype, ft_device device) {
    return guard([&] { *out = wrap(at::full(dims(shape, ndim), value, options(dtype, device))); });
}

int ft_rand(ft_tensor *out, const int64_t *shape, int ndim, ft_dtype dtype, ft_device device) {
    return guard([&] { *out = wrap(at::rand(dims(shape, ndim), options(dtype, device))); });
}

int ft_randn(ft_tensor *out, const int64_t *shape, int ndim, ft_dtype dtype, ft_device device) {
    return guard([&] { *out = wrap(at::randn(dims(shape, ndim), options(dtype, device))); });
}

int ft_randint(ft_tensor *out, int64_t low, int64_t high, const int64_t *shape, int ndim, ft_device device) {
    return guard([&] { *out = wrap(at::randint(low, high, dims(shape, ndim), options(FT_INT64, device))); });
}

int ft_randperm(ft_tensor *out, int64_t n, ft_device device) {
    return guard([&] { *out = wrap(at::randperm(n, options(FT_INT64, device))); });
}

int ft_arange(ft_tensor *out, double start, double end, double step, ft_dtype dtype, ft_device device) {
    return guard([&] { *out = wrap(at::arange(start, end, step, options(dtype, device))); });
}

int ft_eye(ft_tensor *out, int64_t n, ft_dtype dtype, ft_device device) {
    return guard([&] { *out = wrap(at::eye(n, options(dtype, device))); });
}

}  // extern "C"
