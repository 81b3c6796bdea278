import FerryRegistry
import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import ProcessTestSupport
import Testing

@testable import FerryRegistryServer

@Suite("Registry security: users file, roles, 401 and 403, TLS")
struct SecurityTests {
    static let token = "test-token-0123456789abcdefghijklmnopqrstuv"
    /// alice admin, wendy write, bob read (cost 4: the minimum, so that tests stay fast), a write token.
    static let usersFile =
        [
            RegistryUsers.userLine(name: "alice", role: .admin, password: "alice-pw", cost: 4),
            RegistryUsers.userLine(name: "wendy", role: .write, password: "wendy-pw", cost: 4),
            RegistryUsers.userLine(name: "bob", role: .read, password: "bob-pw", cost: 4),
            "token ci write sha256:\(RegistryUsers.sha256Hex(token))",
        ].joined(separator: "\n") + "\n"

    @Test("the users file holds hashes only, and says which line is wrong")
    func usersFileParsing() throws {
        let users = try RegistryUsers(parsing: "# comment\n\n" + Self.usersFile)
        #expect(users.users.keys.sorted() == ["alice", "bob", "wendy"])
        #expect(users.users["bob"]?.role == .read)
        #expect(users.tokens.values.map(\.name) == ["ci"])
        for (text, fragment) in [
            ("user carol admin hunter2", "line 1: the password must be a bcrypt hash"),
            ("user carol boss \(users.users["bob"]!.passwordHash)", "unknown role 'boss'"),
            ("token ci write plain", "sha256:<64 hex digits>"),
            ("group x read y", "unknown kind 'group'"),
            ("user carol read", "expected 'user NAME ROLE BCRYPT'"),
        ] {
            #expect(throws: RegistryServerConfiguration.ConfigurationError.self) { try RegistryUsers(parsing: text) }
            do { _ = try RegistryUsers(parsing: text) } catch {
                #expect(error.message.contains(fragment), "\(error.message)")
            }
        }
    }

