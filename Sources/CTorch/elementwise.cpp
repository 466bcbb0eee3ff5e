// Element-wise unary and binary operations.
#include "common.hpp"

using namespace ctorch;

static at::Tensor apply_binary(const at::Tensor &a, const at::Tensor &b, ft_binary_op op) {
    switch (op) {
        case FT_ADD: return a + b;
        case FT_SUB: return a - b;
        case FT_MUL: return a * b;
        case FT_DIV: return a / b;
        case FT_POW: return at::pow(a, b);
        case FT_MAXIMUM: return at::maximum(a, b);
        case FT_MINIMUM: return at::minimum(a, b);
        case FT_EQ: return at::eq(a, b);
        case FT_NE: return at::ne(a, b);
        case FT_LT: return at::lt(a, b);
        case FT_LE: return at::le(a, b);
        case FT_GT: return at::gt(a, b);
        case FT_GE: return at::ge(a, b);
        case FT_LOGICAL_AND: return at::logical_and(a, b);
        case FT_LOGICAL_OR: return at::logical_or(a, b);
    }
    throw std::invalid_argument("unknown binary op " + std::to_string(static_cast<int>(op)));
}

static at::Tensor apply_scalar(const at::Tensor &a, const at::Scalar &s, ft_binary_op op) {
    switch (op) {
        case FT_ADD: return a + s;
        case FT_SUB: return a - s;
        case FT_MUL: return a * s;
        case FT_DIV: return a / s;
        case FT_POW: return at::pow(a, s);
        case FT_MAXIMUM: return at::clamp_min(a, s);
        case FT_MINIMUM: return at::clamp_max(a, s);
        case FT_EQ: return at::eq(a, s);
        case FT_NE: return at::ne(a, s);
        case FT_LT: return at::lt(a, s);
        case FT_LE: return at::le(a, s);
        case FT_GT: return at::gt(a, s);
        case FT_GE: return at::ge(a, s);
        default: break;
    }
    throw std::invalid_argument("binary op " + std::to_string(static_cast<int>(op)) + " takes no scalar");
}

extern "C" {

int ft_unary(ft_tensor *out, ft_tensor a, ft_unary_op op) {
    return guard([&] {
        const at::Tensor &x = unwrap(a);
        at::Tensor y;
        switch (op) {
            case FT_NEG: y = at::neg(x); break;
            case FT_ABS: y = at::abs(x); break;
            case FT_EXP: y = at::exp(x); break;
            case FT_LOG: y = at::log(x); break;
            case FT_SQRT: y = at::sqrt(x); break;
            case FT_RSQRT: y = at::rsqrt(x); break;
            case FT_SQUARE: y = at::square(x); break;
            case FT_RELU: y = at::relu(x); break;
            case FT_SIGMOID: y = at::sigmoid(x); break;
            case FT_TANH: y = at::tanh(x); break;
            case FT_SIGN: y = at::sign(x); break;
            case FT_FLOOR: y = at::floor(x); break;
            case FT_CEIL: y = at::ceil(x); break;
            case FT_ROUND: y = at::round(x); break;
            case FT_LOGICAL_NOT: y = at::logical_not(x); break;
            case FT_ISNAN: y = at::isnan(x); break;
            case FT_ISFINITE: y = at::isfinite(x); break;
            case FT_RECIPROCAL: y = at::reciprocal(x); break;
            default: throw std::invalid_argument("unknown unary op " + std::to_string(static_cast<int>(op)));
        }
        *out = wrap(std::move(y));
    });
}

int ft_binary(ft_tensor *out, ft_tensor a, ft_tensor b, ft_binary_op op) {
    return guard([&] { *out = wrap(apply_binary(unwrap(a), unwrap(b), op)); });
}

int ft_binary_scalar(ft_tensor *out, ft_tensor a, double scalar, ft_binary_op op) {
    return guard([&] { *out = wrap(apply_scalar(unwrap(a), scalar, op)); });
}

int ft_scalar_binary(ft_tensor *out, double scalar, ft_tensor a, ft_binary_op op) {
    return guard([&] {
        const at::Tensor &x = unwrap(a);
        at::Tensor y;
        switch (op) {
            case FT_SUB: y = at::rsub(x, scalar); break;
            case FT_DIV: y = at::reciprocal(x) * scalar; break;
            case FT_POW: y = at::pow(scalar, x); break;
            default: y = apply_scalar(x, scalar, op); break;  // commutative ops
        }
        *out = wrap(std::move(y));
    });
}

int ft_clamp(ft_tensor *out, ft_tensor a, double min, double max) {
    return guard([&] { *out = wrap(at::clamp(unwrap(a), min, max)); });
}

int ft_where(ft_tensor *out, ft_tensor condition, ft_tensor a, ft_tensor b) {
    return guard([&] { *out = wrap(at::where(unwrap(condition), unwrap(a), unwrap(b))); });
}

int ft_masked_fill(ft_tensor *out, ft_tensor a, ft_tensor mask, double value) {
    return guard([&] { *out = wrap(at::masked_fill(unwrap(a), unwrap(mask), value)); });
}

int ft_add_scaled(ft_tensor *out, ft_tensor a, ft_tensor b, double alpha) {
    return guard([&] { *out = wrap(at::add(unwrap(a), unwrap(b), alpha)); });
}

int ft_relu_(ft_tensor t) {
    return guard([&] {
        at::Tensor x = unwrap(t);
        at::relu_(x);
    });
}

}  // extern "C"
