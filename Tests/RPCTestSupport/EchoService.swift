// Shared by FerryRPCTests (in-process transport) and FerryHTTP2Tests (HTTP/2 on loopback): one
// service whose methods exercise each behaviour, so both transports are held to the same cases.
public import FerryRPC
import Synchronization

/// Serializes strings as UTF-8, so tests can read what crosses the transport.
public struct UTF8Coder: MessageSerializer, MessageDeserializer {
    public init() {}
    public func serialize(_ message: String) throws(RPCError) -> [UInt8] { Array(message.utf8) }
    public func deserialize(_ bytes: [UInt8]) throws(RPCError) -> String { String(decoding: bytes, as: UTF8.self) }
}

/// Records things handlers observe, for assertions.
public final class Probe: Sendable {
    private let state = Mutex<[String]>([])
    public init() {}
    public func record(_ event: String) { state.withLock { $0.append(event) } }
    public var events: [String] { state.withLock { $0 } }
    public func count(_ event: String) -> Int { events.filter { $0 == event }.count }
}

public enum Echo {
    public static let service = "ferry.test.Echo"
    public static let get = MethodDescriptor(service: service, method: "Get")
    public static let expand = MethodDescriptor(service: service, method: "Expand")
    public static let collect = MethodDescriptor(service: service, method: "Collect")
    public static let update = MethodDescriptor(service: service, method: "Update")
    public static let sleep = MethodDescriptor(service: service, method: "Sleep")
    public static let flaky = MethodDescriptor(service: service, method: "Flaky")
    public static let fail = MethodDescriptor(service: service, method: "Fail")
    public static let relay = MethodDescriptor(service: service, method: "Relay")
    public static let hasDeadline = MethodDescriptor(service: service, method: "HasDeadline")
    public static let hedge = MethodDescriptor(service: service, method: "Hedge")
}

/// A service with one method per behaviour under test.
public struct EchoService: RPCService {
    public let probe: Probe
    /// How many times `Flaky` fails with UNAVAILABLE before it succeeds.
    public var flakyFailures = 2
    /// Used by `Relay` to call `HasDeadline` from inside a handler.
    public var relayClient: RPCClient?

    public init(probe: Probe, flakyFailures: Int = 2, relayClient: RPCClient? = nil) {
        self.probe = probe
        self.flakyFailures = flakyFailures
        self.relayClient = relayClient
    }

    public func registerMethods(with router: inout RPCRouter) {
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
        router.registerBidirectionalStreaming(Echo.update, deserializer: UTF8Coder(), serializer: UTF8Coder()) {
            request,
            _ in
            StreamingServerResponse { writer in
                for try await message in request.messages {
                    try await writer.write(message.uppercased())
                }
                return ["count": "done"]
            }
        }
        router.registerServerStreaming(Echo.sleep, deserializer: UTF8Coder(), serializer: UTF8Coder()) {
            request,
            context in
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
            var error = RPCError(code: code, message: "failed with \(code) ✓ 100%", metadata: ["why": "asked"])
            error.statusDetails = [0x08, UInt8(code.rawValue)]
            throw error
        }
        // The first attempt hangs until cancelled; later (hedged or retried) attempts answer at once.
        router.registerUnary(Echo.hedge, deserializer: UTF8Coder(), serializer: UTF8Coder()) { request, _ in
            let previous = request.metadata.firstString(forKey: "grpc-previous-rpc-attempts") ?? "0"
            probe.record("hedge-attempt \(previous)")
            guard previous == "0" else { return ServerResponse(message: "answer from attempt \(previous)") }
            do {
                try await Task.sleep(for: .seconds(60))
            } catch {
                probe.record("hedge-cancelled \(previous)")
                throw error
            }
            return ServerResponse(message: "answer from attempt 0")
        }
        router.registerUnary(Echo.hasDeadline, deserializer: UTF8Coder(), serializer: UTF8Coder()) { _, context in
            ServerResponse(message: context.deadline == nil ? "no deadline" : "has deadline")
        }
        router.registerUnary(Echo.relay, deserializer: UTF8Coder(), serializer: UTF8Coder()) { request, _ in
            guard let relayClient else { throw RPCError(code: .failedPrecondition, message: "no relay client") }
            let inner = try await relayClient.unary(
                request: ClientRequest(message: request.message),
                descriptor: Echo.hasDeadline,
                serializer: UTF8Coder(),
                deserializer: UTF8Coder(),
                options: CallOptions(inheritsDeadline: request.message != "detach")
            )
            return ServerResponse(message: inner.message)
        }
    }
}

public struct PlainError: Error {
    public init() {}
}

/// A timer that sleeps until a deadline alongside a test, to tell whether the machine ran tasks on
/// time.
///
/// Other test suites run at the same time on the same 2-core cooperative pool and can hold it for many
/// seconds; a test checks what depends on timely scheduling only when this control ran on time.
public struct ControlTimer: Sendable {
    public let deadline: ContinuousClock.Instant
    fileprivate struct Ticks {
        var wokeAt: ContinuousClock.Instant?
        var longestStall = Duration.zero
    }
    private let ticks = TickBox()
    /// Ends when the timer has woken at the deadline.
    private let woke: Task<ContinuousClock.Instant, Never>

    public init(deadline: ContinuousClock.Instant) {
        self.deadline = deadline
        let ticks = self.ticks
        self.woke = Task {
            // Ticks every 50 ms until the deadline, so a pool starved by other suites at any point
            // before it, not only at the deadline, shows up as a long gap between ticks.
            var last = ContinuousClock.now
            while ticks.withLock({ $0.wokeAt == nil }) {
                try? await Task.sleep(until: min(deadline, last.advanced(by: .milliseconds(50))), clock: .continuous)
                let now = ContinuousClock.now
                ticks.withLock { ticks in
                    ticks.longestStall = max(ticks.longestStall, now - last)
                    if now >= deadline { ticks.wokeAt = now }
                }
                last = now
            }
            return last
        }
    }

    /// When the control timer actually woke.
    public var wokeAt: ContinuousClock.Instant { get async { await woke.value } }

    /// Whether tasks ran roughly on time until the deadline: the timer woke less than 500 ms late
    /// and no tick came more than 500 ms after the one before.
    public var ranOnTime: Bool {
        get async {
            let woke = await wokeAt
            return woke - deadline < .milliseconds(500) && ticks.withLock { $0.longestStall } < .milliseconds(500)
        }
    }
}

/// The control timer's ticks, shared by its tasks.
private final class TickBox: Sendable {
    private let mutex = Mutex(ControlTimer.Ticks())

    func withLock<Result: Sendable>(_ body: (inout sending ControlTimer.Ticks) -> sending Result) -> sending Result {
        mutex.withLock(body)
    }
}
