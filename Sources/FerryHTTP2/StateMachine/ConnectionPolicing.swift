import FerryRPC
import NIOCore

/// Judges a server connection's client by what it sends: stream resets of calls still being served
/// (rapid reset) and PINGs (keepalive enforcement). A value type fed with events and the time,
/// which the connection handler reads from its event loop, so tests drive it with any clock.
struct ConnectionPolicing {
    /// What the connection handler does after an event.
    enum Verdict: Equatable {
        /// Nothing: the client behaves.
        case allow
        /// Send GOAWAY with this code and debug data, then close the connection.
        case goAway(errorCode: UInt32, debugData: String)
    }

    private let resetBurst: Double
    private let resetsPerSecond: Double
    private var resetTokens: Double
    private var lastRefill: NIODeadline

    private let keepalive: KeepaliveEnforcement
    private var pingStrikes = 0
    /// When the last PING arrived since the server last sent stream frames; nil when forgiven.
    private var lastPing: NIODeadline?

    /// With no call open and PINGs not permitted without calls, gRPC allows one PING per two hours.
    static let idlePingInterval = TimeAmount.hours(2)

    init(limits: ServerConnectionLimits, now: NIODeadline) {
        resetBurst = Double(max(1, limits.streamResetBurst))
        resetsPerSecond = Double(max(0, limits.streamResetsPerSecond))
        resetTokens = resetBurst
        lastRefill = now
        keepalive = limits.keepalive
    }

    /// The client reset a stream whose call the server had not finished.
    mutating func peerResetActiveStream(at now: NIODeadline) -> Verdict {
        let elapsed = Double((now - lastRefill).nanoseconds) / 1e9
        resetTokens = min(resetBurst, resetTokens + max(0, elapsed) * resetsPerSecond)
        lastRefill = now
        if resetTokens >= 1 {
            resetTokens -= 1
            return .allow
        }
        return .goAway(errorCode: HTTP2ErrorCode.enhanceYourCalm, debugData: "too_many_resets")
    }

    /// The client sent a PING while `openStreams` streams were open.
    mutating func pingReceived(at now: NIODeadline, openStreams: Int) -> Verdict {
        defer { lastPing = now }
        guard let last = lastPing else { return .allow }
        let interval =
            openStreams == 0 && !keepalive.permitWithoutCalls
            ? Self.idlePingInterval : TimeAmount(keepalive.minPingInterval)
        guard now - last < interval else { return .allow }
        pingStrikes += 1
        if pingStrikes > keepalive.maxPingStrikes {
            return .goAway(errorCode: HTTP2ErrorCode.enhanceYourCalm, debugData: "too_many_pings")
        }
        return .allow
    }

    /// The server sent response headers or data: earlier PINGs are forgiven.
    mutating func sentStreamFrames() {
        pingStrikes = 0
        lastPing = nil
    }
}

extension TimeAmount {
    /// The same span as a Swift `Duration`, saturating at NIO's range.
    init(_ duration: Duration) {
        self = .nanoseconds(duration.saturatingNanoseconds)
    }
}
