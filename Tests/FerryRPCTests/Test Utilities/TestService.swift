import FerryRPC
import Synchronization

/// Serializes strings as UTF-8, so tests can read what crosses the transport.
struct UTF8Coder: MessageSerializer, MessageDeserializer {
    func serialize(_ message: String) throws(RPCError) -> [UInt8] { Array(message.utf8) }
    func deserialize(_ bytes: [UInt8]) throws(RPCError) -> String { String(decoding: bytes, as: UTF8.self) }
}

/// Records things handlers observe, for assertions.
final class Probe: Sendable {
    private let state = Mutex<[String]>([])
    func record(_ event: String) { state.withLock { $0.append(event) } }
    var events: [String] { state.withLock { $0 } }
    func count(_ event: String) -> Int { events.filter { $0 == event }.count }
}

enum Echo {
    static let service = "ferry.test.Echo"
    static let get = MethodDescriptor(service: service, method: "Get")
    static let expand = MethodDescriptor(service: service, method: "Expand")
    static let collect = MethodDescriptor(service: service, method: "Collect")
    static let update = MethodDescriptor(service: service, method: "Update")
    static let sleep = MethodDescriptor(service: service, method: "Sleep")
    static let flaky = MethodDescriptor(service: service, method: "Flaky")
    static let fail = MethodDescriptor(service: service, method: "Fail")
    static let relay = MethodDescriptor(service: service, method: "Relay")
    static let hasDeadline = MethodDescriptor(service: service, method: "HasDeadline")
}

/// A service with one method per behaviour under test.
struct EchoService: RPCService {
    let probe: Probe
    /// How many times `Flaky` fails with UNAVAILABLE before it succeeds.
    var flakyFailures = 2
    /// Used by `Relay` to call `HasDeadline` from inside a handler.
    var relayClient: RPCClient?

    func registerMethods(with router: inout RPCRouter) {
        let probe = self.probe
        let flakyFailures = self.flakyFailures
        let relayClient = self.relayClient
        router.registerUnary(Echo.get, deserializer: UTF8Coder(), serializer: UTF8Coder()) { request, _ in
            var trailers: Metadata = ["trailer-key": "trailer-value"]
            trailers.addBinary([0, 1, 2, 255], forKey: "trailer-bin")
            var headers: Metadata = [:]
            for element in request.metadata where element.key.hasPrefix("echo-") {
                headers.add(element.value, forKey: element.key)
            }
            return ServerResponse(message: "echo: " + request.message, metadata: headers, trailingMetadata: trailers)
        }
        router.registerServerStreaming(Echo.expand, deserializer: UTF8Coder(), serializer: UTF8Coder()) { request, _ in
            StreamingServerResponse { writer in
                for word in request.message.split(separator: " ") {
                    try await writer.write(String(word))
                }
                return [:]
            }
        }
        router.registerClientStreaming(Echo.collect, deserializer: UTF8Coder(), serializer: UTF8Coder()) { request, _ in
            var parts: [String] = []
            for try await message in request.messages { parts.append(message) }
            return ServerResponse(message: parts.joined(separator: " "))
        }
        router.registerBidirectionalStreaming(Echo.update, deserializer: UTF8Coder(), serializer: UTF8Coder()) { request, _ in
            StreamingServerResponse { writer in
                for try await message in request.messages {
                    try await writer.write(message.uppercased())
                }
                return ["count": "done"]
            }
        }
        router.registerServerStreaming(Echo.sleep, deserializer: UTF8Coder(), serializer: UTF8Coder()) { request, context in
            probe.record("sleep-started")
            if context.deadline != nil { probe.record("sleep-has-deadline") }
            return StreamingServerResponse { writer in
                do {
                    try await writer.write("first")
                    try await Task.sleep(for: .seconds(30))
                } catch {
                    probe.record("sleep-cancelled")
                    throw error
                }
                return [:]
            }
        }
        router.registerUnary(Echo.flaky, deserializer: UTF8Coder(), serializer: UTF8Coder()) { request, _ in
            let previous = request.metadata.firstString(forKey: "grpc-previous-rpc-attempts") ?? "none"
            probe.record("flaky-attempt previous=\(previous)")
            if probe.events.filter({ $0.hasPrefix("flaky-attempt") }).count <= flakyFailures {
                throw RPCError(code: .unavailable, message: "try again")
            }
            return ServerResponse(message: "finally")
        }
        router.registerUnary(Echo.fail, deserializer: UTF8Coder(), serializer: UTF8Coder()) { request, _ in
            probe.record("fail-attempt")
            if request.message == "plain" { throw PlainError() }
            let code = Status.Code(rawValue: Int(request.message) ?? 2) ?? .unknown
            throw RPCError(code: code, message: "failed with \(code) ✓ 100%", metadata: ["why": "asked"])
        }
        router.registerUnary(Echo.hasDeadline, deserializer: UTF8Coder(), serializer: UTF8Coder()) { _, context in
            ServerResponse(message: context.deadline == nil ? "no deadline" : "has deadline")
        }
        router.registerUnary(Echo.relay, deserializer: UTF8Coder(), serializer: UTF8Coder()) { request, _ in
            guard let relayClient else { throw RPCError(code: .failedPrecondition, message: "no relay client") }
            let inner = try await relayClient.unary(
                request: ClientRequest(message: request.message), descriptor: Echo.hasDeadline,
                serializer: UTF8Coder(), deserializer: UTF8Coder(),
                options: CallOptions(inheritsDeadline: request.message != "detach")
            )
            return ServerResponse(message: inner.message)
        }
    }
}

struct PlainError: Error {}

/// A timer that sleeps until a deadline alongside a test, to tell how late the machine runs timers.
///
/// Other test suites run at the same time on the same 2-core cooperative pool and can hold it for many
/// seconds; timing assertions compare against this control instead of the wall clock alone.
struct ControlTimer: Sendable {
    let deadline: ContinuousClock.Instant
    private let task: Task<ContinuousClock.Instant, Never>

    init(deadline: ContinuousClock.Instant) {
        self.deadline = deadline
        task = Task {
            try? await Task.sleep(until: deadline, clock: .continuous)
            return .now
        }
    }

    /// When the control timer actually woke.
    var wokeAt: ContinuousClock.Instant { get async { await task.value } }

    /// Whether timers ran roughly on time (less than 500 ms late) during the test.
    var ranOnTime: Bool { get async { await wokeAt - deadline < .milliseconds(500) } }
}

/// Runs a server and a client over one in-process transport for the duration of `body`.
func withInProcessPair<Result: Sendable>(
    services: (RPCClient) -> [any RPCService],
    serviceConfig: ServiceConfig = ServiceConfig(),
    maxMessageBytes: Int = CallOptions.defaultMaxMessageBytes,
    _ body: @Sendable (RPCClient) async throws -> Result
) async throws -> Result {
    let transport = InProcessTransport()
    let client = RPCClient(transport: transport.client, serviceConfig: serviceConfig)
    let server = RPCServer(
        transport: transport.server,
        services: services(client),
        maxRequestMessageBytes: maxMessageBytes,
        maxResponseMessageBytes: maxMessageBytes
    )
    return try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { try await server.serve() }
        group.addTask { try await client.runConnections() }
        defer {
            server.beginGracefulShutdown()
            client.beginGracefulShutdown()
        }
        return try await body(client)
    }
}
