import FerryRegistry
import Foundation
import ProcessTestSupport
import Testing

@testable import FerryRegistryServer

/// TLS between the registry and PostgreSQL, against the test cluster, whose role `ferry_tls` is
/// admitted over TLS only (scripts/postgres-test-cluster.sh).
@Suite("TLS to PostgreSQL", .serialized)
struct PostgresTLSTests {
    /// A fresh database's URL as the TLS-only role, with `query` appended.
    func url(_ query: String) async throws -> String {
        var components = try #require(URLComponents(string: try await TestEnvironment.freshPostgresURL()))
        components.user = "ferry_tls"
        return (components.string ?? "") + query
    }

    @Test(
        "verify-full with the cluster's certificate connects, and the TLS-only role proves the connection is encrypted"
    )
    func verified() async throws {
        let ca = try await TestEnvironment.postgresCA()
        let store = try await SQLSchemaStore.postgres(url: try await url("?sslmode=verify-full&sslrootcert=\(ca)"))
        let registry = SchemaRegistry(store: store)
        let registered = try await registry.register(subject: "orders-value", SchemaInput(schema: orderV1))
        #expect(try await registry.schema(id: registered.schema.id).text == registered.schema.text)
        await store.close()
        let required = try await SQLSchemaStore.postgres(url: try await url("?sslmode=require"))
        #expect(try await SchemaRegistry(store: required).subjects().isEmpty)
        await required.close()
    }

    @Test(
        """
        without TLS the TLS-only role is refused; a certificate from another CA \
        fails verify-full; an unknown sslmode is an error
        """
    )
    func refused() async throws {
        let plain = await #expect(throws: RegistryError.self) {
            try await SQLSchemaStore.postgres(url: try await url(""))
        }
        #expect(plain?.code == .storeError)

        let directory = try TestPaths.temporaryDirectory("ferry-pg-ca")
        defer { try? FileManager.default.removeItem(at: directory) }
        let other = directory.appendingPathComponent("other.pem").path
        try await Program.check(
            "/usr/bin/openssl",
            [
                "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1",
                "-subj", "/CN=Other", "-keyout", directory.appendingPathComponent("other.key").path, "-out", other,
            ]
        )
        let untrusted = await #expect(throws: RegistryError.self) {
            try await SQLSchemaStore.postgres(url: try await url("?sslmode=verify-full&sslrootcert=\(other)"))
        }
        #expect(untrusted?.code == .storeError)

        let unknown = await #expect(throws: RegistryError.self) {
            try await SQLSchemaStore.postgres(url: try await url("?sslmode=sometimes"))
        }
        #expect(unknown?.message.contains("unknown sslmode 'sometimes'") == true)
    }
}
