import FerryRegistry
import FerryRegistryServer
import Logging
import ServiceLifecycle
import Testing

@Suite("The registry server in a ServiceGroup")
struct RegistryServiceGroupTests {
    @Test("The registry application runs as a Service and stops on the group's graceful shutdown")
    func gracefulShutdown() async throws {
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        let application = RegistryServer.makeApplication(
            registry: SchemaRegistry(store: InMemorySchemaStore()),
            host: "127.0.0.1",
            port: 0
        ) { port in continuation.yield(port) }
        var logger = Logger(label: "ferry.registry.lifecycle.test")
        logger.logLevel = .critical
        let group = ServiceGroup(services: [application], gracefulShutdownSignals: [], logger: logger)
        let run = Task { try await group.run() }
        var iterator = ports.makeAsyncIterator()
        let port = try #require(await iterator.next())
        let client = HTTPRegistryClient(baseURL: "http://127.0.0.1:\(port)", caching: false)
        #expect(try await client.subjects() == [])
        await group.triggerGracefulShutdown()
        try await run.value
        let refused = await #expect(throws: RegistryError.self) { try await client.subjects() }
        #expect(refused != nil, "nothing listens once the group has stopped")
    }
}
