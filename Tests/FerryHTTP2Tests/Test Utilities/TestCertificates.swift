import Foundation
import ProcessTestSupport

/// A throwaway PKI made with the `openssl` command line in a fresh temporary directory: a CA, a
/// server certificate for 127.0.0.1 and localhost, one for the name localhost only (no IP entry, so that
/// host name checks cannot pass on the connected address), a client certificate (for mutual TLS), all signed
/// by that CA, and a second unrelated CA that signed nothing here. Keys are P-256; everything is
/// valid for one day.
final class TestCertificates: Sendable {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    let directory: URL

    var caCertificate: String { path("ca.pem") }
    var otherCACertificate: String { path("other-ca.pem") }
    var serverCertificate: String { path("server.pem") }
    var serverKey: String { path("server.key") }
    var namedServerCertificate: String { path("named-server.pem") }
    var namedServerKey: String { path("named-server.key") }
    var clientCertificate: String { path("client.pem") }
    var clientKey: String { path("client.key") }

    init() async throws {
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("ferry-tls-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        do {
            try await makeCA(name: "ca", subject: "/CN=Ferry Test CA")
            try await makeCA(name: "other-ca", subject: "/CN=Ferry Untrusted CA")
            try await makeLeaf(
                name: "server",
                subject: "/CN=localhost",
                extensions: "subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n"
            )
            try await makeLeaf(
                name: "named-server",
                subject: "/CN=localhost",
                extensions: "subjectAltName=DNS:localhost\nextendedKeyUsage=serverAuth\n"
            )
            try await makeLeaf(
                name: "client",
                subject: "/CN=ferry-test-client",
                extensions: "extendedKeyUsage=clientAuth\n"
            )
        } catch {
            try? FileManager.default.removeItem(at: directory)
            throw error
        }
    }

    deinit {
        try? FileManager.default.removeItem(at: directory)
    }

    func path(_ name: String) -> String {
        directory.appendingPathComponent(name).path
    }

    private func makeCA(name: String, subject: String) async throws {
        try await openssl([
            "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-keyout", path("\(name).key"), "-out", path("\(name).pem"), "-days", "1", "-subj", subject,
            "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign",
        ])
    }

    private func makeLeaf(name: String, subject: String, extensions: String) async throws {
        try await openssl([
            "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-keyout", path("\(name).key"), "-out", path("\(name).csr"), "-subj", subject,
        ])
        let extensionsFile = path("\(name).ext")
        try "basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\n\(extensions)"
            .write(toFile: extensionsFile, atomically: true, encoding: .utf8)
        try await openssl([
            "x509", "-req", "-in", path("\(name).csr"), "-CA", path("ca.pem"), "-CAkey", path("ca.key"),
            "-CAcreateserial", "-out", path("\(name).pem"), "-days", "1", "-extfile", extensionsFile,
        ])
    }

    /// Runs `openssl` with `arguments`, killing it after 30 s.
    private func openssl(_ arguments: [String]) async throws {
        let result = try await Program.run("/usr/bin/openssl", arguments, mergeErrors: true, timeout: .seconds(30))
        guard result.status == 0 else {
            throw Failure(description: "openssl \(arguments.joined(separator: " ")) failed:\n\(result.output)")
        }
    }
}
