import FerryCodec
import Foundation
import ProcessTestSupport
import Testing

/// Swift generated from edition 2023 and 2024 files (`FerrySchemaTests/Fixtures/editions`), whose
/// features change presence, packing, group encoding and required fields. python protobuf, reading
/// protoc 35's descriptors of the same files, is the oracle: it must read Ferry's bytes as the same
/// message and write the very same bytes back, and each side must read the other's JSON.
@Suite struct EditionsTests {
    static let fixtures = TestPaths.repositoryRoot.appendingPathComponent("Tests/FerrySchemaTests/Fixtures/editions")
        .path

    static func item() -> Ed_Item {
        var item = Ed_Item()
        item.name = "top"
        item.count = 0  // explicit presence: written although zero
        item.codes = [1, 2, 300]  // EXPANDED: one tag per element
        var child = Ed_Item()
        child.legacy = "inner"
        item.child = child  // DELIMITED: a group on the wire
        item.legacy = "x"  // LEGACY_REQUIRED
        item.kind = .a
        item.tags = ["k": 7]
        item.raw = "r"
        item.choice = .b(-5)
        return item
    }

    @Test("features decide presence, packing and group encoding")
    func wireShapes() throws {
        var item = Ed_Item()
        item.name = ""  // IMPLICIT (file feature): not written
        item.count = 0  // EXPLICIT: written
        #expect(item.serializedBytes() == [0x10, 0x00])
        item.count = nil
        item.codes = [1, 2]
        #expect(item.serializedBytes() == [0x18, 0x01, 0x18, 0x02])  // expanded
        item.codes = []
        item.child = Ed_Item()
        #expect(item.serializedBytes() == [0x23, 0x24])  // start group 4, end group 4

        var order = Ed24_Order()
        order.quantities = [1, 2]
        order.total = 0  // IMPLICIT (field feature): not written
        #expect(order.serializedBytes() == [0x12, 0x02, 0x01, 0x02])  // 2024 default: packed
        order.id = ""  // 2024 default: explicit presence
        #expect(order.serializedBytes() == [0x0A, 0x00, 0x12, 0x02, 0x01, 0x02])

        // LEGACY_REQUIRED is required.
        var required = Ed_Item()
        #expect(!required.isInitialized)
        required.legacy = ""
        #expect(required.isInitialized)
        #expect(throws: DecodingError.self) { try Ed_Item(serializedBytes: [0x10, 0x01]) }
    }

    @Test("python reads Ferry's bytes and JSON as the same message, and Ferry reads python's")
    func againstPython() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "ferry-editions-\(UUID().uuidString)"
        )
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let set = directory.appendingPathComponent("set.pb").path
        try await Program.check(
            TestPaths.python,
            [
                "-m", "grpc_tools.protoc", "-I", Self.fixtures, "--include_imports",
                "--descriptor_set_out=\(set)", "features_2023.proto", "plain_2024.proto",
            ]
        )
        var order = Ed24_Order()
        order.id = "o-1"
        order.quantities = [3, 0, -1]
        order.first = Self.item()
        order.kinds = ["a": .a, "u": .unspecified]
        order.total = 12.5
        let bytes = order.serializedBytes()
        let json = try order.jsonString()
        let script = """
            import sys
            from google.protobuf import descriptor_pb2, json_format, message_factory
            fds = descriptor_pb2.FileDescriptorSet.FromString(open(sys.argv[1], "rb").read())
            Order = message_factory.GetMessages(fds.file)["ed24.Order"]
            parsed = Order.FromString(bytes.fromhex(sys.argv[2]))
            assert parsed.first.HasField("count") and parsed.first.count == 0, "explicit presence lost"
            assert parsed.first.child.legacy == "inner"
            assert json_format.Parse(sys.argv[3], Order()) == parsed, "Ferry's JSON reads differently"
            print(parsed.SerializeToString(deterministic=True).hex())
            print(json_format.MessageToJson(parsed, indent=None))
            """
        let output = try await Program.check(
            TestPaths.python,
            ["-c", script, set, bytes.map { String(format: "%02x", $0) }.joined(), json]
        )
        let lines = String(decoding: output, as: UTF8.self).split(separator: "\n").map(String.init)
        try #require(lines.count == 2)
        #expect(lines[0] == bytes.map { String(format: "%02x", $0) }.joined(), "python writes other bytes")
        #expect(try Ed24_Order(jsonString: lines[1]) == order)
    }
}
