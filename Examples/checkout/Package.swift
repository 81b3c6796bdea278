// swift-tools-version:6.1
// The checkout example: checkout calls payment over gRPC (deadline, retries, circuit breaker) and
// publishes OrderPlaced to Kafka through the schema registry; the email worker consumes it.
import PackageDescription

let package = Package(
    name: "checkout-example",
    platforms: [.macOS(.v15)],
    dependencies: [
        // Named, so that products are found as package "Ferry" wherever the repository was cloned.
        .package(name: "Ferry", path: "../..")
    ],
    targets: [
        .target(
            name: "ShopSchemas",
            dependencies: [.product(name: "FerryCodec", package: "Ferry"), .product(name: "FerryRPC", package: "Ferry")],
            exclude: ["ferry.json"],
            plugins: [.plugin(name: "FerryGeneratorPlugin", package: "Ferry")]
        ),
        .executableTarget(
            name: "payment",
            dependencies: ["ShopSchemas", .product(name: "FerryRPC", package: "Ferry"), .product(name: "FerryHTTP2", package: "Ferry")]
        ),
        .executableTarget(
            name: "checkout",
            dependencies: [
                "ShopSchemas",
                .product(name: "FerryRPC", package: "Ferry"), .product(name: "FerryHTTP2", package: "Ferry"),
                .product(name: "FerryKafka", package: "Ferry"), .product(name: "FerryRegistryClient", package: "Ferry"),
            ]
        ),
        .executableTarget(
            name: "email-worker",
            dependencies: ["ShopSchemas", .product(name: "FerryKafka", package: "Ferry"), .product(name: "FerryRegistryClient", package: "Ferry")]
        ),
    ]
)
