public import FerryRegistry
public import Hummingbird
import NIOCore

/// Builds and runs the registry service: storage, the ``SchemaRegistry`` and the REST routes on Hummingbird.
public enum RegistryServer {
    /// Opens the configured store.
    public static func makeStore(_ storage: RegistryServerConfiguration.Storage) async throws(RegistryError) -> any SchemaStore {
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
    ///   - onServerRunning: called with the bound port once the server accepts connections.
    public static func makeApplication(
        registry: SchemaRegistry, host: String, port: Int, onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        let router = Router(context: BasicRequestContext.self)
        RegistryRoutes(registry: registry).add(to: router)
        return Application(
            router: router,
            configuration: ApplicationConfiguration(address: .hostname(host, port: port), serverName: "ferry-registry"),
            onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? port) })
    }

    /// Runs a registry until SIGINT or SIGTERM.
    public static func run(_ configuration: RegistryServerConfiguration, onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        let store = try await makeStore(configuration.storage)
        let registry = SchemaRegistry(store: store)
        let application = makeApplication(registry: registry, host: configuration.host, port: configuration.port, onServerRunning: onServerRunning)
        try await application.runService()
        if let sqlStore = store as? SQLSchemaStore { await sqlStore.close() }
    }
}
