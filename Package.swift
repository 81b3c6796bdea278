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
        .library(name: "FerrySchema", targets: ["FerrySchema"]),
    ],
    dependencies: [],
    targets: [
        // The message runtime: wire format, Message protocol, well-known types. Standard library only.
        .target(name: "FerryCodec", swiftSettings: strictSettings),

        // The schema compiler: .proto text -> syntax tree -> descriptors, with diagnostics.
        .target(name: "FerrySchema", dependencies: ["FerryCodec"], swiftSettings: strictSettings),

        .testTarget(name: "FerryCodecTests", dependencies: ["FerryCodec"], swiftSettings: strictSettings),
        .testTarget(
            name: "FerrySchemaTests", dependencies: ["FerrySchema", "FerryCodec"], exclude: ["Fixtures"],
            swiftSettings: strictSettings),
    ],
    swiftLanguageModes: [.v6]
)
