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
            let serializer = try RegistrySerializer<OrderPlaced>(client: client)
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
            let decoded = try await RegistryDeserializer<OrderPlaced>(client: client).deserialize(first)
            #expect(decoded == order)
        }
    }

    @Test("useLatestVersion asks for the latest id once per TTL, on the serializer's clock")
    func latestVersionTTL() async throws {
        try await RegistryServer.serving(SchemaRegistry(store: InMemorySchemaStore())) { url in
            let transport = CountingTransport(base: URLSessionRegistryTransport(baseURL: url))
            let client = HTTPRegistryClient(transport: transport, caching: false)
            let first = try await RegistrySerializer<OrderPlaced>(client: client).serialize(
                OrderPlaced(),
                topic: "orders"
            )
            let firstID = try ConfluentWireFormat.decode(first).header.schemaID

            let start = ContinuousClock.now
            let clock = Mutex(start)
            let latest = try RegistrySerializer<OrderPlaced>(
                client: client,
                configuration: .init(useLatestVersion: true, latestVersionTTL: .seconds(60)),
                now: { clock.withLock { $0 } }
            )
            let before = transport.count
            _ = try await latest.serialize(OrderPlaced(), topic: "orders")
            _ = try await latest.serialize(OrderPlaced(), topic: "orders")
            #expect(transport.count == before + 1)

            // A newer version appears (compatibility off: this one drops OrderCancelled); the cached id
            // stays in use until the TTL passes.
            let newer =
                """
                syntax = \"proto3\";\npackage acme.events;\nmessage OrderPlaced { int64 order_id = 1; string \
                customer = 2; double total = 3; repeated string items = 4; string note = 9; }\n
                """
            try await client.setCompatibility(.none, subject: "orders-value")
            let newID = try await client.registerSchema(subject: "orders-value", SchemaInput(schema: newer))
            #expect(newID != firstID)
            let stale = try await latest.serialize(OrderPlaced(), topic: "orders")
            #expect(try ConfluentWireFormat.decode(stale).header.schemaID == firstID)
            clock.withLock { $0 = start + .seconds(61) }
            let fresh = try await latest.serialize(OrderPlaced(), topic: "orders")
            #expect(try ConfluentWireFormat.decode(fresh).header.schemaID == newID)
        }
    }
}
