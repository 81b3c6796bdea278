import FerryCodec
import Testing

@testable import FerryRegistry
@testable import FerryRegistryClient

@Suite("FerrySchemaParser links schemas as protoc does")
struct FerrySchemaParserTests {
    static let schemas: [String] =
        evolutions.flatMap {
            [TestSchemas.source($0.old, syntax: $0.syntax), TestSchemas.source($0.new, syntax: $0.syntax)]
        }
        + [
            TestSchemas.source(
                """
                import "google/protobuf/timestamp.proto";
                message A { google.protobuf.Timestamp at = 1; map<string, A> children = 2; \
                oneof o { int32 x = 3; string y = 4; } optional bool z = 5; }
                """
            )
        ]

    @Test("descriptors equal protoc's", arguments: schemas)
    func equalToProtoc(_ text: String) async throws {
        let ferry = try await FerrySchemaParser().parse(text, fileName: "event.proto", dependencies: [:])
        let protoc = try await ProtocSchemaParser().parse(text, fileName: "event.proto", dependencies: [:])
        var expected = protoc.file
        expected.sourceCodeInfo = nil
        #expect(ferry.file == expected)
        #expect(ferry.dependencies.map(\.name) == protoc.dependencies.map(\.name))
    }

    @Test("references come from memory, well-known types from the bundled files")
    func references() async throws {
        let money = "syntax = \"proto3\";\npackage acme;\nmessage Money { int64 units = 1; }\n"
        let text = """
            syntax = "proto3";
            package acme;
            import "acme/money.proto";
            import "google/protobuf/duration.proto";
            message Order { Money total = 1; google.protobuf.Duration ttl = 2; }
            """
        let schema = try await FerrySchemaParser().parse(
            text,
            fileName: "order.proto",
            dependencies: ["acme/money.proto": money]
        )
        #expect(Set(schema.dependencies.compactMap(\.name)) == ["acme/money.proto", "google/protobuf/duration.proto"])
        #expect(schema.file.messageType.first?.field.first?.typeName == ".acme.Money")
    }

    @Test("errors carry the compiler's diagnostics with positions")
    func diagnostics() async throws {
        let error = await #expect(throws: RegistryError.self) {
            try await FerrySchemaParser().parse(
                "syntax = \"proto3\";\nmessage A { Missing m = 1; }\n",
                fileName: "bad.proto",
                dependencies: [:]
            )
        }
        #expect(error?.code == .invalidSchema)
        #expect(error?.message.contains("bad.proto:2:") == true, "\(error?.message ?? "")")
        #expect(error?.message.contains("Missing") == true)
    }
}
