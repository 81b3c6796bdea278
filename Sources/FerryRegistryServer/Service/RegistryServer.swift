/// Public: `SchemaRegistry`, `SchemaStore` and `RegistryError` (FerryRegistry) appear in this file's public API.
public import FerryRegistry
/// Public: the server is a Hummingbird application (`ApplicationProtocol`).
public import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import NIOCore

/// Builds and runs the registry service: storage, the `SchemaRegistry` and the REST routes on Hummingbird.
public enum RegistryServer {
    /// Opens the configured store.
    public static func makeStore(
        _ storage: RegistryServerConfiguration.Storage
    ) async throws(RegistryError) -> any SchemaStore {
        switch storage {
        case .sqlite(let path): try await SQLSchemaStore.sqlite(path: path)
        case .postgres(let url): try await SQLSchemaStore.postgres(url: url)
        case .memory: InMemorySchemaStore()
        }
    }

    /// The Hummingbird application serving a registry.
    ///
    /// - Parameters:
    ///   - registry: the registry to serve.
    ///   - host: the address to listen on.
    ///   - port: the port; 0 picks a free one, reported through `onServerRunning`.
    ///   - authenticator: when given, every request needs credentials whose role allows it.
    ///   - tls: when given, the listener speaks HTTPS only.
    ///   - onServerRunning: called with the bound port once the server accepts connections.
    /// - Throws: NIOSSL's error when a TLS file cannot be read.
    public static func makeApplication(
        registry: SchemaRegistry,
        host: String,
        port: Int,
        authenticator: RegistryAuthenticator? = nil,
        tls: RegistryTLSFiles? = nil,
        onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) throws -> some ApplicationProtocol {
        let router = Router(context: BasicRequestContext.self)
        // Outermost, so that no route (and no error answer of one) runs for an unauthorized caller.
        if let authenticator { router.add(middleware: RegistryAuthMiddleware(authenticator: authenticator)) }
        RegistryRoutes(registry: registry).add(to: router)
        let server: HTTPServerBuilder =
            try tls.map { try .tls(.http1(), tlsConfiguration: try $0.serverConfiguration()) } ?? .http1()
        // The base context path (`/contexts/.ctx/…`) is rewritten before routing and authorization.
        return Application(
            responder: ContextPathResponder(inner: router.buildResponder()),
            server: server,
            configuration: ApplicationConfiguration(address: .hostname(host, port: port), serverName: "ferry-registry"),
            onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? port) }
        )
    }

    /// The Hummingbird application serving a registry over plain HTTP with no authentication (tests, embedding).
    public static func makeApplication(
        registry: SchemaRegistry,
        host: String,
        port: Int,
        onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        let router = Router(context: BasicRequestContext.self)
        RegistryRoutes(registry: registry).add(to: router)
        return Application(
            responder: ContextPathResponder(inner: router.buildResponder()),
            configuration: ApplicationConfiguration(address: .hostname(host, port: port), serverName: "ferry-registry"),
            onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? port) }
        )
    }

    /// Serves `registry` on a free loopback port while `body` runs (tests, benchmarks, embedding).
    ///
    /// - Parameters:
    ///   - registry: the registry the REST API serves.
    ///   - body: gets the server's base URL, e.g. `http://127.0.0.1:54321`.
    public static func serving<T: Sendable>(
        _ registry: SchemaRegistry,
        _ body: @Sendable (String) async throws -> T
    ) async throws -> T {
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        let application = makeApplication(registry: registry, host: "127.0.0.1", port: 0) { port in
            continuation.yield(port)
        }
        let server = Task { try await application.runService(gracefulShutdownSignals: []) }
        defer { server.cancel() }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else {
            throw RegistryError(.transportError, "the registry server did not start")
        }
        let result = try await body("http://127.0.0.1:\(port)")
        server.cancel()
        _ = try? await server.value
        return result
    }

    /// Runs a registry until SIGINT or SIGTERM; with a users file, SIGHUP re-reads it.
    public static func run(
        _ configuration: RegistryServerConfiguration,
        onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) async throws {
        let authenticator = try configuration.usersFile.map {
            path throws(RegistryServerConfiguration.ConfigurationError) in
            try RegistryAuthenticator(usersFile: path)
        }
        let store = try await makeStore(configuration.storage)
        let registry = SchemaRegistry(store: store)
        let application = try makeApplication(
            registry: registry,
            host: configuration.host,
            port: configuration.port,
            authenticator: authenticator,
            tls: configuration.tls,
            onServerRunning: onServerRunning
        )
        let reloader = authenticator.map(UsersFileReloader.init)
        try await application.runService()
        reloader?.cancel()
        if let sqlStore = store as? SQLSchemaStore { await sqlStore.close() }
    }
}
