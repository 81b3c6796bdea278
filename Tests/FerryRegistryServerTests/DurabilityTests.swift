import FerryRegistry
import Foundation
import ProcessTestSupport
import Testing

@Suite("A registration that answered 200 survives kill -9", .serialized)
struct DurabilityTests {
    func registerThenKill(storage: [String]) async throws {
        let server = try await ServerProcess(arguments: storage)
        let client = HTTPRegistryClient(baseURL: server.baseURL, caching: false)
        try await client.setCompatibility(.none, subject: nil)
        var answered: [Int: Int] = [:]
        for index in 0..<20 {
            let text = "syntax = \"proto3\";\npackage acme;\nmessage Event\(index) { int64 id = 1; }\n"
            answered[index] = try await client.registerSchema(subject: "events-value", SchemaInput(schema: text))
        }
        await server.kill9()

        let restarted = try await ServerProcess(arguments: storage)
        let after = HTTPRegistryClient(baseURL: restarted.baseURL, caching: false)
        #expect(try await after.version(subject: "events-value", .latest).version == 20)
        for (index, id) in answered {
            #expect(try await after.schema(id: id).text.contains("message Event\(index) "))
        }
        #expect(try await after.compatibility(subject: nil) == .none)
        await restarted.stop()
    }

    @Test("SQLite backend")
    func sqlite() async throws {
        try await registerThenKill(storage: ["--sqlite", TestEnvironment.temporarySQLitePath()])
    }

    @Test("PostgreSQL backend")
    func postgres() async throws {
        try await registerThenKill(storage: ["--postgres", try await TestEnvironment.freshPostgresURL()])
    }
}
