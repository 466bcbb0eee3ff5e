// Data-parallel collectives: c10d's TCPStore (rendezvous, heartbeats) and ProcessGroupGloo (CPU
// collectives over TCP), as torch.distributed.init_process_group(backend="gloo", init_method="tcp://...").
#include <torch/csrc/distributed/c10d/PrefixStore.hpp>

#include <arpa/inet.h>
#include <netdb.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <memory>
#include <stdexcept>
#include <string>

#include "distributed.hpp"

using namespace ctorch;

namespace {

std::chrono::milliseconds milliseconds(double seconds) {
    if (!(seconds > 0)) throw std::invalid_argument("timeout must be positive, got " + std::to_string(seconds));
    return std::chrono::milliseconds(static_cast<int64_t>(seconds * 1000.0));
}

/// The local address of the interface that routes to `host`: a UDP socket connected to it (connect on a
/// datagram socket sends nothing; it only picks the route and the source address), read back with
/// getsockname.
std::string local_address_towards(const std::string &host, int port) {
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_DGRAM;
    addrinfo *found = nullptr;
    int rc = getaddrinfo(host.c_str(), std::to_string(port).c_str(), &hints, &found);
    if (rc != 0) throw std::runtime_error("cannot resolve master host " + host + ": " + gai_strerror(rc));
    std::unique_ptr<addrinfo, decltype(&freeaddrinfo)> addresses(found, freeaddrinfo);
    std::string failure = "no address";
    for (addrinfo *a = found; a != nullptr; a = a->ai_next) {
        int fd = socket(a->ai_family, a->ai_socktype, a->ai_protocol);
        if (fd < 0) continue;
        sockaddr_storage local{};
        socklen_t length = sizeof(local);
        bool ok = connect(fd, a->ai_addr, a->ai_addrlen) == 0 &&
                  getsockname(fd, reinterpret_cast<sockaddr *>(&local), &length) == 0;
        if (!ok) failure = std::strerror(errno);
        close(fd);
        if (!ok) continue;
        char text[INET6_ADDRSTRLEN] = {0};
        const void *raw = local.ss_family == AF_INET6
                              ? static_cast<const void *>(&reinterpret_cast<sockaddr_in6 *>(&local)->sin6_addr)
                              : static_cast<const void *>(&reinterpret_cast<sockaddr_in *>(&local)->sin_addr);
        if (inet_ntop(local.ss_family, raw, text, sizeof(text)) != nullptr) return text;
    }
    throw std::runtime_error("no local route to master host " + host + ": " + failure);
}

/// The Gloo transport device. Gloo binds a listening socket to the device's address and publishes that
/// address in the store for the other ranks to connect to, so it must be an address they can reach:
/// - createDeviceForInterface(name) when the caller names the interface (GLOO_SOCKET_IFNAME in PyTorch).
/// - Otherwise the address this host uses to reach the master. createDefaultDevice resolves gethostname(),
///   which Debian's /etc/hosts maps to 127.0.1.1: bindable, but unreachable from another host or another
///   network namespace (a veth pair), so the peers' connections fail. createDeviceForHostname(master host)
///   binds to the master's own address, which only rank 0 has. The route to the master works on loopback
///   (127.0.0.1 -> 127.0.0.1) and across namespaces (the veth's address), as long as every rank reaches the
///   others on the network it reaches the master on (a flat network, the usual single-subnet setup).
std::shared_ptr<gloo::transport::Device> make_device(const std::string &master_host, int master_port,
                                                     const char *interface_name) {
    if (interface_name != nullptr) return c10d::ProcessGroupGloo::createDeviceForInterface(interface_name);
    return c10d::ProcessGroupGloo::createDeviceForHostname(local_address_towards(master_host, master_port));
}

c10d::ProcessGroupGloo &group(ft_process_group pg) { return *unwrap(pg).group; }

std::vector<at::Tensor> one(ft_tensor t) { return {ctorch::unwrap(t)}; }

}  // namespace

