extension Google_Protobuf_Any {
    /// The prefix protobuf's runtimes put before a message's full name in `typeUrl`.
    public static let defaultTypeURLPrefix = "type.googleapis.com"

    /// Packs `message`: its binary encoding plus a type URL naming its protobuf type.
    public init<M: Message>(packing message: M, typeURLPrefix: String = Google_Protobuf_Any.defaultTypeURLPrefix) {
        self.init()
        let prefix = typeURLPrefix.hasSuffix("/") ? String(typeURLPrefix.dropLast()) : typeURLPrefix
        typeUrl = prefix + "/" + M.protoMessageName
        value = message.serializedBytes()
    }

    /// The full protobuf name of the packed message: whatever follows the type URL's last `/`.
    public var typeName: Substring {
        guard let slash = typeUrl.lastIndex(of: "/") else { return typeUrl[...] }
        return typeUrl[typeUrl.index(after: slash)...]
    }

    /// Whether the packed message is an `M`.
    public func isA<M: Message>(_ type: M.Type) -> Bool {
        typeName == M.protoMessageName
    }

    /// Unpacks the message if it is an `M`; `nil` if it is of another type.
    ///
    /// - Throws: ``DecodingError`` if the packed bytes are not a valid `M`.
    public func unpack<M: Message>(
        _ type: M.Type,
        options: DecodingOptions = DecodingOptions()
    ) throws(DecodingError) -> M? {
        guard isA(type) else { return nil }
        return try M(serializedBytes: value, options: options)
    }
}
