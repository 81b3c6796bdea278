/// A server interceptor that only watches calls (to log, measure or trace them) and changes
/// nothing, so the server can run it without wrapping the call.
///
/// Observers at the head of a method's interceptor list (before any other interceptor, as
/// observability usually is) are not run through ``ServerInterceptor/intercept(request:context:next:)``.
/// ``RPCServer`` asks each for an observation when the call starts and tells it of each message
/// and of the end from the code that already decodes the requests and encodes the responses:
/// no closures, request or response wrappers or extra task frames per call. An observer placed
/// after another interceptor runs as an ordinary interceptor, so what it sees is the same either
/// way: the request metadata as it arrived, every message decoded and sent, and the status the
/// client gets.
public protocol ServerCallObserver: ServerInterceptor {
    /// Starts observing one call, given its request metadata and context.
    func callStarted(metadata: Metadata, context: ServerContext) -> any ServerCallObservation

    /// Whether this observer's observations bind task-local values in
    /// ``ServerCallObservation/run(_:)``. When no observer of a method does, the server skips
    /// `run` and its frames. Read once, when the server is built; the default is true.
    var bindsTaskLocals: Bool { get }
}

extension ServerCallObserver {
    /// True: the server runs the handler through the observations' `run`.
    public var bindsTaskLocals: Bool { true }
}

/// One call seen by a ``ServerCallObserver``: the server reports each event exactly as it
/// happens, from the call's task.
public protocol ServerCallObservation: Sendable {
    /// A request message was decoded.
    func messageReceived()
    /// A response message was encoded and handed to the transport.
    func messageSent()
    /// The call ended, once: with nil when the handler returned its trailers (OK), else with the
    /// error the client gets (the handler's, an interceptor's, or the transport's when the response
    /// could not be sent).
    func callFinished(_ error: RPCError?)
    /// Runs `body`, which is the rest of the call: once for the handler (and inner interceptors),
    /// once for its response producer. Bind task-local values here, such as a trace span's
    /// context, so that calls the handler makes see them; the default runs `body` as it is.
    func run<Result>(_ body: () async throws(RPCError) -> Result) async throws(RPCError) -> Result
}

extension ServerCallObservation {
    /// Runs `body` with nothing bound.
    public func run<Result>(_ body: () async throws(RPCError) -> Result) async throws(RPCError) -> Result {
        try await body()
    }
}

/// The observations of one call, one per observer of its method. One observer is the common case,
/// kept apart so that a call allocates no array for it.
@usableFromInline
struct ServerCallObservations: Sendable {
    private let first: any ServerCallObservation
    private let rest: [any ServerCallObservation]

    /// Starts an observation with each of `observers` (not empty), in order.
    @usableFromInline
    init?(_ observers: [any ServerCallObserver], metadata: Metadata, context: ServerContext) {
        guard let head = observers.first else { return nil }
        first = head.callStarted(metadata: metadata, context: context)
        rest = observers.dropFirst().map { $0.callStarted(metadata: metadata, context: context) }
    }

    @usableFromInline
    func messageReceived() {
        first.messageReceived()
        for observation in rest { observation.messageReceived() }
    }

    @usableFromInline
    func messageSent() {
        first.messageSent()
        for observation in rest { observation.messageSent() }
    }

    /// Reports the end, innermost observer first (as interceptors' `onFinish` would see it).
    @usableFromInline
    func callFinished(_ error: RPCError?) {
        for observation in rest.reversed() { observation.callFinished(error) }
        first.callFinished(error)
    }

    /// Runs `body` inside every observation's ``ServerCallObservation/run(_:)``, the first outermost.
    @usableFromInline
    func run<Result>(_ body: () async throws(RPCError) -> Result) async throws(RPCError) -> Result {
        if rest.isEmpty { return try await first.run(body) }
        return try await first.run { () async throws(RPCError) -> Result in try await Self.nest(rest[...], body) }
    }

    private static func nest<Result>(
        _ observations: ArraySlice<any ServerCallObservation>,
        _ body: () async throws(RPCError) -> Result
    ) async throws(RPCError) -> Result {
        guard let next = observations.first else { return try await body() }
        return try await next.run { () async throws(RPCError) -> Result in
            try await nest(observations.dropFirst(), body)
        }
    }
}
