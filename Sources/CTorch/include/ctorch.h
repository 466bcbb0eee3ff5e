// ctorch.h: a thin C API over libtorch's C++ API (libtorch 1.13.1), in the style of tch-rs.
//
// Conventions (docs/architecture.md):
// - Every function is ft_<noun>_<verb> or ft_<op>, returns 0 on success and 1 on failure, and writes
//   its results through out-pointers (the first arguments).
// - On failure the C++ exception's message is stored in a thread-local slot; ft_last_error() reads it.
//   No C++ exception ever crosses this boundary.
// - Every handle has exactly one free function. Tensors returned through out-pointers are new handles
//   owned by the caller (each handle is a reference to a libtorch tensor; storage is shared as in C++).
// - No model logic lives here: only libtorch operations, one C function (or one enum case) per op.
#ifndef CTORCH_H
#define CTORCH_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct ft_tensor_opaque *ft_tensor;
typedef struct ft_optimizer_opaque *ft_optimizer;
typedef struct ft_process_group_opaque *ft_process_group;
typedef struct ft_collective_work_opaque *ft_collective_work;
typedef struct ft_grad_buckets_opaque *ft_grad_buckets;

// ---- errors and runtime -------------------------------------------------------------------------
/// The message of the last failure on this thread ("" if none).
const char *ft_last_error(void);
int ft_set_num_threads(int n);
int ft_get_num_threads(int *out);
int ft_manual_seed(uint64_t seed);
/// Enables or disables gradient recording on this thread; writes the previous state.
int ft_set_grad_enabled(int enabled, int *previous);
int ft_is_grad_enabled(int *out);
/// Makes glibc's malloc keep freed memory for reuse: blocks up to 32 MB come from the heap and the heap
/// is never trimmed. libtorch allocates and frees the same large activations every training step; with
/// glibc's defaults most of them come back as fresh pages that fault on first touch.
int ft_malloc_retain_freed_memory(void);
/// Installs the caching CPU allocator (allocator.cpp) as libtorch's CPU allocator: freed blocks of 256 kB
/// and more are kept, up to `max_cached_bytes` in all, for the next tensor of their size class.
/// Calling again changes the limit.
int ft_caching_allocator_enable(int64_t max_cached_bytes);
/// Bytes held in the cache now; allocations served from it and allocations that found nothing there.
int ft_caching_allocator_stats(int64_t *cached_bytes, int64_t *hits, int64_t *misses);
/// Frees every cached block.
int ft_caching_allocator_release(void);
/// Frees a byte buffer returned by this API (ft_optimizer_save).
void ft_buffer_free(void *buffer);

// ---- dtypes -------------------------------------------------------------------------------------
typedef enum {
    FT_FLOAT32 = 0,
    FT_FLOAT64 = 1,
    FT_INT64 = 2,
    FT_INT32 = 3,
    FT_UINT8 = 4,
    FT_BOOL = 5,
    FT_FLOAT16 = 6,
    FT_INT8 = 7,
    FT_BFLOAT16 = 8,
} ft_dtype;

/// Where a tensor lives. Only the CPU is built; the argument is on every creation and conversion so that a
/// build with another device changes no call site.
typedef enum {
    FT_CPU = 0,
} ft_device;

// ---- autocast -----------------------------------------------------------------------------------
/// libtorch's CPU autocast on this thread: with `enabled`, convolutions and matrix products run in `dtype`
/// (FT_BFLOAT16) and the ops autocast keeps in float32 stay there. Writes the previous state; the cast weights
/// are cached until ft_autocast_clear_cache.
int ft_autocast_cpu_set(int enabled, ft_dtype dtype, int *previous_enabled, ft_dtype *previous_dtype);
int ft_autocast_clear_cache(void);

// ---- tensor lifetime and inspection -------------------------------------------------------------
void ft_tensor_free(ft_tensor t);
/// A new tensor holding a copy of `data` (contiguous, row-major) of the given shape and dtype.
int ft_tensor_from_data(
    ft_tensor *out, const void *data, const int64_t *shape, int ndim, ft_dtype dtype, ft_device device);
