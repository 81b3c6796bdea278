/// Public: `ConnectionBackoff` (FerryRPC) appears in this file's public API.
public import FerryRPC

/// How a client channel manages its connections.
public struct ChannelConfiguration: Sendable, Hashable {
    /// The schedule of reconnection attempts (gRPC's defaults: 1 s, ×1.6, ±20 %, at most 120 s, at
    /// least 20 s per attempt).
    public var backoff: ConnectionBackoff
    /// How long the channel stays connected without calls before it closes its connections and goes
    /// IDLE (the next call reconnects); nil never. Default 30 minutes, as gRPC's.
    public var idleTimeout: Duration?
    /// Keepalive PINGs on the channel's connections; nil (the default, as in gRPC) sends none. A
    /// server's GOAWAY `too_many_pings` doubles the time for the channel's later connections.
    public var keepalive: Keepalive?
    /// The most addresses of one resolution the channel uses (the first ones, in the resolver's
    /// order), so that a resolver or DNS answer cannot make it open unbounded connections under
    /// round_robin. Default 256.
    public var maxAddresses: Int
    /// The protocol calls speak on the channel's HTTP/2 connections: gRPC (the default), Connect or
    /// gRPC-Web, for servers and proxies that take only those. The call API is the same.
    public var wireProtocol: ClientWireProtocol
    /// The HTTP version of the channel's connections: HTTP/2 (the default), or HTTP/1.1 for Connect
    /// and gRPC-Web through proxies and servers that take only HTTP/1.1. gRPC needs HTTP/2: a gRPC
    /// channel set to HTTP/1.1 fails every call with FAILED_PRECONDITION.
    public var httpVersion: ClientHTTPVersion
    /// Over HTTP/1.1, which carries one call at a time per connection: the most connections the
    /// channel keeps to each address. A call that finds them all busy waits for one (within its
    /// deadline). Default 8.
    public var maxHTTP1ConnectionsPerAddress: Int

    /// Creates a configuration.
    public init(
        backoff: ConnectionBackoff = ConnectionBackoff(),
        idleTimeout: Duration? = .seconds(30 * 60),
        keepalive: Keepalive? = nil,
        maxAddresses: Int = 256,
        wireProtocol: ClientWireProtocol = .grpc,
        httpVersion: ClientHTTPVersion = .http2,
        maxHTTP1ConnectionsPerAddress: Int = 8
    ) {
        self.wireProtocol = wireProtocol
        self.httpVersion = httpVersion
        self.maxHTTP1ConnectionsPerAddress = max(1, maxHTTP1ConnectionsPerAddress)
        self.backoff = backoff
        self.idleTimeout = idleTimeout
        self.keepalive = keepalive
        self.maxAddresses = max(1, maxAddresses)
    }
}

/// A snapshot of a channel's connectivity: its own state and each subchannel's, in address order.
public struct ChannelConnectivity: Sendable, Hashable, CustomStringConvertible {
    /// One subchannel: the address it connects to and its state.
    public struct Subchannel: Sendable, Hashable {
        /// The address.
        public var address: ResolvedAddress
        /// Its state.
        public var state: ConnectivityState
    }

    /// The channel's state.
    public var state: ConnectivityState
    /// The subchannels.
    public var subchannels: [Subchannel]

    init(state: ConnectivityState, subchannels: [(ResolvedAddress, ConnectivityState)]) {
        self.state = state
        self.subchannels = subchannels.map { Subchannel(address: $0.0, state: $0.1) }
    }

    /// The state and each subchannel's, e.g. `READY [ipv4:10.0.0.7:50051: READY]`.
    public var description: String {
        "\(state) [" + subchannels.map { "\($0.address): \($0.state)" }.joined(separator: ", ") + "]"
    }
}

/// The HTTP version a client channel's connections speak.
public enum ClientHTTPVersion: String, Sendable, Hashable, CaseIterable {
    /// HTTP/2: many concurrent calls per connection (cleartext with prior knowledge, or TLS with
    /// ALPN `h2`).
    case http2 = "h2"
    /// HTTP/1.1: one call at a time per connection, a pool of them per address (TLS with ALPN
    /// `http/1.1`). Connect and gRPC-Web only; their streams are carried half-duplex in practice,
    /// as most HTTP/1.1 servers read a whole request before they answer.
    case http1_1 = "http/1.1"
}

/// The RPC protocol a client channel speaks.
public enum ClientWireProtocol: String, Sendable, Hashable, CaseIterable {
    /// gRPC (`application/grpc`).
    case grpc
    /// Connect (`application/proto` for unary calls, `application/connect+proto` for streams).
    case connect
    /// gRPC-Web, binary (`application/grpc-web+proto`).
    case grpcWeb = "grpcweb"
    /// gRPC-Web with base64 bodies (`application/grpc-web-text`), for proxies that pass text only.
    case grpcWebText = "grpcwebtext"

    /// The envelope of one call of `kind` (a call whose kind the client does not know streams).
    func wire(for kind: RPCKind?) -> WireProtocol {
        switch self {
        case .grpc: .grpc
        case .grpcWeb: .grpcWeb(text: false)
        case .grpcWebText: .grpcWeb(text: true)
        case .connect: kind == .unary ? .connectUnary : .connectStreaming
        }
    }
}
