// The codec half of the demo: generated messages to bytes and back, and each type's schema.
import FerryCodec

func hex(_ bytes: [UInt8]) -> String {
    bytes.map { byte in
        let digits = String(byte, radix: 16)
        return digits.count == 1 ? "0" + digits : digits
    }.joined(separator: " ")
}

/// Encodes and decodes the checkout messages and shows malformed input rejected.
func codecTour() {
    var amount = Ferry_Examples_V1_Money()
    amount.currency = "EUR"
    amount.minorUnits = 4_250

    var request = Ferry_Examples_V1_ChargeRequest()
    request.orderId = "order-2026-11-25-0001"
    request.amount = amount
    request.instrument = .cardToken("tok_visa_4242")
    request.labels = ["channel": "web", "campaign": "black-friday"]

    let bytes = request.serializedBytes()
    print("ChargeRequest → \(bytes.count) bytes of protobuf:")
    print("  \(hex(bytes))")

    do {
        let decoded = try Ferry_Examples_V1_ChargeRequest(serializedBytes: bytes)
        print(
            """
            decoded: order \(decoded.orderId), \(decoded.amount?.minorUnits ?? 0) \
            \(decoded.amount?.currency ?? "") minor units, instrument \
            \(decoded.instrument.map { String(describing: $0) } ?? "none"), labels \
            \(decoded.labels.sorted { $0.key < $1.key })
            """
        )
        print("round trip equal: \(decoded == request)")
    } catch {
        print("decoding failed: \(error)")
    }

    var placed = Ferry_Examples_V1_OrderPlaced()
    placed.orderId = request.orderId
    placed.customerId = "customer-7"
    placed.total = amount
    var timestamp = Google_Protobuf_Timestamp()
    timestamp.seconds = 1_764_028_800
    placed.placedAt = timestamp
    let eventBytes = placed.serializedBytes()
    print("OrderPlaced event → \(eventBytes.count) bytes; its schema travels with the type:")
    let descriptor = Ferry_Examples_V1_OrderPlaced.descriptor
    print(
        "  message \(descriptor.name ?? "?") with fields "
            + descriptor.field.map { "\($0.name ?? "?") = \($0.number ?? 0)" }.joined(separator: ", ")
    )

    // Malformed input is an error, never a crash.
    do {
        _ = try Ferry_Examples_V1_ChargeRequest(serializedBytes: Array(bytes.dropLast(3)))
    } catch {
        print("truncated input rejected: \(error)")
    }
}