/// Copies the tensor's elements (row-major, converted to `dtype`) into `dst` of `nbytes` bytes.
int ft_tensor_copy_to(ft_tensor t, void *dst, size_t nbytes, ft_dtype dtype);
/// The storage of a contiguous tensor of `dtype`, borrowed: valid while the handle lives and nothing writes
/// the tensor (an error for another dtype or a non-contiguous tensor, which would need a copy).
int ft_tensor_borrow_data(const void **out, ft_tensor t, ft_dtype dtype);
int ft_tensor_ndim(ft_tensor t, int *out);
/// Writes up to `capacity` sizes into `out`.
int ft_tensor_shape(ft_tensor t, int64_t *out, int capacity);
int ft_tensor_dtype(ft_tensor t, ft_dtype *out);
int ft_tensor_device(ft_tensor t, ft_device *out);
int ft_tensor_numel(ft_tensor t, int64_t *out);
int ft_tensor_item(ft_tensor t, double *out);
int ft_tensor_is_contiguous(ft_tensor t, int channels_last, int *out);
/// A new handle to the same tensor (shares storage and autograd identity).
int ft_tensor_shallow_clone(ft_tensor *out, ft_tensor t);
int ft_tensor_clone(ft_tensor *out, ft_tensor t);
int ft_tensor_detach(ft_tensor *out, ft_tensor t);
int ft_tensor_contiguous(ft_tensor *out, ft_tensor t, int channels_last);
/// The tensor on `device` as `dtype` (the same handle's tensor when both already match, as at::Tensor::to).
int ft_tensor_to(ft_tensor *out, ft_tensor t, ft_device device, ft_dtype dtype);
/// dst.copy_(src) without recording gradients (loading weights into parameters).
int ft_tensor_copy_(ft_tensor dst, ft_tensor src);
/// dst.set_data(src): replaces the data (shape, layout) of dst, keeping its autograd identity.
int ft_tensor_set_data(ft_tensor dst, ft_tensor src);
/// dst.fill_(value) without recording gradients.
int ft_tensor_fill_(ft_tensor dst, double value);
/// dst.lerp_(end, weight) = dst + weight * (end - dst) in one pass, without recording gradients.
int ft_tensor_lerp_(ft_tensor dst, ft_tensor end, double weight);

// ---- autograd -----------------------------------------------------------------------------------
int ft_tensor_set_requires_grad(ft_tensor t, int requires_grad);
int ft_tensor_requires_grad(ft_tensor t, int *out);
/// Writes the gradient into *out and 1 into *defined, or 0 into *defined when there is none.
int ft_tensor_grad(ft_tensor *out, int *defined, ft_tensor t);
/// Sets the gradient to None.
int ft_tensor_zero_grad(ft_tensor t);
/// Back-propagates from `t`; `gradient` may be NULL for a scalar.
int ft_tensor_backward(ft_tensor t, ft_tensor gradient);

// ---- creation -----------------------------------------------------------------------------------
int ft_zeros(ft_tensor *out, const int64_t *shape, int ndim, ft_dtype dtype, ft_device device);
int ft_ones(ft_tensor *out, const int64_t *shape, int ndim, ft_dtype dtype, ft_device device);
int ft_full(ft_tensor *out, const int64_t *shape, int ndim, double value, ft_dtype dtype, ft_device device);
/// Uniform on [0, 1).
int ft_rand(ft_tensor *out, const int64_t *shape, int ndim, ft_dtype dtype, ft_device device);
int ft_randn(ft_tensor *out, const int64_t *shape, int ndim, ft_dtype dtype, ft_device device);
/// Integers uniform on [low, high).
int ft_randint(ft_tensor *out, int64_t low, int64_t high, const int64_t *shape, int ndim, ft_device device);
int ft_randperm(ft_tensor *out, int64_t n, ft_device device);
int ft_arange(ft_tensor *out, double start, double end, double step, ft_dtype dtype, ft_device device);
int ft_eye(ft_tensor *out, int64_t n, ft_dtype dtype, ft_device device);

// ---- element-wise -------------------------------------------------------------------------------
typedef enum {
    FT_NEG = 0, FT_ABS, FT_EXP, FT_LOG, FT_SQRT, FT_RSQRT, FT_SQUARE, FT_RELU, FT_SIGMOID, FT_TANH,
    FT_SIGN, FT_FLOOR, FT_CEIL, FT_ROUND, FT_LOGICAL_NOT, FT_ISNAN, FT_ISFINITE, FT_RECIPROCAL,
} ft_unary_op;
int ft_unary(ft_tensor *out, ft_tensor a, ft_unary_op op);

