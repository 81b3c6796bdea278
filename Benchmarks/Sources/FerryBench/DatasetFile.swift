import Foundation

/// One dataset of ../shared/bench/data: a file of `[varint length][message bytes]` records.
struct DatasetFile {
    let name: String
    /// Each message's bytes exactly as stored (framing removed).
    let messages: [[UInt8]]

    /// Payload bytes, framing excluded: what decode throughput is computed from.
    var payloadBytes: Int { messages.reduce(0) { $0 + $1.count } }

    struct LoadError: Error, CustomStringConvertible {
        let description: String
    }

    /// Reads `DIR/NAME.bin` and splits it into messages.
    init(name: String, directory: String) throws {
        let path = directory + "/" + name + ".bin"
        guard let data = FileManager.default.contents(atPath: path) else {
            throw LoadError(description: "cannot read dataset file \(path)")
        }
        self.name = name
        self.messages = try Self.split([UInt8](data), path: path)
    }

    static func split(_ bytes: [UInt8], path: String) throws -> [[UInt8]] {
        var messages: [[UInt8]] = []
        var index = 0
        while index < bytes.count {
            var length = 0
            var shift = 0
            while true {
                guard index < bytes.count, shift < 63 else {
                    throw LoadError(description: "\(path): bad length prefix at offset \(index)")
                }
                let byte = bytes[index]
                index += 1
                length |= Int(byte & 0x7F) << shift
                if byte < 0x80 { break }
                shift += 7
            }
            guard length <= bytes.count - index else {
                throw LoadError(description: "\(path): message of \(length) bytes runs past the end at offset \(index)")
            }
            messages.append(Array(bytes[index ..< index + length]))
            index += length
        }
        return messages
    }
}
