import FerryCodec
import Testing

/// Python protobuf fills every message of the fixture files with edge values (several variants:
/// negatives, max/min, -0.0, NaN, infinities, empty and non-ASCII strings, unrecognized enum
/// numbers, nested and repeated messages, maps serialized deterministically, unknown fields of
/// every wire type); the generated Swift code must decode each and re-encode the same bytes.
@Suite struct PythonRoundTripTests {
    static let messageTypes: [String: any FerryCodec.DescribedMessage.Type] = Dictionary(
        allGeneratedMessages.map { ($0.protoMessageName, $0) },
        uniquingKeysWith: { first, _ in first }
    )

    @Test("python-encoded messages of every fixture type round-trip byte for byte")
    func roundTrip() async throws {
        let set = try await Oracle.descriptorSet()
        let lines = try await Oracle.python(["emit", set] + Oracle.protoFiles).split(separator: "\n")
        #expect(lines.count > 600)
        var checked = 0
        for line in lines {
            let parts = line.split(separator: " ")
            guard parts.count >= 2 else { continue }
            let name = String(parts[0])
            let bytes = parts.count > 2 ? [UInt8](hex: parts[2]) ?? [] : []
            guard let type = Self.messageTypes[name] else {
                Issue.record("no generated type for \(name)")
                continue
            }
            let message = try type.init(serializedBytes: bytes, options: DecodingOptions(allowPartial: true))
            let again = message.serializedBytes()
            if again != bytes {
                let at = zip(again, bytes).prefix(while: { $0 == $1 }).count
                Issue.record(
                    """
                    \(name) variant \(parts[1]): first difference at byte \(at) of \(bytes.count): expected \
                    …\(Array(bytes[at...].prefix(12)).hex), got …\(Array(again[at...].prefix(12)).hex)
                    """
                )
            }
            checked += 1
        }
        #expect(checked == lines.count)
    }
}
