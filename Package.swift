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
        .library(name: "FerryRegistryServer", targets: ["FerryRegistryServer"]),
        .executable(name: "ferry-registry", targets: ["ferry-registry"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/vapor/sqlite-nio.git", from: "1.13.2"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
    ],
    targets: [
        // The message runtime: wire format, Message protocol, well-known types. Standard library only.
        .target(name: "FerryCodec", swiftSettings: strictSettings),

        // Schema registry model, compatibility rules, registry client and broker-payload serializer.
        .target(name: "FerryRegistry", dependencies: ["FerryCodec"], swiftSettings: strictSettings),

        // The registry service: Confluent's REST API on Hummingbird, SQLite (embedded) and PostgreSQL (shared) storage.
        .target(
            name: "FerryRegistryServer",
            dependencies: [
                "FerryRegistry", "FerryCodec",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "SQLiteNIO", package: "sqlite-nio"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ],
            swiftSettings: strictSettings),

        .executableTarget(name: "ferry-registry", dependencies: ["FerryRegistryServer"], swiftSettings: strictSettings),

        .testTarget(name: "FerryCodecTests", dependencies: ["FerryCodec"], swiftSettings: strictSettings),
        .testTarget(name: "FerryRegistryTests", dependencies: ["FerryRegistry", "FerryCodec"], swiftSettings: strictSettings),
        .testTarget(
            name: "FerryRegistryServerTests",
            dependencies: [
                "FerryRegistryServer", "FerryRegistry", "FerryCodec", "ferry-registry",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ],
            swiftSettings: strictSettings),
    ],
    swiftLanguageModes: [.v6]
)
