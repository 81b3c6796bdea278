/// Per-call settings: deadline, wait-for-ready, message size limits, retry or hedging policy and
/// compression.
///
/// Every property is optional: nil means "use the method's service config, else the default".
/// Request metadata travels with the request (``ClientRequest/metadata``), not here.
public struct CallOptions: Sendable, Hashable {
    /// The longest the call may take, counted from when it starts. Sent as `grpc-timeout`.
    public var timeout: Duration?
    /// The instant by which the call must finish. When both a timeout and a deadline are set, the
    /// earlier one wins.
    public var deadline: ContinuousClock.Instant?
    /// The largest request message this client sends; larger ones fail with RESOURCE_EXHAUSTED.
    /// Default 4 MiB.
    public var maxRequestMessageBytes: Int?
    /// The largest response message this client accepts; larger ones fail the call with
    /// RESOURCE_EXHAUSTED. Default 4 MiB.
    public var maxResponseMessageBytes: Int?
    /// How failed attempts are retried; nil uses the service config's policy (if any). Setting it
    /// here overrides a hedging policy from the service config.
    public var retryPolicy: RetryPolicy?
    /// How the call is hedged; nil uses the service config's policy (if any). Setting it here
    /// overrides a retry policy from the service config; setting both here hedges.
    public var hedgingPolicy: HedgingPolicy?
    /// Whether the call waits for a ready connection (until its deadline) while the channel is in
    /// TRANSIENT_FAILURE, instead of failing fast with UNAVAILABLE; nil uses the service config's
    /// `waitForReady`, else false.
    public var waitForReady: Bool?
    /// Whether a call made inside a server handler inherits the handler's remaining deadline.
    /// Default true.
    public var inheritsDeadline: Bool
    /// The encoding of the request messages (`grpc-encoding`); nil or ``CompressionAlgorithm/identity``
    /// sends them uncompressed (the default). A server that has not enabled it answers UNIMPLEMENTED.
    public var compression: CompressionAlgorithm?

    /// The default size limit of one message in either direction: 4 MiB.
    public static let defaultMaxMessageBytes = 4 * 1024 * 1024

    /// Options that defer everything to the service config and defaults.
    public static let defaults = CallOptions()

    /// Creates options.
    public init(
        timeout: Duration? = nil,
        deadline: ContinuousClock.Instant? = nil,
        maxRequestMessageBytes: Int? = nil,
        maxResponseMessageBytes: Int? = nil,
        retryPolicy: RetryPolicy? = nil,
        hedgingPolicy: HedgingPolicy? = nil,
        waitForReady: Bool? = nil,
        inheritsDeadline: Bool = true,
        compression: CompressionAlgorithm? = nil
    ) {
        self.timeout = timeout
        self.deadline = deadline
        self.maxRequestMessageBytes = maxRequestMessageBytes
        self.maxResponseMessageBytes = maxResponseMessageBytes
        self.retryPolicy = retryPolicy
        self.hedgingPolicy = hedgingPolicy
        self.waitForReady = waitForReady
        self.inheritsDeadline = inheritsDeadline
        self.compression = compression
    }
}

/// How a call is retried, as gRPC's retry design (proposal A6) defines it.
///
/// An attempt that fails with one of ``retryableStatusCodes`` before any response headers arrived is
/// tried again after a randomized exponential backoff, at most ``maxAttempts`` times in all (the
/// first attempt included) and never past the call's deadline.
public struct RetryPolicy: Sendable, Hashable {
    /// The maximum number of attempts, the first one included; clamped to 2...5 as A6 requires.
    public var maxAttempts: Int {
        didSet { maxAttempts = min(max(maxAttempts, 2), 5) }
    }
    /// The upper bound of the delay before the first retry.
    public var initialBackoff: Duration
    /// The largest upper bound of any delay.
    public var maxBackoff: Duration
    /// How much the upper bound grows after each retry (> 0).
    public var backoffMultiplier: Double
    /// The status codes that make an attempt retryable.
    public var retryableStatusCodes: Set<Status.Code>

    /// Creates a policy; `maxAttempts` is clamped to 2...5.
    public init(
        maxAttempts: Int,
        initialBackoff: Duration,
        maxBackoff: Duration,
        backoffMultiplier: Double,
        retryableStatusCodes: Set<Status.Code>
    ) {
        self.maxAttempts = min(max(maxAttempts, 2), 5)
        self.initialBackoff = initialBackoff
        self.maxBackoff = maxBackoff
        self.backoffMultiplier = backoffMultiplier
        self.retryableStatusCodes = retryableStatusCodes
    }

    /// The randomized delay before retry number `retry` (1 for the first retry): uniform in
    /// `0 ..< min(initialBackoff * multiplier^(retry-1), maxBackoff)`.
    public func backoff(beforeRetry retry: Int) -> Duration {
        let initial = Self.seconds(initialBackoff)
        let ceiling = min(initial * pow(backoffMultiplier, retry - 1), Self.seconds(maxBackoff))
        guard ceiling > 0 else { return .zero }
        return .nanoseconds(Int64(Double.random(in: 0..<ceiling) * 1e9))
    }

    static func seconds(_ duration: Duration) -> Double {
        let parts = duration.components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }

    private func pow(_ base: Double, _ exponent: Int) -> Double {
        var result = 1.0
        for _ in 0..<max(0, exponent) { result *= base }
        return result
    }
}
