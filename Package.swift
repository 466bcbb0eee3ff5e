// swift-tools-version:6.0
// The facenet package: a FaceNet training framework over libtorch, OpenCV and HDF5.
// Targets are listed lowest first; a target imports only targets above it (docs/architecture.md).
import PackageDescription

// The one exception guard of the four C++ shims (Sources/ShimGuard/shim_guard.hpp, header only).
let shimGuard = "-I" + Context.packageDirectory + "/Sources/ShimGuard"
// Debian bookworm's libtorch-dev 1.13.1 puts the C++ frontend headers here.
let torchFlags: [CXXSetting] = [.unsafeFlags(["-I/usr/include/torch/csrc/api/include", "-Wno-deprecated-declarations", shimGuard])]
// c10d's ProcessGroupGloo.hpp is compiled out unless USE_C10D_GLOO is defined; it includes gloo's headers
// (Debian's libgloo-dev, /usr/include/gloo, the same version as the libgloo0 that libtorch_cpu links).
let glooDefines: [CXXSetting] = [.define("USE_C10D_GLOO")]
let openCVFlags: [CXXSetting] = [.unsafeFlags(["-I/usr/include/opencv4", shimGuard])]
// Debian's libfaiss-dev 1.7.3 is a static library built with GCC's OpenMP: its headers include omp.h (GCC's,
// searched after the compiler's own headers) and it links against libgomp, BLAS and LAPACK.
let faissFlags: [CXXSetting] = [.unsafeFlags(["-idirafter", "/usr/lib/gcc/x86_64-linux-gnu/12/include", shimGuard])]

