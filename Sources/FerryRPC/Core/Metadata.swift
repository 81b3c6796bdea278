/// Key-value pairs sent with an RPC: request headers, response headers and trailers.
///
/// Keys are case-insensitive and stored lowercased. A key ending in `-bin` carries binary values
/// (base64-encoded on the wire by the transport); every other key carries printable ASCII text.
/// Order is preserved and a key may repeat.
public struct Metadata: Sendable, Hashable, Sequence, ExpressibleByDictionaryLiteral, CustomStringConvertible {
    /// A metadata value: text for ordinary keys, bytes for `-bin` keys.
    public enum Value: Sendable, Hashable, CustomStringConvertible, ExpressibleByStringLiteral {
        /// A printable ASCII value.
        case string(String)
        /// A binary value; only valid for keys ending in `-bin`.
        case binary([UInt8])

        /// A text value from a literal.
        public init(stringLiteral value: String) {
            self = .string(value)
        }

        /// The text itself, or only the byte count of a binary value.
        public var description: String {
            switch self {
            case .string(let text): return text
            case .binary(let bytes): return "<\(bytes.count) bytes>"
            }
        }
    }

    /// One key and its value.
    public struct Element: Sendable, Hashable {
        /// The lowercased key.
        public var key: String
        /// The value.
        public var value: Value
    }

    private var elements: [Element] = []

    /// Creates empty metadata.
    public init() {}

    /// Creates metadata from pairs, in order; a text value for a `-bin` key is stored as its UTF-8 bytes.
    public init(dictionaryLiteral pairs: (String, Value)...) {
        for (key, value) in pairs {
            switch value {
            case .string(let text): addString(text, forKey: key)
            case .binary(let bytes): addBinary(bytes, forKey: key)
            }
        }
    }

    /// Whether a key names binary values (ends in `-bin`).
    public static func isBinaryKey(_ key: String) -> Bool {
        key.lowercased().hasSuffix("-bin")
    }

    /// The number of pairs.
    public var count: Int { elements.count }
    /// Whether there are no pairs.
    public var isEmpty: Bool { elements.isEmpty }

    /// Appends a text value. For a `-bin` key the text's UTF-8 bytes are stored as a binary value.
    public mutating func addString(_ value: String, forKey key: String) {
        let key = key.lowercased()
        if Metadata.isBinaryKey(key) {
            elements.append(Element(key: key, value: .binary(Array(value.utf8))))
        } else {
            elements.append(Element(key: key, value: .string(value)))
        }
    }

    /// Appends a binary value. The key should end in `-bin`; if it doesn't, `-bin` is not added and the
    /// transport rejects the pair when sending, so always use a `-bin` key.
    public mutating func addBinary(_ value: [UInt8], forKey key: String) {
        elements.append(Element(key: key.lowercased(), value: .binary(value)))
    }

    /// Appends a value of either kind.
    public mutating func add(_ value: Value, forKey key: String) {
        elements.append(Element(key: key.lowercased(), value: value))
    }

    /// Appends all pairs of another metadata value.
    public mutating func add(contentsOf other: Metadata) {
        elements.append(contentsOf: other.elements)
    }

    /// Removes every value for a key.
    public mutating func removeAll(forKey key: String) {
        let key = key.lowercased()
        elements.removeAll { $0.key == key }
    }

    /// Replaces every value for a key with one text value.
    public mutating func replaceOrAddString(_ value: String, forKey key: String) {
        removeAll(forKey: key)
        addString(value, forKey: key)
    }

    /// All values for a key, in order.
    public subscript(key: String) -> [Value] {
        let key = key.lowercased()
        return elements.filter { $0.key == key }.map(\.value)
    }

    /// The text values for a key (binary values are skipped).
    public subscript(stringValues key: String) -> [String] {
        self[key].compactMap { if case .string(let text) = $0 { text } else { nil } }
    }

    /// The binary values for a key (text values are skipped).
    public subscript(binaryValues key: String) -> [[UInt8]] {
        self[key].compactMap { if case .binary(let bytes) = $0 { bytes } else { nil } }
    }

    /// The first text value for a key.
    public func firstString(forKey key: String) -> String? {
        self[stringValues: key].first
    }

    /// Iterates the pairs in the order they were added, repeated keys included.
    public func makeIterator() -> IndexingIterator<[Element]> {
        elements.makeIterator()
    }

    /// The pairs as `[key: value, ...]`, binary values shown by size only.
    public var description: String {
        "[" + elements.map { "\($0.key): \($0.value)" }.joined(separator: ", ") + "]"
    }
}
