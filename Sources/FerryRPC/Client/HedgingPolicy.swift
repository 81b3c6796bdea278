/// How a call is hedged, as gRPC's retry design (proposal A6) defines it: the same request is sent
/// again, without waiting for the earlier attempts to fail, every ``hedgingDelay`` until one attempt
/// receives response headers (or a status that ends the call); that attempt wins and the others are
/// cancelled.
///
/// An attempt that fails with one of ``nonFatalStatusCodes`` makes the next hedged attempt start at
/// once; any other status ends the call. A server's `grpc-retry-pushback-ms` delays the next attempt
/// (a negative or malformed value stops hedging). Hedging and a ``RetryPolicy`` are exclusive.
public struct HedgingPolicy: Sendable, Hashable {
    /// The most attempts, the first one included; clamped to 2...5 as A6 requires.
    public var maxAttempts: Int {
        didSet { maxAttempts = min(max(maxAttempts, 2), 5) }
    }
    /// The time between the start of one attempt and the next. Zero sends all attempts at once.
    public var hedgingDelay: Duration
    /// The status codes after which hedging goes on; any other status is the call's result.
    public var nonFatalStatusCodes: Set<Status.Code>

    /// Creates a policy; `maxAttempts` is clamped to 2...5.
    public init(maxAttempts: Int, hedgingDelay: Duration = .zero, nonFatalStatusCodes: Set<Status.Code> = []) {
        self.maxAttempts = min(max(maxAttempts, 2), 5)
        self.hedgingDelay = max(.zero, hedgingDelay)
        self.nonFatalStatusCodes = nonFatalStatusCodes
    }
}
