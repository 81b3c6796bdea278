import FerryCodec

/// libFuzzer entry point: decodes the input as protobuf's conformance messages
/// (`TestAllTypesProto3` and `TestAllTypesProto2`, which between them hold every field kind:
/// scalars of each wire type, strings, bytes, enums open and closed, nested and recursive
/// messages, groups, oneofs, maps, packed and unpacked repeated fields, extensions, well-known
/// types and unknown fields).
///
/// Properties checked for each message type, besides "no crash, no leak":
/// - an accepted input re-encodes to bytes that decode to an equal message, and encoding is stable
///   (the second encoding equals the first);
/// - decoding the input twice into one message (merging) equals decoding the input concatenated
///   with itself, as protobuf's merge rules require.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    // SAFETY: libFuzzer guarantees `data` points to `size` readable bytes for the duration of
    // this call; they are copied into an array here and the pointer is not used afterwards.
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    checkRoundTrip(ProtobufTestMessages_Proto3_TestAllTypesProto3.self, bytes)
    checkRoundTrip(ProtobufTestMessages_Proto2_TestAllTypesProto2.self, bytes)
    return 0
}

/// Decoding with partial messages allowed, so proto2 inputs missing `required` fields still reach
/// the round trip.
private let options = DecodingOptions(allowPartial: true)

/// Checks the round-trip and merge properties of `type` on `bytes`; traps with a description when
/// one fails, which libFuzzer reports as a crash.
private func checkRoundTrip<M: Message>(_ type: M.Type, _ bytes: [UInt8]) {
    guard let message = try? M(serializedBytes: bytes, options: options) else { return }
    let encoded = message.serializedBytes()
    let decoded: M
    do {
        decoded = try M(serializedBytes: encoded, options: options)
    } catch {
        fatalError("\(M.protoMessageName): re-encoded message does not decode: \(error)\nencoded: \(encoded)")
    }
    let reencoded = decoded.serializedBytes()
    // Equality is field-wise, so a NaN float makes a message unequal to itself; the encodings
    // then decide (they hold the NaN's exact bits).
    guard decoded == message || reencoded == encoded else {
        fatalError("\(M.protoMessageName): round trip changed the message\nfirst: \(message)\nsecond: \(decoded)")
    }
    guard reencoded.count == encoded.count else {
        fatalError("\(M.protoMessageName): encoding is unstable: \(encoded.count) then \(reencoded.count) bytes")
    }
    guard encoded.count == message.serializedSize else {
        fatalError(
            """
            \(M.protoMessageName): serializedSize \(message.serializedSize) \
            differs from the encoding's \(encoded.count) bytes
            """
        )
    }

    var merged = message
    do {
        try merged.merge(serializedBytes: bytes, options: options)
    } catch {
        fatalError("\(M.protoMessageName): merging an accepted input a second time failed: \(error)")
    }
    let concatenated: M
    do {
        concatenated = try M(serializedBytes: bytes + bytes, options: options)
    } catch {
        fatalError("\(M.protoMessageName): an accepted input concatenated with itself does not decode: \(error)")
    }
    guard merged == concatenated || merged.serializedBytes() == concatenated.serializedBytes() else {
        fatalError(
            """
            \(M.protoMessageName): merging twice differs from decoding the doubled \
            input\nmerged: \(merged)\ndoubled: \(concatenated)
            """
        )
    }
}