typedef enum {
    FT_ADD = 0, FT_SUB, FT_MUL, FT_DIV, FT_POW, FT_MAXIMUM, FT_MINIMUM,
    FT_EQ, FT_NE, FT_LT, FT_LE, FT_GT, FT_GE, FT_LOGICAL_AND, FT_LOGICAL_OR,
} ft_binary_op;
/// a op b, broadcasting.
int ft_binary(ft_tensor *out, ft_tensor a, ft_tensor b, ft_binary_op op);
/// a op scalar (FT_MAXIMUM / FT_MINIMUM are clamp_min / clamp_max; logical ops are not allowed).
int ft_binary_scalar(ft_tensor *out, ft_tensor a, double scalar, ft_binary_op op);
/// scalar op a, for the ops that do not commute (FT_SUB, FT_DIV, FT_POW).
int ft_scalar_binary(ft_tensor *out, double scalar, ft_tensor a, ft_binary_op op);
int ft_clamp(ft_tensor *out, ft_tensor a, double min, double max);
int ft_where(ft_tensor *out, ft_tensor condition, ft_tensor a, ft_tensor b);
int ft_masked_fill(ft_tensor *out, ft_tensor a, ft_tensor mask, double value);
/// a + alpha * b in one pass (at::add with alpha).
int ft_add_scaled(ft_tensor *out, ft_tensor a, ft_tensor b, double alpha);
/// relu_ in place, recorded by autograd (allowed where no other node saved the tensor: BatchNorm's output).
int ft_relu_(ft_tensor t);

// ---- reductions ---------------------------------------------------------------------------------
typedef enum { FT_SUM = 0, FT_MEAN, FT_AMAX, FT_AMIN, FT_PROD, FT_ANY, FT_ALL, FT_STD, FT_VAR, FT_NORM } ft_reduce_op;
/// Reduces over `dims` (ndims == 0: over all elements). FT_STD / FT_VAR are unbiased (Bessel), FT_NORM is L2.
int ft_reduce(ft_tensor *out, ft_tensor a, ft_reduce_op op, const int64_t *dims, int ndims, int keepdim);
/// Maximum (is_max = 1) or minimum along `dim` with the indices.
int ft_extremum_dim(ft_tensor *values, ft_tensor *indices, ft_tensor a, int64_t dim, int keepdim, int is_max);
int ft_sort(ft_tensor *values, ft_tensor *indices, ft_tensor a, int64_t dim, int descending);
int ft_topk(ft_tensor *values, ft_tensor *indices, ft_tensor a, int64_t k, int64_t dim, int largest);
int ft_cumsum(ft_tensor *out, ft_tensor a, int64_t dim);

// ---- shape and indexing -------------------------------------------------------------------------
int ft_reshape(ft_tensor *out, ft_tensor a, const int64_t *shape, int ndim);
int ft_permute(ft_tensor *out, ft_tensor a, const int64_t *dims, int ndim);
int ft_transpose(ft_tensor *out, ft_tensor a, int64_t dim0, int64_t dim1);
int ft_unsqueeze(ft_tensor *out, ft_tensor a, int64_t dim);
int ft_squeeze(ft_tensor *out, ft_tensor a, int64_t dim);
int ft_flatten(ft_tensor *out, ft_tensor a, int64_t start_dim, int64_t end_dim);
int ft_expand(ft_tensor *out, ft_tensor a, const int64_t *shape, int ndim);
int ft_repeat(ft_tensor *out, ft_tensor a, const int64_t *repeats, int ndim);
int ft_narrow(ft_tensor *out, ft_tensor a, int64_t dim, int64_t start, int64_t length);
int ft_select(ft_tensor *out, ft_tensor a, int64_t dim, int64_t index);
int ft_flip(ft_tensor *out, ft_tensor a, const int64_t *dims, int ndims);
int ft_cat(ft_tensor *out, const ft_tensor *tensors, int count, int64_t dim);
int ft_stack(ft_tensor *out, const ft_tensor *tensors, int count, int64_t dim);
int ft_index_select(ft_tensor *out, ft_tensor a, int64_t dim, ft_tensor index);
int ft_gather(ft_tensor *out, ft_tensor a, int64_t dim, ft_tensor index);
int ft_masked_select(ft_tensor *out, ft_tensor a, ft_tensor mask);
/// Indices of non-zero elements, shape [count, ndim].
int ft_nonzero(ft_tensor *out, ft_tensor a);
int ft_triu(ft_tensor *out, ft_tensor a, int64_t diagonal);

// ---- linear algebra -----------------------------------------------------------------------------
int ft_matmul(ft_tensor *out, ft_tensor a, ft_tensor b);
/// x W^T + b; `bias` may be NULL.
int ft_linear(ft_tensor *out, ft_tensor x, ft_tensor weight, ft_tensor bias);