int ft_process_group_new(ft_process_group *out, int rank, int world_size, const char *master_host, int master_port,
                         double timeout_seconds, const char *interface_name) {
    return guard([&] {
        if (master_host == nullptr) throw std::invalid_argument("null master host");
        if (world_size < 1 || rank < 0 || rank >= world_size) {
            throw std::invalid_argument("rank " + std::to_string(rank) + " is not in a world of " +
                                        std::to_string(world_size));
        }
        if (master_port < 1 || master_port > 65535) {
            throw std::invalid_argument("master port must be in 1...65535, got " + std::to_string(master_port));
        }
        auto timeout = milliseconds(timeout_seconds);
        c10d::TCPStoreOptions store_options;
        store_options.port = static_cast<std::uint16_t>(master_port);
        store_options.isServer = rank == 0;
        store_options.numWorkers = static_cast<std::size_t>(world_size);
        store_options.waitWorkers = true;  // rank 0 returns once every rank has connected (or times out)
        store_options.timeout = timeout;
        auto store = c10::make_intrusive<c10d::TCPStore>(master_host, store_options);

        auto options = c10d::ProcessGroupGloo::Options::create(timeout);
        options->devices.push_back(make_device(master_host, master_port, interface_name));
        // Gloo's rendezvous keys live under their own prefix, apart from the caller's (torch.distributed
        // does the same with its "default_pg" PrefixStore).
        auto gloo_store = c10::make_intrusive<c10d::PrefixStore>("gloo", store);
        auto group = c10::make_intrusive<c10d::ProcessGroupGloo>(gloo_store, rank, world_size, options);
        *out = new ft_process_group_opaque{std::move(store), std::move(group), timeout};
    });
}

void ft_process_group_free(ft_process_group pg) { delete pg; }

int ft_process_group_all_gather(ft_tensor *out, ft_process_group pg, ft_tensor t) {
    return guard([&] {
        at::NoGradGuard no_grad;
        std::vector<at::Tensor> input{ctorch::unwrap(t).contiguous()};
        std::vector<std::vector<at::Tensor>> outputs(1);
        for (int r = 0; r < group(pg).getSize(); ++r) outputs[0].push_back(at::empty_like(input[0]));
        group(pg).allgather(outputs, input)->wait();
        *out = wrap(input[0].dim() == 0 ? at::stack(outputs[0], 0) : at::cat(outputs[0], 0));
    });
}

int ft_process_group_all_reduce_sum(ft_process_group pg, ft_tensor t) {
    return guard([&] {
        auto tensors = one(t);
        group(pg).allreduce(tensors)->wait();
    });
}

int ft_process_group_all_reduce_sum_async(ft_collective_work *out, ft_process_group pg, ft_tensor t) {
    return guard([&] {
        auto tensors = one(t);
        *out = new ft_collective_work_opaque{group(pg).allreduce(tensors)};
    });
}

int ft_process_group_broadcast(ft_process_group pg, ft_tensor t, int root) {
    return guard([&] {
        auto tensors = one(t);
        c10d::BroadcastOptions options;
        options.rootRank = root;
        group(pg).broadcast(tensors, options)->wait();
    });
}

int ft_process_group_barrier(ft_process_group pg, double timeout_seconds) {
    return guard([&] {
        c10d::BarrierOptions options;
        options.timeout = milliseconds(timeout_seconds);
        // Gloo 1.13 runs its barrier under the group's timeout; waiting with our own bounds it from here too
        // (Work::wait throws "Operation timed out!" when it expires first).
        group(pg).barrier(options)->wait(options.timeout);
    });
}

int ft_process_group_store_set(ft_process_group pg, const char *key, const void *value, size_t size) {
    return guard([&] {
        if (key == nullptr || (value == nullptr && size > 0)) throw std::invalid_argument("null key or value");
        const auto *bytes = static_cast<const uint8_t *>(value);
        unwrap(pg).store->set(key, std::vector<uint8_t>(bytes, bytes + size));
    });
}

int ft_process_group_store_get(ft_process_group pg, const char *key, void **buffer, size_t *size) {
    return guard([&] {
        if (key == nullptr) throw std::invalid_argument("null key");
        std::vector<uint8_t> value = unwrap(pg).store->get(key);  // waits up to the store's timeout
        void *data = std::malloc(value.empty() ? 1 : value.size());
        if (data == nullptr) throw std::bad_alloc();
        if (!value.empty()) std::memcpy(data, value.data(), value.size());
        *buffer = data;
        *size = value.size();
    });
}

int ft_process_group_store_add(ft_process_group pg, const char *key, int64_t delta, int64_t *out) {
    return guard([&] {
        if (key == nullptr) throw std::invalid_argument("null key");
        *out = unwrap(pg).store->add(key, delta);
    });
}

int ft_collective_work_wait(ft_collective_work work) {
    return guard([&] {
        if (work == nullptr) throw std::invalid_argument("null collective work handle");
        work->work->wait();
    });
}

void ft_collective_work_free(ft_collective_work work) { delete work; }