    @Test("ferry-registry user and token print users-file lines that the server accepts, and no secret")
    func lineWriters() async throws {
        let executable = TestEnvironment.serverExecutable.path
        let user = try await Program.run(executable, ["user", "carol", "write"], stdin: Array("s3cret\n".utf8))
        #expect(user.status == 0, "\(user.stderr)")
        #expect(!user.output.contains("s3cret"))
        let token = try await Program.run(executable, ["token", "ci", "read"])
        #expect(token.status == 0)
        let secret = try #require(
            token.stderr.split(separator: " ").last.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        )
        #expect(!token.output.contains(secret))
        let authenticator = RegistryAuthenticator(users: try RegistryUsers(parsing: user.output + token.output))
        #expect(
            authenticator.authenticate(RegistryCredentials.basic(user: "carol", password: "s3cret").authorization)
                == .success(RegistryAuthenticator.Identity(name: "carol", role: .write))
        )
        #expect(
            authenticator.authenticate(RegistryCredentials.bearer(token: secret).authorization)
                == .success(RegistryAuthenticator.Identity(name: "ci", role: .read))
        )
        #expect(
            authenticator.authenticate(RegistryCredentials.basic(user: "carol", password: "S3cret").authorization)
                == .failure(.invalid)
        )
        let bad = try await Program.run(executable, ["user", "carol", "boss"], stdin: Array("x\n".utf8))
        #expect(bad.status == 2)
    }

    @Test(
        """
        password checks are bounded: at most maxConcurrentChecks at once \
        (else 429), and a wrong password is checked once
        """
    )
    func boundedChecks() async throws {
        let users = try RegistryUsers(parsing: Self.usersFile)
        let basic = { @Sendable (user: String, password: String) in
            RegistryCredentials.basic(user: user, password: password).authorization
        }
        let limited = RegistryAuthenticator(users: users, maxConcurrentChecks: 1)
        #expect(limited.authenticate(basic("alice", "wrong")) == .failure(.invalid))
        #expect(limited.rememberedRejections == 1)
        #expect(limited.authenticate(basic("alice", "wrong")) == .failure(.invalid))
        #expect(limited.rememberedRejections == 1)
        #expect(limited.authenticate(basic("alice", "alice-pw")) == .success(.init(name: "alice", role: .admin)))

        // No check may start: passwords get 'busy'; tokens and unknown users need no check.
        let saturated = RegistryAuthenticator(users: users, maxConcurrentChecks: 0)
        #expect(saturated.authenticate(basic("alice", "alice-pw")) == .failure(.busy))
        #expect(saturated.authenticate(basic("mallory", "x")) == .failure(.invalid))
        #expect(saturated.authenticate("Bearer \(Self.token)") == .success(.init(name: "ci", role: .write)))
        let app = try RegistryServer.makeApplication(
            registry: SchemaRegistry(store: InMemorySchemaStore()),
            host: "127.0.0.1",
            port: 0,
            authenticator: saturated
        )
        try await app.test(.router) { client in
            let response = try await client.executeRequest(
                uri: "/subjects",
                method: .get,
                headers: [.authorization: basic("alice", "alice-pw")],
                body: nil
            )
            #expect(response.status.code == 429)
            #expect(response.headers[.retryAfter] == "1")
            #expect(String(buffer: response.body).contains("42901"))
        }
    }

    @Test("roles: reads and checks are read, registration write, configuration and deletion admin")
    func roles() {
        #expect(RegistryRole.required(method: "GET", path: "/subjects") == .read)
        #expect(RegistryRole.required(method: "POST", path: "/subjects/orders-value") == .read)
        #expect(RegistryRole.required(method: "POST", path: "/compatibility/subjects/orders-value/versions") == .read)
        #expect(RegistryRole.required(method: "POST", path: "/subjects/orders-value/versions") == .write)
        #expect(RegistryRole.required(method: "POST", path: "/subjects/a%2Fb.proto/versions") == .write)
        #expect(RegistryRole.required(method: "PUT", path: "/config/orders-value") == .admin)
        #expect(RegistryRole.required(method: "PUT", path: "/mode") == .admin)
        #expect(RegistryRole.required(method: "DELETE", path: "/subjects/orders-value") == .admin)
        #expect(RegistryRole.required(method: "DELETE", path: "/config") == .admin)
        #expect(RegistryRole.read < .write && RegistryRole.write < .admin)
    }

    func withServer(_ test: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        let authenticator = RegistryAuthenticator(users: try RegistryUsers(parsing: Self.usersFile))
        let app = try RegistryServer.makeApplication(
            registry: SchemaRegistry(store: InMemorySchemaStore()),
            host: "127.0.0.1",
            port: 0,
            authenticator: authenticator
        )
        try await app.test(.router) { client in try await test(client) }
    }

    func call(
        _ client: any TestClientProtocol,
        _ method: HTTPRequest.Method,
        _ uri: String,
        _ authorization: String?,
        body: [String: Any]? = nil
    ) async throws -> (status: Int, code: Int?, challenge: String?) {
        var headers: HTTPFields = [.contentType: RegistryJSON.contentType]
        if let authorization { headers[.authorization] = authorization }
        let data = try body.map { try JSONSerialization.data(withJSONObject: $0) }
        let response = try await client.executeRequest(
            uri: uri,
            method: method,
            headers: headers,
            body: data.map { ByteBuffer(bytes: $0) }
        )
        let json = try? JSONSerialization.jsonObject(with: Data(String(buffer: response.body).utf8)) as? [String: Any]
        return (response.status.code, json?["error_code"] as? Int, response.headers[.wwwAuthenticate])
    }

    @Test("401 with 40101 and a challenge without valid credentials; 403 with 40301 when the role is too small")
    func statuses() async throws {
        try await withServer { client in
            let basic = { @Sendable (user: String, password: String) in
                RegistryCredentials.basic(user: user, password: password).authorization
            }
            let register: [String: Any] = ["schema": orderV1, "schemaType": "PROTOBUF"]
            let anonymous = try await call(client, .get, "/subjects", nil)
            #expect(anonymous.status == 401 && anonymous.code == 40101)
            #expect(anonymous.challenge == "Basic realm=\"ferry-registry\"")
            #expect(try await call(client, .get, "/subjects", basic("alice", "wrong")).status == 401)
            #expect(try await call(client, .get, "/subjects", basic("mallory", "alice-pw")).status == 401)
            #expect(try await call(client, .get, "/subjects", "Bearer not-the-token").status == 401)
            #expect(try await call(client, .get, "/subjects", "Digest whatever").status == 401)

            let readOnly = try await call(
                client,
                .post,
                "/subjects/orders-value/versions",
                basic("bob", "bob-pw"),
                body: register
            )
            #expect(readOnly.status == 403 && readOnly.code == 40301)
            #expect(
                try await call(
                    client,
                    .post,
                    "/subjects/orders-value/versions",
                    basic("wendy", "wendy-pw"),
                    body: register
                ).status == 200
            )
            #expect(
                try await call(client, .post, "/subjects/orders-value/versions", "Bearer \(Self.token)", body: register)
                    .status == 200
            )
            #expect(
                try await call(client, .get, "/subjects/orders-value/versions", basic("bob", "bob-pw")).status == 200
            )
            #expect(
                try await call(client, .post, "/subjects/orders-value", basic("bob", "bob-pw"), body: register).status
                    == 200
            )

            let config: [String: Any] = ["compatibility": "FULL"]
            #expect(try await call(client, .put, "/config", basic("wendy", "wendy-pw"), body: config).code == 40301)
            #expect(try await call(client, .delete, "/subjects/orders-value", "Bearer \(Self.token)").code == 40301)
            #expect(try await call(client, .put, "/config", basic("alice", "alice-pw"), body: config).status == 200)
            #expect(try await call(client, .delete, "/subjects/orders-value", basic("alice", "alice-pw")).status == 200)

            // Through a base context path the same roles apply: the path is rewritten before the check.
            let staged = "/contexts/.staging/subjects/orders-value/versions"
            #expect(try await call(client, .post, staged, basic("bob", "bob-pw"), body: register).code == 40301)
            #expect(try await call(client, .post, staged, basic("wendy", "wendy-pw"), body: register).status == 200)
            #expect(
                try await call(client, .put, "/contexts/.staging/config", basic("wendy", "wendy-pw"), body: config)
                    .code == 40301
            )
            #expect(
                try await call(client, .put, "/contexts/.staging/config", basic("alice", "alice-pw"), body: config)
                    .status == 200
            )
        }
    }

    @Test(
        """
        ferry-registry over HTTPS with a users file serves confluent-kafka's client \
        with basic.auth.user.info; SIGHUP reloads the users
        """
    )
    func httpsWithConfluentKafka() async throws {
        let directory = try TestPaths.temporaryDirectory("ferry-registry-tls")
        defer { try? FileManager.default.removeItem(at: directory) }
        let certificate = directory.appendingPathComponent("server.pem").path
        let key = directory.appendingPathComponent("server.key").path
        try await Program.check(
            "/usr/bin/openssl",
            [
                "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", key,
                "-out", certificate,
                "-days", "1", "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
            ]
        )
        let users = directory.appendingPathComponent("users").path
        try Self.usersFile.write(toFile: users, atomically: true, encoding: .utf8)
        let server = try await ServerProcess(arguments: [
            "--memory", "--users", users, "--tls-certificate", certificate, "--tls-key", key,
        ])
        let url = "https://127.0.0.1:\(server.port)"
        let script = TestEnvironment.repositoryRoot.appendingPathComponent("scripts/interop/confluent_kafka_secure.py")
            .path
        let output = try await TestEnvironment.run(InteropPython.path, [script, "session", url, certificate])
        let result = try #require(
            try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any],
            "\(output)"
        )
        #expect(result["registered_id"] as? Int == 1)
        #expect(result["admin_subjects"] as? [String] == ["secure-value"])
        #expect(result["reader_subjects"] as? [String] == ["secure-value"])
        #expect(result["reader_register"] as? [Int] == [403, 40301])
        #expect(result["anonymous"] as? [Int] == [401, 40101])
        #expect(result["wrong_password"] as? [Int] == [401, 40101])
        #expect(result["plain_http_refused"] as? Bool == true)

        // A new user is unknown until SIGHUP makes the server re-read the file.
        let probe = { (userInfo: String) async throws -> String in
            try await TestEnvironment.run(InteropPython.path, [script, "probe", url, certificate, userInfo])
                .trimmingCharacters(in: .whitespacesAndNewlines)
        }
        #expect(try await probe("carol:carol-pw") == "401")
        try (Self.usersFile + RegistryUsers.userLine(name: "carol", role: .read, password: "carol-pw", cost: 4) + "\n")
            .write(toFile: users, atomically: true, encoding: .utf8)
        server.child.signal(SIGHUP)
        var status = ""
        for _ in 0..<40 {
            status = try await probe("carol:carol-pw")
            if status == "200" { break }
            try await Task.sleep(for: .milliseconds(250))
        }
        #expect(status == "200")
        // A file that no longer parses leaves the users in force.
        try "user dave admin plain-password\n".write(toFile: users, atomically: true, encoding: .utf8)
        server.child.signal(SIGHUP)
        try await Task.sleep(for: .milliseconds(500))
        #expect(try await probe("carol:carol-pw") == "200")
        await server.stop()
    }

    @Test(
        """
        --tls-client-ca: a client without a certificate signed by that CA is \
        refused at the handshake; one with it is served
        """
    )
    func mutualTLS() async throws {
        let directory = try TestPaths.temporaryDirectory("ferry-registry-mtls")
        defer { try? FileManager.default.removeItem(at: directory) }
        func path(_ name: String) -> String { directory.appendingPathComponent(name).path }
        func openssl(_ arguments: [String]) async throws { try await Program.check("/usr/bin/openssl", arguments) }
        let curve = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
        try await openssl(
            ["req", "-x509"] + curve + [
                "-keyout", path("ca.key"), "-out", path("ca.pem"), "-days", "1", "-subj", "/CN=Test CA",
                "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign",
            ]
        )
        for (name, extensions) in [
            ("server", "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n"),
            ("client", "extendedKeyUsage=clientAuth\n"),
        ] {
            try await openssl(
                ["req", "-new"] + curve + [
                    "-keyout", path("\(name).key"), "-out", path("\(name).csr"), "-subj", "/CN=\(name)",
                ]
            )
            try "basicConstraints=CA:FALSE\n\(extensions)".write(
                toFile: path("\(name).ext"),
                atomically: true,
                encoding: .utf8
            )
            try await openssl([
                "x509", "-req", "-in", path("\(name).csr"), "-CA", path("ca.pem"), "-CAkey", path("ca.key"),
                "-CAcreateserial",
                "-out", path("\(name).pem"), "-days", "1", "-extfile", path("\(name).ext"),
            ])
        }
        try Self.usersFile.write(toFile: path("users"), atomically: true, encoding: .utf8)
        let server = try await ServerProcess(arguments: [
            "--memory", "--users", path("users"), "--tls-certificate", path("server.pem"), "--tls-key",
            path("server.key"),
            "--tls-client-ca", path("ca.pem"),
        ])
        let url = "https://127.0.0.1:\(server.port)"
        let script = TestEnvironment.repositoryRoot.appendingPathComponent("scripts/interop/confluent_kafka_secure.py")
            .path
        let without = try await TestEnvironment.run(
            InteropPython.path,
            [script, "probe", url, path("ca.pem"), "bob:bob-pw"]
        )
        let with = try await TestEnvironment.run(
            InteropPython.path,
            [script, "probe", url, path("ca.pem"), "bob:bob-pw", path("client.pem"), path("client.key")]
        )
        await server.stop()
        #expect(without.hasPrefix("refused"), "\(without)")
        #expect(with.trimmingCharacters(in: .whitespacesAndNewlines) == "200")
    }
}
