// Gradient buckets for data-parallel training: PyTorch DDP's bucketing (Li et al., "PyTorch Distributed:
// Experiences on Accelerating Data Parallel Training", VLDB 2020, section 3.2) over a ProcessGroupGloo.
// c10d::Reducer itself cannot be used here: its header pulls in distributed-autograd headers that
// Debian's libtorch-dev does not ship.
//
// - Layout: parameters in reverse order (gradients become ready roughly in reverse order of the forward
//   pass), packed into flat contiguous buckets; a bucket is closed once it holds >= cap bytes (DDP's
//   bucket_cap_mb = 25; DDP also makes the first bucket 1 MiB, which we do not). A dtype change starts a
//   new bucket (one flat tensor has one dtype). Cap 0 gives one parameter per bucket.
// - Reduction: all-reduce SUM, then divide by the world size (the mean gradient, as DDP). What is averaged
//   is what .grad holds after backward (as DDP, whose hook reads .grad after accumulation): with .grad
//   zeroed before each step, the mean of this step's gradients; with it left over from the last step
//   (equal on every rank), that plus the mean. Both modes give the same .grad.
// - Order: Gloo matches collectives by issue order, so every rank must launch the buckets in the same
//   order: bucket i is launched only once buckets 0..i-1 have been (DDP's Reducer does the same).
// - Overlap: a hook on every parameter (at::Tensor::register_hook on the leaf, which runs before the
//   gradient is accumulated into .grad) copies the gradient into its bucket slot; the bucket's
//   asynchronous all-reduce starts as soon as the bucket and every bucket before it are complete, so it
//   runs on Gloo's threads while autograd computes the remaining gradients.
// - Errors inside a hook are not caught there: the autograd engine rethrows them from backward(), where
//   ft_tensor_backward's guard returns them as a failure. The step is then out of step with the other
//   ranks; the group must not be used again.
#include <chrono>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>

#include "distributed.hpp"

using namespace ctorch;

namespace {

struct Slot {
    size_t bucket;
    int64_t offset;  // in elements, into the bucket's flat tensor
    bool ready = false;  // this step's gradient is in the bucket
};

struct Bucket {
    at::Tensor flat;
    std::vector<size_t> params;
    size_t pending = 0;  // parameters not ready yet this step
    c10::intrusive_ptr<c10d::Work> work;  // set once launched this step
};

struct State {
    c10::intrusive_ptr<c10d::ProcessGroupGloo> group;
    std::vector<at::Tensor> params;
    std::vector<Slot> slots;
    std::vector<Bucket> buckets;
    std::vector<unsigned> hooks;  // one per parameter while hooked
    bool hooked = false;
    size_t next_launch = 0;
    double wait_seconds = 0;
    // Hooks run on the autograd engine's thread (for CPU tensors, the thread that called backward, but
    // not something to rely on); finish() and remove_hooks() run on the caller's.
    std::mutex mutex;

    at::Tensor slice(size_t param) const {
        const Slot &s = slots[param];
        return buckets[s.bucket].flat.narrow(0, s.offset, params[param].numel());
    }

    /// Launches, in bucket order, every bucket that is complete and follows only launched buckets.
    void launch_ready() {
        while (next_launch < buckets.size() && buckets[next_launch].pending == 0) {
            Bucket &b = buckets[next_launch++];
            std::vector<at::Tensor> tensors{b.flat};
            b.work = group->allreduce(tensors);
        }
    }

    void mark_ready(size_t param) {
        Slot &s = slots[param];
        if (s.ready) {
            throw std::runtime_error("parameter " + std::to_string(param) +
                                     " got a second gradient before finish() (one backward per finish)");
        }
        s.ready = true;
        if (--buckets[s.bucket].pending == 0) launch_ready();
    }

    /// The hook: put what .grad will hold after accumulation (.grad + grad) into the slot, launch what
    /// is complete. The hook runs before AccumulateGrad, so .grad is still the value before this backward.
    void on_gradient(size_t param, const at::Tensor &grad) {
        std::lock_guard<std::mutex> lock(mutex);
        at::NoGradGuard no_grad;
        at::Tensor s = slice(param);
        s.copy_(grad.reshape({-1}));
        const at::Tensor &accumulated = params[param].grad();
        if (accumulated.defined()) s.add_(accumulated.reshape({-1}));
        mark_ready(param);
    }

    /// Back to "nothing ready, nothing launched" for the next step.
    void reset() {
        for (Slot &s : slots) s.ready = false;
        for (Bucket &b : buckets) {
            b.pending = b.params.size();
            b.work.reset();
        }
        next_launch = 0;
    }

    void finish() {
        std::lock_guard<std::mutex> lock(mutex);
        at::NoGradGuard no_grad;
        struct Reset {
            State &state;
            ~Reset() { state.reset(); }
        } reset_at_exit{*this};

        // Without hooks every slot is read from .grad now; with hooks only the parameters that got no
        // gradient this step are left (.grad as it was, or zeros when undefined, as DDP's
        // find_unused_parameters).
        for (size_t i = 0; i < params.size(); ++i) {
            if (slots[i].ready) continue;
            const at::Tensor &grad = params[i].grad();
            if (grad.defined()) {
                slice(i).copy_(grad.reshape({-1}));
            } else {
                slice(i).zero_();
            }
            mark_ready(i);
        }
        launch_ready();

        auto start = std::chrono::steady_clock::now();
        for (Bucket &b : buckets) b.work->wait();
        wait_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

        const int world = group->getSize();
        for (Bucket &b : buckets) b.flat.div_(world);
        for (size_t i = 0; i < params.size(); ++i) {
            at::Tensor mean = slice(i).view_as(params[i]);
            at::Tensor &grad = params[i].mutable_grad();
            if (grad.defined()) {
                grad.copy_(mean);
            } else {
                grad = mean.clone();  // not a view: the next step overwrites the buckets
            }
        }
    }

