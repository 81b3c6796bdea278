import FerryRegistry
import Foundation

/// The registry demo schema, linked by protoc.
enum DemoSchema {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Schemas/registry-demo")
    static let fileName = "acme/events/orders.proto"

    static func text() throws -> String {
        try String(contentsOf: directory.appendingPathComponent(fileName), encoding: .utf8)
    }

    static func schema() async throws -> ProtobufSchema {
        try await TestSchemas.parser.parse(try text(), fileName: fileName, dependencies: [:])
    }
}
