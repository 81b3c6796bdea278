/// The state of a channel or one of its subchannels, as gRPC defines it
/// (doc/connectivity-semantics-and-api.md).
public enum ConnectivityState: String, Sendable, Hashable, CustomStringConvertible {
    /// No connection and no attempt under way; the next call starts connecting.
    case idle = "IDLE"
    /// A connection attempt is under way; calls wait for it.
    case connecting = "CONNECTING"
    /// A connection is up; calls go out.
    case ready = "READY"
    /// The last attempt failed and the channel is backing off; calls fail fast with UNAVAILABLE
    /// unless they wait for ready.
    case transientFailure = "TRANSIENT_FAILURE"
    /// The channel was shut down; calls fail with UNAVAILABLE.
    case shutdown = "SHUTDOWN"

    /// gRPC's upper snake case name, e.g. `TRANSIENT_FAILURE`.
    public var description: String { rawValue }
}
