// Training, prediction and the model file, over liblinear.
#include <linear.h>

#include <cmath>
#include <mutex>
#include <vector>

#include "common.hpp"

namespace clinear {

static thread_local std::string last_error;

void set_error(const std::string &message) { last_error = message; }

static void quiet(const char *) {}

/// liblinear's print function is global: set once.
static void silence() {
    static std::once_flag once;
    std::call_once(once, [] { set_print_string_function(quiet); });
}

/// A dense vector as liblinear's sparse nodes: indices 1...columns, the bias node (index columns + 1, value
/// 1) and the terminator. Zeros are kept (harmless, and the node count stays fixed).
static std::vector<feature_node> nodes(const float *features, int columns, bool bias) {
    std::vector<feature_node> x(columns + (bias ? 2 : 1));
    for (int j = 0; j < columns; j++) {
        if (!std::isfinite(features[j])) throw std::invalid_argument("feature " + std::to_string(j) + " is not finite");
        x[j] = {j + 1, static_cast<double>(features[j])};
    }
    if (bias) x[columns] = {columns + 1, 1.0};
    x.back() = {-1, 0.0};
    return x;
}

static const model *as_model(const void *handle) {
    if (handle == nullptr) throw std::invalid_argument("null model");
    return static_cast<const model *>(handle);
}

/// The class index of each of liblinear's label slots.
static std::vector<int> label_order(const model *m) {
    std::vector<int> labels(m->nr_class);
    get_labels(m, labels.data());
    for (int label : labels) {
        if (label < 0 || label >= m->nr_class) {
            throw std::invalid_argument("the model's labels are not 0..<" + std::to_string(m->nr_class));
        }
    }
    return labels;
}

}  // namespace clinear

using namespace clinear;

extern "C" {

const char *cl_last_error(void) { return last_error.c_str(); }

int cl_model_train(void **out_model, const float *features, const int32_t *labels, int rows, int columns,
                   int class_count, double c, double eps) {
    return guard([&] {
        silence();
        if (out_model == nullptr || features == nullptr || labels == nullptr) throw std::invalid_argument("null argument");
        if (rows <= 0 || columns <= 0) throw std::invalid_argument("no training vectors");
        if (class_count < 2) throw std::invalid_argument("at least 2 classes are needed, got " + std::to_string(class_count));
        std::vector<int> seen(class_count, 0);
        for (int i = 0; i < rows; i++) {
            if (labels[i] < 0 || labels[i] >= class_count) {
                throw std::invalid_argument("label " + std::to_string(labels[i]) + " of row " + std::to_string(i) +
                                            " is not in 0..<" + std::to_string(class_count));
            }
            seen[labels[i]]++;
        }
        for (int k = 0; k < class_count; k++) {
            if (seen[k] == 0) throw std::invalid_argument("class " + std::to_string(k) + " has no training vector");
        }
        std::vector<std::vector<feature_node>> storage;
        storage.reserve(rows);
        std::vector<feature_node *> x(rows);
        std::vector<double> y(rows);
        for (int i = 0; i < rows; i++) {
            storage.push_back(nodes(features + static_cast<size_t>(i) * columns, columns, true));
            x[i] = storage.back().data();
            y[i] = labels[i];
        }
        problem prob{};
        prob.l = rows;
        prob.n = columns + 1;  // the bias feature included, as liblinear's train.c does
        prob.y = y.data();
        prob.x = x.data();
        prob.bias = 1.0;
        parameter param{};
        param.solver_type = L2R_LR;
        param.C = c;
        param.eps = eps;
        param.p = 0.1;
        if (const char *refusal = check_parameter(&prob, &param)) throw std::invalid_argument(refusal);
        model *m = train(&prob, &param);
        if (m == nullptr) throw std::runtime_error("liblinear's train returned no model");
        *out_model = m;
    });
}

int cl_model_shape(int *out_class_count, int *out_feature_count, const void *handle) {
    return guard([&] {
        const model *m = as_model(handle);
        *out_class_count = get_nr_class(m);
        *out_feature_count = get_nr_feature(m);
    });
}

int cl_model_predict(double *out_probabilities, const void *handle, const float *features, int columns) {
    return guard([&] {
        const model *m = as_model(handle);
        if (columns != get_nr_feature(m)) {
            throw std::invalid_argument("the vector has " + std::to_string(columns) + " features, the model " +
                                        std::to_string(get_nr_feature(m)));
        }
        std::vector<feature_node> x = nodes(features, columns, m->bias >= 0);
        std::vector<double> slots(m->nr_class);
        predict_probability(m, x.data(), slots.data());
        std::vector<int> labels = label_order(m);
        for (int k = 0; k < m->nr_class; k++) out_probabilities[labels[k]] = slots[k];
    });
}

int cl_model_save(const void *handle, const char *path) {
    return guard([&] {
        if (save_model(path, as_model(handle)) != 0) throw std::runtime_error(std::string("cannot write ") + path);
    });
}

int cl_model_load(void **out_model, const char *path) {
    return guard([&] {
        silence();
        model *m = load_model(path);
        if (m == nullptr) throw std::invalid_argument("not a liblinear model");
        try {
            if (!check_probability_model(m)) throw std::invalid_argument("the liblinear model has no probability estimates (not logistic regression)");
            label_order(m);
        } catch (...) {
            free_and_destroy_model(&m);
            throw;
        }
        *out_model = m;
    });
}

void cl_model_free(void *handle) {
    if (handle == nullptr) return;
    model *m = static_cast<model *>(handle);
    free_and_destroy_model(&m);
}

}  // extern "C"
