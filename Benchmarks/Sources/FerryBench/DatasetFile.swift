import Foundation

/// One dataset of ../shared/bench/data: a file of `[varint length][message bytes]` records.
public struct DatasetFile: Sendable {
    /// The dataset's name (`order`, `small`, ...).
    public let name: String
    /// Each message's bytes exactly as stored (framing removed).
    public let messages: [[UInt8]]

    /// Payload bytes, framing excluded: what decode throughput is computed from.
    public var payloadBytes: Int { messages.reduce(0) { $0 + $1.count } }

    /// The file is missing or not in the dataset format.
    public struct LoadError: Error, CustomStringConvertible {
        /// What is wrong.
        public let description: String
    }

    /// Reads `DIR/NAME.bin` and splits it into messages.
    public init(name: String, directory: String) throws {
        let path = directory + "/" + name + ".bin"
        guard let data = FileManager.default.contents(atPath: path) else {
            throw LoadError(description: "cannot read dataset file \(path)")
        }
        self.name = name
        self.messages = try Self.split([UInt8](data), path: path)
    }

    /// Splits `[varint length][message]` records.
    public static func split(_ bytes: [UInt8], path: String) throws -> [[UInt8]] {
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
            messages.append(Array(bytes[index..<index + length]))
            index += length
        }
        return messages
    }
}