// ---- neural-network operations ------------------------------------------------------------------
/// 2-D convolution; `bias` may be NULL. stride, padding, dilation are (h, w) pairs.
int ft_conv2d(ft_tensor *out, ft_tensor x, ft_tensor weight, ft_tensor bias, const int64_t *stride,
              const int64_t *padding, const int64_t *dilation, int64_t groups);
/// Batch normalisation; any of weight, bias, running_mean, running_var may be NULL.
/// In training mode the running statistics (when given) are updated in place with `momentum`.
int ft_batch_norm(ft_tensor *out, ft_tensor x, ft_tensor weight, ft_tensor bias, ft_tensor running_mean,
                  ft_tensor running_var, int training, double momentum, double eps);
int ft_max_pool2d(ft_tensor *out, ft_tensor x, const int64_t *kernel, const int64_t *stride,
                  const int64_t *padding, int ceil_mode);
int ft_avg_pool2d(ft_tensor *out, ft_tensor x, const int64_t *kernel, const int64_t *stride,
                  const int64_t *padding, int ceil_mode, int count_include_pad);
int ft_adaptive_avg_pool2d(ft_tensor *out, ft_tensor x, int64_t out_h, int64_t out_w);
int ft_prelu(ft_tensor *out, ft_tensor x, ft_tensor weight);
/// Pads with a constant, as torch.nn.functional.pad(mode="constant"): `pads` holds (begin, end) pairs
/// starting from the last dimension (count values, even).
int ft_constant_pad(ft_tensor *out, ft_tensor x, const int64_t *pads, int count, double value);
int ft_dropout(ft_tensor *out, ft_tensor x, double p, int training);
int ft_softmax(ft_tensor *out, ft_tensor x, int64_t dim);
int ft_log_softmax(ft_tensor *out, ft_tensor x, int64_t dim);
/// x / max(||x||_p along dim, eps), as torch.nn.functional.normalize.
int ft_normalize(ft_tensor *out, ft_tensor x, double p, int64_t dim, double eps);
typedef enum { FT_NEAREST = 0, FT_BILINEAR = 1, FT_AREA = 2 } ft_interpolation;
/// Resizes the last two dimensions of an NCHW tensor.
int ft_interpolate(ft_tensor *out, ft_tensor x, int64_t out_h, int64_t out_w, ft_interpolation mode,
                   int align_corners);

// ---- optimizers (torch::optim) ------------------------------------------------------------------
typedef enum { FT_OPT_SGD = 0, FT_OPT_ADAM, FT_OPT_ADAMW, FT_OPT_ADAGRAD, FT_OPT_RMSPROP } ft_optimizer_kind;
/// Hyper-parameters; each kind reads the fields it has (see ft_optimizer_new in optimizer.cpp).
typedef struct {
    double lr;
    double weight_decay;
    double momentum;      // SGD, RMSProp
    double dampening;     // SGD
    int nesterov;         // SGD
    double beta1, beta2;  // Adam, AdamW
    double eps;           // Adam, AdamW, Adagrad, RMSProp
    int amsgrad;          // Adam, AdamW
    double lr_decay;      // Adagrad
    double initial_accumulator_value;  // Adagrad
    double alpha;         // RMSProp smoothing constant
    int centered;         // RMSProp
} ft_optimizer_options;
/// An optimizer over one parameter group.
int ft_optimizer_new(ft_optimizer *out, ft_optimizer_kind kind, const ft_tensor *params, int count,
                     const ft_optimizer_options *options);
void ft_optimizer_free(ft_optimizer opt);
/// Adds a parameter group with its own learning rate (other options copied from the first group).
int ft_optimizer_add_group(ft_optimizer opt, const ft_tensor *params, int count, double lr);
int ft_optimizer_group_count(ft_optimizer opt, int *out);
int ft_optimizer_set_lr(ft_optimizer opt, int group, double lr);
int ft_optimizer_get_lr(ft_optimizer opt, int group, double *out);
int ft_optimizer_zero_grad(ft_optimizer opt);
int ft_optimizer_step(ft_optimizer opt);
/// Serialises the optimizer's state (torch::serialize archive) into a new buffer freed by ft_buffer_free.
int ft_optimizer_save(ft_optimizer opt, void **buffer, size_t *size);
int ft_optimizer_load(ft_optimizer opt, const void *buffer, size_t size);

// ---- profiler (profiler.cpp) --------------------------------------------------------------------
/// Starts recording every operator libtorch runs from this thread (forward and autograd backward,
/// including work handed to libtorch's own thread pools).
int ft_profiler_start(void);
/// Stops recording; writes a text table (operator, calls, self ms, total ms; by self time) into a
/// new NUL-terminated buffer freed by ft_buffer_free.
int ft_profiler_stop(char **report);

