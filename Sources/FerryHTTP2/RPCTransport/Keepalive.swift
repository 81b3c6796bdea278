/// Keepalive PINGs on one side of a connection (gRPC proposal A8, doc/keepalive.md): after ``time``
/// without receiving anything the side sends a PING, and closes the connection when nothing arrives
/// within ``timeout``. It finds peers that vanished behind a silent network (a dropped NAT entry, a
/// dead host) long before TCP would.
///
/// On a client (``ChannelConfiguration/keepalive``) it is off by default, as in gRPC; a server
/// that receives PINGs more often than it allows answers GOAWAY `too_many_pings`, and the channel
/// then doubles ``time`` for its next connections. On a server
/// (``ServerConnectionLimits/keepalivePings``) it is on by default, every 2 hours.
public struct Keepalive: Sendable, Hashable {
    /// The time without anything received after which a PING goes out.
    public var time: Duration
    /// How long to wait, after the PING, for anything from the peer before closing. Default 20 s.
    public var timeout: Duration
    /// Whether to PING while no call is open on the connection. Default false (gRPC's client
    /// default; a server's PINGs always go out).
    public var permitWithoutCalls: Bool

    /// Creates a keepalive configuration; `time` and `timeout` are at least 1 ms.
    public init(time: Duration, timeout: Duration = .seconds(20), permitWithoutCalls: Bool = false) {
        self.time = max(.milliseconds(1), time)
        self.timeout = max(.milliseconds(1), timeout)
        self.permitWithoutCalls = permitWithoutCalls
    }
}
