// swift-tools-version:6.1
import PackageDescription

/// Strict settings for every Ferry target (see STYLE.md, recommendation 10).
let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "Ferry",
    products: [
        .library(name: "FerryCodec", targets: ["FerryCodec"]),
        .library(name: "FerryFoundation", targets: ["FerryFoundation"]),
        .library(name: "FerrySchema", targets: ["FerrySchema"]),
        .library(name: "FerryCodegen", targets: ["FerryCodegen"]),
        .executable(name: "protoc-gen-ferry", targets: ["protoc-gen-ferry"]),
        .executable(name: "ferry", targets: ["ferry"]),
        .plugin(name: "FerryGeneratorPlugin", targets: ["FerryGeneratorPlugin"]),
        .library(name: "FerryRPC", targets: ["FerryRPC"]),
        .library(name: "FerryHTTP2", targets: ["FerryHTTP2"]),
        .library(name: "FerryServices", targets: ["FerryServices"]),
        .library(name: "FerryLifecycle", targets: ["FerryLifecycle"]),
        .library(name: "FerryObservability", targets: ["FerryObservability"]),
        .library(name: "FerryRegistryClient", targets: ["FerryRegistryClient"]),
        .library(name: "FerryRegistry", targets: ["FerryRegistry"]),
        .library(name: "FerryRegistryServer", targets: ["FerryRegistryServer"]),
        .library(name: "FerryKafka", targets: ["FerryKafka"]),
        .library(name: "FerryOutbox", targets: ["FerryOutbox"]),
        .executable(name: "ferry-registry", targets: ["ferry-registry"]),
        .executable(name: "ferry-interop-server", targets: ["ferry-interop-server"]),
        .executable(name: "ferry-interop-client", targets: ["ferry-interop-client"]),
        .executable(name: "ferry-kafka-mock", targets: ["ferry-kafka-mock"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/vapor/sqlite-nio.git", from: "1.13.2"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        // The registry's password hashes (bcrypt, C, no further dependencies) and token hashes; swift-crypto
        // is already in the graph through postgres-nio.
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.5.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
        // Already in the graph through Hummingbird; FerryLifecycle uses it directly.
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        // Also already in the graph through Hummingbird; FerryObservability uses them directly.
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-distributed-tracing.git", from: "1.7.3"),
    ],
    targets: [
        // The message runtime: wire format, Message protocol, well-known types. Standard library only.
        .target(name: "FerryCodec", swiftSettings: strictSettings),

        // Foundation conveniences for the well-known types (Timestamp ↔ Date), kept out of FerryCodec.
        .target(name: "FerryFoundation", dependencies: ["FerryCodec"], swiftSettings: strictSettings),
        // The schema compiler: .proto text -> syntax tree -> descriptors, with diagnostics.
        .target(name: "FerrySchema", dependencies: ["FerryCodec"], resources: [.copy("WellKnownProtos")], swiftSettings: strictSettings),
        // Descriptors -> Swift source for messages, enums, extensions and embedded descriptors.
        .target(name: "FerryCodegen", dependencies: ["FerryCodec"], swiftSettings: strictSettings),
        // The generator as a protoc plugin (CodeGeneratorRequest on stdin, response on stdout).
        .executableTarget(name: "protoc-gen-ferry", dependencies: ["FerryCodegen", "FerryCodec"], swiftSettings: strictSettings),
        // The command line: generate, descriptors (and later breaking, registry, serve, call).
        .executableTarget(
            name: "ferry",
            dependencies: [
                "FerrySchema", "FerryCodegen", "FerryCodec", "FerryRegistry",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strictSettings
        ),
        // The README's main command: generated checkout types and the Payments service at work.
        .executableTarget(
            name: "ferry-demo",
            dependencies: ["FerryCodec", "FerryRPC", "FerryHTTP2"],
            exclude: ["ferry.json"],
            swiftSettings: strictSettings,
            plugins: ["FerryGeneratorPlugin"]
        ),
        // The testee of protobuf's conformance suite (binary format); its .proto files are protobuf's
        // own conformance messages, turned into Swift by the build-tool plugin.
        .executableTarget(
            name: "ferry-conformance",
            dependencies: ["FerryCodec"],
            exclude: ["ferry.json", "Protos"],
            swiftSettings: strictSettings,
            plugins: ["FerryGeneratorPlugin"]
        ),
        // SwiftPM build-tool plugin: a target's .proto files become Swift at build time.
        .plugin(name: "FerryGeneratorPlugin", capability: .buildTool(), dependencies: ["ferry"]),

        // libnghttp2 from the system (HTTP/2 framing, HPACK, flow control). Only FerryHTTP2 imports it.
        .systemLibrary(
            name: "CNGHTTP2",
            pkgConfig: "libnghttp2",
            providers: [.apt(["libnghttp2-dev"])]
        ),
        // zlib for gRPC's gzip and deflate message encodings (FerryHTTP2 only).
        .systemLibrary(name: "CZlib", path: "Sources/CZlib", providers: [.apt(["zlib1g-dev"])]),
        // librdkafka (Kafka's C client, with its mock cluster). Only FerryKafka imports it.
        .systemLibrary(name: "CRDKafka", path: "Sources/CRDKafka", pkgConfig: "rdkafka", providers: [.apt(["librdkafka-dev"])]),
        // Events: typed Kafka producers and consumers in the registry's wire format, dead letters.
        .target(
            name: "FerryKafka",
            dependencies: [
                "CRDKafka", "FerryCodec", "FerryRegistryClient",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: strictSettings
        ),
        // The transactional outbox: events stored with the state change in SQLite or PostgreSQL,
        // published by a relay. Separate from FerryKafka so producers need no database driver.
        .target(
            name: "FerryOutbox",
            dependencies: [
                "FerryKafka",
                .product(name: "SQLiteNIO", package: "sqlite-nio"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: strictSettings
        ),
        // librdkafka's mock Kafka cluster as a program: the broker of the checkout example and the
        // Kafka benchmark on a machine without Kafka.
        .executableTarget(name: "ferry-kafka-mock", dependencies: ["FerryKafka"], swiftSettings: strictSettings),

        // Transport-agnostic RPC core: status, metadata, descriptors, client and server executors.
        .target(name: "FerryRPC", dependencies: ["FerryCodec"], swiftSettings: strictSettings),

        // gRPC over HTTP/2: nghttp2 sessions driven by SwiftNIO channels; TLS with ALPN h2 through NIOSSL.
        .target(
            name: "FerryHTTP2",
            dependencies: [
                "FerryRPC",
                "FerryCodec",
                "CNGHTTP2",
                "CZlib",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOTLS", package: "swift-nio"),
            ],
            swiftSettings: strictSettings
        ),

        // gRPC's standard interop test (grpc.testing.TestService from Schemas/grpc/testing): the generated
        // types, Ferry's implementation of the service and the client test cases, transport-agnostic.
        .target(
            name: "FerryInteropTesting",
            dependencies: ["FerryRPC", "FerryCodec"],
            exclude: ["ferry.json"],
            swiftSettings: strictSettings,
            plugins: ["FerryGeneratorPlugin"]
        ),
        // The interop server and client with the flags of grpc's own interop binaries, over HTTP/2.
        .executableTarget(
            name: "ferry-interop-server",
            dependencies: [
                "FerryInteropTesting", "FerryHTTP2", "FerryRPC", "FerryServices",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "ferry-interop-client",
            dependencies: [
                "FerryInteropTesting", "FerryHTTP2", "FerryRPC",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strictSettings
        ),

        // swift-service-lifecycle conformances: RPCServer and RPCClient as `Service`s of a ServiceGroup.
        .target(
            name: "FerryLifecycle",
            dependencies: ["FerryRPC", .product(name: "ServiceLifecycle", package: "swift-service-lifecycle")],
            swiftSettings: strictSettings
        ),

        // Logs, metrics and traces for every call: swift-log, swift-metrics and swift-distributed-tracing
        // as client and server interceptors.
        .target(
            name: "FerryObservability",
            dependencies: [
                "FerryRPC",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                // MetadataCarrier's Injector and Extractor come from here (imported publicly).
                .product(name: "Instrumentation", package: "swift-distributed-tracing"),
            ],
            swiftSettings: strictSettings
        ),

        // Standard gRPC services on FerryRPC: health (grpc.health.v1) and server reflection
        // (grpc.reflection.v1 and v1alpha) from the descriptors generated code embeds.
        .target(
            name: "FerryServices",
            dependencies: ["FerryRPC", "FerryCodec"],
            exclude: ["ferry.json"],
            swiftSettings: strictSettings,
            plugins: ["FerryGeneratorPlugin"]
        ),

        .testTarget(
            name: "FerryLifecycleTests",
            dependencies: [
                "FerryLifecycle", "FerryServices", "FerryRPC", "FerryHTTP2", "RPCTestSupport",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "FerryObservabilityTests",
            dependencies: [
                "FerryObservability", "FerryRPC", "FerryHTTP2", "RPCTestSupport",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "MetricsTestKit", package: "swift-metrics"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "InMemoryTracing", package: "swift-distributed-tracing"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "FerryServicesTests",
            dependencies: ["FerryServices", "FerryRPC", "FerryHTTP2", "FerryCodec", "FerryInteropTesting", "ProcessTestSupport"],
            exclude: ["ferry.json", "Schemas"],
            swiftSettings: strictSettings,
            plugins: ["FerryGeneratorPlugin"]
        ),

        // The echo service both RPC test targets run against (in-process and over HTTP/2).
        .target(name: "RPCTestSupport", dependencies: ["FerryRPC"], path: "Tests/RPCTestSupport", swiftSettings: strictSettings),
        .testTarget(
            name: "FerryKafkaTests",
            dependencies: [
                "FerryKafka", "FerryOutbox", "FerryRegistry", "FerryCodec", "ProcessTestSupport", "ferry-registry",
                .product(name: "SQLiteNIO", package: "sqlite-nio"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ],
            exclude: ["ferry.json"],
            swiftSettings: strictSettings,
            plugins: ["FerryGeneratorPlugin"]
        ),
        .testTarget(name: "FerryRPCTests", dependencies: ["FerryRPC", "FerryCodec", "RPCTestSupport"], swiftSettings: strictSettings),
        // Running programs from tests without holding a cooperative-pool thread: oracles (protoc, python),
        // peers (grpcio, attack scripts) and the package's own executables; where tests find them.
        .target(name: "ProcessTestSupport", path: "Tests/ProcessTestSupport", swiftSettings: strictSettings),
        .testTarget(
            name: "FerryHTTP2Tests",
            dependencies: [
                "RPCTestSupport",
                "ProcessTestSupport",
                "FerryHTTP2",
                "FerryRPC",
                "FerryCodec",
                "CNGHTTP2",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
            ],
            swiftSettings: strictSettings
        ),

        // The interop cases both ways: ferry-interop-client against a grpcio server, a grpcio client against
        // ferry-interop-server (Tests/InteropPeers/interop_peer.py), plus Ferry against itself in process.
        // The executables are dependencies so that `swift build --build-tests` builds them.
        .testTarget(
            name: "InteropTests",
            dependencies: [
                "FerryInteropTesting", "FerryRPC", "FerryHTTP2", "ProcessTestSupport", "RPCTestSupport",
                "ferry-interop-server", "ferry-interop-client",
            ],
            swiftSettings: strictSettings
        ),
        // Attacks on the HTTP/2 server (Tests/HardeningPeers/h2_attacks.py, a raw client on python h2) against
        // a real ferry-interop-server: it must survive, keep serving and keep its RSS bounded.
        .testTarget(
            name: "HardeningTests",
            dependencies: ["ProcessTestSupport", "ferry-interop-server"],
            swiftSettings: strictSettings
        ),
        .testTarget(name: "FerryCodecTests", dependencies: ["FerryCodec", "ProcessTestSupport"], swiftSettings: strictSettings),
        .testTarget(name: "FerryFoundationTests", dependencies: ["FerryFoundation", "FerryCodec"], swiftSettings: strictSettings),
        .testTarget(name: "FerrySchemaTests", dependencies: ["FerrySchema", "FerryCodec", "ProcessTestSupport"], exclude: ["Fixtures"], swiftSettings: strictSettings),
        // Runs the built `ferry` and `protoc-gen-ferry` binaries against protoc.
        // (`swift build --build-tests` builds those executables too; a test target cannot link them.)
        .testTarget(name: "FerryCLITests", dependencies: ["ProcessTestSupport"], swiftSettings: strictSettings),
        .testTarget(name: "FerryCodegenTests", dependencies: ["FerryCodegen", "FerryCodec", "ProcessTestSupport"], swiftSettings: strictSettings),
        // Code generated by protoc-gen-ferry from the corpus (scripts/generate-fixtures.sh), with round-trip tests.
        // Uses the build-tool plugin on Schemas/ (see its ferry.json).
        .testTarget(
            name: "GeneratedSchemasTests",
            dependencies: ["FerryCodec", "FerryRPC"],
            exclude: ["ferry.json"],
            swiftSettings: strictSettings,
            plugins: ["FerryGeneratorPlugin"]
        ),
        // protobuf's conformance protocol: scripts/conformance_driver.py against ferry-conformance
        // (a dependency, so that `swift build --build-tests` builds the testee too).
        .testTarget(
            name: "ConformanceTests",
            dependencies: ["ferry-conformance", "ProcessTestSupport"],
            exclude: ["known_failures.txt"],
            swiftSettings: strictSettings
        ),
        // Imports across modules: ShopOrders' order.proto imports ShopModels' money.proto; the
        // build-tool plugin maps the file to ShopModels, so ShopOrders' generated code imports it.
        .target(
            name: "ShopModels", dependencies: ["FerryCodec"], path: "Tests/Fixtures/ModuleMapping/ShopModels",
            exclude: ["ferry.json"], swiftSettings: strictSettings, plugins: ["FerryGeneratorPlugin"]),
        .target(
            name: "ShopOrders", dependencies: ["FerryCodec", "ShopModels"], path: "Tests/Fixtures/ModuleMapping/ShopOrders",
            exclude: ["ferry.json"], swiftSettings: strictSettings, plugins: ["FerryGeneratorPlugin"]),
        // Swift generated from edition 2023 and 2024 files (FerrySchemaTests/Fixtures/editions), against python.
        .testTarget(
            name: "GeneratedEditionsTests", dependencies: ["FerryCodec", "ProcessTestSupport"], exclude: ["ferry.json"],
            swiftSettings: strictSettings, plugins: ["FerryGeneratorPlugin"]),
        .testTarget(name: "ModuleMappingTests", dependencies: ["FerryCodec", "ShopModels", "ShopOrders"], swiftSettings: strictSettings),
        .testTarget(name: "GeneratedCorpusTests", dependencies: ["FerryCodec", "FerryRPC", "ProcessTestSupport"], exclude: ["Oracle", "Schemas"], swiftSettings: strictSettings),

        // What producers and consumers link: the registry's model, its HTTP client and the
        // Confluent-framed serializers, on the codec alone (no compiler, no server).
        .target(name: "FerryRegistryClient", dependencies: ["FerryCodec"], swiftSettings: strictSettings),
        // The registry itself: stores, Confluent's compatibility rules, and the schema parser and
        // printer on the compiler front end.
        .target(
            name: "FerryRegistry", dependencies: ["FerryRegistryClient", "FerrySchema", "FerryCodec"],
            swiftSettings: strictSettings),

        // The registry service: Confluent's REST API on Hummingbird, SQLite (embedded) and PostgreSQL (shared) storage.
        .target(
            name: "FerryRegistryServer",
            dependencies: [
                "FerryRegistry", "FerryCodec",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "SQLiteNIO", package: "sqlite-nio"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ],
            swiftSettings: strictSettings),

        .executableTarget(name: "ferry-registry", dependencies: ["FerryRegistryServer"], swiftSettings: strictSettings),
        // Registry throughput over HTTP (look-ups by id, registrations per backend); results in BENCHMARKS.md.
        .executableTarget(
            name: "ferry-bench-registry", dependencies: ["FerryRegistryServer", "FerryRegistry"], swiftSettings: strictSettings),

        // The registry tests' event payloads, generated from Schemas/registry-demo by the build-tool plugin.
        .target(
            name: "RegistryTestSupport",
            dependencies: ["FerryCodec"],
            path: "Tests/RegistryTestSupport",
            exclude: ["ferry.json"],
            swiftSettings: strictSettings,
            plugins: ["FerryGeneratorPlugin"]
        ),
        .testTarget(name: "FerryRegistryTests", dependencies: ["FerryRegistry", "FerryRegistryClient", "FerryCodec", "RegistryTestSupport", "ProcessTestSupport"], swiftSettings: strictSettings),
        .testTarget(
            name: "FerryRegistryServerTests",
            dependencies: [
                "FerryRegistryServer", "FerryRegistry", "FerryRegistryClient", "FerryCodec", "ferry-registry", "RegistryTestSupport",
                "ProcessTestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings),
    ],
    swiftLanguageModes: [.v6]
)
