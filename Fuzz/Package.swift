// swift-tools-version:6.1
import PackageDescription

/// libFuzzer targets for every Ferry decoder that reads untrusted bytes.
///
/// A package of its own so that Ferry's Package.swift stays lean. Build and run a target with
/// `scripts/fuzz.sh TARGET SECONDS` (it passes `-sanitize=fuzzer,address` and `-parse-as-library`):
/// each target defines `LLVMFuzzerTestOneInput`; FuzzEntry starts libFuzzer's driver. Targets that reach
/// internal types use `@testable import`, which debug builds allow.
let package = Package(
    name: "FerryFuzz",
    dependencies: [
        .package(name: "Ferry", path: ".."),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
    ],
    targets: [
        // The renamed `main` of each fuzz executable, handing over to libFuzzer's driver.
        .target(name: "FuzzEntry"),
        // Binary decoding of protobuf's conformance messages (every field kind), with a round trip.
        .executableTarget(
            name: "FuzzCodec",
            dependencies: ["FuzzEntry", .product(name: "FerryCodec", package: "Ferry")]
        ),
        // gRPC length-prefixed message framing, fed in pieces, identity or gzip-inflated.
        .executableTarget(
            name: "FuzzDeframer",
            dependencies: ["FuzzEntry", .product(name: "FerryHTTP2", package: "Ferry"), .product(name: "FerryRPC", package: "Ferry")]
        ),
        // Bytes from a client into a server-side HTTP/2 connection handler (nghttp2 + gRPC streams).
        .executableTarget(
            name: "FuzzHTTP2Server",
            dependencies: [
                "FuzzEntry",
                .product(name: "FerryHTTP2", package: "Ferry"),
                .product(name: "FerryRPC", package: "Ferry"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
            ]
        ),
        // .proto text through the schema compiler (parse, link, options, lowering).
        .executableTarget(
            name: "FuzzProtoCompiler",
            dependencies: [
                "FuzzEntry",
                .product(name: "FerrySchema", package: "Ferry"),
                .product(name: "FerryCodec", package: "Ferry"),
            ]
        ),
        // The registry server's JSON request bodies, decoded as its routes decode them, then applied.
        .executableTarget(
            name: "FuzzRegistryJSON",
            dependencies: [
                "FuzzEntry",
                .product(name: "FerryRegistryServer", package: "Ferry"),
                .product(name: "FerryRegistry", package: "Ferry"),
                .product(name: "Hummingbird", package: "hummingbird"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
