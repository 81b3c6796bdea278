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
        .library(name: "FerryRegistry", targets: ["FerryRegistry"]),
    ],
    dependencies: [],
    targets: [
        // The message runtime: wire format, Message protocol, well-known types. Standard library only.
        .target(name: "FerryCodec", swiftSettings: strictSettings),

        // Schema registry model, compatibility rules, registry client and broker-payload serializer.
        .target(name: "FerryRegistry", dependencies: ["FerryCodec"], swiftSettings: strictSettings),

        .testTarget(name: "FerryCodecTests", dependencies: ["FerryCodec"], swiftSettings: strictSettings),
        .testTarget(name: "FerryRegistryTests", dependencies: ["FerryRegistry", "FerryCodec"], swiftSettings: strictSettings),
    ],
    swiftLanguageModes: [.v6]
)
