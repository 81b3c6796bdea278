/// The framing Confluent's serializers put around a Protobuf payload on a broker:
/// magic byte 0, the schema id as 4 bytes big-endian, the message-index path of the type within its
/// schema file (a zigzag varint count followed by zigzag varint indexes; the common path `[0]` is
/// written as a single 0), then the protobuf bytes.
public enum ConfluentWireFormat {
    /// The header of a framed payload.
    public struct Header: Sendable, Hashable {
        /// The registry's global id of the writer's schema.
        public var schemaID: Int
        /// The path of the message type in the schema file: `[1]` is the second top-level message,
        /// `[0, 2]` the third message nested in the first.
        public var messageIndexes: [Int]

        /// Creates a header.
        public init(schemaID: Int, messageIndexes: [Int]) {
            self.schemaID = schemaID
            self.messageIndexes = messageIndexes
        }
    }

    /// The magic byte that starts every framed payload.
    public static let magicByte: UInt8 = 0

    /// Frames protobuf bytes.
    public static func encode(_ header: Header, payload: [UInt8]) -> [UInt8] {
        var bytes: [UInt8] = [magicByte]
        bytes.reserveCapacity(payload.count + 8 + header.messageIndexes.count)
        let id = UInt32(truncatingIfNeeded: header.schemaID)
        bytes += [
            UInt8(id >> 24), UInt8(truncatingIfNeeded: id >> 16), UInt8(truncatingIfNeeded: id >> 8),
            UInt8(truncatingIfNeeded: id),
        ]
        if header.messageIndexes == [0] {
            bytes.append(0)
        } else {
            appendZigzag(Int64(header.messageIndexes.count), to: &bytes)
            for index in header.messageIndexes { appendZigzag(Int64(index), to: &bytes) }
        }
        return bytes + payload
    }

    /// Splits a framed payload into its header and the protobuf bytes.
    ///
    /// - Throws: ``PayloadError/Code/wrongMagicByte`` or ``PayloadError/Code/truncated``.
    public static func decode(_ bytes: [UInt8]) throws(PayloadError) -> (header: Header, payload: ArraySlice<UInt8>) {
        guard let first = bytes.first else {
            throw PayloadError(
                .truncated,
                "empty payload: expected magic byte 0, a 4-byte schema id and message indexes"
            )
        }
        guard first == magicByte else {
            throw PayloadError(
                .wrongMagicByte,
                "unknown magic byte \(first): not a Confluent-framed payload (expected 0)"
            )
        }
        guard bytes.count >= 5 else {
            throw PayloadError(.truncated, "payload of \(bytes.count) bytes ends inside the 4-byte schema id")
        }
        let id = Int(UInt32(bytes[1]) << 24 | UInt32(bytes[2]) << 16 | UInt32(bytes[3]) << 8 | UInt32(bytes[4]))
        var position = 5
        let count = try readZigzag(bytes, &position)
        var indexes: [Int] = []
        if count == 0 {
            indexes = [0]
        } else {
            guard count > 0, count <= Int64(bytes.count - position) else {
                throw PayloadError(
                    .truncated,
                    "message index count \(count) does not fit the \(bytes.count - position) bytes left"
                )
            }
            for _ in 0..<count {
                let index = try readZigzag(bytes, &position)
                guard index >= 0, index <= Int64(Int32.max) else {
                    throw PayloadError(.truncated, "negative or oversized message index \(index)")
                }
                indexes.append(Int(index))
            }
        }
        return (Header(schemaID: id, messageIndexes: indexes), bytes[position...])
    }

    private static func appendZigzag(_ value: Int64, to bytes: inout [UInt8]) {
        var encoded = UInt64(bitPattern: (value << 1) ^ (value >> 63))
        while encoded >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: encoded) | 0x80)
            encoded >>= 7
        }
        bytes.append(UInt8(encoded))
    }

    private static func readZigzag(_ bytes: [UInt8], _ position: inout Int) throws(PayloadError) -> Int64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard position < bytes.count else {
                throw PayloadError(.truncated, "payload ends inside the message indexes")
            }
            let byte = bytes[position]
            position += 1
            result |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 { break }
            shift += 7
            guard shift < 64 else { throw PayloadError(.truncated, "message index varint longer than 10 bytes") }
        }
        return Int64(bitPattern: result >> 1) ^ -Int64(bitPattern: result & 1)
    }
}
