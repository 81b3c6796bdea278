import FerryKafka

/// Headers as one column: for each header, its name's length (4 bytes, big-endian), the name in
/// UTF-8, the value's length (4 bytes, all ones for a null value), the value.
enum OutboxHeaders {
    static func encode(_ headers: [KafkaHeader]) -> [UInt8] {
        var bytes: [UInt8] = []
        for header in headers {
            let name = Array(header.name.utf8)
            append(UInt32(name.count), to: &bytes)
            bytes += name
            if let value = header.value {
                append(UInt32(value.count), to: &bytes)
                bytes += value
            } else {
                append(UInt32.max, to: &bytes)
            }
        }
        return bytes
    }

    /// The headers `bytes` encode; nil when they are not in this format (a damaged row).
    static func decode(_ bytes: [UInt8]) -> [KafkaHeader]? {
        var headers: [KafkaHeader] = []
        var index = 0
        func read() -> UInt32? {
            guard index + 4 <= bytes.count else { return nil }
            defer { index += 4 }
            return bytes[index..<index + 4].reduce(0) { $0 << 8 | UInt32($1) }
        }
        while index < bytes.count {
            guard let nameLength = read(), let nameEnd = index.addingExact(Int(nameLength)), nameEnd <= bytes.count
            else { return nil }
            let name = String(decoding: bytes[index..<nameEnd], as: UTF8.self)
            index = nameEnd
            guard let valueLength = read() else { return nil }
            if valueLength == UInt32.max {
                headers.append(KafkaHeader(name: name, value: nil))
                continue
            }
            guard let valueEnd = index.addingExact(Int(valueLength)), valueEnd <= bytes.count else { return nil }
            headers.append(KafkaHeader(name: name, value: Array(bytes[index..<valueEnd])))
            index = valueEnd
        }
        return headers
    }

    private static func append(_ value: UInt32, to bytes: inout [UInt8]) {
        bytes += [UInt8(value >> 24), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)]
    }
}

extension Int {
    /// `self + other`, or nil on overflow.
    fileprivate func addingExact(_ other: Int) -> Int? {
        let (sum, overflow) = addingReportingOverflow(other)
        return overflow ? nil : sum
    }
}