    void remove_hooks() {
        std::lock_guard<std::mutex> lock(mutex);
        if (!hooked) return;
        for (size_t i = 0; i < params.size(); ++i) params[i].remove_hook(hooks[i]);
        hooks.clear();
        hooked = false;
    }
};

/// DDP's assignment (compute_bucket_assignment_by_size): reverse parameter order, a bucket closed once it
/// holds >= cap bytes.
void assign_buckets(State &state, int64_t cap_bytes) {
    const size_t n = state.params.size();
    state.slots.resize(n);
    std::vector<int64_t> sizes;  // elements per bucket
    bool open = false;
    int64_t bytes = 0;
    for (size_t k = n; k-- > 0;) {
        const at::Tensor &p = state.params[k];
        if (!open || state.buckets.back().flat.scalar_type() != p.scalar_type()) {
            state.buckets.push_back(Bucket{at::empty({0}, p.options()), {}, 0, {}});
            sizes.push_back(0);
            bytes = 0;
            open = true;
        }
        state.slots[k] = Slot{state.buckets.size() - 1, sizes.back()};
        state.buckets.back().params.push_back(k);
        sizes.back() += p.numel();
        bytes += p.numel() * static_cast<int64_t>(p.element_size());
        if (bytes >= cap_bytes) open = false;
    }
    for (size_t b = 0; b < state.buckets.size(); ++b) {
        state.buckets[b].flat = at::zeros({sizes[b]}, state.buckets[b].flat.options());
    }
}

}  // namespace

struct ft_grad_buckets_opaque {
    std::shared_ptr<State> state;
};

static State &state_of(ft_grad_buckets buckets) {
    if (buckets == nullptr) throw std::invalid_argument("null gradient buckets handle");
    return *buckets->state;
}

int ft_grad_buckets_new(ft_grad_buckets *out, ft_process_group pg, const ft_tensor *params, int count,
                        int64_t cap_bytes, int overlap) {
    return guard([&] {
        if (count < 1) throw std::invalid_argument("gradient buckets need at least one parameter");
        if (cap_bytes < 0) throw std::invalid_argument("negative bucket cap " + std::to_string(cap_bytes));
        auto state = std::make_shared<State>();
        state->group = unwrap(pg).group;
        state->params = list(params, count);
        for (size_t i = 0; i < state->params.size(); ++i) {
            const at::Tensor &p = state->params[i];
            if (!p.requires_grad() || !p.is_leaf() || !p.is_floating_point() || p.layout() != at::kStrided) {
                throw std::invalid_argument("parameter " + std::to_string(i) +
                                            " is not a dense floating-point leaf that requires grad");
            }
        }
        assign_buckets(*state, cap_bytes);
        state->reset();
        if (overlap != 0) {
            // The hooks hold the state weakly: freeing the buckets never leaves a hook pointing at freed
            // memory, even if a tensor outlives them with its hook still registered.
            std::weak_ptr<State> weak = state;
            for (size_t i = 0; i < state->params.size(); ++i) {
                state->hooks.push_back(state->params[i].register_hook([weak, i](at::Tensor grad) {
                    if (auto s = weak.lock()) s->on_gradient(i, grad);
                }));
            }
            state->hooked = true;
        }
        *out = new ft_grad_buckets_opaque{std::move(state)};
    });
}

void ft_grad_buckets_free(ft_grad_buckets buckets) {
    if (buckets == nullptr) return;
    // remove_hooks cannot fail on tensors that had them; the guard keeps any surprise out of Swift.
    ft_grad_buckets_remove_hooks(buckets);
    delete buckets;
}

int ft_grad_buckets_remove_hooks(ft_grad_buckets buckets) {
    return guard([&] { state_of(buckets).remove_hooks(); });
}

int ft_grad_buckets_finish(ft_grad_buckets buckets) {
    return guard([&] { state_of(buckets).finish(); });
}

int ft_grad_buckets_count(ft_grad_buckets buckets, int *out) {
    return guard([&] { *out = static_cast<int>(state_of(buckets).buckets.size()); });
}

int ft_grad_buckets_bucket_of(ft_grad_buckets buckets, int param, int *out) {
    return guard([&] {
        State &s = state_of(buckets);
        if (param < 0 || static_cast<size_t>(param) >= s.slots.size()) {
            throw std::out_of_range("parameter index " + std::to_string(param) + " out of range");
        }
        *out = static_cast<int>(s.slots[static_cast<size_t>(param)].bucket);
    });
}

int ft_grad_buckets_wait_seconds(ft_grad_buckets buckets, double *out) {
    return guard([&] { *out = state_of(buckets).wait_seconds; });
}
