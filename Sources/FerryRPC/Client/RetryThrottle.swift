import Synchronization

/// The service config's `retryThrottling`: the token bucket's size and refill per success (A6).
public struct RetryThrottlingPolicy: Sendable, Hashable {
    /// The bucket's size, in 1...1000; retries stop while at most half of it is left.
    public var maxTokens: Int
    /// Tokens added by each successful call, > 0, kept to three decimal places.
    public var tokenRatio: Double

    /// Creates a policy; `maxTokens` is clamped to 1...1000 and `tokenRatio` to at least 0.001.
    public init(maxTokens: Int, tokenRatio: Double) {
        self.maxTokens = min(max(maxTokens, 1), 1000)
        self.tokenRatio = max(0.001, tokenRatio)
    }
}

/// Keeps a channel's retries and hedged attempts from multiplying the load on a failing server
/// (gRPC A6's retry throttling).
///
/// Every attempt that fails with a retryable (or non-fatal) status, or whose server pushes back,
/// takes one token; every successful call gives back ``RetryThrottlingPolicy/tokenRatio``. While at
/// most half of ``RetryThrottlingPolicy/maxTokens`` is left, no retry or hedged attempt starts.
/// Tokens are counted in thousandths, as A6 prescribes three decimal places.
public final class RetryThrottle: Sendable {
    /// The policy this throttle enforces.
    public let policy: RetryThrottlingPolicy
    private let maxMilliTokens: Int
    private let ratioMilliTokens: Int
    private let milliTokens: Atomic<Int>

    /// Creates a full bucket.
    public init(policy: RetryThrottlingPolicy) {
        self.policy = policy
        maxMilliTokens = policy.maxTokens * 1000
        ratioMilliTokens = Int((policy.tokenRatio * 1000).rounded())
        milliTokens = Atomic(policy.maxTokens * 1000)
    }

    /// The tokens left.
    public var tokens: Double { Double(milliTokens.load(ordering: .relaxed)) / 1000 }

    /// Whether a retry or hedged attempt may start now.
    public var isRetryPermitted: Bool {
        milliTokens.load(ordering: .relaxed) * 2 > maxMilliTokens
    }

    /// An attempt failed with a retryable or non-fatal status: one token less (not below zero).
    public func recordFailure() {
        update { max(0, $0 - 1000) }
    }

    /// A call succeeded: ``RetryThrottlingPolicy/tokenRatio`` tokens more (not above the maximum).
    public func recordSuccess() {
        update { min(maxMilliTokens, $0 + ratioMilliTokens) }
    }

    private func update(_ change: (Int) -> Int) {
        var current = milliTokens.load(ordering: .relaxed)
        while true {
            let (exchanged, original) = milliTokens.compareExchange(
                expected: current,
                desired: change(current),
                ordering: .relaxed
            )
            if exchanged { return }
            current = original
        }
    }
}
