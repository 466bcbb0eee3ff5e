// fs_hnsw_*: an IndexHNSWFlat with inner product behind an opaque handle.
#include <faiss/IndexFlat.h>
#include <faiss/IndexHNSW.h>

#include <memory>

#include "common.hpp"

// libgomp's (FAISS is built with GCC's OpenMP); declared here so that no omp.h is needed on the include path.
extern "C" void omp_set_num_threads(int);

struct fs_hnsw {
    std::unique_ptr<faiss::IndexHNSWFlat> index;
};

namespace cfaiss {

static thread_local std::string last_error;

void set_error(const std::string &message) { last_error = message; }

static const faiss::IndexHNSWFlat &checked(const fs_hnsw *index, const char *what) {
    require(index != nullptr && index->index != nullptr, std::string(what) + ": null index");
    return *index->index;
}

}  // namespace cfaiss

using cfaiss::guard;
using cfaiss::require;

extern "C" {

const char *fs_last_error(void) { return cfaiss::last_error.c_str(); }

int fs_hnsw_create(fs_hnsw **out, int d, int m, int ef_construction) {
    return guard([&] {
        require(out != nullptr, "fs_hnsw_create: null out-pointer");
        *out = nullptr;
        require(d >= 1, "fs_hnsw_create: dimension " + std::to_string(d) + " is not positive");
        require(m >= 2, "fs_hnsw_create: M " + std::to_string(m) + " is below 2");
        require(ef_construction >= 1,
                "fs_hnsw_create: efConstruction " + std::to_string(ef_construction) + " is not positive");
        auto handle = std::make_unique<fs_hnsw>();
        handle->index = std::make_unique<faiss::IndexHNSWFlat>(d, m, faiss::METRIC_INNER_PRODUCT);
        handle->index->hnsw.efConstruction = ef_construction;
        *out = handle.release();
    });
}

void fs_hnsw_free(fs_hnsw *index) { delete index; }

int fs_hnsw_add(fs_hnsw *index, int64_t n, const float *vectors) {
    return guard([&] {
        cfaiss::checked(index, "fs_hnsw_add");
        require(n >= 0, "fs_hnsw_add: negative count");
        if (n == 0) return;
        require(vectors != nullptr, "fs_hnsw_add: null vectors");
        index->index->add(n, vectors);
    });
}

int fs_hnsw_set_ef_search(fs_hnsw *index, int ef_search) {
    return guard([&] {
        cfaiss::checked(index, "fs_hnsw_set_ef_search");
        require(ef_search >= 1, "fs_hnsw_set_ef_search: efSearch " + std::to_string(ef_search) + " is not positive");
        index->index->hnsw.efSearch = ef_search;
    });
}

int fs_hnsw_count(int64_t *out, const fs_hnsw *index) {
    return guard([&] {
        require(out != nullptr, "fs_hnsw_count: null out-pointer");
        *out = cfaiss::checked(index, "fs_hnsw_count").ntotal;
    });
}

int fs_hnsw_search(float *out_similarities, int64_t *out_labels, const fs_hnsw *index, int64_t n,
                   const float *queries, int k) {
    return guard([&] {
        const auto &hnsw = cfaiss::checked(index, "fs_hnsw_search");
        require(out_similarities != nullptr && out_labels != nullptr, "fs_hnsw_search: null out-pointer");
        require(n >= 0, "fs_hnsw_search: negative count");
        require(k >= 1, "fs_hnsw_search: k " + std::to_string(k) + " is not positive");
        if (n == 0) return;
        require(queries != nullptr, "fs_hnsw_search: null queries");
        hnsw.search(n, queries, k, out_similarities, out_labels);
    });
}


int fs_hnsw_search_exact(float *out_similarities, int64_t *out_labels, const fs_hnsw *index, int64_t n,
                         const float *queries, int k) {
    return guard([&] {
        const auto &hnsw = cfaiss::checked(index, "fs_hnsw_search_exact");
        require(out_similarities != nullptr && out_labels != nullptr, "fs_hnsw_search_exact: null out-pointer");
        require(n >= 0, "fs_hnsw_search_exact: negative count");
        require(k >= 1, "fs_hnsw_search_exact: k " + std::to_string(k) + " is not positive");
        if (n == 0) return;
        require(queries != nullptr, "fs_hnsw_search_exact: null queries");
        const auto *flat = dynamic_cast<const faiss::IndexFlat *>(hnsw.storage);
        require(flat != nullptr, "fs_hnsw_search_exact: the index's storage is not flat");
        flat->search(n, queries, k, out_similarities, out_labels);
    });
}
int fs_runtime_set_num_threads(int n) {
    return guard([&] {
        require(n >= 1, "fs_runtime_set_num_threads: " + std::to_string(n) + " is not positive");
        omp_set_num_threads(n);
    });
}

}  // extern "C"
