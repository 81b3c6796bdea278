import FerryInteropTesting
import FerryRPC
import Synchronization
import Testing

/// The interop cases with Ferry on both ends, in process: the library the executables are built
/// from, checked without sockets or python.
@Suite("gRPC interop cases: Ferry client and Ferry server in process")
struct InProcessInteropTests {
    @Test("the Ferry client passes the case against the Ferry TestService", arguments: InteropTestCase.allCases)
    func ferryAgainstFerry(testCase: InteropTestCase) async throws {
        let transport = InProcessTransport()
        let server = RPCServer(transport: transport.server, services: [InteropTestService()])
        let client = RPCClient(transport: transport.client)
        let checks = Mutex<[String]>([])
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await server.serve() }
            defer { server.beginGracefulShutdown() }
            try await testCase.run(using: client) { line in checks.withLock { $0.append(line) } }
        }
        let checked = checks.withLock { $0 }
        #expect(!checked.isEmpty, "the case checked nothing")
    }

    @Test("a failed check names what was expected: the grpc.testing service answers UNIMPLEMENTED to everything")
    func failureMessage() async throws {
        let transport = InProcessTransport()
        let server = RPCServer(transport: transport.server, services: [])
        let client = RPCClient(transport: transport.client)
        await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await server.serve() }
            defer { server.beginGracefulShutdown() }
            let failure = await #expect(throws: InteropFailure.self) {
                try await InteropTestCase.largeUnary.run(using: client)
            }
            #expect(
                failure?.message.contains("UnaryCall failed with UNIMPLEMENTED") == true,
                "\(failure?.message ?? "")"
            )
        }
    }
}
