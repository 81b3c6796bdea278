import Foundation
import ProcessTestSupport
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// `ferry registry serve` hands over to the registry service and answers the Confluent API.
@Suite struct RegistryServeTests {
    @Test("ferry registry serve starts a registry on a SQLite file that answers /subjects")
    func serve() async throws {
        let directory = try CommandLineTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let port = 18_000 + Int.random(in: 0..<2_000)
        let process = try ChildProcess(
            executable: TestPaths.builtExecutable("ferry"),
            arguments: [
                "registry", "serve", "--port", String(port), "--sqlite",
                directory.appendingPathComponent("r.sqlite").path,
            ],
            mergeErrors: true
        )
        var body = ""
        for _ in 0..<100 {  // up to 10 s for the server to come up
            try await Task.sleep(for: .milliseconds(100))
            guard
                let (data, response) = try? await URLSession.shared.data(
                    from: URL(string: "http://127.0.0.1:\(port)/subjects")!
                ),
                (response as? HTTPURLResponse)?.statusCode == 200
            else { continue }
            body = String(decoding: data, as: UTF8.self)
            break
        }
        await process.stop()
        #expect(body == "[]")
        #expect(FileManager.default.fileExists(atPath: directory.appendingPathComponent("r.sqlite").path))
    }

    @Test("serve refuses two stores at once")
    func twoStores() async throws {
        let result = try await CommandLineTests.ferry([
            "registry", "serve", "--sqlite", "a", "--postgres", "postgres://x",
        ])
        #expect(result.status != 0)
        #expect(result.stderr.contains("not both"))
    }
}
