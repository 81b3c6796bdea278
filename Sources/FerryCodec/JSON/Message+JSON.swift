/// Protobuf's JSON mapping for every generated message.
///
/// ```swift
/// let text = try order.jsonString()                      // {"orderId":"A-1","total":{"units":"12"}}
/// let back = try Shop_Order(jsonString: text)
/// ```
///
/// The JSON form is derived from the binary encoding and the descriptor the generated file
/// embeds, so it costs no generated code per message (see ``JSONEncodingOptions`` and
/// ``JSONDecodingOptions`` for what can be tuned).
extension DescribedMessage {
    /// The message as protobuf JSON, UTF-8 encoded.
    ///
    /// - Throws: ``JSONEncodingError`` when a value has no JSON form: a Timestamp or Duration
    ///   out of range, a FieldMask path that does not convert, an Any whose type is not in
    ///   ``JSONEncodingOptions/typeRegistry``.
    public func jsonUTF8Bytes(options: JSONEncodingOptions = JSONEncodingOptions()) throws(JSONEncodingError) -> [UInt8]
    {
        let binary = serializedBytes()
        let schema = SchemaPool.shared.schema(for: Self.self)
        var printer = JSONPrinter(options: options, capacity: binary.count * 2 + 16)
        try binary.withUnsafeBytesTyped { (buffer) throws(JSONEncodingError) in
            try printer.printMessage(schema, buffer)
        }
        return printer.out.bytes
    }

    /// The message as protobuf JSON (see ``jsonUTF8Bytes(options:)``).
    public func jsonString(options: JSONEncodingOptions = JSONEncodingOptions()) throws(JSONEncodingError) -> String {
        String(decoding: try jsonUTF8Bytes(options: options), as: UTF8.self)
    }

    /// Reads a message from protobuf JSON.
    ///
    /// - Throws: ``JSONDecodingError`` naming the path and byte offset of the first problem.
    public init(jsonString: String, options: JSONDecodingOptions = JSONDecodingOptions()) throws(JSONDecodingError) {
        var text = jsonString
        // A Swift string is valid UTF-8 already.
        let binary = try text.withUTF8 { buffer in
            Result { () throws(JSONDecodingError) in
                try Self.binary(fromJSON: buffer, options: options, validated: true)
            }
        }.get()
        try self.init(binaryFromJSON: binary, options: options)
    }

    /// Reads a message from UTF-8 encoded protobuf JSON.
    public init(
        jsonUTF8Bytes bytes: [UInt8],
        options: JSONDecodingOptions = JSONDecodingOptions()
    ) throws(JSONDecodingError) {
        let binary = try bytes.withUnsafeBufferPointerTyped { (buffer) throws(JSONDecodingError) in
            try Self.binary(fromJSON: buffer, options: options, validated: false)
        }
        try self.init(binaryFromJSON: binary, options: options)
    }

    private static func binary(
        fromJSON input: UnsafeBufferPointer<UInt8>,
        options: JSONDecodingOptions,
        validated: Bool
    ) throws(JSONDecodingError) -> [UInt8] {
        guard input.count <= options.maxInputSize else {
            throw JSONDecodingError(.inputTooLarge, "\(input.count) bytes, limit \(options.maxInputSize)")
        }
        if !validated, !UTF8Validation.isValid(input) {
            throw JSONDecodingError(.malformedJSON, "the input is not valid UTF-8")
        }
        var parser = JSONParser(input, options: options)
        try parser.parseTopLevel(SchemaPool.shared.schema(for: Self.self))
        return parser.writer.bytes
    }

    private init(binaryFromJSON binary: [UInt8], options: JSONDecodingOptions) throws(JSONDecodingError) {
        var decoding = DecodingOptions()
        decoding.allowPartial = options.allowPartial
        // A JSON object inside a Struct is three messages deep in binary (Struct, entry, Value).
        decoding.recursionLimit = max(decoding.recursionLimit, options.recursionLimit * 3 + 3)
        decoding.maxMessageSize = max(decoding.maxMessageSize, binary.count)
        do throws(DecodingError) {
            try self.init(serializedBytes: binary, options: decoding)
        } catch  where error.code == .missingRequiredField {
            throw JSONDecodingError(.missingRequiredField, "\(Self.protoMessageName) is missing a required field")
        } catch {
            throw JSONDecodingError(.invalidValue, "\(error)")
        }
    }
}
