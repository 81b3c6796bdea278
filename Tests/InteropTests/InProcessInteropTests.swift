import FerryInteropTesting
import FerryRPC
import RPCTestSupport
import Synchronization
import Testing

/// The interop cases with Ferry on both ends, in process: the library the executables are built
/// from, checked without sockets or python.
@Suite("gRPC interop cases: Ferry client and Ferry server in process")
struct InProcessInteropTests {
    @Test("the Ferry client passes the case against the Ferry TestService", arguments: InteropTestCase.allCases)
    func ferryAgainstFerry(testCase: InteropTestCase) async throws {
        // Every call of a case has a 60 s deadline against a broken peer. Here both ends run in
        // this process, so the deadlines sit on a clock that never moves and a loaded machine
        // cannot fail a case by running it slowly; timeout_on_sleeping_server needs its 1 ms
        // deadline to pass, so it keeps the real clock.
        let clock: any RPCClock =
            testCase == .timeoutOnSleepingServer ? SystemRPCClock() as any RPCClock : ManualClock()
        let transport = InProcessTransport(clock: clock)
        let server = RPCServer(transport: transport.server, services: [InteropTestService()])
        let client = RPCClient(transport: transport.client, clock: clock)
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
        // The case's 60 s deadline on a clock that never moves: a loaded run cannot turn the
        // UNIMPLEMENTED this test is about into DEADLINE_EXCEEDED.
        let clock = ManualClock()
        let transport = InProcessTransport(clock: clock)
        let server = RPCServer(transport: transport.server, services: [])
        let client = RPCClient(transport: transport.client, clock: clock)
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
