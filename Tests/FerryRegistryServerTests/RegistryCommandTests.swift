import Foundation
import ProcessTestSupport
import Testing

@Suite("`ferry registry` against a running ferry-registry")
struct RegistryCommandTests {
    static var ferry: String { TestPaths.builtExecutable("ferry") }

    @Test("register the demo events, refuse a breaking change with the reason, accept a compatible one")
    func demo() async throws {
        let server = try await ServerProcess(arguments: ["--sqlite", TestEnvironment.temporarySQLitePath()])
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "ferry-registry-cli-\(UUID().uuidString)"
        )
        defer { try? FileManager.default.removeItem(at: directory) }
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let demo = TestEnvironment.repositoryRoot.appendingPathComponent(
            "Schemas/registry-demo/acme/events/orders.proto"
        )
        let original = try String(contentsOf: demo, encoding: .utf8)
        let breaking = directory.appendingPathComponent("orders.proto")
        try Data(
            original.replacingOccurrences(
                of: "int64 order_id = 1;\n  string customer",
                with: "string order_id = 1;\n  string customer"
            ).utf8
        )
        .write(to: breaking)
        let compatibleDirectory = directory.appendingPathComponent("ok")
        try FileManager.default.createDirectory(at: compatibleDirectory, withIntermediateDirectories: true)
        let compatible = compatibleDirectory.appendingPathComponent("orders.proto")
        try Data(
            original.replacingOccurrences(
                of: "repeated string items = 4;",
                with: "repeated string items = 4;\n  string coupon = 5;"
            ).utf8
        )
        .write(to: compatible)

        let registered = try await TestEnvironment.run(
            Self.ferry,
            ["registry", "register", "--url", server.baseURL, "orders-value", demo.path]
        )
        #expect(registered.trimmingCharacters(in: .whitespacesAndNewlines) == "1")

        let check = try ChildProcess(
            executable: Self.ferry,
            arguments: ["registry", "check", "--url", server.baseURL, "orders-value", breaking.path]
        )
        #expect(await check.wait(timeout: .seconds(120)) == 1)
        #expect(
            check.output.contains("FIELD_SCALAR_KIND_CHANGED") && check.output.contains("#/OrderPlaced/1"),
            "\(check.output)"
        )

        let refused = try ChildProcess(
            executable: Self.ferry,
            arguments: ["registry", "register", "--url", server.baseURL, "orders-value", breaking.path]
        )
        #expect(await refused.wait(timeout: .seconds(120)) == 1)
        #expect(refused.errors.contains("incompatible"), "\(refused.errors)")

        let ok = try await TestEnvironment.run(
            Self.ferry,
            ["registry", "check", "--url", server.baseURL, "orders-value", compatible.path]
        )
        #expect(ok.contains("compatible"))
        let second = try await TestEnvironment.run(
            Self.ferry,
            ["registry", "register", "--url", server.baseURL, "orders-value", compatible.path]
        )
        #expect(second.trimmingCharacters(in: .whitespacesAndNewlines) == "2")
        await server.stop()
    }
}
