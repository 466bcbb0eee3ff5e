// cfaiss.h: a thin C API over FAISS 1.7.3 (Debian's libfaiss-dev, a C++ library), in the style of cvision.h.
//
// Conventions (docs/architecture.md):
// - Every function is fs_<noun>_<verb>, returns 0 on success and 1 on failure, and writes its results
//   through out-pointers (the first arguments).
// - On failure the C++ exception's message (faiss::FaissException, std::exception) is stored in a
//   thread-local slot; fs_last_error() reads it. No C++ exception ever crosses this boundary.
// - One opaque handle, fs_hnsw, created by fs_hnsw_create and freed by fs_hnsw_free (the only memory this
//   API allocates). Vectors are caller-owned float buffers, n x d, row-major.
// - The index is an IndexHNSWFlat with METRIC_INNER_PRODUCT: the caller passes unit vectors, so the
//   returned similarities are cosines and the largest comes first. Labels are row numbers in the order
//   of fs_hnsw_add calls (0, 1, ...); -1 where fewer than k neighbours were found.
// - No FAISS types appear here.
#ifndef CFAISS_H
#define CFAISS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct fs_hnsw fs_hnsw;

/// The message of the last failure on this thread ("" if none).
const char *fs_last_error(void);

/// An empty HNSW index over d-dimensional vectors with M links per node (layer 0: 2M), inner product.
/// efConstruction is the build's beam width (FAISS's default 40).
int fs_hnsw_create(fs_hnsw **out, int d, int m, int ef_construction);
/// Frees the index (NULL is allowed).
void fs_hnsw_free(fs_hnsw *index);
/// Adds n vectors (n x d floats); their labels follow those already added.
int fs_hnsw_add(fs_hnsw *index, int64_t n, const float *vectors);
/// The search's beam width (FAISS's default 16); must be >= 1. Searches with k > efSearch use k.
int fs_hnsw_set_ef_search(fs_hnsw *index, int ef_search);
/// The number of vectors added.
int fs_hnsw_count(int64_t *out, const fs_hnsw *index);
/// For each of n queries (n x d floats), the k most similar vectors: out_similarities and out_labels are
/// caller-owned n x k buffers, most similar first.
int fs_hnsw_search(float *out_similarities, int64_t *out_labels, const fs_hnsw *index, int64_t n,
                   const float *queries, int k);
/// The same, exactly: a scan of every stored vector (the index's flat storage, no graph), for the queries the
/// graph cannot serve (it may not reach every vector: an HNSW graph over tight, far-apart clusters can leave
/// a cluster unreachable, whatever the beam width).
int fs_hnsw_search_exact(float *out_similarities, int64_t *out_labels, const fs_hnsw *index, int64_t n,
                         const float *queries, int k);
/// The size of FAISS's OpenMP pool (omp_set_num_threads); n >= 1.
int fs_runtime_set_num_threads(int n);

#ifdef __cplusplus
}
#endif

#endif
