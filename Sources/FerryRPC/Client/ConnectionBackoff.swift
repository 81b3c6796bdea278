/// How long a channel waits between attempts to connect to an address, as gRPC's connection
/// backoff specification (doc/connection-backoff.md) defines it.
///
/// The first attempt may take up to ``initialBackoff`` (at least ``minConnectTimeout``). After a
/// failed attempt the channel waits until that attempt's deadline, grows the backoff by
/// ``multiplier`` up to ``maxBackoff`` and randomizes it by ±``jitter``. A connection that becomes
/// ready resets the schedule. The defaults are the specification's.
public struct ConnectionBackoff: Sendable, Hashable {
    /// The first backoff. Default 1 s.
    public var initialBackoff: Duration
    /// How much the backoff grows after each failed attempt. Default 1.6.
    public var multiplier: Double
    /// The fraction by which each backoff after the first is randomized either way. Default 0.2.
    public var jitter: Double
    /// The largest backoff. Default 120 s.
    public var maxBackoff: Duration
    /// The least time one connection attempt is given. Default 20 s.
    public var minConnectTimeout: Duration

    /// Creates a backoff configuration; values out of range are clamped (backoffs ≥ 0, multiplier
    /// ≥ 1, jitter in 0...1).
    public init(
        initialBackoff: Duration = .seconds(1),
        multiplier: Double = 1.6,
        jitter: Double = 0.2,
        maxBackoff: Duration = .seconds(120),
        minConnectTimeout: Duration = .seconds(20)
    ) {
        self.initialBackoff = max(.zero, initialBackoff)
        self.multiplier = max(1, multiplier)
        self.jitter = min(max(0, jitter), 1)
        self.maxBackoff = max(self.initialBackoff, maxBackoff)
        self.minConnectTimeout = max(.zero, minConnectTimeout)
    }

    /// The schedule of one run of attempts, from the first attempt to a ready connection.
    public struct Schedule: Sendable {
        /// One connection attempt: how long it may take and when the next one may start.
        public struct Attempt: Sendable, Hashable {
            /// The attempt's connect timeout: max(the backoff deadline, ``minConnectTimeout``).
            public var connectTimeout: Duration
            /// The instant before which the next attempt must not start.
            public var nextAttemptAt: ContinuousClock.Instant
        }

        private let backoff: ConnectionBackoff
        private var current: Duration?

        init(_ backoff: ConnectionBackoff) {
            self.backoff = backoff
        }

        /// Plans the next attempt starting at `now`; `random` returns a value in 0..<1 (injectable
        /// so tests see exact schedules).
        public mutating func nextAttempt(
            now: ContinuousClock.Instant,
            random: () -> Double = { Double.random(in: 0..<1) }
        ) -> Attempt {
            let wait: Duration
            if let current {
                let grown = min(
                    RetryPolicy.seconds(current) * backoff.multiplier,
                    RetryPolicy.seconds(backoff.maxBackoff)
                )
                self.current = .nanoseconds(Int64((grown * 1e9).rounded()))
                let spread = backoff.jitter * grown
                wait = .nanoseconds(Int64((max(0, grown - spread + 2 * spread * random()) * 1e9).rounded()))
            } else {
                current = backoff.initialBackoff
                wait = backoff.initialBackoff
            }
            return Attempt(connectTimeout: max(wait, backoff.minConnectTimeout), nextAttemptAt: now.advanced(by: wait))
        }
    }

    /// A new schedule, starting from ``initialBackoff``.
    public func schedule() -> Schedule {
        Schedule(self)
    }
}
