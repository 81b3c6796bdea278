/// Where a channel connects, in gRPC's naming syntax (doc/naming.md).
///
/// - `dns:[//authority/]host[:port]` (also a bare `host[:port]`): resolved through DNS, A and AAAA
///   records, again on connection loss and periodically. Port 443 when omitted.
/// - `ipv4:address[:port][,address[:port],...]` and `ipv6:address` or `ipv6:[address]:port[,...]`:
///   fixed addresses.
/// - `unix:path` or `unix:///absolute/path`: a Unix domain socket; `unix-abstract:name` one in
///   Linux's abstract namespace.
public enum RPCTarget: Sendable, Hashable, CustomStringConvertible {
    /// A host name resolved through DNS.
    case dns(host: String, port: Int)
    /// Fixed addresses.
    case addresses([ResolvedAddress])

    /// The port a target without one uses (gRPC's default, that of HTTPS).
    public static let defaultPort = 443

    /// Parses a target URI.
    ///
    /// - Throws: ``RPCError`` with ``Status/Code/invalidArgument`` for an unknown scheme, a missing
    ///   host or path, a port outside 1...65535 or a malformed address.
    public init(parsing text: String) throws(RPCError) {
        func invalid(_ why: String) -> RPCError {
            RPCError(code: .invalidArgument, message: "Invalid target '\(text)': \(why)")
        }
        guard let colon = text.firstIndex(of: ":"), Self.isScheme(text[..<colon]) else {
            let (host, port) = try Self.hostPort(Substring(text), invalid: invalid)
            self = .dns(host: host, port: port)
            return
        }
        let scheme = text[..<colon].lowercased()
        let rest = text[text.index(after: colon)...]
        switch scheme {
        case "dns":
            var name = rest
            if name.hasPrefix("//") {
                // An authority (a DNS server) is not supported: the system resolver is used.
                let afterSlashes = name.dropFirst(2)
                guard let slash = afterSlashes.firstIndex(of: "/") else { throw invalid("expected dns:///host[:port]") }
                guard afterSlashes[..<slash].isEmpty else {
                    throw invalid("a DNS authority is not supported; use dns:///host:port")
                }
                name = afterSlashes[afterSlashes.index(after: slash)...]
            }
            let (host, port) = try Self.hostPort(name, invalid: invalid)
            self = .dns(host: host, port: port)
        case "ipv4", "ipv6":
            var addresses: [ResolvedAddress] = []
            for part in rest.split(separator: ",", omittingEmptySubsequences: false) {
                let (host, port) = try Self.hostPort(part, invalid: invalid)
                if scheme == "ipv4" {
                    guard ResolvedAddress.isIPv4(host) else { throw invalid("'\(host)' is not an IPv4 address") }
                    addresses.append(.ipv4(host: host, port: port))
                } else {
                    guard host.contains(":"),
                        host.allSatisfy({ $0.isHexDigit || $0 == ":" || $0 == "." || $0 == "%" || $0.isLetter })
                    else { throw invalid("'\(host)' is not an IPv6 address") }
                    addresses.append(.ipv6(host: host, port: port))
                }
            }
            self = .addresses(addresses)
        case "unix":
            var path = String(rest)
            if path.hasPrefix("//") {
                path.removeFirst(2)
                guard path.hasPrefix("/") else { throw invalid("unix:// needs an absolute path (unix:///path)") }
            }
            guard !path.isEmpty else { throw invalid("no socket path") }
            self = .addresses([.unix(path: path)])
        case "unix-abstract":
            self = .addresses([.unixAbstract(name: String(rest))])
        default:
            // `host:port` with a host that looks like a scheme, e.g. `localhost:50051`.
            if rest.allSatisfy(\.isNumber), !rest.isEmpty {
                let (host, port) = try Self.hostPort(Substring(text), invalid: invalid)
                self = .dns(host: host, port: port)
                return
            }
            throw invalid("unknown scheme '\(scheme)' (dns, ipv4, ipv6, unix and unix-abstract are supported)")
        }
    }

    private static func isScheme(_ text: Substring) -> Bool {
        guard let first = text.first, first.isLetter else { return false }
        return text.allSatisfy { $0.isLetter || $0.isNumber || $0 == "+" || $0 == "-" || $0 == "." }
    }

