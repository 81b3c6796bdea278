import FerryRPC
import RPCTestSupport
import Synchronization
import Testing

/// Records, under its name, every event of every call it observes; as an interceptor (when it is
/// not at the head of the list) it records `intercepted` and otherwise adds nothing.
struct RecordingObserver: ServerCallObserver {
    let name: String
    let probe: Probe
    var bindsTaskLocals = true

    final class Observation: ServerCallObservation {
        let name: String
        let probe: Probe

        init(name: String, probe: Probe) {
            self.name = name
            self.probe = probe
        }

        func messageReceived() { probe.record("\(name) received") }
        func messageSent() { probe.record("\(name) sent") }
        func callFinished(_ error: RPCError?) { probe.record("\(name) finished \(error?.code ?? .ok)") }

        func run<Result>(_ body: () async throws(RPCError) -> Result) async throws(RPCError) -> Result {
            do {
                return try await RecordingObserver.$current.withValue(name) { try await body() }
            } catch {
                throw RPCError(converting: error)
            }
        }
    }

    /// The innermost observation running the current task: what `run` binds, as a tracer would.
    @TaskLocal static var current: String?

    func callStarted(metadata: Metadata, context: ServerContext) -> any ServerCallObservation {
        probe.record("\(name) started \(context.descriptor.method) \(metadata.firstString(forKey: "who") ?? "-")")
        return Observation(name: name, probe: probe)
    }

    func intercept<Input: Sendable, Output: Sendable>(
        request: StreamingServerRequest<Input>,
        context: ServerContext,
        next: (StreamingServerRequest<Input>, ServerContext) async throws(RPCError) -> StreamingServerResponse<Output>
    ) async throws(RPCError) -> StreamingServerResponse<Output> {
        probe.record("\(name) intercepted")
        return try await next(request, context)
    }
}

/// Rejects calls to `Get` with "reject" in the request metadata, without calling the handler.
struct Rejecting: ServerInterceptor {
    func intercept<Input: Sendable, Output: Sendable>(
        request: StreamingServerRequest<Input>,
        context: ServerContext,
        next: (StreamingServerRequest<Input>, ServerContext) async throws(RPCError) -> StreamingServerResponse<Output>
    ) async throws(RPCError) -> StreamingServerResponse<Output> {
        if request.metadata.firstString(forKey: "reject") != nil {
            throw RPCError(code: .permissionDenied, message: "Rejected.")
        }
        return try await next(request, context)
    }
}

/// Records the status its `onFinish` sees.
struct FinishRecorder: ServerInterceptor {
    let probe: Probe

    func intercept<Input: Sendable, Output: Sendable>(
        request: StreamingServerRequest<Input>,
        context: ServerContext,
        next: (StreamingServerRequest<Input>, ServerContext) async throws(RPCError) -> StreamingServerResponse<Output>
    ) async throws(RPCError) -> StreamingServerResponse<Output> {
        let probe = self.probe
        return try await next(request, context).onFinish { outcome in
            switch outcome {
            case .success(let trailers):
                probe.record("onFinish OK")
                return trailers
            case .failure(let error):
                probe.record("onFinish failed")
                throw error
            }
        }
    }
}

/// A handler that answers only once its call is cancelled: its response headers cannot be sent.
struct LateService: RPCService {
    static let method = MethodDescriptor(service: "ferry.test.Late", method: "Late")
    let probe: Probe

    func registerMethods(with router: inout RPCRouter) {
        let probe = probe
        router.registerUnary(Self.method, deserializer: UTF8Coder(), serializer: UTF8Coder()) { _, _ in
            probe.record("handler started")
            // At most 10 s; a cancelled task's sleep returns at once.
            for _ in 0..<1000 where !Task.isCancelled { try? await Task.sleep(for: .milliseconds(10)) }
            return ServerResponse(message: "too late")
        }
    }
}

/// A service whose handler reports which observation it runs in.
struct WhereService: RPCService {
    static let method = MethodDescriptor(service: "ferry.test.Where", method: "Where")

    func registerMethods(with router: inout RPCRouter) {
        router.registerUnary(Self.method, deserializer: UTF8Coder(), serializer: UTF8Coder()) { _, _ in
            ServerResponse(message: RecordingObserver.current ?? "none")
        }
    }
}

