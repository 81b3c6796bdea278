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
        .library(name: "FerryRPC", targets: ["FerryRPC"]),
        .library(name: "FerryHTTP2", targets: ["FerryHTTP2"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
    ],
    targets: [
        // The message runtime: wire format, Message protocol, well-known types. Standard library only.
        .target(name: "FerryCodec", swiftSettings: strictSettings),

        // libnghttp2 from the system (HTTP/2 framing, HPACK, flow control). Only FerryHTTP2 imports it.
        .systemLibrary(
            name: "CNGHTTP2",
            pkgConfig: "libnghttp2",
            providers: [.apt(["libnghttp2-dev"])]
        ),

        // Transport-agnostic RPC core: status, metadata, descriptors, client and server executors.
        .target(name: "FerryRPC", dependencies: ["FerryCodec"], swiftSettings: strictSettings),

        // gRPC over HTTP/2: nghttp2 sessions driven by SwiftNIO channels.
        .target(
            name: "FerryHTTP2",
            dependencies: [
                "FerryRPC",
                "CNGHTTP2",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: strictSettings
        ),

        .testTarget(name: "FerryRPCTests", dependencies: ["FerryRPC", "FerryCodec"], swiftSettings: strictSettings),
        .testTarget(
            name: "FerryHTTP2Tests",
            dependencies: [
                "FerryHTTP2",
                "FerryRPC",
                "CNGHTTP2",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(name: "FerryCodecTests", dependencies: ["FerryCodec"], swiftSettings: strictSettings),
    ],
    swiftLanguageModes: [.v6]
)
