import ShopModels

// The generated Shop_Orders_Order comes from shop/order.proto, which imports ShopModels'
// shop/money.proto; this file gives the target a Swift source of its own, as SwiftPM requires.
extension Shop_Orders_Order {
    /// Units refunded so far, in the order's currency.
    package var refundedUnits: Int64 { refunds.filter { $0.currency == total?.currency }.reduce(0) { $0 + $1.units } }
}
