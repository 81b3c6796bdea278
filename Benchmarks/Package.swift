// swift-tools-version:6.1
import PackageDescription

/// The same strict settings as the Ferry package itself.
let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

/// Ferry's codec against SwiftProtobuf on the shared datasets (../shared/bench), in one run.
/// A separate package so that the main package never depends on SwiftProtobuf.
let package = Package(
    name: "FerryBenchmarks",
    dependencies: [
        .package(name: "Ferry", path: ".."),
        .package(url: "https://github.com/apple/swift-protobuf", from: "1.39.0"),
        .package(url: "https://github.com/grpc/grpc-swift-2", from: "2.4.3"),
        .package(url: "https://github.com/grpc/grpc-swift-nio-transport", from: "2.9.2"),
        // The metrics backend of the observed Ferry server and client (`--server ferry-observed`).
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        // Allocations per call (Allocations/, `swift package benchmark`): package-benchmark with its
        // malloc interposer; the trait list also leaves out its Swift 6.3 runtime interposer.
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        // bench.proto through protoc-gen-ferry, generated and committed (see README.md).
        .target(
            name: "FerryBench",
            dependencies: [.product(name: "FerryCodec", package: "Ferry")],
            swiftSettings: strictSettings
        ),
        // bench.proto through protoc-gen-swift 1.39.0, generated once and committed (see README.md).
        .target(
            name: "SwiftProtobufBench",
            dependencies: [.product(name: "SwiftProtobuf", package: "swift-protobuf")],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "ferry-bench-codec",
            dependencies: [
                "FerryBench",
                "SwiftProtobufBench",
                .product(name: "FerryCodec", package: "Ferry"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ],
            swiftSettings: strictSettings
        ),
        // Kafka events with schema-id framing: FerryKafka against confluent-kafka's Python client on
        // the same mock cluster (scripts/kafka-bench.sh drives both).
        .executableTarget(
            name: "ferry-bench-kafka",
            dependencies: [
                "FerryBench",
                .product(name: "FerryCodec", package: "Ferry"),
                .product(name: "FerryKafka", package: "Ferry"),
                .product(name: "FerryRegistryClient", package: "Ferry"),
            ],
            swiftSettings: strictSettings
        ),
        // RPC throughput, latency and memory: Ferry's server and client against grpc-swift-2's (NIO
        // transport), each server in its own process (see README.md).
        .executableTarget(
            name: "ferry-bench-rpc",
            dependencies: [
                "FerryBench",
                "SwiftProtobufBench",
                .product(name: "FerryCodec", package: "Ferry"),
                .product(name: "FerryRPC", package: "Ferry"),
                .product(name: "FerryHTTP2", package: "Ferry"),
                .product(name: "FerryObservability", package: "Ferry"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "GRPCCore", package: "grpc-swift-2"),
                .product(name: "GRPCNIOTransportHTTP2Posix", package: "grpc-swift-nio-transport"),
            ],
            swiftSettings: strictSettings
        ),
        // Mallocs per call on the call path (package-benchmark finds targets in a folder named
        // Benchmarks: this package's own folder). Benchmarks/scripts/allocations.sh runs it.
        .executableTarget(
            name: "Allocations",
            dependencies: [
                "FerryBench",
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "FerryCodec", package: "Ferry"),
                .product(name: "FerryRPC", package: "Ferry"),
                .product(name: "FerryHTTP2", package: "Ferry"),
                .product(name: "FerryObservability", package: "Ferry"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Allocations",
            swiftSettings: strictSettings,
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
