import FerryRegistry
import FerryRegistryServer
import Foundation
import RegistryTestSupport
import Synchronization
import Testing

/// Counts the requests that reach the registry.
final class CountingTransport: RegistryTransport {
    let base: URLSessionRegistryTransport
    private let sent = Mutex(0)

    init(base: URLSessionRegistryTransport) { self.base = base }

    var count: Int { sent.withLock { $0 } }

    func send(_ request: RegistryHTTPRequest) async throws(RegistryError) -> (status: Int, body: [UInt8]) {
        sent.withLock { $0 += 1 }
        return try await base.send(request)
    }
}

@Suite("Serializing generated types with only their embedded descriptors")
struct GeneratedTypeSerializerTests {
    @Test("the first message registers the type's schema; later ones ask the registry nothing")
    func noRequestAfterFirst() async throws {
        try await RegistryServer.serving(SchemaRegistry(store: InMemorySchemaStore())) { url in
            let transport = CountingTransport(base: URLSessionRegistryTransport(baseURL: url))
            // No client-side cache: whatever the serializer asks would reach the server.
            let client = HTTPRegistryClient(transport: transport, caching: false)
            let serializer = try ProtobufSerializer<OrderPlaced>(client: client)
            let order = OrderPlaced(orderID: 1, customer: "ada", total: 3, items: ["tea"])
            let first = try await serializer.serialize(order, topic: "orders")
            let afterFirst = transport.count
            #expect(afterFirst >= 1)
            for _ in 0..<5 {
                #expect(try await serializer.serialize(order, topic: "orders") == first)
            }
            #expect(transport.count == afterFirst)
            // Another topic is another subject: one more registration, then quiet again.
            _ = try await serializer.serialize(order, topic: "audit")
            let afterSecond = transport.count
            #expect(afterSecond > afterFirst)
            _ = try await serializer.serialize(order, topic: "audit")
            #expect(transport.count == afterSecond)
            let registered = try await client.version(subject: "orders-value", .latest)
            #expect(registered.schema.text.contains("message OrderPlaced"))
            let decoded = try await ProtobufDeserializer<OrderPlaced>(client: client).deserialize(first)
            #expect(decoded == order)
        }
    }
}
