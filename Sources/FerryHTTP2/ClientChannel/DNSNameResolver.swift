/// Public: `NameResolver` and `NameResolution` (FerryRPC) appear in this file's public API.
public import FerryRPC
import NIOCore
import NIOPosix

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Resolves a host name to its IPv4 and IPv6 addresses (A and AAAA records) with the system
/// resolver (`getaddrinfo`, which also reads /etc/hosts), on NIO's thread pool so that no task of
/// the cooperative pool blocks on it. IP literals resolve to themselves without a lookup.
///
/// IPv6 addresses come first when the system's address selection puts them first (RFC 6724, as
/// `getaddrinfo` orders them); pick_first then tries them in that order.
public struct DNSNameResolver: NameResolver {
    /// The name to resolve.
    public let host: String
    /// The port every address gets.
    public let port: Int
    /// How often a channel in use resolves the name again.
    public let refreshInterval: Duration?
    /// The least time between two resolutions a channel asks for on connection loss.
    public let minimumInterval: Duration

    /// Creates a resolver for `host:port`.
    ///
    /// - Parameters:
    ///   - host: the DNS name to look up (an IP literal resolves to itself).
    ///   - port: the port every resolved address gets.
    ///   - refreshInterval: how often a channel in use resolves again (default 5 minutes), so that
    ///     new replicas are found without a connection loss.
    ///   - minimumInterval: the least time between resolutions on connection loss (default 30 s).
    public init(
        host: String,
        port: Int,
        refreshInterval: Duration? = .seconds(300),
        minimumInterval: Duration = .seconds(30)
    ) {
        self.host = host
        self.port = port
        self.refreshInterval = refreshInterval
        self.minimumInterval = minimumInterval
    }

    /// Looks the name up now (an IP literal resolves to itself).
    ///
    /// - Throws: `RPCError` with UNAVAILABLE when the lookup fails or finds no address.
    public func resolve() async throws(RPCError) -> NameResolution {
        if ResolvedAddress.isIPLiteral(host) {
            return NameResolution(addresses: [
                host.contains(":") ? .ipv6(host: host, port: port) : .ipv4(host: host, port: port)
            ])
        }
        let host = self.host
        let port = self.port
        let result: Result<[ResolvedAddress], RPCError>
        do {
            result = try await NIOThreadPool.singleton.runIfActive { Self.lookUp(host: host, port: port) }
        } catch {
            throw RPCError(
                code: .unavailable,
                message: "DNS resolution of \(host) could not run: \(error)",
                cause: error
            )
        }
        let addresses = try result.get()
        return NameResolution(addresses: addresses)
    }

    /// Blocks in `getaddrinfo`; runs on a thread-pool thread.
    private static func lookUp(host: String, port: Int) -> Result<[ResolvedAddress], RPCError> {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, nil, &hints, &list)
        guard status == 0 else {
            let reason = String(cString: gai_strerror(status))
            return .failure(RPCError(code: .unavailable, message: "DNS resolution of \(host) failed: \(reason)"))
        }
        // `list` is owned here until freeaddrinfo; each entry's ai_addr points into it and is read
        // (copied into a String) before the list is freed.
        defer { freeaddrinfo(list) }
        var addresses: [ResolvedAddress] = []
        var entry = list
        while let current = entry?.pointee {
            defer { entry = current.ai_next }
            guard let address = current.ai_addr, current.ai_family == AF_INET || current.ai_family == AF_INET6 else {
                continue
            }
            var text = [CChar](repeating: 0, count: Int(NI_MAXHOST))
            guard getnameinfo(address, current.ai_addrlen, &text, socklen_t(text.count), nil, 0, NI_NUMERICHOST) == 0
            else { continue }
            // getnameinfo wrote a NUL-terminated name into `text`; the name is what precedes the NUL.
            let name = String(decoding: text.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
            let resolved: ResolvedAddress? =
                current.ai_family == AF_INET ? .ipv4(host: name, port: port) : .ipv6(host: name, port: port)
            if let resolved, !addresses.contains(resolved) { addresses.append(resolved) }
        }
        guard !addresses.isEmpty else {
            return .failure(RPCError(code: .unavailable, message: "DNS resolution of \(host) returned no addresses."))
        }
        return .success(addresses)
    }
}

extension ResolvedAddress {
    /// Whether `host` is an IPv4 or IPv6 literal rather than a name.
    static func isIPLiteral(_ host: String) -> Bool {
        (try? SocketAddress(ipAddress: host, port: 0)) != nil
    }
}
