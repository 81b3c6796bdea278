import FerryRPC

/// What clients can make an ``HTTP2ServerTransport`` hold or wait for.
///
/// Every bound here is enforced in one place, by the transport, and exceeding it gives the
/// protocol's answer rather than a crash or a stall: a connection past ``maxConnections`` is closed
/// at once; a stream past ``maxConcurrentHandlers`` is refused (RST_STREAM REFUSED_STREAM, which
/// gRPC clients retry); received bytes past ``maxBufferedBytes`` or
/// ``maxBufferedBytesPerConnection`` fail the stream they arrived on with RESOURCE_EXHAUSTED; a
/// client that resets streams or sends PINGs faster than allowed gets GOAWAY(ENHANCE_YOUR_CALM).
///
/// The defaults are meant to be safe on the open internet and generous for RPC traffic.
public struct ServerConnectionLimits: Sendable, Hashable {
    /// The most connections served at once; further ones are closed as soon as they are accepted.
    /// Default 4,096.
    public var maxConnections: Int
    /// The most handlers running at once across the whole server; streams opened beyond it are
    /// refused with RST_STREAM(REFUSED_STREAM). Default 10,000. (Per connection, the bound is
    /// ``HTTP2Settings/maxConcurrentStreams``.)
    public var maxConcurrentHandlers: Int
    /// Received request bytes the server may hold at once, across all connections: partial messages
    /// being reassembled and whole messages their handlers have not read yet. A stream whose bytes
    /// would exceed it fails with RESOURCE_EXHAUSTED. Default 64 MiB.
    public var maxBufferedBytes: Int
    /// The same bound for one connection. Default 16 MiB.
    public var maxBufferedBytesPerConnection: Int
    /// How long a new connection may take to finish the TLS handshake (when TLS is on) and send the
    /// HTTP/2 preface and its SETTINGS; slower connections are closed. Default 20 seconds.
    ///
    /// On HTTP/1.1 it also bounds each request head: from the connection opening, or the previous
    /// response ending, to the head's last byte (so an idle keep-alive connection closes after it).
    public var connectionSetupTimeout: Duration
    /// A connection with no open stream for this long is sent GOAWAY and closed; nil never closes
    /// idle connections. Default 30 minutes.
    public var maxConnectionIdle: Duration?
    /// A connection older than this (±10 % jitter) is sent GOAWAY, so clients spread over new
    /// servers; nil (the default) lets connections live for ever.
    public var maxConnectionAge: Duration?
    /// How long calls may run on a connection past ``maxConnectionAge`` before it is closed; nil
    /// (the default) uses the transport's graceful shutdown timeout.
    public var maxConnectionAgeGrace: Duration?
    /// Peer RST_STREAMs of streams still being served that a connection may send in one burst, the
    /// bucket refilling at ``streamResetsPerSecond``; beyond that the connection gets
    /// GOAWAY(ENHANCE_YOUR_CALM) (the "rapid reset" attack, CVE-2023-44487). Default 200.
    public var streamResetBurst: Int
    /// See ``streamResetBurst``. Default 100 per second.
    public var streamResetsPerSecond: Int
    /// How often clients may PING (gRPC's keepalive enforcement).
    public var keepalive: KeepaliveEnforcement
    /// The server's own PINGs, which find clients that vanished without closing their connections:
    /// after ``Keepalive/time`` without receiving anything the server PINGs, and closes the
    /// connection when nothing arrives within ``Keepalive/timeout``. Default every 2 hours with a
    /// 20-second timeout (gRPC's); nil sends none.
    public var keepalivePings: Keepalive?
    /// How long a connection closed for misbehaving (too many PINGs or resets) keeps reading, and
    /// dropping, what its client still sends after the GOAWAY, before it closes. Closing at once
    /// would answer those bytes with a TCP reset, which can make the client's kernel discard the
    /// GOAWAY unread, so the client never learns why. Default 1 second (Go's HTTP/2 server waits as
    /// long).
    public var goAwayLinger: Duration

    /// Creates limits; every parameter defaults to the value documented on its property.
    public init(
        maxConnections: Int = 4096,
        maxConcurrentHandlers: Int = 10_000,
        maxBufferedBytes: Int = 64 << 20,
        maxBufferedBytesPerConnection: Int = 16 << 20,
        connectionSetupTimeout: Duration = .seconds(20),
        maxConnectionIdle: Duration? = .seconds(30 * 60),
        maxConnectionAge: Duration? = nil,
        maxConnectionAgeGrace: Duration? = nil,
        streamResetBurst: Int = 200,
        streamResetsPerSecond: Int = 100,
        keepalive: KeepaliveEnforcement = KeepaliveEnforcement(),
        keepalivePings: Keepalive? = Keepalive(time: .seconds(2 * 60 * 60), permitWithoutCalls: true),
        goAwayLinger: Duration = .seconds(1)
    ) {
        self.maxConnections = maxConnections
        self.maxConcurrentHandlers = maxConcurrentHandlers
        self.maxBufferedBytes = maxBufferedBytes
        self.maxBufferedBytesPerConnection = maxBufferedBytesPerConnection
        self.connectionSetupTimeout = connectionSetupTimeout
        self.maxConnectionIdle = maxConnectionIdle
        self.maxConnectionAge = maxConnectionAge
        self.maxConnectionAgeGrace = maxConnectionAgeGrace
        self.streamResetBurst = streamResetBurst
        self.streamResetsPerSecond = streamResetsPerSecond
        self.keepalive = keepalive
        self.keepalivePings = keepalivePings
        self.goAwayLinger = goAwayLinger
    }
}

/// How often a client may send PINGs before the server answers GOAWAY(ENHANCE_YOUR_CALM) with
/// debug data `too_many_pings`, as gRPC servers do (gRPC proposal A8, doc/keepalive.md).
///
/// A PING that comes sooner than ``minPingInterval`` after the previous one (or, with no call open
/// and ``permitWithoutCalls`` off, sooner than two hours) is a strike; more than ``maxPingStrikes``
/// strikes close the connection. Sending response headers or data forgives all strikes.
public struct KeepaliveEnforcement: Sendable, Hashable {
    /// The shortest interval between client PINGs that is not a strike. Default 5 minutes (gRPC's).
    public var minPingInterval: Duration
    /// Whether PINGs are allowed while no call is open. Default false (gRPC's).
    public var permitWithoutCalls: Bool
    /// Strikes tolerated before GOAWAY. Default 2 (gRPC's).
    public var maxPingStrikes: Int

    /// Creates a policy; the defaults are gRPC's.
    public init(minPingInterval: Duration = .seconds(300), permitWithoutCalls: Bool = false, maxPingStrikes: Int = 2) {
        self.minPingInterval = minPingInterval
        self.permitWithoutCalls = permitWithoutCalls
        self.maxPingStrikes = maxPingStrikes
    }
}