// ---- distributed: c10d TCPStore + ProcessGroupGloo (distributed.cpp) ------------------------------
// Collectives must be issued in the same order on every rank: Gloo matches them by issue order.
// A failure (a peer gone: "Connection closed by peer", a timeout) is reported with Gloo's message; after
// one the group is unusable (create a new one).
/// Joins a group of `world_size` ranks. Rank 0 hosts the TCPStore server on master_host:master_port and
/// waits for every rank; the others connect to it. `timeout_seconds` bounds the rendezvous, every
/// collective and every store operation. `interface_name` (e.g. "eth0") picks the network interface Gloo
/// binds to; NULL uses the local address that routes to master_host (distributed.cpp says why).
int ft_process_group_new(ft_process_group *out, int rank, int world_size, const char *master_host, int master_port,
                         double timeout_seconds, const char *interface_name);
void ft_process_group_free(ft_process_group pg);
/// All-gathers `t` (same shape and dtype on every rank): the ranks' tensors concatenated along dim 0 in
/// rank order (a 0-d tensor gives a 1-D tensor of world_size elements).
int ft_process_group_all_gather(ft_tensor *out, ft_process_group pg, ft_tensor t);
/// Sums `t` (contiguous) over the ranks, in place; returns when done.
int ft_process_group_all_reduce_sum(ft_process_group pg, ft_tensor t);
/// Starts summing `t` (contiguous) over the ranks in place; `t` must not be touched until the work is waited.
int ft_process_group_all_reduce_sum_async(ft_collective_work *out, ft_process_group pg, ft_tensor t);
/// Copies `t` (contiguous) of rank `root` into `t` on every rank.
int ft_process_group_broadcast(ft_process_group pg, ft_tensor t, int root);
/// Waits until every rank reaches the barrier, at most min(timeout_seconds, the group's timeout).
int ft_process_group_barrier(ft_process_group pg, double timeout_seconds);
/// The store shared by the ranks (keys apart from Gloo's own), with the group's timeout.
int ft_process_group_store_set(ft_process_group pg, const char *key, const void *value, size_t size);
/// Waits (up to the group's timeout) for `key`; writes its value into a new buffer freed by ft_buffer_free.
int ft_process_group_store_get(ft_process_group pg, const char *key, void **buffer, size_t *size);
/// Adds `delta` to the integer at `key` (0 if absent) and writes the new value.
int ft_process_group_store_add(ft_process_group pg, const char *key, int64_t delta, int64_t *out);
/// Waits for an asynchronous collective; rethrows its failure.
int ft_collective_work_wait(ft_collective_work work);
/// Frees the handle. A collective still running completes anyway (the group keeps it and its tensor).
void ft_collective_work_free(ft_collective_work work);

// ---- distributed: gradient buckets (grad_buckets.cpp) ---------------------------------------------
/// Gradient buckets over `params` (all requiring grad) for data-parallel training, as PyTorch's DDP:
/// parameters in reverse order, a bucket closed once it holds >= cap_bytes (0: one tensor per bucket).
/// With `overlap`, a hook on every parameter copies its gradient into its bucket during backward and
/// launches the bucket's asynchronous all-reduce as soon as it and every bucket before it are complete.
int ft_grad_buckets_new(ft_grad_buckets *out, ft_process_group pg, const ft_tensor *params, int count,
                        int64_t cap_bytes, int overlap);
/// Removes the hooks (if any) and frees the buckets.
void ft_grad_buckets_free(ft_grad_buckets buckets);
/// Removes the hooks; finish() then works as without overlap.
int ft_grad_buckets_remove_hooks(ft_grad_buckets buckets);
/// After backward: all-reduces what is left, waits, and sets every parameter's .grad to the mean over the
/// ranks of what .grad holds after backward (undefined counts as zeros), as DDP. A hook that fails makes backward fail
/// (ft_tensor_backward returns 1 with its message); the group is then out of step and unusable.
int ft_grad_buckets_finish(ft_grad_buckets buckets);
int ft_grad_buckets_count(ft_grad_buckets buckets, int *out);
/// The bucket holding parameter `param` (an index into the parameters given to ft_grad_buckets_new).
int ft_grad_buckets_bucket_of(ft_grad_buckets buckets, int param, int *out);
/// Seconds the last finish() spent waiting for all-reduces.
int ft_grad_buckets_wait_seconds(ft_grad_buckets buckets, double *out);

#ifdef __cplusplus
}
#endif

#endif
