/// How ``HTTPRegistryClient`` retries a request that failed for a reason that may pass: no answer
/// (``RegistryError/Code/transportError``), HTTP 429, or a 5xx answer.
///
/// Waits grow exponentially from ``initialBackoff`` by ``multiplier`` up to ``maxBackoff``, each
/// shortened by a random part of up to ``jitter`` of itself so that many clients do not retry in
/// step. DELETE is never retried: a second delete of what the first one deleted fails.
public struct RegistryRetryPolicy: Sendable, Hashable {
    /// Attempts in all, the first included; 1 turns retries off.
    public var maxAttempts: Int
    /// The wait before the second attempt.
    public var initialBackoff: Duration
    /// The longest wait between two attempts.
    public var maxBackoff: Duration
    /// How much each wait grows.
    public var multiplier: Double
    /// The largest share of a wait that is randomly taken off it (0 to 1).
    public var jitter: Double

    /// A policy; the defaults (3 attempts, 100 ms then 200 ms, jitter 0.2) ride out a registry
    /// restart without holding a producer for long.
    public init(
        maxAttempts: Int = 3,
        initialBackoff: Duration = .milliseconds(100),
        maxBackoff: Duration = .seconds(2),
        multiplier: Double = 2,
        jitter: Double = 0.2
    ) {
        self.maxAttempts = max(1, maxAttempts)
        self.initialBackoff = initialBackoff
        self.maxBackoff = maxBackoff
        self.multiplier = multiplier
        self.jitter = min(max(jitter, 0), 1)
    }

    /// No retries.
    public static let none = RegistryRetryPolicy(maxAttempts: 1)

    /// The wait after failed attempt `attempt` (1-based), with `random` in 0..<1 choosing the jitter.
    public func backoff(after attempt: Int, random: Double) -> Duration {
        var wait = Double(initialBackoff.components.seconds) + Double(initialBackoff.components.attoseconds) / 1e18
        let cap = Double(maxBackoff.components.seconds) + Double(maxBackoff.components.attoseconds) / 1e18
        for _ in 1..<max(1, attempt) { wait = min(wait * multiplier, cap) }
        wait = min(wait, cap) * (1 - jitter * random)
        return .nanoseconds(Int64(wait * 1e9))
    }

    /// Whether a request may be tried again after failing with `status` (nil: no answer came).
    static func isRetryable(method: String, status: Int?) -> Bool {
        guard method != "DELETE" else { return false }
        guard let status else { return true }
        return status == 429 || (500..<600).contains(status)
    }
}