let package = Package(
    name: "facenet",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "facenet", targets: ["TrainCLI"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "5.0.1"),
        // Runtime library only (the generated Sources/ONNXProto is committed; its plugin is never built here).
        .package(url: "https://github.com/apple/swift-protobuf", from: "1.39.0"),
        // The gallery database: SQLite (Debian's libsqlite3-dev) through GRDB.
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.0.0"),
        // SHA-256 of photos and model weights.
        .package(url: "https://github.com/apple/swift-crypto", from: "3.0.0"),
        // facenet serve: HTTP server (SwiftNIO), TLS, Prometheus metrics, graceful shutdown.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        // The shared gallery of several `facenet serve` replicas: PostgreSQL (issue 18).
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
    ],
    targets: [
        // C API over libtorch (tch-rs style): opaque handles, status + thread-local error, explicit free.
        .target(
            name: "CTorch",
            cxxSettings: torchFlags + glooDefines,
            // libgloo-dev installs libgloo.so in /usr/lib (the linker's default path).
            linkerSettings: [
                .linkedLibrary("torch"), .linkedLibrary("torch_cpu"), .linkedLibrary("c10"), .linkedLibrary("gloo"),
            ]
        ),
        // C API over OpenCV 4 (which has only a C++ API): decode, resize, crop, warp, encode, draw, video.
        .target(
            name: "CVision",
            cxxSettings: openCVFlags,
            linkerSettings: [
                .linkedLibrary("opencv_core"), .linkedLibrary("opencv_imgproc"), .linkedLibrary("opencv_imgcodecs"),
                .linkedLibrary("opencv_videoio"),
            ]
        ),
        // C API over Debian's liblinear (linear.h): logistic regression with probabilities, its model file.
        .target(name: "CLinear", cxxSettings: [.unsafeFlags([shimGuard])], linkerSettings: [.linkedLibrary("linear")]),
        // C API over FAISS (a C++ library): an HNSW index with inner product over unit vectors.
        .target(
            name: "CFaiss",
            cxxSettings: faissFlags,
            linkerSettings: [
                .linkedLibrary("faiss"), .linkedLibrary("gomp"), .linkedLibrary("blas"), .linkedLibrary("lapack"),
            ]
        ),
        // HDF5's C API as a system library (Debian's serial build).
        .systemLibrary(name: "CHDF5", path: "Sources/CHDF5", pkgConfig: "hdf5-serial"),
        .target(name: "HDF5", dependencies: ["CHDF5"]),
        // Compiled optimised in every configuration: an unoptimised build would keep the probe's accumulators
        // in memory and measure the stores instead of the instructions.
        .target(name: "CCPUProbe", cSettings: [.unsafeFlags(["-O2"])]),
        // The one-probe search kernel, optimised in every configuration too (it is the whole cost of a probe).
        .target(name: "CSearchKernel", cSettings: [.unsafeFlags(["-O2"])]),
        .target(name: "Support", dependencies: ["CCPUProbe"]),
        .target(name: "TorchBridge", dependencies: ["CTorch", "HDF5", "Support"]),
        .target(name: "Vision", dependencies: ["CVision", "Support"]),
        .target(name: "Dataset", dependencies: ["Vision", "Models", "TorchBridge", "Support"]),
        .target(name: "Models", dependencies: ["TorchBridge", "HDF5", "Support"]),
        .target(name: "Eval", dependencies: ["Support", "Vision"]),
        .target(name: "TripletMining", dependencies: ["TorchBridge", "Support"]),
        // After TripletMining, whose distance matrix (libtorch) it reuses.
        .target(name: "Clustering", dependencies: ["TripletMining", "TorchBridge", "Support"]),
        .target(name: "Embedding", dependencies: ["Models", "Vision", "HDF5", "Eval", "Support"]),
        .target(name: "Alignment", dependencies: ["Models", "Vision", "Support", "TorchBridge"]),
        // ONNX's onnx.proto (onnx 1.23.2) as Swift types, generated once by scripts/generate-onnx-proto.sh.
        .target(
            name: "ONNXProto", dependencies: [.product(name: "SwiftProtobuf", package: "swift-protobuf")],
            exclude: ["README.md"]
        ),
        .target(name: "Export", dependencies: ["Models", "Embedding", "Vision", "TorchBridge", "Support", "ONNXProto"]),
        .target(
            name: "Training",
            dependencies: [
                "Models", "Dataset", "TripletMining", "Embedding", "Eval", "Vision", "HDF5", "Support",
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        // The gallery of enrolled people: identities, faces (embeddings with provenance), the model's
        // fingerprint and the threshold, in one SQLite file (docs/recognition.md). No model code.
        .target(
            name: "Gallery",
            dependencies: [
                "Support", .product(name: "GRDB", package: "GRDB.swift"), .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        // Using the model: the face pipeline (detect, crop, quality, embed), exact search, open-set decisions,
        // enroll / identify / verify jobs.
        .target(
            name: "Recognition",
            dependencies: [
                "Gallery", "Alignment", "Embedding", "Eval", "Models", "Vision", "TorchBridge", "Support", "CFaiss", "CSearchKernel",
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // Classifiers over embeddings (docs/recognition.md, Classify): liblinear's logistic regression, kNN,
        // and the classifier file with the fingerprint of the model that made its embeddings.
        .target(name: "Classifier", dependencies: ["CLinear", "Gallery", "Support"]),
        // `facenet serve`: the recognition HTTP service over Recognition and Gallery (docs/serve.md).
        .target(
            name: "Serve",
            dependencies: [
                "Recognition", "Gallery", "Alignment", "Vision", "Eval", "Support", "TorchBridge",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            resources: [.copy("Web")]
        ),
        .executableTarget(
            name: "TrainCLI",
            dependencies: [
                "Models", "Embedding", "Eval", "Clustering", "Alignment", "Training", "Export", "Support", "Gallery",
                "Recognition", "Classifier", "Vision", "Serve",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        // Helpers shared by the tests: temporary folders, the Python reference interpreters.
        .target(name: "TestSupport", dependencies: ["Support", "Vision"], path: "Tests/TestSupport"),
        .testTarget(name: "HDF5Tests", dependencies: ["HDF5", "TestSupport"]),
        .testTarget(name: "VisionTests", dependencies: ["Vision", "TestSupport"]),
        .testTarget(name: "TorchBridgeTests", dependencies: ["TorchBridge", "TestSupport"]),
        .testTarget(name: "ModelsTests", dependencies: ["Models", "Embedding", "Vision", "HDF5", "TestSupport"]),
        .testTarget(name: "EvalTests", dependencies: ["Eval", "TestSupport"]),
        .testTarget(name: "DatasetTests", dependencies: ["Dataset", "TestSupport"]),
        .testTarget(name: "TripletMiningTests", dependencies: ["TripletMining", "TestSupport"]),
        .testTarget(name: "ClusteringTests", dependencies: ["Clustering", "TripletMining", "TestSupport"]),
        .testTarget(
            name: "TrainingTests",
            dependencies: ["Training", "Models", "TripletMining", "TorchBridge", "Dataset", "Vision", "Embedding", "TestSupport"]
        ),
        .testTarget(name: "AlignmentTests", dependencies: ["Alignment", "Models", "Vision", "TestSupport"]),
        // The `facenet` executable as a user meets it: exit statuses, messages, files left untouched.
        .testTarget(name: "CLITests", dependencies: ["TestSupport"]),
        .testTarget(name: "ClassifierTests", dependencies: ["Classifier", "Gallery", "Support", "TestSupport"]),
        .testTarget(name: "GalleryTests", dependencies: ["Gallery", "TestSupport"]),
        .testTarget(
            name: "RecognitionTests",
            dependencies: [
                "Recognition", "Gallery", "Alignment", "Embedding", "Models", "Vision", "Support", "TestSupport", "CSearchKernel",
            ]),
        // `facenet serve` run as a process: HTTP, keys, limits, crash safety, schemathesis, a real browser.
        .testTarget(
            name: "ServeTests",
            dependencies: ["Serve", "Gallery", "Support", "TestSupport", .product(name: "Yams", package: "Yams")]
        ),
        .testTarget(
            name: "ExportTests", dependencies: ["Export", "ONNXProto", "Models", "Embedding", "Vision", "Training", "TestSupport"]
        ),
    ],
    swiftLanguageModes: [.v5],
    cxxLanguageStandard: .cxx17
)
