// clinear.h: a thin C API over Debian's liblinear 2.3 (/usr/include/linear.h), in the style of cvision.h.
//
// Conventions (docs/architecture.md):
// - Every function is cl_<noun>_<verb>, returns 0 on success and 1 on failure, and writes its results
//   through out-pointers (the first arguments).
// - On failure the message (a liblinear refusal, a C++ exception) is stored in a thread-local slot;
//   cl_last_error() reads it. No C++ exception ever crosses this boundary.
// - A model is an opaque handle from cl_model_train or cl_model_load, freed with cl_model_free.
// - Classes are 0..<class_count: training labels are class indices, and probabilities come back in class
//   index order (whatever order liblinear keeps its labels in).
// - The solver is L2-regularised logistic regression (liblinear's L2R_LR, primal trust-region Newton) with a
//   bias feature of 1, one-vs-rest for several classes: the only liblinear solvers with probability estimates
//   are the logistic-regression ones (predict_probability refuses SVM models). This is scikit-learn's
//   LogisticRegression(solver='liblinear') (intercept_scaling=1, ovr).
// - liblinear's own training log is silenced.
#ifndef CLINEAR_H
#define CLINEAR_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// The message of the last failure on this thread ("" if none).
const char *cl_last_error(void);

/// Trains on `rows` dense feature vectors of `columns` floats (row-major) with class indices `labels`
/// (each in 0..<class_count; every class must occur). `c` is the inverse regularisation strength, `eps` the
/// stopping tolerance. Writes a new model handle.
int cl_model_train(void **out_model, const float *features, const int32_t *labels, int rows, int columns,
                   int class_count, double c, double eps);

/// The class count and feature count of a model.
int cl_model_shape(int *out_class_count, int *out_feature_count, const void *model);

/// Probabilities of the classes (class_count doubles, class index order) for one vector of `columns` floats.
int cl_model_predict(double *out_probabilities, const void *model, const float *features, int columns);

/// liblinear's save_model text at `path` (the caller writes to a temporary and renames).
int cl_model_save(const void *model, const char *path);

/// liblinear's load_model of `path`; refuses a model without probability estimates, or whose labels are
/// not 0..<class_count.
int cl_model_load(void **out_model, const char *path);

void cl_model_free(void *model);

#ifdef __cplusplus
}
#endif

#endif  // CLINEAR_H
