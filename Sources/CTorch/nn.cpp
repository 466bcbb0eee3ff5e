// Neural-network operations: convolution, normalisation, pooling, activations, resizing.
#include "common.hpp"

using namespace ctorch;

static at::IntArrayRef pair(const int64_t *values) {
    if (values == nullptr) throw std::invalid_argument("null (h, w) pair");
    return at::IntArrayRef(values, 2);
}

extern "C" {

int ft_conv2d(ft_tensor *out, ft_tensor x, ft_tensor weight, ft_tensor bias, const int64_t *stride,
              const int64_t *padding, const int64_t *dilation, int64_t groups) {
    return guard([&] {
        *out = wrap(at::conv2d(unwrap(x), unwrap(weight), optional(bias), pair(stride), pair(padding),
                               pair(dilation), groups));
    });
}

int ft_batch_norm(ft_tensor *out, ft_tensor x, ft_tensor weight, ft_tensor bias, ft_tensor running_mean,
                  ft_tensor running_var, int training, double momentum, double eps) {
    return guard([&] {
        *out = wrap(at::batch_norm(unwrap(x), optional(weight), optional(bias), optional(running_mean),
                                   optional(running_var), training != 0, momentum, eps,
                                   /*cudnn_enabled=*/false));
    });
}

int ft_max_pool2d(ft_tensor *out, ft_tensor x, const int64_t *kernel, const int64_t *stride,
                  const int64_t *padding, int ceil_mode) {
    return guard([&] {
        const int64_t one[2] = {1, 1};
        *out = wrap(at::max_pool2d(unwrap(x), pair(kernel), pair(stride), pair(padding), pair(one), ceil_mode != 0));
    });
}

int ft_avg_pool2d(ft_tensor *out, ft_tensor x, const int64_t *kernel, const int64_t *stride,
                  const int64_t *padding, int ceil_mode, int count_include_pad) {
    return guard([&] {
        *out = wrap(at::avg_pool2d(unwrap(x), pair(kernel), pair(stride), pair(padding), ceil_mode != 0,
                                   count_include_pad != 0));
    });
}

int ft_adaptive_avg_pool2d(ft_tensor *out, ft_tensor x, int64_t out_h, int64_t out_w) {
    return guard([&] { *out = wrap(at::adaptive_avg_pool2d(unwrap(x), {out_h, out_w})); });
}

int ft_prelu(ft_tensor *out, ft_tensor x, ft_tensor weight) {
    return guard([&] { *out = wrap(at::prelu(unwrap(x), unwrap(weight))); });
}

int ft_constant_pad(ft_tensor *out, ft_tensor x, const int64_t *pads, int count, double value) {
    return guard([&] { *out = wrap(at::constant_pad_nd(unwrap(x), dims(pads, count), value)); });
}

int ft_dropout(ft_tensor *out, ft_tensor x, double p, int training) {
    return guard([&] { *out = wrap(at::dropout(unwrap(x), p, training != 0)); });
}

int ft_softmax(ft_tensor *out, ft_tensor x, int64_t dim) {
    return guard([&] { *out = wrap(at::softmax(unwrap(x), dim)); });
}

int ft_log_softmax(ft_tensor *out, ft_tensor x, int64_t dim) {
    return guard([&] { *out = wrap(at::log_softmax(unwrap(x), dim)); });
}

int ft_normalize(ft_tensor *out, ft_tensor x, double p, int64_t dim, double eps) {
    return guard([&] {
        const at::Tensor &t = unwrap(x);
        at::Tensor norm = at::norm(t, p, {dim}, /*keepdim=*/true).clamp_min(eps);
        *out = wrap(t / norm.expand_as(t));
    });
}

int ft_interpolate(ft_tensor *out, ft_tensor x, int64_t out_h, int64_t out_w, ft_interpolation mode,
                   int align_corners) {
    return guard([&] {
        const at::Tensor &t = unwrap(x);
        std::vector<int64_t> size = {out_h, out_w};
        switch (mode) {
            case FT_NEAREST: *out = wrap(at::upsample_nearest2d(t, size)); break;
            case FT_BILINEAR: *out = wrap(at::upsample_bilinear2d(t, size, align_corners != 0)); break;
            case FT_AREA: *out = wrap(at::adaptive_avg_pool2d(t, size)); break;  // as torch's 'area' mode
            default: throw std::invalid_argument("unknown interpolation mode");
        }
    });
}

}  // extern "C"
