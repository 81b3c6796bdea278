import FerryRPC
import Testing

@Suite("Targets in gRPC's naming syntax")
struct TargetTests {
    @Test(
        "Each scheme parses into a DNS name or fixed addresses",
        arguments: [
            ("dns:///orders.internal:50051", RPCTarget.dns(host: "orders.internal", port: 50051)),
            ("dns:orders.internal:50051", .dns(host: "orders.internal", port: 50051)),
            ("dns:///orders.internal", .dns(host: "orders.internal", port: 443)),
            ("localhost:8080", .dns(host: "localhost", port: 8080)),
            ("orders", .dns(host: "orders", port: 443)),
            ("dns:///[::1]:9", .dns(host: "::1", port: 9)),
            (
                "ipv4:127.0.0.1:1,10.0.0.2:2",
                .addresses([.ipv4(host: "127.0.0.1", port: 1), .ipv4(host: "10.0.0.2", port: 2)])
            ),
            ("ipv4:127.0.0.1", .addresses([.ipv4(host: "127.0.0.1", port: 443)])),
            (
                "ipv6:[::1]:50051,[fe80::1]:7",
                .addresses([.ipv6(host: "::1", port: 50051), .ipv6(host: "fe80::1", port: 7)])
            ),
            ("ipv6:::1", .addresses([.ipv6(host: "::1", port: 443)])),
            ("unix:relative/sock", .addresses([.unix(path: "relative/sock")])),
            ("unix:///tmp/ferry.sock", .addresses([.unix(path: "/tmp/ferry.sock")])),
            ("unix-abstract:ferry", .addresses([.unixAbstract(name: "ferry")])),
        ]
    )
    func parses(text: String, expected: RPCTarget) throws {
        #expect(try RPCTarget(parsing: text) == expected)
    }

    @Test(
        "Malformed targets fail with INVALID_ARGUMENT saying why",
        arguments: [
            ("dns://8.8.8.8/orders:1", "a DNS authority is not supported"),
            ("ipv4:300.0.0.1:1", "is not an IPv4 address"),
            ("ipv4:127.0.0.1:0", "is not in 1...65535"),
            ("ipv4:127.0.0.1:70000", "is not in 1...65535"),
            ("ipv4:", "no host"),
            ("ipv6:[::1", "unclosed"),
            ("ipv6:10.0.0.1:5", "is not an IPv6 address"),
            ("unix:", "no socket path"),
            ("unix://tmp/x", "absolute path"),
            ("xds:///orders", "unknown scheme 'xds'"),
            ("", "no host"),
        ]
    )
    func rejects(text: String, reason: String) {
        do {
            let target = try RPCTarget(parsing: text)
            Issue.record("parsed '\(text)' as \(target)")
        } catch {
            #expect(error.code == .invalidArgument)
            #expect(error.message.contains(reason), "\(error.message)")
        }
    }
}
