/// When a circuit breaker opens, how long it stays open, how it probes, and how many calls it lets
/// run at once (its bulkhead).
///
/// A breaker counts the outcomes of finished calls over a sliding ``window``. It opens when
/// ``consecutiveFailures`` calls in a row failed, or when at least ``minimumCalls`` calls finished
/// in the window and ``failureRatio`` of them failed. Open, it fails every call at once with
/// UNAVAILABLE for ``openDuration``; then it lets ``halfOpenProbes`` calls through: if they all
/// succeed it closes, if one fails it opens again. Only statuses in ``failureCodes`` count as
/// failures: an INVALID_ARGUMENT is the caller's fault, not a sign the server is down.
public struct CircuitBreakerPolicy: Sendable, Hashable {
    /// The share of failed calls in the window that opens the breaker, in 0...1. Default 0.5.
    public var failureRatio: Double
    /// Finished calls the window must hold before ``failureRatio`` is judged. Default 10.
    public var minimumCalls: Int
    /// How far back the window reaches (counted in ten slices). Default 10 seconds.
    public var window: Duration
    /// Failures in a row that open the breaker whatever the ratio; nil judges the ratio only.
    /// Default 5.
    public var consecutiveFailures: Int?
    /// How long the breaker stays open before probing. Default 5 seconds.
    public var openDuration: Duration
    /// Calls let through to probe a half-open breaker; all must succeed to close it. Default 1.
    public var halfOpenProbes: Int
    /// Statuses that count as failures. Default UNAVAILABLE, DEADLINE_EXCEEDED, INTERNAL, UNKNOWN,
    /// RESOURCE_EXHAUSTED and DATA_LOSS.
    public var failureCodes: Set<Status.Code>
    /// The bulkhead: calls running at once through this breaker, at most; more fail at once with
    /// RESOURCE_EXHAUSTED, so that a slow dependency cannot take every task and connection of the
    /// caller. Nil (the default) sets no limit.
    public var maxConcurrentCalls: Int?

    /// Creates a policy; every parameter defaults to the value documented on its property.
    public init(
        failureRatio: Double = 0.5,
        minimumCalls: Int = 10,
        window: Duration = .seconds(10),
        consecutiveFailures: Int? = 5,
        openDuration: Duration = .seconds(5),
        halfOpenProbes: Int = 1,
        failureCodes: Set<Status.Code> = [
            .unavailable, .deadlineExceeded, .internalError, .unknown, .resourceExhausted, .dataLoss,
        ],
        maxConcurrentCalls: Int? = nil
    ) {
        self.failureRatio = failureRatio
        self.minimumCalls = minimumCalls
        self.window = window
        self.consecutiveFailures = consecutiveFailures
        self.openDuration = openDuration
        self.halfOpenProbes = halfOpenProbes
        self.failureCodes = failureCodes
        self.maxConcurrentCalls = maxConcurrentCalls
    }
}

/// Where a circuit breaker stands.
public enum CircuitState: String, Sendable, Hashable {
    /// Calls go through; outcomes are counted.
    case closed
    /// Calls fail at once, until the open duration has passed.
    case open
    /// A few probe calls go through; the others fail at once.
    case halfOpen = "half-open"
}

/// A breaker changed state.
public struct CircuitBreakerEvent: Sendable, Hashable {
    /// The breaker's name: the service or method it guards, or `all calls` for the client's.
    public var breaker: String
    /// The state it left.
    public var from: CircuitState
    /// The state it entered.
    public var to: CircuitState
    /// Why, in words (`5 failures in a row`, `6 of 10 calls failed`, `probe succeeded`).
    public var reason: String
}
