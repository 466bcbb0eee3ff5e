// libtorch's operator profiler (the legacy CPU profiler, which needs no Kineto): start, stop, and a
// table of time per operator, so a training step's cost can be compared op by op with PyTorch's
// torch.autograd.profiler on the same network.
#include <torch/csrc/autograd/profiler_legacy.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <map>
#include <sstream>

#include "common.hpp"

using namespace ctorch;
namespace profiler = torch::autograd::profiler;

namespace {

struct OpTotals {
    int64_t calls = 0;
    double totalUs = 0;  // inclusive: the operator and everything it called
    double selfUs = 0;   // exclusive: minus the operators it called
};

struct Open {
    const profiler::LegacyEvent *push;
    double childUs;
};

/// Pairs each push with its pop (nested per thread) and sums inclusive and self time per name.
std::map<std::string, OpTotals> aggregate(const profiler::thread_event_lists &threads) {
    std::map<std::string, OpTotals> totals;
    for (const auto &events : threads) {
        std::vector<Open> stack;
        for (const auto &event : events) {
            if (event.kind() == profiler::EventKind::PushRange) {
                stack.push_back({&event, 0});
            } else if (event.kind() == profiler::EventKind::PopRange && !stack.empty()) {
                Open open = stack.back();
                stack.pop_back();
                double us = open.push->cpuElapsedUs(event);
                OpTotals &t = totals[open.push->name()];
                t.calls += 1;
                t.totalUs += us;
                t.selfUs += us - open.childUs;
                if (!stack.empty()) stack.back().childUs += us;
            }
        }
    }
    return totals;
}

std::string table(const std::map<std::string, OpTotals> &totals) {
    std::vector<std::pair<std::string, OpTotals>> rows(totals.begin(), totals.end());
    std::sort(rows.begin(), rows.end(), [](const auto &a, const auto &b) { return a.second.selfUs > b.second.selfUs; });
    std::ostringstream out;
    char line[256];
    std::snprintf(line, sizeof line, "%-44s %8s %12s %12s\n", "operator", "calls", "self ms", "total ms");
    out << line;
    for (const auto &[name, t] : rows) {
        std::snprintf(line, sizeof line, "%-44s %8lld %12.1f %12.1f\n", name.c_str(), static_cast<long long>(t.calls),
                      t.selfUs / 1000.0, t.totalUs / 1000.0);
        out << line;
    }
    return out.str();
}

}  // namespace

extern "C" {

int ft_profiler_start(void) {
    return guard([&] {
        profiler::enableProfilerLegacy(torch::profiler::impl::ProfilerConfig(torch::profiler::impl::ProfilerState::CPU));
    });
}

int ft_profiler_stop(char **report) {
    return guard([&] {
        std::string text = table(aggregate(profiler::disableProfilerLegacy()));
        char *buffer = static_cast<char *>(std::malloc(text.size() + 1));
        if (buffer == nullptr) throw std::bad_alloc();
        std::memcpy(buffer, text.c_str(), text.size() + 1);
        *report = buffer;
    });
}

}  // extern "C"
