import FerryCodec
import Testing

/// The build-tool plugin generated these types from Schemas/ while this target built.
@Suite struct CheckoutSchemaTests {
    private func sampleRequest() -> Ferry_Examples_V1_ChargeRequest {
        var amount = Ferry_Examples_V1_Money()
        amount.currency = "EUR"
        amount.minorUnits = 12_99
        var request = Ferry_Examples_V1_ChargeRequest()
        request.orderId = "order-1"
        request.amount = amount
        request.instrument = .cardToken("tok_visa")
        request.labels = ["channel": "web", "campaign": "black-friday"]
        return request
    }

    @Test("plugin-generated messages round-trip through the wire format")
    func roundTrip() throws {
        let request = sampleRequest()
        let decoded = try Ferry_Examples_V1_ChargeRequest(serializedBytes: request.serializedBytes())
        #expect(decoded == request)
        #expect(decoded.instrument == .cardToken("tok_visa"))
    }

    @Test("the encoding is protobuf's: field by field, as protoc's runtimes write it")
    func knownBytes() {
        var money = Ferry_Examples_V1_Money()
        money.currency = "EUR"
        money.minorUnits = 1299
        // field 1 (string "EUR"), field 2 (varint 1299)
        #expect(money.serializedBytes() == [0x0A, 0x03, 0x45, 0x55, 0x52, 0x10, 0x93, 0x0A])
    }

    @Test("an event with a well-known Timestamp field round-trips")
    func event() throws {
        var event = Ferry_Examples_V1_OrderPlaced()
        event.orderId = "order-1"
        var placedAt = Google_Protobuf_Timestamp()
        placedAt.seconds = 1_700_000_000
        placedAt.nanos = 5
        event.placedAt = placedAt
        var item = Ferry_Examples_V1_LineItem()
        item.sku = "SKU-1"
        item.quantity = 2
        event.items = [item, item]
        let decoded = try Ferry_Examples_V1_OrderPlaced(serializedBytes: event.serializedBytes())
        #expect(decoded == event)
        #expect(Ferry_Examples_V1_OrderPlaced.descriptor.name == "OrderPlaced")
    }
}
