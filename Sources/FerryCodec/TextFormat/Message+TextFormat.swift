/// Protobuf's text format for every generated message, and a readable `print(message)`.
///
/// ```swift
/// print(order)                          // shop.Order { order_id: "A-1" total { units: 12 } }
/// let text = try order.textFormatString()
/// let back = try Shop_Order(textFormatString: text)
/// ```
///
/// Like JSON, the text format is derived from the binary encoding and the embedded descriptor.
extension DescribedMessage {
    /// The message in protobuf's text format, one field per line (see ``TextFormatEncodingOptions``).
    ///
    /// - Throws: ``TextFormatEncodingError`` when messages nest deeper than the options allow.
    public func textFormatString(
        options: TextFormatEncodingOptions = TextFormatEncodingOptions()
    ) throws(TextFormatEncodingError) -> String {
        let binary = serializedBytes()
        let schema = SchemaPool.shared.schema(for: Self.self)
        var printer = TextFormatPrinter(options: options)
        try binary.withUnsafeBytesTyped { (buffer) throws(TextFormatEncodingError) in
            try printer.printMessage(schema, buffer)
        }
        return String(decoding: printer.out, as: UTF8.self)
    }

    /// Reads a message from protobuf's text format.
    ///
    /// - Throws: ``TextFormatDecodingError`` with the line and column of the first problem.
    public init(
        textFormatString text: String,
        options: TextFormatDecodingOptions = TextFormatDecodingOptions()
    ) throws(TextFormatDecodingError) {
        let input = Array(text.utf8)
        guard input.count <= options.maxInputSize else {
            throw TextFormatDecodingError(
                line: 1,
                column: 1,
                detail: "\(input.count) bytes, limit \(options.maxInputSize)"
            )
        }
        let binary = try input.withUnsafeBufferPointerTyped { (buffer) throws(TextFormatDecodingError) -> [UInt8] in
            var parser = TextFormatParser(buffer, options: options)
            try parser.parseMessage(SchemaPool.shared.schema(for: Self.self), terminator: nil)
            return parser.writer.bytes
        }
        var decoding = DecodingOptions()
        decoding.allowPartial = options.allowPartial
        decoding.recursionLimit = max(decoding.recursionLimit, options.recursionLimit + 1)
        decoding.maxMessageSize = max(decoding.maxMessageSize, binary.count)
        do throws(DecodingError) {
            try self.init(serializedBytes: binary, options: decoding)
        } catch {
            throw TextFormatDecodingError(line: 1, column: 1, detail: "\(error)")
        }
    }

    /// The message's full name and its fields in one-line text format, unknown fields included:
    /// what `print(message)` and the debugger show.
    public var debugDescription: String {
        var options = TextFormatEncodingOptions()
        options.singleLine = true
        options.printUnknownFields = true
        guard let fields = try? textFormatString(options: options) else {
            return "\(Self.protoMessageName) { <nested deeper than \(options.recursionLimit) levels> }"
        }
        return fields.isEmpty ? "\(Self.protoMessageName) {}" : "\(Self.protoMessageName) { \(fields) }"
    }
}