@Suite("Server call observers: hooks instead of wrappers, the same events as an interceptor")
struct ServerCallObserverTests {
    func withServer<Result: Sendable>(
        _ interceptors: [any ServerInterceptor],
        maxResponseBytes: Int? = nil,
        probe: Probe = Probe(),
        _ body: @Sendable (RPCClient) async throws -> Result
    ) async throws -> Result {
        let transport =
            if let maxResponseBytes {
                InProcessTransport(messageLimits: ServerMessageLimits(maxResponseBytes: maxResponseBytes))
            } else {
                InProcessTransport()
            }
        let server = RPCServer(
            transport: transport.server,
            services: [EchoService(probe: Probe()), WhereService(), LateService(probe: probe)],
            interceptors: interceptors
        )
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await server.serve() }
            defer { server.beginGracefulShutdown() }
            return try await body(RPCClient(transport: transport.client))
        }
    }

    @Test("Unary and server-streaming calls: started with the metadata, each message, one end with the status")
    func events() async throws {
        let probe = Probe()
        try await withServer([RecordingObserver(name: "o", probe: probe)]) { client in
            var metadata = Metadata()
            metadata.addString("alice", forKey: "who")
            let answer = try await client.unary(
                request: ClientRequest(message: "hi", metadata: metadata),
                descriptor: Echo.get,
                serializer: UTF8Coder(),
                deserializer: UTF8Coder()
            )
            #expect(answer.message == "echo: hi")
            let words = try await client.serverStreaming(
                request: ClientRequest(message: "a b c"),
                descriptor: Echo.expand,
                serializer: UTF8Coder(),
                deserializer: UTF8Coder()
            ) { try await $0.messages.collect() }
            #expect(words == ["a", "b", "c"])
            await #expect(throws: RPCError.self) {
                try await client.unary(
                    request: ClientRequest(message: String(Status.Code.notFound.rawValue)),
                    descriptor: Echo.fail,
                    serializer: UTF8Coder(),
                    deserializer: UTF8Coder()
                )
            }
        }
        #expect(
            probe.events == [
                "o started Get alice", "o received", "o sent", "o finished OK",
                "o started Expand -", "o received", "o sent", "o sent", "o sent", "o finished OK",
                "o started Fail -", "o received", "o finished NOT_FOUND",
            ]
        )
    }

    @Test("Observers at the head are not run as interceptors; one behind another interceptor is")
    func placement() async throws {
        let probe = Probe()
        try await withServer(
            [
                RecordingObserver(name: "a", probe: probe), RecordingObserver(name: "b", probe: probe),
                Rejecting(), RecordingObserver(name: "c", probe: probe),
            ]
        ) { client in
            _ = try await client.unary(
                request: ClientRequest(message: "x"),
                descriptor: Echo.get,
                serializer: UTF8Coder(),
                deserializer: UTF8Coder()
            )
        }
        #expect(!probe.events.contains("a intercepted"))
        #expect(!probe.events.contains("b intercepted"))
        #expect(probe.events.contains("c intercepted"))
        #expect(!probe.events.contains { $0.hasPrefix("c started") })
        // Started in order, ended innermost first, as wrappers would.
        #expect(probe.events.first == "a started Get -")
        #expect(probe.events.dropFirst().first == "b started Get -")
        #expect(Array(probe.events.suffix(2)) == ["b finished OK", "a finished OK"])
    }

    @Test("A call an inner interceptor rejects ends with its status, having received nothing")
    func rejection() async throws {
        let probe = Probe()
        try await withServer([RecordingObserver(name: "o", probe: probe), Rejecting()]) { client in
            var metadata = Metadata()
            metadata.addString("yes", forKey: "reject")
            let error = await #expect(throws: RPCError.self) {
                try await client.unary(
                    request: ClientRequest(message: "x", metadata: metadata),
                    descriptor: Echo.get,
                    serializer: UTF8Coder(),
                    deserializer: UTF8Coder()
                )
            }
            #expect(error?.code == .permissionDenied)
        }
        #expect(probe.events == ["o started Get -", "o finished PERMISSION_DENIED"])
    }

    @Test("A response over the size limit: the observer sees the status the client gets, and no message sent")
    func responseLimit() async throws {
        let probe = Probe()
        try await withServer([RecordingObserver(name: "o", probe: probe)], maxResponseBytes: 4) { client in
            let error = await #expect(throws: RPCError.self) {
                try await client.unary(
                    request: ClientRequest(message: "longer than four"),
                    descriptor: Echo.get,
                    serializer: UTF8Coder(),
                    deserializer: UTF8Coder()
                )
            }
            #expect(error?.code == .resourceExhausted)
        }
        #expect(probe.events == ["o started Get -", "o received", "o finished RESOURCE_EXHAUSTED"])
    }

    @Test("The handler runs inside the observations' run, the first outermost, so task-locals reach it")
    func runBindsTaskLocals() async throws {
        let probe = Probe()
        let answer = try await whereRuns(
            [RecordingObserver(name: "outer", probe: probe), RecordingObserver(name: "inner", probe: probe)]
        )
        #expect(answer == "inner")
    }

    /// Which observation's `run` the handler ran inside ("none" for none), with `observers`.
    func whereRuns(_ observers: [RecordingObserver]) async throws -> String {
        try await withServer(observers) { client in
            try await client.unary(
                request: ClientRequest(message: ""),
                descriptor: WhereService.method,
                serializer: UTF8Coder(),
                deserializer: UTF8Coder()
            ).message
        }
    }

    @Test("Observers that bind no task-locals are not asked to run the handler; one that binds still is")
    func runSkippedWhenNothingBinds() async throws {
        let probe = Probe()
        #expect(try await whereRuns([RecordingObserver(name: "quiet", probe: probe, bindsTaskLocals: false)]) == "none")
        #expect(
            try await whereRuns([
                RecordingObserver(name: "quiet", probe: probe, bindsTaskLocals: false),
                RecordingObserver(name: "binding", probe: probe),
            ]) == "binding"
        )
        #expect(probe.events.filter { $0.hasSuffix("finished OK") }.count == 3)
    }

    @Test("A response whose headers cannot be sent (the client left) still ends the observation and onFinish")
    func abandonedResponse() async throws {
        let probe = Probe()
        try await withServer(
            [RecordingObserver(name: "o", probe: probe), FinishRecorder(probe: probe)],
            probe: probe
        ) { client in
            let call = Task {
                try await client.unary(
                    request: ClientRequest(message: ""),
                    descriptor: LateService.method,
                    serializer: UTF8Coder(),
                    deserializer: UTF8Coder()
                )
            }
            try await waitUntil { probe.events.contains("handler started") }
            call.cancel()
            _ = await call.result
            try await waitUntil { probe.events.contains { $0.hasPrefix("o finished") } }
        }
        #expect(probe.events.contains("onFinish failed"))
        #expect(!probe.events.contains("onFinish OK"))
        #expect(probe.events.filter { $0.hasPrefix("o finished") }.count == 1)
        #expect(!probe.events.contains("o finished OK"))
    }
}
