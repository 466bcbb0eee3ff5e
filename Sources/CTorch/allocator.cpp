// A caching CPU allocator for libtorch: large blocks freed by one training step are handed to the
// next step's tensors of the same size class instead of going back to the kernel.
//
// Why: a training step allocates and frees the same activations and gradients every time (at batch 90
// about 2.5 GB of fresh pages per step: 118,000 faults/s x 5.3 s x 4 kB). libtorch's default CPU allocator is posix_memalign/free; glibc serves blocks
// above 32 MB with fresh mmap()s and, by default, often returns freed heap memory too, so every step
// writes to new pages that fault on first touch (measured here: 118,000 page faults/s in training,
// element-wise operators 2-3x slower than in a warm heap). PyTorch's own CPU allocator has no cache.
#include <c10/core/Allocator.h>
#include <c10/core/CPUAllocator.h>

#include <cstdlib>
#include <cstring>
#include <mutex>
#include <new>
#include <unordered_map>
#include <vector>

#include "common.hpp"

using namespace ctorch;

namespace {

constexpr size_t kAlignment = 64;           // as c10's gAlignment on x86-64 (AVX-512 loads)
constexpr size_t kHeader = kAlignment;      // the block's size class lives just before the data
constexpr size_t kSmallest = 256 * 1024;    // smaller blocks go to malloc, which serves them well

/// Rounds up to one of 8 classes per power of two (at most 12.5% unused), so tensors of nearby sizes
/// (images of other sizes, the last smaller batch) share cached blocks.
size_t sizeClass(size_t n) {
    size_t power = size_t(1) << (63 - __builtin_clzll(n));
    size_t step = power / 8;
    return (n + step - 1) / step * step;
}

class CachingAllocator final : public c10::Allocator {
  public:
    c10::DataPtr allocate(size_t n) const override {
        if (n == 0) return {nullptr, nullptr, &free, c10::Device(c10::DeviceType::CPU)};
        size_t size = n < kSmallest ? n : sizeClass(n);
        char *block = nullptr;
        if (n >= kSmallest) block = shared().take(size);
        if (block == nullptr) {
            void *raw = nullptr;
            // A c10::Error with the size (as c10's own allocator does) rather than a bare std::bad_alloc:
            // the shim's guard hands its message to Swift as a TorchError.
            const int status = posix_memalign(&raw, kAlignment, size + kHeader);
            TORCH_CHECK(status == 0, "CPU allocator: cannot allocate ", n, " bytes (", std::strerror(status), ")");
            block = static_cast<char *>(raw);
            *reinterpret_cast<size_t *>(block) = size;
        }
        void *data = block + kHeader;
        return {data, data, &free, c10::Device(c10::DeviceType::CPU)};
    }

    c10::DeleterFnPtr raw_deleter() const override { return &free; }

    static void free(void *data) {
        if (data == nullptr) return;
        char *block = static_cast<char *>(data) - kHeader;
        size_t size = *reinterpret_cast<size_t *>(block);
        if (size < kSmallest || !shared().keep(block, size)) std::free(block);
    }

    struct Cache {
        std::mutex mutex;
        std::unordered_map<size_t, std::vector<char *>> blocks;
        size_t cachedBytes = 0;
        size_t limit = 0;
        int64_t hits = 0, misses = 0;

        char *take(size_t size) {
            std::lock_guard<std::mutex> lock(mutex);
            auto it = blocks.find(size);
            if (it == blocks.end() || it->second.empty()) {
                misses += 1;
                return nullptr;
            }
            char *block = it->second.back();
            it->second.pop_back();
            cachedBytes -= size;
            hits += 1;
            return block;
        }

        /// Caches a freed block unless that would pass the limit (then the caller frees it).
        bool keep(char *block, size_t size) {
            std::lock_guard<std::mutex> lock(mutex);
            if (cachedBytes + size > limit) return false;
            blocks[size].push_back(block);
            cachedBytes += size;
            return true;
        }

        void release() {
            std::lock_guard<std::mutex> lock(mutex);
            for (auto &entry : blocks)
                for (char *block : entry.second) std::free(block);
            blocks.clear();
            cachedBytes = 0;
        }
    };

    static Cache &shared() {
        static Cache *cache = new Cache();  // never destroyed: tensors may be freed during exit
        return *cache;
    }
};

CachingAllocator *installed = nullptr;

}  // namespace

extern "C" {

int ft_caching_allocator_enable(int64_t max_cached_bytes) {
    return guard([&] {
        if (max_cached_bytes < 0) throw std::invalid_argument("negative cache limit");
        {
            std::lock_guard<std::mutex> lock(CachingAllocator::shared().mutex);
            CachingAllocator::shared().limit = static_cast<size_t>(max_cached_bytes);
        }
        if (installed == nullptr) {
            installed = new CachingAllocator();
            // Priority above the default allocator's (0); tensors allocated before keep their own deleter.
            c10::SetCPUAllocator(installed, /*priority=*/1);
        }
    });
}

int ft_caching_allocator_stats(int64_t *cached_bytes, int64_t *hits, int64_t *misses) {
    return guard([&] {
        auto &cache = CachingAllocator::shared();
        std::lock_guard<std::mutex> lock(cache.mutex);
        *cached_bytes = static_cast<int64_t>(cache.cachedBytes);
        *hits = cache.hits;
        *misses = cache.misses;
    });
}

int ft_caching_allocator_release(void) {
    return guard([&] { CachingAllocator::shared().release(); });
}

}  // extern "C"
