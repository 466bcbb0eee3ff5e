import CTorch
import Foundation
import Support

/// Process-wide libtorch settings.
public enum Torch {
    /// Intra-op threads for libtorch's math. libtorch starts with one; `configure` sets the core count.
    public static var threads: Int {
        var n: Int32 = 1
        _ = ft_get_num_threads(&n)
        return Int(n)
    }

    public static func setThreads(_ n: Int) throws { try check(ft_set_num_threads(Int32(n))) }

    /// Seeds libtorch's default generator (dropout, rand, randperm...).
    public static func manualSeed(_ seed: UInt64) throws { try check(ft_manual_seed(seed)) }

    /// Sets up a process at start: `threads` (nil: the number of cores) intra-op threads for libtorch,
    /// and one thread for OpenBLAS, whose own pool fights libtorch's (measured here: MTCNN ran 15 img/s
    /// with both pools, 34 with one BLAS thread). libtorch parallelises around its BLAS calls itself.
    /// It also makes malloc keep freed memory (`retainFreedMemory`) and installs the caching allocator
    /// with a limit of a quarter of physical memory or `FACENET_CPU_CACHE_MB` (`useCachingAllocator`).
    public static func configure(threads: Int? = nil) throws {
        let n = threads ?? ProcessInfo.processInfo.activeProcessorCount
        try setThreads(n)
        setBLASThreads(1)
        try retainFreedMemory()
        try useCachingAllocator(limit: try cacheLimit(ProcessInfo.processInfo.environment))
    }

    /// The caching allocator's limit: `FACENET_CPU_CACHE_MB` (0 turns caching off) or a quarter of physical memory.
    public static func cacheLimit(_ environment: [String: String]) throws -> Int {
        guard let text = environment["FACENET_CPU_CACHE_MB"] else { return Int(ProcessInfo.processInfo.physicalMemory / 4) }
        guard let megabytes = Int(text), megabytes >= 0 else {
            throw UserError(
                "FACENET_CPU_CACHE_MB must be a whole number of megabytes (0: no cache), got '\(text)'")
        }
        return megabytes << 20
    }

    /// Makes libtorch allocate CPU tensors through the caching allocator: blocks of 256 kB and more that a
    /// tensor frees are kept (up to `limit` bytes) and given to the next tensor of their size class, so a
    /// training step reuses the previous step's memory instead of faulting in fresh pages.
    public static func useCachingAllocator(limit: Int) throws { try check(ft_caching_allocator_enable(Int64(limit))) }

    /// The caching allocator's bytes held, and its allocations served from the cache and not.
    public static var cachingAllocatorStats: (cachedBytes: Int, hits: Int, misses: Int) {
        var cached: Int64 = 0
        var hits: Int64 = 0
        var misses: Int64 = 0
        _ = ft_caching_allocator_stats(&cached, &hits, &misses)
        return (Int(cached), Int(hits), Int(misses))
    }

    /// Frees the memory the caching allocator holds.
    public static func releaseCachedMemory() throws { try check(ft_caching_allocator_release()) }

    /// Makes glibc's malloc serve blocks up to 32 MB from its heap and never return the heap's top to the
    /// kernel. libtorch frees and re-allocates the same activations every training step; with glibc's
    /// defaults the freed memory often goes back to the kernel and each new tensor's pages fault on first
    /// write (measured in training here: 118,000 page faults/s against PyTorch's 16,000, element-wise
    /// operators 2-3x slower; A/B with glibc's environment variables 17.0-19.1 img/s before, 19.1-20.5
    /// after; docs/benchmarks.md).
    public static func retainFreedMemory() throws { try check(ft_malloc_retain_freed_memory()) }

    /// Runs libtorch operations called from the current thread on `n` threads, leaving every other thread's
    /// setting alone. For background threads (the batch loader): libtorch's OpenMP build gives each thread
    /// that runs a parallel operation its own team of worker threads, and once more OpenMP threads exist
    /// than cores, libgomp's idle workers stop spinning and sleep, so every parallel region of the training
    /// thread pays a futex wake-up (measured in training: 53,000 context switches in 47 s against PyTorch's
    /// 400; A/B 13-16 img/s before, 17-18 after; docs/benchmarks.md).
    public static func setThreadsOfThisThread(_ n: Int) {
        _ = threads  // libtorch initialises a thread's OpenMP setting on its first query; do it before ours
        typealias SetThreads = @convention(c) (Int32) -> Void
        // OpenMP's omp_set_num_threads sets the calling thread's own value (its nthreads-var ICV).
        guard let symbol = dlsym(nil, "omp_set_num_threads") else { return }
        unsafeBitCast(symbol, to: SetThreads.self)(Int32(max(1, n)))
    }

    /// Starts recording every operator libtorch runs on this thread (forward and backward).
    public static func startProfiler() throws { try check(ft_profiler_start()) }

    /// Stops recording; returns the table of time per operator (calls, self and inclusive milliseconds),
    /// sorted by self time.
    public static func stopProfiler() throws -> String {
        var report: UnsafeMutablePointer<CChar>?
        try check(ft_profiler_stop(&report))
        defer { ft_buffer_free(report) }
        return report.map { String(cString: $0) } ?? ""
    }

    /// Calls OpenBLAS's `openblas_set_num_threads` when the loaded BLAS is OpenBLAS (looked up at run
    /// time: the reference BLAS has no such symbol and needs nothing).
    public static func setBLASThreads(_ n: Int32) {
        typealias SetThreads = @convention(c) (Int32) -> Void
        // A nil handle is RTLD_DEFAULT: search every loaded library.
        guard let symbol = dlsym(nil, "openblas_set_num_threads") else { return }
        unsafeBitCast(symbol, to: SetThreads.self)(n)
    }
}
