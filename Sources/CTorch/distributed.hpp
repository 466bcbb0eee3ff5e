// The process-group handle, shared by distributed.cpp (collectives, store) and grad_buckets.cpp.
#pragma once

#include <torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>
#include <torch/csrc/distributed/c10d/TCPStore.hpp>

#include <chrono>

#include "common.hpp"

struct ft_process_group_opaque {
    c10::intrusive_ptr<c10d::TCPStore> store;  // the user's keys (heartbeats); Gloo's go under a prefix
    c10::intrusive_ptr<c10d::ProcessGroupGloo> group;
    std::chrono::milliseconds timeout;
};

struct ft_collective_work_opaque {
    c10::intrusive_ptr<c10d::Work> work;  // keeps its tensors alive while running
};

namespace ctorch {

inline ft_process_group_opaque &unwrap(ft_process_group pg) {
    if (pg == nullptr) throw std::invalid_argument("null process group handle");
    return *pg;
}

}  // namespace ctorch
