/// One implementation made ready for one dataset: checked once, then timed pass by pass.
struct PreparedCodec {
    let impl: String
    let check: CheckOutcome
    /// Bytes one encode pass produces.
    let encodedBytes: Int
    /// Decodes every message of the dataset; returns a count for the black hole.
    let decodePass: () throws -> Int
    /// Encodes every (pre-decoded) message of the dataset.
    let encodePass: () throws -> Int
}

/// The README's check: re-encoded bytes decode to messages equal to the originals, and whether
/// they are the very bytes of the file.
struct CheckOutcome {
    let roundTrips: Bool
    let bytesIdentical: Bool
    let outBytes: Int
}

/// Decodes the dataset once, checks the round trip, and returns passes that reuse the inputs.
func prepare<C: CodecUnderTest>(_ codec: C, _ dataset: DatasetFile) throws -> PreparedCodec {
    let inputs = dataset.messages
    let decoded = try codec.decodeAll(inputs)
    let encoded = try codec.encodeAll(decoded)
    let again = try codec.decodeAll(encoded)
    let outBytes = encoded.reduce(0) { $0 + $1.count }
    let check = CheckOutcome(roundTrips: again == decoded, bytesIdentical: encoded == inputs, outBytes: outBytes)
    return PreparedCodec(
        impl: codec.name,
        check: check,
        encodedBytes: outBytes,
        decodePass: { try codec.decodeAll(inputs).count },
        encodePass: { try codec.encodeAll(decoded).count }
    )
}
