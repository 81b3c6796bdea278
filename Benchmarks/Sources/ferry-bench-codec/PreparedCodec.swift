import FerryBench

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
    /// Reads every message of the dataset from the shared JSON inputs.
    let jsonDecodePass: () throws -> Int
    /// Writes every (pre-decoded) message as JSON.
    let jsonEncodePass: () throws -> Int
    /// Whether the shared JSON inputs read back as the messages the binary inputs decode to.
    let jsonRoundTrips: Bool
}

/// The README's check: re-encoded bytes decode to messages equal to the originals, and whether
/// they are the very bytes of the file.
struct CheckOutcome {
    let roundTrips: Bool
    let bytesIdentical: Bool
    let outBytes: Int
}

/// Decodes the dataset once, checks the round trip, and returns passes that reuse the inputs.
/// `jsonInputs` is the dataset as JSON, written once by one implementation so both read the same text.
func prepare<C: CodecUnderTest>(_ codec: C, _ dataset: DatasetFile, jsonInputs: [[UInt8]]) throws -> PreparedCodec {
    let inputs = dataset.messages
    let decoded = try codec.decodeAll(inputs)
    let encoded = try codec.encodeAll(decoded)
    let again = try codec.decodeAll(encoded)
    let outBytes = encoded.reduce(0) { $0 + $1.count }
    let check = CheckOutcome(roundTrips: again == decoded, bytesIdentical: encoded == inputs, outBytes: outBytes)
    let fromJSON = try codec.jsonDecodeAll(jsonInputs)
    let ownJSON = try codec.jsonDecodeAll(codec.jsonEncodeAll(decoded))
    return PreparedCodec(
        impl: codec.name,
        check: check,
        encodedBytes: outBytes,
        decodePass: { try codec.decodeAll(inputs).count },
        encodePass: { try codec.encodeAll(decoded).count },
        jsonDecodePass: { try codec.jsonDecodeAll(jsonInputs).count },
        jsonEncodePass: { try codec.jsonEncodeAll(decoded).count },
        jsonRoundTrips: fromJSON == decoded && ownJSON == decoded
    )
}
