import FerryCodec
import ShopModels
import ShopOrders
import Testing

/// Generated code in one module using messages generated in another: ShopOrders' order.proto
/// imports ShopModels' money.proto, and the build-tool plugin maps that file to ShopModels.
@Suite struct ModuleMappingTests {
    static func order() -> Shop_Orders_Order {
        var total = SMMoney()
        total.currency = "EUR"
        total.units = 12
        var order = Shop_Orders_Order()
        order.id = "A-1"
        order.total = total
        order.refunds = [total]
        order.byItem = ["sku-1": total]
        order.channel = .web
        return order
    }

    @Test("a message from another module is a field, a list element and a map value, on the wire")
    func binaryRoundTrip() throws {
        let order = Self.order()
        #expect(try Shop_Orders_Order(serializedBytes: order.serializedBytes()) == order)
    }

    @Test("JSON and text format resolve the other module's types through the embedded descriptors")
    func otherFormats() throws {
        let order = Self.order()
        let json = try order.jsonString()
        #expect(json.contains(#""total":{"currency":"EUR","units":"12"}"#))
        #expect(json.contains(#""channel":"CHANNEL_WEB""#))
        #expect(try Shop_Orders_Order(jsonString: json) == order)
        #expect(try Shop_Orders_Order(textFormatString: order.textFormatString()) == order)
    }

    @Test("the file's descriptor set includes the imported file from the other module")
    func descriptorSet() {
        let names = Shop_Order_ProtoFile.fileDescriptorSet.file.map(\.name)
        #expect(names == ["shop/money.proto", "shop/order.proto"])
    }
}