    /// Splits `host[:port]` or `[v6]:port` or a bare IPv6 address.
    private static func hostPort(
        _ text: Substring,
        invalid: (String) -> RPCError
    ) throws(RPCError) -> (String, Int) {
        guard !text.isEmpty else { throw invalid("no host") }
        func port(_ digits: Substring) throws(RPCError) -> Int {
            guard let value = Int(digits), (1...65535).contains(value) else {
                throw invalid("port '\(digits)' is not in 1...65535")
            }
            return value
        }
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { throw invalid("unclosed '['") }
            let host = text[text.index(after: text.startIndex)..<close]
            let after = text[text.index(after: close)...]
            guard !host.isEmpty else { throw invalid("no host") }
            if after.isEmpty { return (String(host), defaultPort) }
            guard after.hasPrefix(":") else { throw invalid("expected ':' after ']'") }
            return (String(host), try port(after.dropFirst()))
        }
        let colons = text.filter { $0 == ":" }.count
        if colons > 1 { return (String(text), defaultPort) }  // a bare IPv6 address
        if colons == 1, let colon = text.firstIndex(of: ":") {
            let host = text[..<colon]
            guard !host.isEmpty else { throw invalid("no host") }
            return (String(host), try port(text[text.index(after: colon)...]))
        }
        return (String(text), defaultPort)
    }

    /// The target in gRPC's name syntax: `dns:///host:port`, or each address in its own form
    /// (``ResolvedAddress/description``), separated by commas.
    public var description: String {
        switch self {
        case .dns(let host, let port):
            return "dns:///\(host.contains(":") ? "[\(host)]" : host):\(port)"
        case .addresses(let addresses):
            return addresses.map(\.description).joined(separator: ",")
        }
    }
}

/// One address a target resolved to.
public enum ResolvedAddress: Sendable, Hashable, CustomStringConvertible {
    /// An IPv4 address and port.
    case ipv4(host: String, port: Int)
    /// An IPv6 address (without brackets) and port.
    case ipv6(host: String, port: Int)
    /// A Unix domain socket path.
    case unix(path: String)
    /// A socket in Linux's abstract namespace (no file).
    case unixAbstract(name: String)

    /// The address in gRPC's name syntax: `ipv4:host:port`, `ipv6:[host]:port`, `unix:path` or
    /// `unix-abstract:name`.
    public var description: String {
        switch self {
        case .ipv4(let host, let port): "ipv4:\(host):\(port)"
        case .ipv6(let host, let port): "ipv6:[\(host)]:\(port)"
        case .unix(let path): "unix:\(path)"
        case .unixAbstract(let name): "unix-abstract:\(name)"
        }
    }

    /// Whether `text` is a dotted-quad IPv4 address.
    static func isIPv4(_ text: String) -> Bool {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4
            && parts.allSatisfy { part in
                !part.isEmpty && part.count <= 3 && part.allSatisfy(\.isASCII) && (Int(part).map { $0 <= 255 } ?? false)
            }
    }
}

/// What a name resolver found: the addresses to connect to and, optionally, a service config that
/// replaces the channel's default.
public struct NameResolution: Sendable, Hashable {
    /// The addresses, in the resolver's order of preference.
    public var addresses: [ResolvedAddress]
    /// A service config published with the name; nil keeps the channel's.
    public var serviceConfig: ServiceConfig?

    /// Creates a resolution.
    public init(addresses: [ResolvedAddress], serviceConfig: ServiceConfig? = nil) {
        self.addresses = addresses
        self.serviceConfig = serviceConfig
    }
}

/// Turns a target into addresses. A channel asks once before its first connection, again when a
/// connection is lost or every address failed (at most once per
/// ``minimumInterval``), and every ``refreshInterval``.
///
/// Implement it for a service registry (Consul, Kubernetes endpoints, a static list that changes):
/// return the current addresses; the channel keeps connections to addresses that stay and closes
/// those to addresses that go.
public protocol NameResolver: Sendable {
    /// Resolves the name now.
    ///
    /// - Throws: ``RPCError`` (UNAVAILABLE) when the name cannot be resolved; the channel keeps the
    ///   addresses it had, or fails calls with this error if it has none.
    func resolve() async throws(RPCError) -> NameResolution

    /// How often the channel resolves again while it is in use; nil never (static addresses).
    var refreshInterval: Duration? { get }

    /// The least time between two resolutions the channel asks for on connection loss.
    var minimumInterval: Duration { get }
}

extension NameResolver {
    /// No periodic refresh.
    public var refreshInterval: Duration? { nil }

    /// 30 seconds, gRPC's minimum time between DNS resolutions.
    public var minimumInterval: Duration { .seconds(30) }
}

/// A resolver that always returns the same addresses.
public struct StaticNameResolver: NameResolver {
    /// The addresses.
    public let addresses: [ResolvedAddress]

    /// Creates a resolver for fixed addresses.
    public init(_ addresses: [ResolvedAddress]) {
        self.addresses = addresses
    }

    /// The fixed addresses, without looking anything up.
    public func resolve() async throws(RPCError) -> NameResolution {
        NameResolution(addresses: addresses)
    }

    /// Static addresses never need resolving again soon.
    public var minimumInterval: Duration { .zero }
}
