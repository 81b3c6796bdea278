import FerryCodec
import Testing

@Suite struct BenchSmokeTests {
    @Test("bench messages encode and decode")
    func smoke() throws {
        var order = Benchpb_OrderPlaced()
        order.orderId = "o-1"
        order.payment = .walletId("w")
        order.attributes = ["a": "b"]
        let bytes = order.serializedBytes()
        #expect(try Benchpb_OrderPlaced(serializedBytes: bytes) == order)
    }
}
